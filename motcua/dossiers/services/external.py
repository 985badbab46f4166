"""Dossiers submitted elsewhere: an applicant filed on another portal (the national public-service
portal, DVCQG) and the province takes the dossier into the reception queue of its agency.

The integration that takes it (motcua.integrations) fetches the files and calls ``submit_from_portal``;
the dossier then follows the same lifecycle as one submitted here (status 1, reception, processing).
"""

import datetime
from collections.abc import Sequence
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.validators import validate_citizen_id
from motcua.agencies.models import Agency
from motcua.catalog import fees
from motcua.catalog.models import ProcedureVersion, RequiredDocument
from motcua.core import clock
from motcua.dossiers import codes, delivery, events
from motcua.dossiers.constants import ActionType, AttachmentKind, Channel, Status
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.form_data import clean_form
from motcua.dossiers.models import Action, Dossier
from motcua.dossiers.services.applicant import receiving_agencies
from motcua.dossiers.services.base import record, store_upload
from motcua.dossiers.uploads import check_dossier_room, check_upload


def submit_from_portal(
    *,
    version: ProcedureVersion,
    agency: Agency | None,
    applicant: dict[str, str],
    form_data: dict[str, Any],
    files: Sequence[tuple[RequiredDocument | None, str, IO[bytes]]],
    portal: str,
    reference: str,
    submitted_at: datetime.datetime | None = None,
    result_delivery: str = "",
    delivery_address: str = "",
) -> Dossier:
    """Create and submit (status 1, Mới đăng ký) a dossier filed on ``portal`` under its code there
    (``reference``), in the reception queue of ``agency`` (the procedure's first receiving agency
    when None).

    The files pass the checks of every upload (type by content, size, the dossier's room); the form's
    values are checked as a draft's (reception judges completeness and asks for what is missing).
    The applicant has no account here: whoever owns the identity number can claim the dossier. Raises
    InvalidInput naming each problem; nothing is saved then."""
    if not version.is_current:
        message = _("Thủ tục này hiện không áp dụng.")
        raise InvalidInput(message, errors={"procedure": [message]})
    allowed = receiving_agencies(version)
    agency = agency or (allowed[0] if allowed else None)
    if agency is None or agency not in allowed:
        message = _("Đơn vị không tiếp nhận thủ tục này.")
        raise InvalidInput(message, errors={"agency": [message]})
    name = (applicant.get("name") or "").strip()
    identity = (applicant.get("identity") or "").strip()
    cleaned, errors = clean_form(version, form_data, partial=True)
    choice = delivery.clean(version, has_account=False, delivery=result_delivery, address=delivery_address)
    errors.update(choice.errors)
    if not name:
        errors["applicant_name"] = [_("Nhập họ tên người nộp.")]
    if identity and len(identity) == 12:
        try:
            validate_citizen_id(identity)
        except ValidationError as exc:
            errors["applicant_identity"] = exc.messages
    checked = []
    for index, (document, file_name, upload) in enumerate(files, start=1):
        try:
            checked.append((document, check_upload(upload, file_name), upload))
        except InvalidInput as exc:
            errors[f"file-{index}"] = [exc.message]
    try:
        check_dossier_room(0, 0, [info.size for _document, info, _upload in checked])
    except InvalidInput as exc:
        errors["files"] = [exc.message]
    if errors:
        raise InvalidInput(_("Hồ sơ từ %(portal)s chưa đúng.") % {"portal": portal}, errors=errors)
    note = _("Nộp qua %(portal)s, mã hồ sơ trên Cổng: %(code)s") % {"portal": portal, "code": reference}
    with transaction.atomic():
        now = clock.now()
        dossier = Dossier.objects.create(
            code=codes.next_code(agency, timezone.localdate(now)),
            procedure_version=version,
            applicant=None,
            applicant_name=name[:255],
            applicant_identity=identity[:14],
            applicant_phone=(applicant.get("phone") or "")[:20],
            applicant_email=(applicant.get("email") or "")[:254],
            applicant_address=(applicant.get("address") or "").strip()[:500],
            channel=Channel.ONLINE,
            result_delivery=choice.delivery,
            delivery_address=choice.address,
            receiving_agency=agency,
            holder_agency=agency,
            form_data=cleaned,
            status=Status.SUBMITTED,
            created_at=now,
            submitted_at=submitted_at or now,
            fee_due=fees.total(fees.charges(version, cleaned)),
            revision=1,
        )
        stored = [
            store_upload(dossier, upload, info, kind=AttachmentKind.APPLICANT, actor=None, document=document)
            for document, info, upload in checked
        ]
        action = Action.objects.create(
            dossier=dossier,
            actor=None,
            type=ActionType.SUBMIT,
            at=now,
            status_before=Status.DRAFT,
            status_after=Status.SUBMITTED,
            agency=agency,
            note=note,
            data={
                "channel": Channel.ONLINE,
                "portal": portal,
                "reference": reference,
                "files": [a.pk for a in stored],
                "code": dossier.code,
            },
        )
        for attachment in stored:
            attachment.action = action
        if stored:
            type(stored[0]).objects.bulk_update(stored, ["action"])
        record(None, ActionType.SUBMIT.value, dossier, summary=dossier.code or "", status=Status.SUBMITTED)
        events.publish(dossier.pk, ActionType.SUBMIT.value, dossier.status, {"action_id": action.pk})
    return dossier
