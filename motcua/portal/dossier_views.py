"""The applicant's side of a dossier: apply online, save a draft, review and submit, follow it,
add what was asked for, withdraw; and the public lookup by code."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.agencies.models import AdministrativeUnit
from motcua.catalog.constants import FieldKind
from motcua.catalog.models import FormField, ProcedureVersion
from motcua.dossiers import rules, selectors, services
from motcua.dossiers.constants import ActionType, Operation, Status
from motcua.dossiers.downloads import attachment_response
from motcua.dossiers.errors import DossierError, InvalidInput
from motcua.dossiers.models import Attachment, Dossier


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


def _field_views(dossier: Dossier, errors: dict[str, list[str]]) -> list[FieldView]:
    return [
        FieldView(field, dossier.form_data.get(field.key, ""), errors.get(field.key, []))
        for field in dossier.procedure_version.form_fields.all()
        if field.kind != FieldKind.FILE
    ]


def _documents(dossier: Dossier, errors: dict[str, list[str]] | None = None) -> list[dict[str, Any]]:
    current = {a.document_id: a for a in dossier.attachments.filter(superseded=False, document__isnull=False)}
    errors = errors or {}
    return [
        {"document": d, "attachment": current.get(d.pk), "errors": errors.get(f"doc_{d.pk}", [])}
        for d in dossier.procedure_version.documents.all()
    ]


@login_required
@require_POST
def start(request, code: str):
    version = get_object_or_404(ProcedureVersion.objects.current(), procedure__code=code)
    agencies = services.receiving_agencies(version)
    chosen = next((a for a in agencies if a.code == request.POST.get("agency")), None)
    try:
        dossier = services.start_dossier(
            version=version,
            applicant=request.user,
            receiving_agency=chosen or (agencies[0] if agencies else None),
            another=request.POST.get("another") == "1",
        )
    except DossierError as exc:
        messages.error(request, exc.message)
        return redirect("portal:procedure", code=code)
    return redirect("portal:dossier_form", public_id=dossier.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, public_id):
    """The online form and the document slots of a draft (or of a dossier asked to supplement)."""
    dossier = _own_dossier(request, public_id)
    if not rules.may(request.user, Operation.EDIT, dossier):
        return redirect("portal:dossier", public_id=dossier.public_id)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        subject = {k: request.POST.get(f"subject_{k}", "").strip() for k in ("name", "identity", "relation")}
        try:
            errors = services.save_draft(
                dossier,
                actor=request.user,
                form_data=_form_values(dossier.procedure_version, request.POST),
                subject=subject,
            )
        except DossierError as exc:
            messages.error(request, exc.message)
            return redirect("portal:dossier", public_id=dossier.public_id)
        for document in dossier.procedure_version.documents.all():
            upload = request.FILES.get(f"doc_{document.pk}")
            if upload is None:
                continue
            try:
                services.add_document(
                    dossier, actor=request.user, upload=upload, name=upload.name, document=document
                )
            except (DossierError, Exception) as exc:  # a refused file loses nothing else
                message = getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)]))
                errors.setdefault(f"doc_{document.pk}", []).append(message)
        if errors:
            status = 400
            messages.error(
                request,
                _("Một số thông tin chưa đúng; đã lưu phần còn lại."),
            )
        elif "review" in request.POST:
            return redirect("portal:dossier_review", public_id=dossier.public_id)
        else:
            messages.success(request, _("Đã lưu bản nháp."))
            return redirect("portal:dossier_form", public_id=dossier.public_id)
    dossier.refresh_from_db()
    return render(
        request,
        "portal/dossier_form.html",
        {
            "dossier": dossier,
            "fields": _field_views(dossier, errors),
            "documents": _documents(dossier, errors),
            "errors": errors,
            "units": _province_units(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, public_id):
    """Everything entered, with the declaration; submitting sends it to the one-stop unit."""
    dossier = _own_dossier(request, public_id)
    if not rules.may(request.user, Operation.EDIT, dossier):
        return redirect("portal:dossier", public_id=dossier.public_id)
    problems: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            if dossier.status == Status.DRAFT:
                services.submit(
                    dossier,
                    actor=request.user,
                    declaration=request.POST.get("declaration") == "on",
                    expected_revision=_revision(request),
                )
                messages.success(
                    request,
                    _("Đã nộp hồ sơ. Bộ phận một cửa sẽ kiểm tra và tiếp nhận."),
                )
            else:
                if request.POST.get("declaration") != "on":
                    raise InvalidInput(
                        _("Vui lòng xác nhận lời cam đoan."),
                        errors={"declaration": [_("Bắt buộc.")]},
                    )
                services.resubmit(
                    dossier,
                    actor=request.user,
                    note=request.POST.get("note", ""),
                    expected_revision=_revision(request),
                )
                messages.success(request, _("Đã gửi hồ sơ bổ sung."))
            return redirect("portal:dossier", public_id=dossier.public_id)
        except DossierError as exc:
            messages.error(request, exc.message)
            problems, status = exc.errors, exc.status_code
    labels = {f.key: f.label for f in dossier.procedure_version.form_fields.all()}
    answers = [
        (labels.get(k, k), v.get("label", v) if isinstance(v, dict) else v)
        for k, v in dossier.form_data.items()
    ]
    return render(
        request,
        "portal/dossier_review.html",
        {
            "dossier": dossier,
            "answers": answers,
            "documents": _documents(dossier),
            "problems": problems,
            "missing": services.missing_documents(dossier),
        },
        status=status,
    )


@login_required
def mine(request):
    return render(
        request, "portal/my_dossiers.html", {"dossiers": selectors.for_applicant(request.user)[:200]}
    )


@login_required
def detail(request, public_id):
    dossier = _own_dossier(request, public_id)
    supplement = dossier.actions.filter(type=ActionType.REQUEST_SUPPLEMENT).order_by("-at", "-id").first()
    offered = rules.offer(request.user, dossier)
    return render(
        request,
        "portal/dossier_detail.html",
        {
            "dossier": dossier,
            "timeline": selectors.timeline(dossier, audience="applicant"),
            "issued": selectors.issued_documents(dossier),
            "supplement": supplement if dossier.status == Status.SUPPLEMENT else None,
            "can_withdraw": ActionType.WITHDRAW in offered,
            "can_edit": Operation.EDIT in offered,
            "can_delete": Operation.DELETE_DRAFT in offered,
            "lookup_url": services.lookup_url(dossier) if dossier.code else "",
        },
    )


@login_required
@require_POST
def withdraw(request, public_id):
    dossier = _own_dossier(request, public_id)
    try:
        services.withdraw(
            dossier,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            expected_revision=_revision(request),
        )
    except DossierError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã rút hồ sơ."))
    return redirect("portal:dossier", public_id=dossier.public_id)


@login_required
@require_POST
def delete_draft(request, public_id):
    dossier = _own_dossier(request, public_id)
    try:
        services.delete_draft(dossier, actor=request.user)
    except DossierError as exc:
        messages.error(request, exc.message)
        return redirect("portal:dossier", public_id=dossier.public_id)
    messages.success(request, _("Đã xóa bản nháp."))
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


def lookup(request, code: str = ""):
    """Public: a dossier's code, procedure, status and appointment — nothing personal."""
    code = (code or request.GET.get("ma", "")).strip()
    result = selectors.public_lookup(code) if code else None
    status = 404 if code and result is None else 200
    return render(request, "portal/lookup.html", {"code": code, "result": result}, status=status)
