"""The applicant's side of a dossier: apply online, save a draft, review and submit, follow it,
add what was asked for, withdraw; and the public lookup by code."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts import identity
from motcua.agencies.models import AdministrativeUnit
from motcua.catalog import fees
from motcua.catalog.constants import FieldKind
from motcua.catalog.models import FormField, ProcedureVersion
from motcua.core.ratelimit import limited_page
from motcua.dossiers import delivery, form_data, rules, selectors, services
from motcua.dossiers.constants import ActionType, AttachmentKind, Operation, ResultDelivery, Status
from motcua.dossiers.downloads import attachment_response
from motcua.dossiers.errors import DossierError, InvalidInput
from motcua.dossiers.models import Attachment, Dossier
from motcua.portal import problems


@dataclass
class FieldView:
    """One field of the online form, ready for the template."""

    field: FormField
    value: Any
    errors: list[str]

    @property
    def name(self) -> str:
        return f"f_{self.field.key}"

    @property
    def error_id(self) -> str:
        return f"{self.name}_error"

    @property
    def help_id(self) -> str:
        return f"{self.name}_help"

    @property
    def describedby(self) -> str:
        """The ids of the help text and of the error message, for aria-describedby."""
        ids = [self.help_id] if self.field.help_text else []
        return " ".join(ids + ([self.error_id] if self.errors else []))

    @property
    def unit(self) -> str:
        return self.value.get("unit", "") if isinstance(self.value, dict) else ""

    @property
    def detail(self) -> str:
        return self.value.get("detail", "") if isinstance(self.value, dict) else (self.value or "")


def _own_dossier(request, public_id) -> Dossier:
    dossier = selectors.for_applicant(request.user).filter(public_id=public_id).first()
    if dossier is None:
        raise Http404
    return dossier


def _province_units() -> list[AdministrativeUnit]:
    return list(
        AdministrativeUnit.objects.current()
        .filter(parent__code=settings.MOTCUA_PROVINCE_CODE)
        .order_by("name")
    )


def _form_values(version: ProcedureVersion, post) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in version.form_fields.all():
        if field.kind == FieldKind.ADDRESS:
            values[field.key] = {
                "unit": post.get(f"f_{field.key}__unit", ""),
                "detail": post.get(f"f_{field.key}__detail", ""),
            }
        elif field.kind != FieldKind.FILE:
            values[field.key] = post.get(f"f_{field.key}", "")
    return values


def _applicant_details(dossier: Dossier, user) -> dict[str, str]:
    """Who applies: the account's details while the dossier is a draft (what the person keeps up to
    date on the account page), then what the dossier recorded."""
    if dossier.status == Status.DRAFT and dossier.applicant_id == user.pk:
        return {
            "name": user.full_name or user.username,
            "identity": user.identity_number or "",
            "phone": user.phone,
            "email": user.email,
            "address": user.address,
        }
    return {
        "name": dossier.applicant_name,
        "identity": dossier.applicant_identity,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
        "address": dossier.applicant_address,
    }


def _field_views(
    dossier: Dossier, errors: dict[str, list[str]], initial: dict[str, Any] | None = None
) -> list[FieldView]:
    initial = initial or {}
    return [
        FieldView(
            field,
            dossier.form_data.get(field.key, initial.get(field.key, "")),
            errors.get(field.key, []),
        )
        for field in dossier.procedure_version.form_fields.all()
        if field.kind != FieldKind.FILE
    ]


def _initial_values(dossier: Dossier, user, units: list[AdministrativeUnit]) -> dict[str, Any]:
    """A new draft (never saved) starts with the applicant's own details in the fields that ask
    for them; once saved, the form shows only what the applicant kept."""
    if dossier.status != Status.DRAFT or dossier.revision > 0:
        return {}
    return form_data.applicant_values(dossier.procedure_version, _applicant_details(dossier, user), units)


def _documents(dossier: Dossier, errors: dict[str, list[str]] | None = None) -> list[dict[str, Any]]:
    current = {a.document_id: a for a in dossier.attachments.filter(superseded=False, document__isnull=False)}
    errors = errors or {}
    return [
        {
            "document": d,
            "attachment": current.get(d.pk),
            "slot": problems.document_slot(d),
            "errors": errors.get(problems.document_slot(d), []),
        }
        for d in dossier.procedure_version.documents.all()
    ]


def _completeness(dossier: Dossier) -> dict[str, list[str]]:
    """Everything that keeps the dossier from being sent: the form's errors with every required
    field, and each required document without a file (what services.submit checks)."""
    _cleaned, errors = form_data.clean_form(dossier.procedure_version, dossier.form_data, partial=False)
    errors.update(problems.missing_document_errors(services.missing_documents(dossier)))
    errors.update(delivery.complete_errors(dossier))
    return errors


def _delivery_context(dossier: Dossier, applicant: dict[str, str]) -> dict[str, Any]:
    """The choices of how to receive the result, and the postal address to show (the account's
    address until the applicant types one)."""
    choices = delivery.choices_for(dossier.procedure_version, has_account=True)
    return {
        "delivery_choices": [{"value": c.value, "label": c.label} for c in choices],
        "delivery_address": dossier.delivery_address or applicant.get("address", ""),
    }


def _upload_documents(request, dossier: Dossier) -> dict[str, list[str]]:
    """Store the files chosen for the document slots; a refused file loses nothing else."""
    errors: dict[str, list[str]] = {}
    for document in dossier.procedure_version.documents.all():
        upload = request.FILES.get(problems.document_slot(document))
        if upload is None:
            continue
        try:
            services.add_document(
                dossier, actor=request.user, upload=upload, name=upload.name, document=document
            )
        except (DossierError, Exception) as exc:  # a refused file loses nothing else
            message = getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)]))
            errors.setdefault(problems.document_slot(document), []).append(message)
    return errors


def _files(dossier: Dossier) -> list[Attachment]:
    """The papers the applicant sent (and the one-stop unit's scans of them), with their slots."""
    return list(
        dossier.attachments.filter(kind__in=[AttachmentKind.APPLICANT, AttachmentKind.SCAN], superseded=False)
        .select_related("document")
        .order_by("document__order", "uploaded_at", "id")
    )


def _fee_context(dossier: Dossier) -> dict[str, Any]:
    lines = fees.charges(dossier.procedure_version, dossier.form_data)
    return {"charges": lines, "fee_total": fees.total(lines)}


@login_required
@require_http_methods(["GET", "POST"])
def start(request, code: str):
    """Apply online: resume the applicant's draft of this procedure, or start one (another one
    when asked, ``another=1``)."""
    if request.method == "GET":  # back from the login page: the choice is made on the procedure page
        return redirect("portal:procedure", code=code)
    version = get_object_or_404(ProcedureVersion.objects.current(), procedure__code=code)
    agencies = services.receiving_agencies(version)
    chosen = next((a for a in agencies if a.code == request.POST.get("agency")), None)
    another = request.POST.get("another") == "1"
    drafts = set(
        selectors.for_applicant(request.user)
        .filter(status=Status.DRAFT, procedure_version=version)
        .values_list("pk", flat=True)
    )
    try:
        dossier = services.start_dossier(
            version=version,
            applicant=request.user,
            receiving_agency=chosen or (agencies[0] if agencies else None),
            another=another,
        )
    except DossierError as exc:
        messages.error(request, exc.message)
        return redirect("portal:procedure", code=code)
    url = reverse("portal:dossier_form", args=[dossier.public_id])
    if dossier.pk in drafts:  # resumed: the form page says so and offers a new one
        query = {RESUMED: "1", **({CHOSEN_AGENCY: chosen.code} if chosen else {})}
        url = f"{url}?{urlencode(query)}"
    return redirect(url)


# Query parameters of the form page: a resumed draft (with the agency chosen this time), and a check
# of everything a submission needs (the review page's links to the fields).
RESUMED = "tiep-tuc"
CHOSEN_AGENCY = "noi-nop"
CHECK = "kiem-tra"


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, public_id):
    """The online form and the document slots of a draft (or of a dossier asked to supplement).

    "Lưu nháp" keeps everything typed and shows what is not valid; "Xem lại và gửi" also checks
    what a submission needs and stays here, with the summary of every problem, until it is all there.
    """
    dossier = _own_dossier(request, public_id)
    if not rules.may(request.user, Operation.EDIT, dossier):
        return redirect("portal:dossier", public_id=dossier.public_id)
    errors: dict[str, list[str]] = {}
    status = 200
    saved = False
    if request.method == "POST":
        subject = {k: request.POST.get(f"subject_{k}", "").strip() for k in ("name", "identity", "relation")}
        try:
            errors = services.save_draft(
                dossier,
                actor=request.user,
                form_data=_form_values(dossier.procedure_version, request.POST),
                subject=subject,
                result_delivery=request.POST.get(delivery.CHOICE, ""),
                delivery_address=request.POST.get(delivery.ADDRESS, ""),
            )
        except DossierError as exc:
            messages.error(request, exc.message)
            return redirect("portal:dossier", public_id=dossier.public_id)
        errors.update(_upload_documents(request, dossier))
        if "review" in request.POST:
            errors = {**_completeness(dossier), **errors}  # a refused file says why, not just "missing"
        if not errors:
            if "review" in request.POST:
                return redirect("portal:dossier_review", public_id=dossier.public_id)
            messages.success(request, _("Đã lưu bản nháp."))
            return redirect("portal:dossier_form", public_id=dossier.public_id)
        status, saved = 400, True
    elif CHECK in request.GET:
        errors = _completeness(dossier)
    dossier.refresh_from_db()
    units = _province_units()
    resumed = request.method == "GET" and dossier.status == Status.DRAFT and RESUMED in request.GET
    applicant = _applicant_details(dossier, request.user)
    return render(
        request,
        "portal/dossier_form.html",
        {
            "dossier": dossier,
            "fields": _field_views(dossier, errors, _initial_values(dossier, request.user, units)),
            "documents": _documents(dossier, errors),
            "errors": errors,
            "problems": problems.for_dossier(dossier, errors),
            "saved_note": _("Những gì ông/bà đã nhập đã được lưu.") if saved else "",
            "units": units,
            "applicant": applicant,
            **_delivery_context(dossier, applicant),
            "resumed": resumed,
            "chosen_agency": request.GET.get(CHOSEN_AGENCY, "") if resumed else "",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, public_id):
    """Everything entered, with the fees and the declaration; submitting sends it to the one-stop
    unit. What is still missing is listed at the top, each item linking to its field."""
    dossier = _own_dossier(request, public_id)
    if not rules.may(request.user, Operation.EDIT, dossier):
        return redirect("portal:dossier", public_id=dossier.public_id)
    form_page = reverse("portal:dossier_form", args=[dossier.public_id]) + f"?{CHECK}=1"
    errors = _completeness(dossier)
    status = 200
    if request.method == "POST":
        if request.POST.get("declaration") != "on":
            errors[problems.DECLARATION] = [_("Vui lòng xác nhận lời cam đoan.")]
        if errors:
            status = 422
        else:
            try:
                _send(request, dossier)
            except DossierError as exc:
                if not exc.errors:
                    messages.error(request, exc.message)
                errors, status = exc.errors, exc.status_code
            else:
                return redirect("portal:dossier", public_id=dossier.public_id)
    return render(
        request,
        "portal/dossier_review.html",
        {
            "dossier": dossier,
            "answers": form_data.answers(dossier),
            "applicant": _applicant_details(dossier, request.user),
            "documents": _documents(dossier),
            "errors": errors,
            "problems": problems.for_dossier(dossier, errors, page=form_page),
            "form_page": form_page,
            "delivery_section": reverse("portal:dossier_form", args=[dossier.public_id]) + "#nhan-ket-qua",
            "submit_verdict": rules.judge(ActionType.SUBMIT, request.user, rules.Facts(dossier, request.user))
            if dossier.status == Status.DRAFT
            else None,
            "identity_providers": identity.providers(),
            **_fee_context(dossier),
        },
        status=status,
    )


def _send(request, dossier: Dossier) -> None:
    """Submit a draft, or send back a dossier the agency asked to supplement."""
    if dossier.status == Status.DRAFT:
        services.submit(dossier, actor=request.user, declaration=True, expected_revision=_revision(request))
        messages.success(request, _("Đã nộp hồ sơ. Bộ phận một cửa sẽ kiểm tra và tiếp nhận."))
    else:
        services.resubmit(
            dossier,
            actor=request.user,
            note=request.POST.get("note", ""),
            expected_revision=_revision(request),
        )
        messages.success(request, _("Đã gửi hồ sơ bổ sung."))


@login_required
def mine(request):
    """The applicant's dossiers: drafts apart (continue or delete them), then those sent."""
    own = selectors.for_applicant(request.user)
    drafts = list(own.filter(status=Status.DRAFT)[:100])
    for draft in drafts:
        offered = rules.offer(request.user, draft, [Operation.EDIT, Operation.DELETE_DRAFT])
        draft.can_edit = Operation.EDIT in offered  # type: ignore[attr-defined]
        draft.can_delete = Operation.DELETE_DRAFT in offered  # type: ignore[attr-defined]
    return render(
        request,
        "portal/my_dossiers.html",
        {"drafts": drafts, "dossiers": own.exclude(status=Status.DRAFT)[:200]},
    )


@login_required
def detail(request, public_id):
    """What the applicant sent (the answers, the files, the fees), where it stands, and what they
    may do now (rules.offer)."""
    dossier = _own_dossier(request, public_id)
    supplement = dossier.actions.filter(type=ActionType.REQUEST_SUPPLEMENT).order_by("-at", "-id").first()
    offered = rules.offer(request.user, dossier)
    return render(
        request,
        "portal/dossier_detail.html",
        {
            "dossier": dossier,
            "answers": form_data.answers(dossier),
            "files": _files(dossier),
            **_fee_context(dossier),
            "timeline": selectors.timeline(dossier, audience="applicant"),
            "issued": selectors.issued_documents(dossier),
            "supplement": supplement if dossier.status == Status.SUPPLEMENT else None,
            "can_withdraw": ActionType.WITHDRAW in offered,
            "can_edit": Operation.EDIT in offered,
            "can_delete": Operation.DELETE_DRAFT in offered,
            "lookup_url": services.lookup_url(dossier) if dossier.code else "",
            "result_online": dossier.result_delivery == ResultDelivery.ONLINE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, public_id):
    """The applicant withdraws the dossier, saying why."""
    dossier = _own_dossier(request, public_id)
    if not rules.may(request.user, ActionType.WITHDRAW, dossier):
        messages.error(request, _("Không thể rút hồ sơ này."))
        return redirect("portal:dossier", public_id=dossier.public_id)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            services.withdraw(
                dossier,
                actor=request.user,
                reason=request.POST.get("reason", ""),
                expected_revision=_revision(request),
            )
        except InvalidInput as exc:
            errors, status = exc.errors or {"reason": [exc.message]}, exc.status_code
        except DossierError as exc:
            messages.error(request, exc.message)
            return redirect("portal:dossier", public_id=dossier.public_id)
        else:
            messages.success(request, _("Đã rút hồ sơ."))
            return redirect("portal:dossier", public_id=dossier.public_id)
    return render(
        request,
        "portal/dossier_withdraw.html",
        {
            "dossier": dossier,
            "reason": request.POST.get("reason", ""),
            "errors": errors,
            "problems": problems.for_fields({"reason": _("Lý do rút hồ sơ")}, errors),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_draft(request, public_id):
    """Delete a draft, after a confirmation (this page, or the one folded in the list)."""
    dossier = _own_dossier(request, public_id)
    if request.method == "GET":
        if not rules.may(request.user, Operation.DELETE_DRAFT, dossier):
            return redirect("portal:dossier", public_id=dossier.public_id)
        return render(request, "portal/dossier_delete.html", {"dossier": dossier})
    name = dossier.procedure_version.name
    try:
        services.delete_draft(dossier, actor=request.user)
    except DossierError as exc:
        messages.error(request, exc.message)
        return redirect("portal:dossier", public_id=dossier.public_id)
    messages.success(request, _("Đã xóa bản nháp “%(name)s”.") % {"name": name})
    return redirect("portal:my_dossiers")


def _revision(request) -> int | None:
    """The revision the page was built from (a stale page gets 'someone else acted')."""
    try:
        return int(request.POST["revision"])
    except (KeyError, ValueError):
        return None


@login_required
def download(request, public_id, attachment_id: int):
    dossier = _own_dossier(request, public_id)
    attachment = get_object_or_404(Attachment, pk=attachment_id, dossier=dossier)
    if not selectors.can_download(request.user, attachment):
        raise Http404
    return attachment_response(attachment, inline=True)


@limited_page(
    "lookup", "MOTCUA_LOOKUP_RATE", counts=lambda request, code="": bool(code or request.GET.get("ma"))
)
def lookup(request, code: str = ""):
    """Public: a dossier's code, procedure, status and appointment — nothing personal."""
    code = (code or request.GET.get("ma", "")).strip()
    result = selectors.public_lookup(code) if code else None
    status = 404 if code and result is None else 200
    return render(request, "portal/lookup.html", {"code": code, "result": result}, status=status)
