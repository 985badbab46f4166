"""The dossier API: applicants apply and follow their dossiers, officers work their inbox.

Every rule lives in motcua.dossiers.services and selectors; these endpoints only translate JSON
and multipart requests into those calls and their results (and errors) back into JSON.
Someone else's dossier is a 404, never a 403, so that codes and ids cannot be probed.
"""

import base64
import binascii
import datetime
import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, NinjaAPI, Path, Query, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from motcua.accounts import access_log
from motcua.accounts.constants import AccountKind, ClientScope
from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.agencies.selectors import agency_by_code
from motcua.api.auth import BearerToken, client_of
from motcua.api.dossier_schemas import (
    ApologyIn,
    AttachmentOut,
    ConsultIn,
    DossierCreate,
    DossierDetail,
    DossierFilters,
    DossierPage,
    DossierSaved,
    DossierUpdate,
    ForwardIn,
    NoteIn,
    PaymentIn,
    PaymentRequestIn,
    PublicStatusOut,
    ReasonsIn,
    RecordId,
    ReplyIn,
    ResubmitIn,
    ReturnIn,
    Revision,
    SubmitIn,
    SupplementIn,
    WithdrawIn,
)
from motcua.api.idempotency import OPENAPI_PARAMETER
from motcua.api.schemas import ErrorOut, Message
from motcua.catalog.models import RequiredDocument
from motcua.catalog.selectors import current_version
from motcua.core import audit, ratelimit
from motcua.core.http import client_address
from motcua.dossiers import delivery, rules, selectors, services
from motcua.dossiers.constants import NATIONAL_STATUS, ActionType, ResultDelivery
from motcua.dossiers.constants import Status as DossierStatus
from motcua.dossiers.downloads import attachment_response
from motcua.dossiers.errors import DossierError, InvalidInput, NotAllowed
from motcua.dossiers.models import Attachment, Dossier
from motcua.integrations import selectors as integration_selectors
from motcua.payments import services as payments

router = Router(auth=BearerToken(), tags=["dossiers"])

_mounted: list[NinjaAPI] = []  # the API install() mounted the router on, for create_response
# The creating operations accept an Idempotency-Key (motcua.api.idempotency).
IDEMPOTENT = {"parameters": [OPENAPI_PARAMETER]}
# What every endpoint that reaches a dossier may answer besides success.
ERRORS: dict[int, Any] = {401: Message, 403: ErrorOut, 404: Message, 409: ErrorOut, 422: ErrorOut}
# Operations open to API clients name their scope (motcua.api.auth); the others are for people only.
READ = BearerToken(ClientScope.DOSSIERS_READ)
ACT = BearerToken(ClientScope.DOSSIERS_ACT)


def install(api: NinjaAPI) -> None:
    """Mount the router on ``api`` and turn service errors into JSON with their status code."""
    api.add_router("/dossiers", router)
    _mounted.append(api)

    def dossier_error(request: HttpRequest, exc: DossierError):
        return api.create_response(
            request, {"detail": exc.message, "errors": exc.errors}, status=exc.status_code
        )

    api.add_exception_handler(DossierError, dossier_error)


# ---------------------------------------------------------------------------------------------
# Translation helpers


def load_dossier(request: HttpRequest, ref: str, *, purpose: str = "") -> Dossier:
    """The dossier by code, or by public id (the only reference a draft has), if the caller may see it:
    a person as motcua.dossiers.selectors says, an API client the dossiers of its agencies. With a
    ``purpose``, a refusal (404) to an officer or a client is written to the access log."""
    client = client_of(request)
    try:
        try:
            lookup: dict[str, Any] = {"public_id": uuid.UUID(ref)}
        except ValueError:
            lookup = {"code": ref.strip().upper()}
        if client is not None:
            return selectors.get_visible_to_client(client, **lookup)
        return selectors.get_visible(request.auth, **lookup)
    except Http404:
        if purpose:
            access_log.record_read(
                request, purpose=purpose, codes=[ref[:60]], allowed=False, reason="not visible / not found"
            )
        raise


def _dossier(request: HttpRequest, ref: str) -> Dossier:
    return load_dossier(request, ref)


def _actor(request: HttpRequest, dossier: Dossier) -> User:
    """Who acts: the person calling, or for an API client with dossiers.act on a dossier of its agencies,
    its responsible officer (whose roles the rule table then asks, as for anyone)."""
    client = client_of(request)
    if client is None:
        return request.auth
    if client.acting_user is None or not client.acting_user.is_active:
        raise NotAllowed(_("Ứng dụng kết nối chưa có cán bộ chịu trách nhiệm nên không thể xử lý hồ sơ."))
    if not rules.client_acts_on_dossier.test(client, dossier):
        raise NotAllowed(_("Ông/bà không có quyền thực hiện việc này đối với hồ sơ này."))
    return client.acting_user


def _on_behalf(view: Callable) -> Callable:
    """An officer's action called by an API client leaves the client's id in every audit entry."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        client = client_of(request)
        if client is None:
            return view(request, *args, **kwargs)
        with audit.on_behalf_of(client=client.client_id):
            return view(request, *args, **kwargs)

    return wrapper


def _agency(agency: Agency | None) -> dict | None:
    return {"code": agency.code, "name": agency.name} if agency is not None else None


def _status(value: int) -> dict:
    status = DossierStatus(value)
    return {"code": status.value, "national": NATIONAL_STATUS[status], "label": str(status.label)}


def _delivery(dossier: Dossier) -> dict:
    choice = ResultDelivery(dossier.result_delivery)
    return {
        "code": choice.value,
        "label": str(choice.label),
        "address": dossier.delivery_address,
        "tracking_number": dossier.postal_tracking_number,
        "national": delivery.national_fields(dossier),
    }


def _summary(dossier: Dossier) -> dict:
    version = dossier.procedure_version
    return {
        "id": dossier.public_id,
        "code": dossier.code,
        "status": _status(dossier.status),
        "procedure": {"code": version.procedure.code, "name": version.name, "version": version.number},
        "receiving_agency": _agency(dossier.receiving_agency),
        "holder_agency": _agency(dossier.holder_agency),
        "channel": dossier.channel,
        "result_delivery": _delivery(dossier),
        "applicant_name": dossier.applicant_name,
        "subject": {
            "name": dossier.subject_name,
            "identity": dossier.subject_identity,
            "relation": dossier.subject_relation,
        },
        "form": dossier.form_data,
        "created_at": dossier.created_at,
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "finished_at": dossier.finished_at,
        "returned_at": dossier.returned_at,
        "fee_due": dossier.fee_due,
        "revision": dossier.revision,
        "overdue": dossier.is_overdue(),
    }


def _audience(request: HttpRequest) -> str:
    if client_of(request) is not None:
        return "staff"
    user = request.auth
    return "staff" if getattr(user, "kind", "") == "staff" else "applicant"


def _allowed(request: HttpRequest, dossier: Dossier) -> list[str]:
    client = client_of(request)
    if client is not None:
        return [action.value for action in rules.client_allowed(client, dossier)]
    return [action.value for action in rules.allowed(request.auth, dossier)]


def _detail(request: HttpRequest, dossier: Dossier) -> dict:
    audience = _audience(request)
    timeline = [
        {
            "at": action.at,
            "type": action.type,
            "label": str(ActionType(action.type).label),
            "status_before": action.status_before,
            "status_after": action.status_after,
            "actor": (action.actor.full_name or action.actor.username) if action.actor else None,
            "agency": _agency(action.agency),
            "step": action.step.name if action.step else None,
            "note": action.note,
            "files": [a.pk for a in action.attachments.all()],
        }
        for action in selectors.timeline(dossier, audience=audience)
    ]
    attachments = dossier.attachments.filter(superseded=False).order_by("uploaded_at", "id")
    if audience == "applicant":
        attachments = attachments.filter(kind__in=selectors.APPLICANT_FILES)
    steps = dossier.steps.select_related("agency").order_by("order", "id")
    return {
        **_summary(dossier),
        "timeline": timeline,
        "attachments": [_attachment(a) for a in attachments],
        "steps": [
            {
                "id": s.pk,
                "order": s.order,
                "kind": s.kind,
                "name": s.name,
                "agency": _agency(s.agency),
                "role": s.role,
                "due_at": s.due_at,
                "completed_at": s.completed_at,
            }
            for s in steps
        ],
        "missing_documents": [{"id": d.pk, "name": d.name} for d in services.missing_documents(dossier)],
        "allowed_actions": _allowed(request, dossier),
        "national_sync": integration_selectors.state_of(dossier),
    }


def _fresh_detail(request: HttpRequest, dossier: Dossier) -> dict:
    """The detail of a dossier just submitted in one go, from memory: one action, no file, no step."""
    return {
        **_summary(dossier),
        "timeline": [
            {
                "at": dossier.submitted_at,
                "type": ActionType.SUBMIT.value,
                "label": str(ActionType.SUBMIT.label),
                "status_before": 0,
                "status_after": dossier.status,
                "actor": None,
                "agency": _agency(dossier.receiving_agency),
                "step": None,
                "note": "",
                "files": [],
            }
        ],
        "attachments": [],
        "steps": [],
        "missing_documents": [],
        "allowed_actions": _allowed(request, dossier),
        "national_sync": integration_selectors.state_of_new(),
    }


def _attachment(attachment: Attachment) -> dict:
    return {
        "id": attachment.pk,
        "kind": attachment.kind,
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "document": attachment.document_id,
        "notice_form": attachment.notice_form,
        "uploaded_at": attachment.uploaded_at,
    }


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, errors={field: [message]})


def _checked_file(call: Callable[[], Any]) -> Any:
    """Run ``call``; an upload refused by motcua.dossiers.uploads becomes a 422 on ``file``."""
    try:
        return call()
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], errors={"file": exc.messages}) from None


def _agency_by_code(code: str, field: str) -> Agency:
    agency = agency_by_code(code)
    if agency is None:
        raise _invalid(field, _("Không có đơn vị mã %(code)s.") % {"code": code})
    return agency


def _officer(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, kind=AccountKind.STAFF, is_active=True).first()
    if user is None:
        raise _invalid("to_user", _("Không có cán bộ %(username)s.") % {"username": username})
    return user


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _encode_cursor(raw: str | None) -> str | None:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=") if raw else None


def _decode_cursor(cursor: str | None) -> tuple[str, datetime.datetime | None, int] | None:
    """(raw cursor, its moment, its id); a 422 for a cursor this API did not hand out."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, _sep, pk = raw.rpartition("_")
        return raw, None if moment == "none" else datetime.datetime.fromisoformat(moment), int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise _invalid("after", _("Con trỏ trang không hợp lệ.")) from None


# ---------------------------------------------------------------------------------------------
# Public lookup (declared before /{ref} so that its path is never read as a dossier reference)


@router.get("/lookup/{code}", auth=None, response={200: PublicStatusOut, 404: Message, 429: ErrorOut})
def lookup(request: HttpRequest, code: str):
    """Anyone holding a dossier code (printed on the receipt) sees its procedure, status and due date.
    Limited per client address (MOTCUA_LOOKUP_RATE, shared with the lookup page): then 429."""
    wait = ratelimit.hit("lookup", client_address(request) or "-", ratelimit.rate_of("MOTCUA_LOOKUP_RATE"))
    if wait:
        message = ratelimit.too_many_requests_message(wait)
        response = _mounted[0].create_response(request, {"detail": message, "errors": {}}, status=429)
        response["Retry-After"] = str(wait)
        return response
    found = selectors.public_lookup(code)
    if found is None:
        return Status(404, {"detail": _("Không có hồ sơ mã %(code)s.") % {"code": code}})
    return {
        "code": found.code,
        "procedure": found.procedure,
        "status": _status(found.status),
        "due_at": found.due_at,
        "result_delivery": {
            "code": found.result_delivery,
            "label": str(ResultDelivery(found.result_delivery).label),
            "tracking_number": found.postal_tracking_number,
        },
    }


# ---------------------------------------------------------------------------------------------
# Lists and the applicant's side


@router.get("", response={200: DossierPage, 401: Message, 422: ErrorOut}, auth=READ)
def list_dossiers(request: HttpRequest, filters: Query[DossierFilters]):
    """An applicant's own dossiers, newest first; an officer's inbox, soonest deadline first; an API
    client's (scope ``dossiers.read``) the dossiers of its agencies, newest first. Officers' and
    clients' lists are written to the access log."""
    answer = _list(request, filters)
    if access_log.is_logged(request):
        access_log.record_read(
            request, purpose="api:list_dossiers", object_type="dossier_list", dossiers=answer.pop("_rows")
        )
    answer.pop("_rows", None)
    return answer


def _list(request: HttpRequest, filters: DossierFilters) -> dict:
    user = request.auth
    size = filters.size
    after = _decode_cursor(filters.after)
    if client_of(request) is None and user.kind == AccountKind.STAFF:
        page = selectors.inbox(
            user,
            selectors.InboxFilters(
                status=filters.status,
                procedure=filters.procedure,
                agency=filters.agency,
                overdue=filters.overdue,
                due_soon=filters.due_soon,
                mine=filters.mine,
            ),
            after=after[0] if after else None,
            size=size,
        )
        return {
            "results": [_summary(d) for d in page.rows],
            "next": _encode_cursor(page.next_cursor),
            "_rows": page.rows,
        }
    client = client_of(request)
    dossiers = selectors.for_client(client) if client is not None else selectors.for_applicant(user)
    if client is not None and filters.agency:
        dossiers = dossiers.filter(
            Q(receiving_agency__code=filters.agency) | Q(holder_agency__code=filters.agency)
        )
    if filters.status is not None:
        dossiers = dossiers.filter(status=filters.status)
    if filters.procedure:
        dossiers = dossiers.filter(procedure_version__procedure__code=filters.procedure)
    if after:
        _raw, created, pk = after
        if created is None:
            raise _invalid("after", _("Con trỏ trang không hợp lệ."))
        dossiers = dossiers.filter(created_at__lte=created).exclude(created_at=created, pk__gte=pk)
    rows = list(dossiers[: size + 1])
    cursor = f"{rows[size - 1].created_at.isoformat()}_{rows[size - 1].pk}" if len(rows) > size else None
    rows = rows[:size]
    return {"results": [_summary(d) for d in rows], "next": _encode_cursor(cursor), "_rows": rows}


@router.post("", response={201: DossierSaved, **ERRORS}, openapi_extra=IDEMPOTENT)
def create_dossier(request: HttpRequest, body: DossierCreate):
    """Start a draft with what was typed (kept even with errors), and submit it if asked and complete."""
    user = request.auth
    version = current_version(body.procedure)
    if version is None:
        message = _("Không có thủ tục mã %(code)s.") % {"code": body.procedure}
        raise HttpError(404, message)
    agency = _agency_by_code(body.receiving_agency, "receiving_agency") if body.receiving_agency else None
    subject = body.subject.model_dump() if body.subject else None
    if body.submit:
        # Complete at once (nothing to upload): one transaction, no draft.
        try:
            dossier = services.submit_new(
                version=version,
                applicant=user,
                form_data=body.form,
                declaration=body.declaration,
                receiving_agency=agency,
                subject=subject,
                result_delivery=body.result_delivery,
                delivery_address=body.delivery_address,
            )
        except InvalidInput:
            pass  # incomplete: keep it as a draft below, with its errors
        else:
            # The hottest answer of the API, rendered as built: no second pass of pydantic over it
            # (DossierSaved). test_dossiers_api checks that it is the JSON the validated path would give.
            answer = {**_fresh_detail(request, dossier), "errors": {}}
            return _mounted[0].create_response(request, answer, status=201)
    with transaction.atomic():  # a draft that fails half-way leaves nothing behind
        dossier = services.start_dossier(
            version=version,
            applicant=user,
            receiving_agency=agency,
            subject=subject,
        )
        errors = services.save_draft(
            dossier,
            actor=user,
            form_data=body.form,
            result_delivery=body.result_delivery,
            delivery_address=body.delivery_address or None,
        )
        if body.submit:
            try:
                with transaction.atomic():
                    services.submit(dossier, actor=user, declaration=body.declaration)
            except InvalidInput as exc:
                errors = {**errors, **exc.errors}
    return Status(201, {**_detail(request, dossier), "errors": errors})


@router.get("/{ref}", response={200: DossierDetail, **ERRORS}, auth=READ)
def get_dossier(request: HttpRequest, ref: str):
    """One dossier with its history, files and steps; ``ref`` is its code or its id. API clients: scope
    ``dossiers.read``, a dossier of their agencies. Officers' and clients' reads are logged."""
    dossier = load_dossier(request, ref, purpose="api:get_dossier")
    answer = _detail(request, dossier)
    access_log.record_read(request, purpose="api:get_dossier", dossiers=[dossier])
    return answer


@router.delete("/{ref}", response={204: None, **ERRORS})
def delete_draft(request: HttpRequest, ref: str):
    """Delete a draft (only a draft: a submitted dossier is withdrawn instead)."""
    services.delete_draft(_dossier(request, ref), actor=request.auth)
    return Status(204, None)


@router.patch("/{ref}", response={200: DossierSaved, **ERRORS})
def update_dossier(request: HttpRequest, ref: str, body: DossierUpdate):
    """Change the form (only the fields sent) or the subject of a draft or of a dossier to supplement."""
    dossier = _dossier(request, ref)
    form = {**dossier.form_data, **body.form} if body.form is not None else dossier.form_data
    errors = services.save_draft(
        dossier,
        actor=request.auth,
        form_data=form,
        subject=body.subject.model_dump() if body.subject else None,
        result_delivery=body.result_delivery,
        delivery_address=body.delivery_address,
    )
    return {**_detail(request, dossier), "errors": errors}


@router.post("/{ref}/files", response={201: AttachmentOut, **ERRORS}, openapi_extra=IDEMPOTENT)
def upload_file(
    request: HttpRequest,
    ref: str,
    file: File[UploadedFile],
    document: Form[RecordId | None] = None,
):
    """Attach a PDF, JPG or PNG, for one of the procedure's documents (``document`` id) or as extra."""
    dossier = _dossier(request, ref)
    required = None
    if document is not None:
        required = RequiredDocument.objects.filter(pk=document).first()
        if required is None:
            raise _invalid("document", _("Thành phần hồ sơ không tồn tại."))
    attachment = _checked_file(
        lambda: services.add_document(
            dossier, actor=request.auth, upload=file, name=file.name or "tep", document=required
        )
    )
    return Status(201, _attachment(attachment))


@router.get("/{ref}/files/{attachment_id}", response={200: None, **ERRORS}, auth=READ)
def download_file(request: HttpRequest, ref: str, attachment_id: Path[RecordId]):
    """The file itself, to whoever may see the dossier (API clients: scope ``dossiers.read``)."""
    dossier = load_dossier(request, ref, purpose="api:download_file")
    attachment = dossier.attachments.filter(pk=attachment_id).first()
    client = client_of(request)
    if client is not None:
        may = attachment is not None and rules.client_reads_dossier.test(client, dossier)
    else:
        may = attachment is not None and selectors.can_download(request.auth, attachment)
    if not may:
        raise Http404
    access_log.record_read(
        request, purpose=f"api:download_file:{attachment_id}", object_type="attachment", dossiers=[dossier]
    )
    return attachment_response(attachment, inline=False)


@router.post("/{ref}/submit", response={200: DossierDetail, **ERRORS})
def submit(request: HttpRequest, ref: str, body: SubmitIn):
    """Submit a complete draft, confirming the declaration (lời cam đoan)."""
    dossier = _dossier(request, ref)
    services.submit(
        dossier, actor=request.auth, declaration=body.declaration, expected_revision=body.revision
    )
    return _detail(request, dossier)


@router.post("/{ref}/resubmit", response={200: DossierDetail, **ERRORS})
def resubmit(request: HttpRequest, ref: str, body: ResubmitIn):
    """Send back a dossier completed as requested (bổ sung hồ sơ)."""
    dossier = _dossier(request, ref)
    services.resubmit(dossier, actor=request.auth, note=body.note, expected_revision=body.revision)
    return _detail(request, dossier)


@router.post("/{ref}/withdraw", response={200: DossierDetail, **ERRORS})
def withdraw(request: HttpRequest, ref: str, body: WithdrawIn):
    """Withdraw the dossier (rút hồ sơ) before its result is ready."""
    dossier = _dossier(request, ref)
    services.withdraw(dossier, actor=request.auth, reason=body.reason, expected_revision=body.revision)
    return _detail(request, dossier)


# ---------------------------------------------------------------------------------------------
# Officers' actions: POST /{ref}/actions/{action}


@router.post(
    "/{ref}/actions/receive", response={200: DossierDetail, **ERRORS}, tags=["dossier actions"], auth=ACT
)
@_on_behalf
def receive(request: HttpRequest, ref: str, body: NoteIn):
    """Receive (tiếp nhận): the dossier gets its code, due date and receipt (form 01)."""
    dossier = _dossier(request, ref)
    services.receive(dossier, actor=_actor(request, dossier), note=body.note, expected_revision=body.revision)
    return _detail(request, dossier)


@router.post(
    "/{ref}/actions/request_supplement",
    response={200: DossierDetail, **ERRORS},
    tags=["dossier actions"],
    auth=ACT,
)
@_on_behalf
def request_supplement(request: HttpRequest, ref: str, body: SupplementIn):
    """Ask for everything missing at once (form 02); the clock stops if the dossier was received."""
    dossier = _dossier(request, ref)
    services.request_supplement(
        dossier,
        actor=_actor(request, dossier),
        items=body.items,
        note=body.note,
        expected_revision=body.revision,
    )
    return _detail(request, dossier)


@router.post(
    "/{ref}/actions/refuse", response={200: DossierDetail, **ERRORS}, tags=["dossier actions"], auth=ACT
)
@_on_behalf
def refuse(request: HttpRequest, ref: str, body: ReasonsIn):
    """Refuse at reception (form 03)."""
    dossier = _dossier(request, ref)
    services.refuse(
        dossier, actor=_actor(request, dossier), reasons=body.reasons, expected_revision=body.revision
    )
    return _detail(request, dossier)


@router.post(
    "/{ref}/actions/forward", response={200: DossierDetail, **ERRORS}, tags=["dossier actions"], auth=ACT
)
@_on_behalf
def forward(request: HttpRequest, ref: str, body: ForwardIn):
    """Finish the current step and pass the dossier on, to the next unit or to a named officer."""
    dossier = _dossier(request, ref)
    services.forward(
        dossier,
        actor=_actor(request, dossier),
        to_user=_officer(body.to_user),
        note=body.note,
        expected_revision=body.revision,
    )
    return _detail(request, dossier)


@router.post(
    "/{ref}/actions/send_back", response={200: DossierDetail, **ERRORS}, tags=["dossier actions"], auth=ACT
)
@_on_behalf
def send_back(request: HttpRequest, ref: str, body: NoteIn):
    """Return the dossier to the previous step, saying why."""
    dossier = _dossier(request, ref)
    services.send_back(
        dossier, actor=_actor(request, dossier), note=body.note, expected_revision=body.revision
    )
    return _detail(request, dossier)


@router.post(
    "/{ref}/actions/consult", response={200: DossierDetail, **ERRORS}, tags=["dossier actions"], auth=ACT
)
@_on_behalf
def consult(request: HttpRequest, ref: str, body: ConsultIn):
    """Ask another unit's opinion (xin ý kiến) within ``days`` working days."""
    dossier = _dossier(request, ref)
    services.consult(
        dossier,
        actor=_actor(request, dossier),
        agency=_agency_by_code(body.agency, "agency"),
        question=body.question,
        days=body.days,
        expected_revision=body.revision,
    )
    return _detail(request, dossier)


@router.post(
    "/{ref}/actions/request_payment",
    response={200: DossierDetail, **ERRORS},
    tags=["dossier actions"],
    auth=ACT,
)
@_on_behalf
def request_payment(request: HttpRequest, ref: str, body: PaymentRequestIn):
    """Ask the applicant to pay the fees (status 6)."""
    dossier = _dossier(request, ref)
    services.request_payment(
        dossier,
        actor=_actor(request, dossier),
        amount=body.amount,
        note=body.note,
        expected_revision=body.revision,
    )
    return _detail(request, dossier)


@router.post(
    "/{ref}/actions/record_payment",
    response={200: DossierDetail, **ERRORS},
    tags=["dossier actions"],
    auth=ACT,
)
@_on_behalf
def record_payment(request: HttpRequest, ref: str, body: PaymentIn):
    """Record a payment (cash, bank transfer) with its ledger line and receipt; processing continues."""
    dossier = _dossier(request, ref)
    payments.record_counter_payment(
        dossier,
        actor=_actor(request, dossier),
        amount=body.amount,
        method=body.method,
        reference=body.reference,
        expected_revision=body.revision,
    )
    return _detail(request, dossier)


@router.post(
    "/{ref}/actions/approve", response={200: DossierDetail, **ERRORS}, tags=["dossier actions"], auth=ACT
)
@_on_behalf
def approve(request: HttpRequest, ref: str, body: ForwardIn):
    """A leader approves (phê duyệt); the dossier moves on if a step follows."""
    dossier = _dossier(request, ref)
    services.approve(
        dossier,
        actor=_actor(request, dossier),
        note=body.note,
        to_user=_officer(body.to_user),
        expected_revision=body.revision,
    )
    return _detail(request, dossier)


@router.post(
    "/{ref}/actions/attach_result",
    response={200: DossierDetail, **ERRORS},
    tags=["dossier actions"],
    auth=ACT,
)
@_on_behalf
def attach_result(
    request: HttpRequest,
    ref: str,
    revision: Form[Revision],
    file: File[UploadedFile | None] = None,
):
    """Attach the result: the uploaded PDF, or one generated from the procedure.

    A multipart form (``file``, ``revision``), or an empty body to generate the result."""
    dossier = _dossier(request, ref)
    _checked_file(
        lambda: services.attach_result(
            dossier,
            actor=_actor(request, dossier),
            upload=file,
            name=file.name if file is not None else "",
            expected_revision=revision,
        )
    )
    return _detail(request, dossier)


@router.post(
    "/{ref}/actions/mark_ready", response={200: DossierDetail, **ERRORS}, tags=["dossier actions"], auth=ACT
)
@_on_behalf
def mark_ready(request: HttpRequest, ref: str, body: NoteIn):
    """The result is ready (status 9) and goes back to the one-stop unit."""
    dossier = _dossier(request, ref)
    services.mark_ready(
        dossier, actor=_actor(request, dossier), note=body.note, expected_revision=body.revision
    )
    return _detail(request, dossier)


@router.post(
    "/{ref}/actions/return_result",
    response={200: DossierDetail, **ERRORS},
    tags=["dossier actions"],
    auth=ACT,
)
@_on_behalf
def return_result(request: HttpRequest, ref: str, body: ReturnIn):
    """Hand the result to the applicant (status 10) the way they chose (`result_delivery`): by post,
    with the parcel's `tracking_number` (422 on `tracking_number` without it)."""
    dossier = _dossier(request, ref)
    services.return_result(
        dossier,
        actor=_actor(request, dossier),
        note=body.note,
        tracking_number=body.tracking_number,
        expected_revision=body.revision,
    )
    return _detail(request, dossier)


@router.post(
    "/{ref}/actions/stop", response={200: DossierDetail, **ERRORS}, tags=["dossier actions"], auth=ACT
)
@_on_behalf
def stop(request: HttpRequest, ref: str, body: ReasonsIn):
    """Stop processing (form 05) while no result has been issued."""
    dossier = _dossier(request, ref)
    services.stop(
        dossier, actor=_actor(request, dossier), reasons=body.reasons, expected_revision=body.revision
    )
    return _detail(request, dossier)


@router.post(
    "/{ref}/actions/apologize", response={200: DossierDetail, **ERRORS}, tags=["dossier actions"], auth=ACT
)
@_on_behalf
def apologize(request: HttpRequest, ref: str, body: ApologyIn):
    """Apologise for an overdue dossier with a new appointment (form 04), once."""
    dossier = _dossier(request, ref)
    services.apologize(
        dossier,
        actor=_actor(request, dossier),
        reasons=body.reasons,
        new_due_at=_aware(body.new_due_at),
        expected_revision=body.revision,
    )
    return _detail(request, dossier)


@router.post(
    "/{ref}/actions/reply_consultation",
    response={200: DossierDetail, **ERRORS},
    tags=["dossier actions"],
    auth=ACT,
)
@_on_behalf
def reply_consultation(request: HttpRequest, ref: str, body: ReplyIn):
    """Answer a consultation (xin ý kiến) addressed to one of the officer's units."""
    dossier = _dossier(request, ref)
    step = dossier.steps.filter(pk=body.consultation).first()
    if step is None:
        raise _invalid("consultation", _("Không tìm thấy yêu cầu xin ý kiến."))
    services.reply_consultation(
        step, actor=_actor(request, dossier), answer=body.answer, expected_revision=body.revision
    )
    return _detail(request, dossier)


@router.post("/{ref}/actions/{action}", response={404: Message}, include_in_schema=False)
def unknown_action(request: HttpRequest, ref: str, action: str):
    """Declared after every action above: only names that match none of them arrive here."""
    return Status(404, {"detail": _("Không có thao tác “%(action)s”.") % {"action": action}})
