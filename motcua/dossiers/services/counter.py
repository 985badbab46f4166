"""Counter intake: the one-stop officer enters a walk-in applicant's dossier and scans the papers."""

from collections.abc import Sequence
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.constants import Role
from motcua.accounts.models import User
from motcua.accounts.validators import validate_citizen_id
from motcua.agencies.models import Agency
from motcua.catalog import fees
from motcua.catalog.models import ProcedureVersion, RequiredDocument
from motcua.catalog.selectors import version_parts
from motcua.core import clock
from motcua.dossiers import codes, delivery
from motcua.dossiers.constants import ActionType, AttachmentKind, Channel, Status
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.form_data import clean_form
from motcua.dossiers.models import Action, Dossier
from motcua.dossiers.services.applicant import receiving_agencies
from motcua.dossiers.services.base import record, store_upload
from motcua.dossiers.services.reception import receive
from motcua.dossiers.uploads import check_dossier_room, check_upload


def intake_at_counter(
    *,
    actor: User,
    agency: Agency,
    version: ProcedureVersion,
    applicant: dict[str, str],
    form_data: dict[str, Any],
    scans: Sequence[tuple[RequiredDocument | None, str, IO[bytes]]],
    note: str = "",
    result_delivery: str = "",
    delivery_address: str = "",
) -> Dossier:
    """Create, submit and receive a dossier brought to the counter, in one go.

    ``result_delivery``: in person (the default) or by post with ``delivery_address``; a walk-in
    applicant has no account to receive the result online (motcua.dossiers.delivery)."""
    if not (actor.is_authenticated and actor.memberships.filter(agency=agency, role=Role.RECEPTION).exists()):
        raise NotAllowed(_("Ông/bà không có quyền tiếp nhận hồ sơ tại đơn vị này."))
    if agency not in receiving_agencies(version):
        raise InvalidInput(
            _("Đơn vị không tiếp nhận thủ tục này."),
            errors={"agency": [_("Đơn vị không tiếp nhận thủ tục này.")]},
        )
    # Every problem is reported at once, each under its field (a scan under "doc-<id>").
    name = (applicant.get("name") or "").strip()
    identity = (applicant.get("identity") or "").strip()
    cleaned, errors = clean_form(version, form_data, partial=False)
    choice = delivery.clean(version, has_account=False, delivery=result_delivery, address=delivery_address)
    errors.update(choice.errors)
    if not name:
        errors["applicant_name"] = [_("Nhập họ tên người nộp.")]
    if identity:
        try:
            validate_citizen_id(identity)
        except ValidationError as exc:
            errors["applicant_identity"] = exc.messages
    checked = []
    for document, file_name, upload in scans:
        try:
            checked.append((document, check_upload(upload, file_name), upload))
        except InvalidInput as exc:
            errors[f"doc-{document.pk if document else 'other'}"] = [exc.message]
    try:
        check_dossier_room(0, 0, [info.size for _document, info, _upload in checked])
    except InvalidInput as exc:
        errors["scans"] = [exc.message]
    scanned = {document.pk for document, _info, _upload in checked if document is not None}
    for document in version_parts(version).documents:
        if document.required and document.pk not in scanned and f"doc-{document.pk}" not in errors:
            errors[f"doc-{document.pk}"] = [_("Thiếu: %(name)s.") % {"name": document.name}]
    if errors:
        raise InvalidInput(_("Hồ sơ chưa đầy đủ hoặc chưa đúng."), errors=errors)
    with transaction.atomic():
        now = clock.now()
        dossier = Dossier.objects.create(
            code=codes.next_code(agency, timezone.localdate(now)),
            procedure_version=version,
            applicant=None,
            applicant_name=name[:255],
            applicant_identity=identity,
            applicant_phone=(applicant.get("phone") or "")[:20],
            applicant_email=(applicant.get("email") or "")[:254],
            applicant_address=(applicant.get("address") or "").strip()[:500],
            channel=Channel.COUNTER,
            result_delivery=choice.delivery,
            delivery_address=choice.address,
            receiving_agency=agency,
            holder_agency=agency,
            form_data=cleaned,
            status=Status.SUBMITTED,
            created_at=now,
            submitted_at=now,
            fee_due=fees.total(fees.charges(version, cleaned)),
        )
        files = [
            store_upload(dossier, upload, info, kind=AttachmentKind.SCAN, actor=actor, document=document).pk
            for document, info, upload in checked
        ]
        Action.objects.create(
            dossier=dossier,
            actor=actor,
            type=ActionType.SUBMIT,
            at=now,
            status_before=Status.DRAFT,
            status_after=Status.SUBMITTED,
            agency=agency,
            note=_("Nộp trực tiếp tại bộ phận một cửa"),
            data={"channel": Channel.COUNTER, "files": files, "code": dossier.code},
        )
        record(actor, ActionType.SUBMIT.value, dossier, summary=dossier.code or "", status=Status.SUBMITTED)
        receive(dossier, actor=actor, note=note)
    return dossier
