"""Staff pages of official documents (văn bản đi, đến; motcua.documents): the lists with their
filters (overdue ones marked), the document page with its history and the actions the rule table
offers (``documents.rules.offer``), the draft form, the answer form, the paper registration.

Every change goes through motcua.documents.services; a page never re-derives a rule.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.agencies.models import Agency
from motcua.backoffice import document_forms as forms
from motcua.backoffice.views import staff_required
from motcua.core import clock
from motcua.documents import rules, selectors, services
from motcua.documents.constants import ActionType, Direction, Status
from motcua.documents.models import OfficialDocument
from motcua.dossiers.errors import DossierError
from motcua.signing.constants import RequestState

PAGE_SIZE = 50

# -- helpers ----------------------------------------------------------------------------------------------


def problems_of(form) -> list[dict[str, str]]:
    """The error summary's lines: each names its field and links to it."""
    found = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for error in errors:
            if field is None or name == "__all__":
                found.append({"href": "", "text": error})
            else:
                found.append({"href": f"#{form[name].id_for_label}", "text": f"{field.label}: {error}"})
    return found


def add_errors(form, error: DossierError) -> None:
    form.is_valid()
    if not error.errors:
        form.add_error(None, error.message)
    for key, messages_ in error.errors.items():
        target = key if key in form.fields else None
        if key == "file" and "body_file" in form.fields:
            target = "body_file"
        if key == "file" and "scan" in form.fields:
            target = "scan"
        for message in messages_:
            form.add_error(target, message)


def _get(request, pk: int) -> OfficialDocument:
    document = selectors.get_visible(request.user, pk)
    if document is None:
        raise Http404
    return document


def _drafting_agencies(user) -> list[Agency]:
    return [
        a
        for a in Agency.objects.filter(pk__in=selectors.agencies_of(user)).order_by("name")
        if rules.may_draft(user, a)
    ]


def _receiving_agencies(user) -> list[Agency]:
    return [
        a
        for a in Agency.objects.filter(pk__in=selectors.agencies_of(user)).order_by("name")
        if rules.may_receive(user, a)
    ]


def _url(document: OfficialDocument) -> str:
    return reverse("backoffice:document", args=[document.pk])


# -- lists ------------------------------------------------------------------------------------------------


def _list(request, direction: str):
    form = forms.FilterForm(request.GET or None, direction=direction)
    form.is_valid()
    values = getattr(form, "cleaned_data", {})
    documents = list(
        selectors.search(
            request.user,
            direction=direction,
            status=values.get("status") or None,
            q=values.get("q") or "",
            overdue=bool(values.get("overdue")),
            mine=bool(values.get("mine")),
        )[:PAGE_SIZE]
    )
    today = clock.localdate()
    for document in documents:
        document.overdue = document.is_overdue(today)
    return render(
        request,
        "backoffice/documents.html",
        {
            "section": "documents_out" if direction == Direction.OUTGOING else "documents_in",
            "direction": direction,
            "outgoing": direction == Direction.OUTGOING,
            "form": form,
            "documents": documents,
            "filtered": any(request.GET.values()),
            "may_draft": bool(_drafting_agencies(request.user)),
            "may_receive": bool(_receiving_agencies(request.user)),
        },
    )


@staff_required
@require_GET
def outgoing(request):
    return _list(request, Direction.OUTGOING)


@staff_required
@require_GET
def incoming(request):
    return _list(request, Direction.INCOMING)


# -- the document page ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    action: ActionType
    slug: str
    title: Any
    button: Any
    form: type
    danger: bool = False


SPECS = [
    Spec(
        ActionType.SUBMIT_REVIEW,
        "trinh-xem-xet",
        gettext_lazy("Trình xem xét"),
        gettext_lazy("Trình"),
        forms.ReviewersForm,
    ),
    Spec(
        ActionType.APPROVE_REVIEW,
        "dong-y",
        gettext_lazy("Đồng ý nội dung"),
        gettext_lazy("Đồng ý"),
        forms.NoteForm,
    ),
    Spec(
        ActionType.RETURN_DRAFT,
        "tra-lai",
        gettext_lazy("Trả lại để sửa"),
        gettext_lazy("Trả lại"),
        forms.ReasonForm,
        True,
    ),
    Spec(ActionType.SIGN, "ky-so", gettext_lazy("Ký văn bản"), gettext_lazy("Ký số"), forms.ConfirmForm),
    Spec(
        ActionType.CHECK_SIGNATURE,
        "kiem-tra-ky-so",
        gettext_lazy("Chờ xác nhận ký số"),
        gettext_lazy("Kiểm tra xác nhận ký số"),
        forms.ConfirmForm,
    ),
    Spec(
        ActionType.ISSUE,
        "phat-hanh",
        gettext_lazy("Phát hành (cấp số)"),
        gettext_lazy("Cấp số và phát hành"),
        forms.ConfirmForm,
    ),
    Spec(ActionType.SEND, "gui", gettext_lazy("Gửi văn bản"), gettext_lazy("Gửi"), forms.ConfirmForm),
    Spec(
        ActionType.REGISTER,
        "vao-so",
        gettext_lazy("Vào sổ văn bản đến"),
        gettext_lazy("Vào sổ"),
        forms.ConfirmForm,
    ),
    Spec(
        ActionType.ASSIGN,
        "phan-cong",
        gettext_lazy("Phân công xử lý"),
        gettext_lazy("Phân công"),
        forms.AssignForm,
    ),
    Spec(
        ActionType.START_PROCESSING,
        "bat-dau",
        gettext_lazy("Bắt đầu xử lý"),
        gettext_lazy("Bắt đầu xử lý"),
        forms.ConfirmForm,
    ),
    Spec(
        ActionType.CLOSE,
        "hoan-thanh",
        gettext_lazy("Hoàn thành xử lý"),
        gettext_lazy("Hoàn thành"),
        forms.NoteForm,
    ),
    Spec(
        ActionType.REFUSE,
        "tu-choi",
        gettext_lazy("Từ chối nhận"),
        gettext_lazy("Từ chối"),
        forms.ReasonForm,
        True,
    ),
    Spec(
        ActionType.ACCEPT_AMENDMENT,
        "dong-y-thay-doi",
        gettext_lazy("Đồng ý cập nhật, thay thế"),
        gettext_lazy("Đồng ý"),
        forms.NoteForm,
    ),
    Spec(
        ActionType.REFUSE_AMENDMENT,
        "tu-choi-thay-doi",
        gettext_lazy("Từ chối cập nhật, thay thế"),
        gettext_lazy("Từ chối"),
        forms.ReasonForm,
        True,
    ),
]
BY_SLUG = {s.slug: s for s in SPECS}
BY_ACTION = {s.action: s for s in SPECS}


@dataclass(frozen=True)
class SentSpec:
    """A change the sender makes to a document it sent electronically (edXML business 1, 2, 3)."""

    action: ActionType
    slug: str
    title: Any
    intro: Any
    button: Any
    form: type
    danger: bool = False


SENT_SPECS = [
    SentSpec(
        ActionType.UPDATE_SENT,
        "cap-nhat",
        gettext_lazy("Cập nhật thông tin văn bản đã gửi"),
        gettext_lazy(
            "Sửa trích yếu, độ khẩn, hạn trả lời (văn bản đã ký giữ nguyên); mỗi nơi nhận điện tử "
            "đồng ý (15) hoặc từ chối (16)."
        ),
        gettext_lazy("Gửi cập nhật"),
        forms.UpdateSentForm,
    ),
    SentSpec(
        ActionType.REPLACE_SENT,
        "thay-the",
        gettext_lazy("Thay thế văn bản đã gửi"),
        gettext_lazy(
            "Tạo dự thảo văn bản thay thế; khi phát hành và gửi, nơi nhận điện tử đồng ý (15) hoặc "
            "từ chối (16) thay văn bản này bằng văn bản mới."
        ),
        gettext_lazy("Soạn văn bản thay thế"),
        forms.ReplaceSentForm,
    ),
    SentSpec(
        ActionType.RECALL_SENT,
        "thu-hoi",
        gettext_lazy("Thu hồi văn bản đã gửi"),
        gettext_lazy("Nơi nhận điện tử được yêu cầu thu hồi; mỗi nơi trả lời đồng ý (15) hoặc từ chối (16)."),
        gettext_lazy("Thu hồi văn bản"),
        forms.RecallForm,
        True,
    ),
]
SENT_BY_SLUG = {s.slug: s for s in SENT_SPECS}


def _sent_form(spec: SentSpec, document: OfficialDocument, data=None):
    initial: dict[str, Any] = {"revision": document.revision}
    if spec.form is forms.UpdateSentForm:
        initial.update(summary=document.summary, urgency=document.urgency, due_on=document.due_on)
    return spec.form(data, initial=initial, prefix=spec.slug)


def _form_for(spec: Spec, document: OfficialDocument, data=None):
    kwargs: dict[str, Any] = {"initial": {"revision": document.revision}, "prefix": spec.slug}
    if spec.form is forms.ReviewersForm:
        kwargs["staff"] = selectors.staff_of(document.agency_id)
    if spec.form is forms.AssignForm:
        kwargs["staff"] = selectors.staff_of(document.agency_id)
        kwargs["departments"] = selectors.departments_of(document.agency)
    return spec.form(data, **kwargs)


def _render_document(request, document: OfficialDocument, *, failed=None, sent_failed=None, status=200):
    facts = rules.Facts(document, request.user)
    offered = rules.offer(request.user, facts)
    items = []
    for action, verdict in offered.items():
        spec = BY_ACTION.get(action)
        if spec is None:
            continue
        form = None
        if verdict.allowed:
            form = failed[1] if failed is not None and failed[0] == spec else _form_for(spec, document)
        items.append(
            {
                "spec": spec,
                "form": form,
                "reason": verdict.reason,
                "failed": failed is not None and failed[0] == spec,
            }
        )
    sent_items = []
    for spec in SENT_SPECS:
        verdict = offered.get(spec.action)
        if verdict is None:
            continue
        form = None
        if verdict.allowed:
            failed_here = sent_failed is not None and sent_failed[0] == spec
            form = sent_failed[1] if failed_here else _sent_form(spec, document)
        sent_items.append(
            {
                "spec": spec,
                "form": form,
                "url": reverse(f"backoffice:document_{spec.slug}", args=[document.pk]),
                "reason": verdict.reason,
                "failed": sent_failed is not None and sent_failed[0] == spec,
            }
        )
    answer = offered.get(ActionType.ANSWER)
    edit = rules.may(request.user, ActionType.EDIT, facts)
    failed_form = failed[1] if failed is not None else sent_failed[1] if sent_failed is not None else None
    return render(
        request,
        "backoffice/document.html",
        {
            "section": "documents_out" if document.is_outgoing else "documents_in",
            "document": document,
            "overdue": document.is_overdue(),
            "actions": items,
            "may_answer": answer is not None and answer.allowed,
            "may_edit": edit,
            "history": selectors.history(document),
            "files": document.files.all(),
            "recipients": document.recipients.all(),
            "reviews": document.reviews.select_related("reviewer"),
            "assignments": document.assignments.select_related("officer", "department"),
            "answered_by": document.answered_by.all(),
            "problems": problems_of(failed_form) if failed_form is not None else [],
            "sent_actions": sent_items,
            "amendments": document.amendments.select_related("replacement", "decided_by"),
            "replaced_by": document.replaced_by.all(),
            "remote_answers": selectors.remote_answers(document) if document.is_outgoing else [],
            "signature_request": _signature_request(document),
        },
        status=status,
    )


def _signature_request(document: OfficialDocument) -> dict | None:
    """The remote signature to tell about: the one waiting, or the last one that ended without a
    signature (refused, expired, failed) while the document is to be signed again, with why."""
    if not document.is_outgoing or document.status not in (Status.AWAITING_SIGNATURE, Status.APPROVED):
        return None
    request = selectors.last_signature_request(document)
    if request is None or request.state == RequestState.SIGNED:
        return None
    waiting = document.status == Status.AWAITING_SIGNATURE
    ended = None if waiting else document.actions.filter(type=ActionType.SIGNATURE_FAILED).last()
    if not waiting and ended is None:
        return None
    return {"request": request, "waiting": waiting, "reason": ended.note if ended is not None else ""}


@staff_required
@require_GET
def document_page(request, pk: int):
    return _render_document(request, _get(request, pk))


def _call(spec: Spec, document: OfficialDocument, user, form) -> None:
    data = form.cleaned_data
    revision = data.get("revision")
    note = data.get("note", "")
    action = spec.action
    if action == ActionType.SUBMIT_REVIEW:
        services.submit_for_review(
            document, actor=user, reviewers=list(data["reviewers"]), note=note, expected_revision=revision
        )
    elif action == ActionType.APPROVE_REVIEW:
        services.approve_review(document, actor=user, note=note, expected_revision=revision)
    elif action in (ActionType.RETURN_DRAFT, ActionType.REFUSE):
        service = services.return_draft if action == ActionType.RETURN_DRAFT else services.refuse
        service(document, actor=user, note=note, expected_revision=revision)
    elif action == ActionType.ASSIGN:
        services.assign(
            document,
            actor=user,
            officer=data.get("officer"),
            department=data.get("department"),
            due_on=data.get("due_on"),
            note=note,
            expected_revision=revision,
        )
    elif action == ActionType.CLOSE:
        services.close(document, actor=user, note=note, expected_revision=revision)
    elif action == ActionType.ACCEPT_AMENDMENT:
        services.accept_amendment(document, actor=user, note=note, expected_revision=revision)
    elif action == ActionType.REFUSE_AMENDMENT:
        services.refuse_amendment(document, actor=user, note=note, expected_revision=revision)
    else:
        {
            ActionType.SIGN: services.sign,
            ActionType.CHECK_SIGNATURE: services.check_signature,
            ActionType.ISSUE: services.issue,
            ActionType.SEND: services.send,
            ActionType.REGISTER: services.register_incoming,
            ActionType.START_PROCESSING: services.start_processing,
        }[action](document, actor=user, expected_revision=revision)


@staff_required
@require_POST
def sent_change(request, pk: int, change: str):
    """Recall, correct or replace a document sent electronically (edXML business type 1, 2, 3), with
    the reason; the rule table decides who may (its leader or clerk). A replacement starts as a draft:
    its page comes next."""
    document = _get(request, pk)
    spec = SENT_BY_SLUG.get(change)
    if spec is None:
        raise Http404
    if spec.action not in rules.offer(request.user, document, [spec.action]):
        raise PermissionDenied
    form = _sent_form(spec, document, request.POST)
    if not form.is_valid():
        return _render_document(request, document, sent_failed=(spec, form), status=400)
    data = form.cleaned_data
    target = document
    try:
        if spec.action == ActionType.RECALL_SENT:
            services.recall_sent(
                document, actor=request.user, reason=data["reason"], expected_revision=data.get("revision")
            )
        elif spec.action == ActionType.UPDATE_SENT:
            services.update_sent(
                document,
                actor=request.user,
                reason=data["reason"],
                correction=services.Correction(
                    summary=data["summary"], urgency=data["urgency"], due_on=data.get("due_on")
                ),
                expected_revision=data.get("revision"),
            )
        else:
            target = services.start_replacement(
                document, actor=request.user, reason=data["reason"], expected_revision=data.get("revision")
            )
    except DossierError as error:
        add_errors(form, error)
        return _render_document(request, document, sent_failed=(spec, form), status=error.status_code)
    messages.success(
        request,
        {
            ActionType.RECALL_SENT: _("Đã gửi yêu cầu thu hồi văn bản đến nơi nhận."),
            ActionType.UPDATE_SENT: _("Đã gửi thông tin cập nhật đến nơi nhận."),
            ActionType.REPLACE_SENT: _("Đã tạo dự thảo văn bản thay thế."),
        }[spec.action],
    )
    return redirect(_url(target))


@staff_required
@require_POST
def document_action(request, pk: int, action: str):
    document = _get(request, pk)
    spec = BY_SLUG.get(action)
    if spec is None:
        raise Http404
    form = _form_for(spec, document, request.POST)
    if not form.is_valid():
        return _render_document(request, document, failed=(spec, form), status=400)
    try:
        _call(spec, document, request.user, form)
    except DossierError as error:
        add_errors(form, error)
        return _render_document(request, document, failed=(spec, form), status=error.status_code)
    if document.status == Status.AWAITING_SIGNATURE:
        messages.info(
            request,
            _(
                "Yêu cầu ký đã được gửi đến ứng dụng ký số từ xa; hãy xác nhận trên ứng dụng. "
                "Văn bản được ký khi hệ thống nhận được xác nhận."
            ),
        )
    else:
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": spec.title})
    return redirect(_url(document))


@staff_required
@require_GET
def document_file(request, pk: int, file_id: int):
    document = _get(request, pk)
    row = document.files.filter(pk=file_id).first()
    if row is None:
        raise Http404
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=row.content_type)
    inline = row.content_type in ("application/pdf", "image/jpeg", "image/png")
    response["Content-Disposition"] = (
        "inline" if inline else "attachment"
    ) + f'; filename="document-{row.pk}{row.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# -- the draft form ---------------------------------------------------------------------------------------


def _draft(form, agencies=None) -> services.Draft:
    data = form.cleaned_data
    return services.Draft(
        document_type=data.get("document_type"),
        summary=data.get("summary", ""),
        body=data.get("body", ""),
        place=data.get("place", ""),
        urgency=data.get("urgency") or "normal",
        confidentiality=data.get("confidentiality") or "normal",
        signer_title=data.get("signer_title", ""),
        signer_name=data.get("signer_name", ""),
        unit_abbreviation=data.get("unit_abbreviation", ""),
        agencies=list(data.get("agencies") or []) if agencies is None else agencies,
        paper_recipients=form.paper_list(),
        due_on=data.get("due_on"),
    )


def _form_page(request, form, *, title, document=None, status=200, cancel=None):
    return render(
        request,
        "backoffice/document_form.html",
        {
            "section": "documents_out",
            "form": form,
            "title": title,
            "document": document,
            "problems": problems_of(form) if form.is_bound else [],
            "cancel": cancel or reverse("backoffice:documents_out"),
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def new_draft(request):
    agencies = _drafting_agencies(request.user)
    if not agencies:
        raise PermissionDenied
    title = _("Soạn thảo văn bản đi")
    if request.method == "GET":
        return _form_page(request, forms.DraftForm(agencies=agencies), title=title)
    form = forms.DraftForm(request.POST, request.FILES, agencies=agencies)
    if not form.is_valid():
        return _form_page(request, form, title=title, status=400)
    upload = form.cleaned_data.get("body_file")
    try:
        document = services.create_draft(
            actor=request.user,
            agency=form.cleaned_data["agency"],
            draft=_draft(form),
            body_file=upload,
            body_file_name=upload.name if upload else "",
        )
    except DossierError as error:
        add_errors(form, error)
        return _form_page(request, form, title=title, status=error.status_code)
    messages.success(request, _("Đã lưu dự thảo."))
    return redirect(_url(document))


def _initial(document: OfficialDocument) -> dict:
    recipients = list(document.recipients.all())
    return {
        "agency": document.agency_id,
        "document_type": document.document_type_id,
        "summary": document.summary,
        "body": document.body,
        "unit_abbreviation": document.unit_abbreviation,
        "place": document.place,
        "urgency": document.urgency,
        "confidentiality": document.confidentiality,
        "signer_title": document.signer_title,
        "signer_name": document.signer_name,
        "agencies": [r.agency_id for r in recipients if r.agency_id],
        "paper_recipients": "\n".join(r.name for r in recipients if not r.agency_id),
        "due_on": document.due_on,
        "revision": document.revision,
    }


@staff_required
@require_http_methods(["GET", "POST"])
def edit_draft(request, pk: int):
    document = _get(request, pk)
    if not rules.may(request.user, ActionType.EDIT, document):
        raise PermissionDenied
    agencies = [document.agency]
    title = _("Sửa dự thảo")
    cancel = _url(document)
    if request.method == "GET":
        form = forms.DraftForm(initial=_initial(document), agencies=agencies)
        return _form_page(request, form, title=title, document=document, cancel=cancel)
    form = forms.DraftForm(request.POST, request.FILES, agencies=agencies)
    if not form.is_valid():
        return _form_page(request, form, title=title, document=document, status=400, cancel=cancel)
    upload = form.cleaned_data.get("body_file")
    try:
        services.update_draft(
            document,
            actor=request.user,
            draft=_draft(form),
            body_file=upload,
            body_file_name=upload.name if upload else "",
            expected_revision=form.cleaned_data.get("revision"),
        )
    except DossierError as error:
        add_errors(form, error)
        return _form_page(
            request, form, title=title, document=document, status=error.status_code, cancel=cancel
        )
    messages.success(request, _("Đã lưu dự thảo."))
    return redirect(cancel)


@staff_required
@require_http_methods(["GET", "POST"])
def answer(request, pk: int):
    document = _get(request, pk)
    if not rules.may(request.user, ActionType.ANSWER, document):
        raise PermissionDenied
    title = _("Trả lời văn bản %(notation)s") % {
        "notation": document.sender_notation or document.summary[:40]
    }
    cancel = _url(document)
    if request.method == "GET":
        initial = {
            "document_type": selectors_type("cong-van"),
            "summary": _("Trả lời %(summary)s") % {"summary": document.summary[:400]},
            "revision": document.revision,
        }
        form = forms.AnswerForm(initial=initial, agencies=[document.agency])
        return _form_page(request, form, title=title, document=document, cancel=cancel)
    form = forms.AnswerForm(request.POST, request.FILES, agencies=[document.agency])
    if not form.is_valid():
        return _form_page(request, form, title=title, document=document, status=400, cancel=cancel)
    upload = form.cleaned_data.get("body_file")
    try:
        reply = services.answer(
            document,
            actor=request.user,
            draft=_draft(form),
            body_file=upload,
            body_file_name=upload.name if upload else "",
            expected_revision=form.cleaned_data.get("revision"),
        )
    except DossierError as error:
        add_errors(form, error)
        return _form_page(
            request, form, title=title, document=document, status=error.status_code, cancel=cancel
        )
    messages.success(request, _("Đã tạo dự thảo văn bản trả lời."))
    return redirect(_url(reply))


def selectors_type(code: str) -> int | None:
    from motcua.documents.models import DocumentType

    return DocumentType.objects.filter(code=code).values_list("pk", flat=True).first()


# -- paper registration -----------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def register_paper(request):
    agencies = _receiving_agencies(request.user)
    if not agencies:
        raise PermissionDenied
    title = _("Vào sổ văn bản đến bản giấy")

    def page(form, status=200):
        return render(
            request,
            "backoffice/document_form.html",
            {
                "section": "documents_in",
                "form": form,
                "title": title,
                "problems": problems_of(form) if form.is_bound else [],
                "cancel": reverse("backoffice:documents_in"),
            },
            status=status,
        )

    if request.method == "GET":
        return page(forms.PaperForm(agencies=agencies))
    form = forms.PaperForm(request.POST, request.FILES, agencies=agencies)
    if not form.is_valid():
        return page(form, 400)
    data = form.cleaned_data
    scan = data["scan"]
    try:
        document = services.register_paper(
            actor=request.user,
            agency=data["agency"],
            incoming=services.Incoming(
                document_type=data["document_type"],
                summary=data["summary"],
                sender_name=data["sender_name"],
                sender_notation=data.get("sender_notation", ""),
                sender_date=data.get("sender_date"),
                signer_name=data.get("signer_name", ""),
                urgency=data.get("urgency") or "normal",
                confidentiality=data.get("confidentiality") or "normal",
                due_on=data.get("due_on"),
            ),
            scan=scan,
            scan_name=scan.name,
        )
    except DossierError as error:
        add_errors(form, error)
        return page(form, error.status_code)
    messages.success(request, _("Đã vào sổ văn bản đến số %(n)s.") % {"n": f"{document.number:02d}"})
    return redirect(_url(document))
