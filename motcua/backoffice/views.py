"""Staff pages (trang cán bộ): reception queue, inbox, the dossier page with its actions, counter intake.

Reads go through motcua.dossiers.selectors (an officer sees only their agencies' dossiers), every
change through motcua.dossiers.services.
"""

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.accounts import access_log
from motcua.accounts.constants import AccountKind, Role
from motcua.accounts.selectors import visible_agencies
from motcua.agencies.models import AdministrativeUnit, Agency
from motcua.backoffice import actions
from motcua.backoffice.forms import (
    InboxFilterForm,
    IntakeForm,
    ProcedureChoiceForm,
    ReceptionFilterForm,
    add_service_errors,
)
from motcua.catalog.models import ProcedureVersion
from motcua.core import clock
from motcua.dossiers import deadlines, form_data, rules, selectors, services
from motcua.dossiers.constants import OPEN_STATUSES, ActionType, AttachmentKind, StepKind
from motcua.dossiers.downloads import attachment_response
from motcua.dossiers.errors import DossierError, InvalidInput
from motcua.dossiers.models import Attachment, Dossier
from motcua.integrations import selectors as integration_selectors
from motcua.notifications import selectors as notification_selectors
from motcua.notifications import services as notification_services
from motcua.payments import selectors as payment_selectors
from motcua.surveys import selectors as survey_selectors

PAGE_SIZE = 25
QUEUE_SIZE = 50


def staff_required(view):
    """Anonymous visitors go to the login page; accounts that are not staff get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.kind != AccountKind.STAFF:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _ref(dossier: Dossier) -> str:
    return dossier.code or str(dossier.public_id)


def _dossier_url(dossier: Dossier) -> str:
    return reverse("backoffice:dossier", args=[_ref(dossier)])


def _get_dossier(user, ref: str) -> Dossier:
    """The dossier by its code or public id, if ``user`` may see it (404 otherwise)."""
    try:
        public_id = uuid.UUID(ref)
    except ValueError:
        return selectors.get_visible(user, code=ref.strip() or "-")
    return selectors.get_visible(user, public_id=public_id)


def _flag_deadline(dossier: Dossier, now) -> Dossier:
    """Set .overdue and .due_soon (within selectors.DUE_SOON, as the inbox filter counts it)."""
    dossier.overdue = dossier.is_overdue(now)
    dossier.due_soon = (
        not dossier.overdue
        and dossier.status in OPEN_STATUSES
        and dossier.due_at is not None
        and dossier.due_at < now + selectors.DUE_SOON
    )
    return dossier


# ---------------------------------------------------------------------------------------------
# Lists


@staff_required
def home(request):
    return redirect("backoffice:inbox")


def _document_counts(dossiers: list[Dossier]) -> dict[int, int]:
    rows = (
        Attachment.objects.filter(
            dossier__in=[d.pk for d in dossiers],
            superseded=False,
            kind__in=[AttachmentKind.APPLICANT, AttachmentKind.SCAN],
        )
        .values("dossier")
        .annotate(n=Count("id"))
    )
    return {row["dossier"]: row["n"] for row in rows}


@staff_required
@require_GET
def reception(request):
    agencies = list(visible_agencies(request.user).filter(receives_dossiers=True).order_by("name"))
    form = ReceptionFilterForm(request.GET or None, agencies=agencies)
    form.is_valid()
    values = getattr(form, "cleaned_data", {})  # the valid filters apply; a bad value is ignored
    page = selectors.reception_queue(
        request.user,
        procedure=(values.get("procedure") or "").strip(),
        agency=values.get("agency") or "",
        after=request.GET.get("after") or None,
        size=QUEUE_SIZE,
    )
    access_log.record_read(
        request, purpose="backoffice:reception", object_type="dossier_list", dossiers=page.rows
    )
    counts = _document_counts(page.rows)
    for dossier in page.rows:
        dossier.document_count = counts.get(dossier.pk, 0)
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "backoffice/reception.html",
        {
            "section": "reception",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(v for k, v in request.GET.items() if k != "after"),
            "several_agencies": len(agencies) > 1,
        },
    )


def _member_agencies(user) -> list[Agency]:
    return list(Agency.objects.filter(memberships__user=user).distinct().order_by("name"))


@staff_required
@require_GET
def inbox(request):
    form = InboxFilterForm(request.GET or None, agencies=_member_agencies(request.user))
    form.is_valid()
    values = getattr(form, "cleaned_data", {})  # the valid filters apply; a bad value is ignored
    filters = selectors.InboxFilters(
        status=values.get("status"),
        procedure=(values.get("procedure") or "").strip(),
        agency=values.get("agency") or "",
        overdue=bool(values.get("overdue")),
        due_soon=bool(values.get("due_soon")),
        mine=bool(values.get("mine")),
    )
    page = selectors.inbox(request.user, filters, after=request.GET.get("after") or None, size=PAGE_SIZE)
    access_log.record_read(
        request, purpose="backoffice:inbox", object_type="dossier_list", dossiers=page.rows
    )
    now = clock.now()
    for dossier in page.rows:
        _flag_deadline(dossier, now)
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "backoffice/inbox.html",
        {
            "section": "inbox",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(v for k, v in request.GET.items() if k != "after"),
            "consultations": []
            if request.GET.get("after")
            else selectors.pending_consultations(request.user),
            "now": now,
        },
    )


# ---------------------------------------------------------------------------------------------
# The dossier page


def _render_dossier(request, dossier: Dossier, *, failed=None, error: DossierError | None = None, status=200):
    """The dossier page; ``failed`` is (spec, bound form) of an action that did not go through."""
    _flag_deadline(dossier, clock.now())
    facts = rules.Facts(dossier, request.user)
    offered = actions.offered(facts)
    if failed is not None and failed[0] not in [item.spec for item in offered]:
        # Keep what was typed even if the action no longer applies (the error says why).
        offered.append(actions.Offered(failed[0], allowed=True))
    forms = []
    for item in offered:
        spec = item.spec
        is_failed = failed is not None and failed[0] is spec
        form = None
        if item.allowed:
            form = failed[1] if is_failed else actions.build_form(spec, facts)
        forms.append({"spec": spec, "form": form, "reason": item.reason, "failed": is_failed})
    from motcua.backoffice.signing_views import result_signature  # it imports this module

    timeline = list(selectors.timeline(dossier))
    for action in timeline:
        # Read here: in a template, data.items would be the dict's items() method.
        action.items = action.data.get("items") or []
        action.amount = action.data.get("amount")
    return render(
        request,
        "backoffice/dossier.html",
        {
            "section": "inbox",
            "dossier": dossier,
            "ref": _ref(dossier),
            "main_forms": [f for f in forms if not f["spec"].secondary],
            "other_forms": [f for f in forms if f["spec"].secondary],
            "other_open": any(f["failed"] for f in forms if f["spec"].secondary),
            "error": error,
            "failed_target": f"action-{failed[0].slug}" if failed is not None else "",
            "form_rows": [(a.label, a.text) for a in form_data.answers(dossier)],
            "attachments": dossier.attachments.select_related("document", "uploaded_by").order_by(
                "uploaded_at", "id"
            ),
            "issued": selectors.issued_documents(dossier),
            "signature": result_signature(dossier),
            "steps": dossier.steps.select_related("agency", "assignee").order_by("order", "kind", "id"),
            "consultation": StepKind.CONSULTATION,
            "ledger": payment_selectors.ledger(dossier),
            "online_payments": list(payment_selectors.online_payments(dossier)[:20]),
            "rating": survey_selectors.rating_of(dossier),
            "national_sync": integration_selectors.national_sync_of(dossier),
            "national_inbound": integration_selectors.inbound_of(dossier),
            "timeline": timeline,
            "deadline": deadlines.explain(dossier),
            "notifications_sent": list(notification_selectors.of_dossier(dossier)[:100]),
        },
        status=status,
    )


@staff_required
@require_GET
def dossier_detail(request, ref: str):
    try:
        dossier = _get_dossier(request.user, ref)
    except Http404:
        access_log.record_read(
            request,
            purpose="backoffice:dossier",
            codes=[ref[:60]],
            allowed=False,
            reason="not visible / not found",
        )
        raise
    response = _render_dossier(request, dossier)
    access_log.record_read(request, purpose="backoffice:dossier", dossiers=[dossier])
    return response


@staff_required
@require_POST
def dossier_action(request, ref: str, action: str):
    spec = actions.ACTIONS.get(action)
    if spec is None:
        raise Http404
    dossier = _get_dossier(request.user, ref)
    form = actions.build_form(spec, rules.Facts(dossier, request.user), request.POST, request.FILES)
    if not form.is_valid():
        error = InvalidInput(_("Vui lòng kiểm tra các ô được đánh dấu."))
        return _render_dossier(request, dossier, failed=(spec, form), error=error, status=error.status_code)
    try:
        actions.perform(spec, dossier, request.user, form)
    except DossierError as exc:
        add_service_errors(form, exc.errors)
        dossier = _get_dossier(request.user, ref)
        if exc.status_code == 409:
            # The officer now sees the current dossier; a deliberate second try may go through.
            data = request.POST.copy()
            data["revision"] = str(dossier.revision)
            form.data = data
        return _render_dossier(request, dossier, failed=(spec, form), error=exc, status=exc.status_code)
    dossier.refresh_from_db()
    if spec.type == ActionType.RECEIVE:
        messages.success(
            request,
            _("Đã tiếp nhận hồ sơ %(code)s; giấy tiếp nhận và hẹn trả kết quả (mẫu 01) đã được tạo.")
            % {"code": dossier.code},
        )
    else:
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": spec.type.label})
    if not selectors.visible_to(request.user).filter(pk=dossier.pk).exists():
        return redirect("backoffice:inbox")
    return redirect(_dossier_url(dossier))


@require_GET
def download(request, ref: str, attachment_id: int):
    """A dossier's file, for whoever may see the dossier; never guessed from another dossier's id."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    dossier = _get_dossier(request.user, ref)
    if request.user.kind != AccountKind.STAFF:
        raise PermissionDenied
    attachment = dossier.attachments.filter(pk=attachment_id).first()
    if attachment is None or not selectors.can_download(request.user, attachment):
        raise Http404
    access_log.record_read(
        request, purpose=f"backoffice:download:{attachment_id}", object_type="attachment", dossiers=[dossier]
    )
    return attachment_response(attachment, inline=True)


# ---------------------------------------------------------------------------------------------
# Counter intake


def _reception_agencies(user) -> list[Agency]:
    return list(
        Agency.objects.filter(
            memberships__user=user, memberships__role=Role.RECEPTION, receives_dossiers=True, is_active=True
        )
        .distinct()
        .order_by("name")
    )


def _province_units(agency: Agency) -> list[AdministrativeUnit]:
    """The current communes and wards of the agency's province."""
    unit = agency.unit
    if unit is None:
        return []
    chain = [unit, *unit.ancestors()]
    province = chain[-1]
    return list(AdministrativeUnit.objects.current().filter(parent=province).order_by("name"))


@staff_required
@require_http_methods(["GET", "POST"])
def counter_intake(request):
    mine = _reception_agencies(request.user)
    if not mine:
        raise PermissionDenied
    versions = list(
        ProcedureVersion.objects.current()
        .filter(agencies__in=mine)
        .select_related("procedure")
        .distinct()
        .order_by("name")
    )
    code = request.GET.get("procedure") or ""
    version = next((v for v in versions if v.procedure.code == code), None)
    if version is None:
        choose = ProcedureChoiceForm(request.GET or None, versions=versions)
        return render(
            request,
            "backoffice/intake_choose.html",
            {"section": "intake", "form": choose},
            status=404 if code else 200,
        )
    agencies = [a for a in services.receiving_agencies(version) if a in mine]
    if not agencies:
        raise Http404
    units = _province_units(agencies[0])
    if request.method == "GET":
        form = IntakeForm(version=version, agencies=agencies, units=units)
        return _render_intake(request, form, version)
    form = IntakeForm(request.POST, request.FILES, version=version, agencies=agencies, units=units)
    if not form.is_valid():
        error = InvalidInput(_("Vui lòng kiểm tra các ô được đánh dấu."))
        return _render_intake(request, form, version, error=error)
    try:
        dossier = services.intake_at_counter(
            actor=request.user,
            agency=form.cleaned_data["receiving-agency"],
            version=version,
            applicant=form.applicant(),
            form_data=form.form_data(),
            scans=form.scans(),
            note=form.cleaned_data.get("reception-note", ""),
            result_delivery=form.result_delivery()[0],
            delivery_address=form.result_delivery()[1],
        )
    except DossierError as exc:
        add_service_errors(form, exc.errors, form.error_aliases())
        return _render_intake(request, form, version, error=exc)
    messages.success(
        request,
        _("Đã tiếp nhận hồ sơ %(code)s; giấy tiếp nhận và hẹn trả kết quả (mẫu 01) đã được tạo.")
        % {"code": dossier.code},
    )
    return redirect(_dossier_url(dossier))


def _render_intake(
    request, form: IntakeForm, version: ProcedureVersion, *, error: DossierError | None = None
):
    return render(
        request,
        "backoffice/intake_form.html",
        {"section": "intake", "form": form, "version": version, "error": error},
        status=error.status_code if error else 200,
    )


# ---------------------------------------------------------------------------------------------
# Notifications (the bell)


@staff_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    """The officer's in-app messages, newest first; a POST marks one or all read."""
    if request.method == "POST":
        if request.POST.get("all"):
            notification_services.mark_read(request.user)
        elif request.POST.get("message", "").isdigit():
            notification_services.mark_read(request.user, [int(request.POST["message"])])
        target = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
            return redirect(target)
        return redirect("backoffice:notifications")
    page = Paginator(notification_selectors.inbox(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request, "backoffice/notifications.html", {"page": page, "staff": True, "section": "notifications"}
    )
