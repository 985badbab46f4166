"""Dossiers submitted elsewhere: an applicant filed on another portal (the national public-service
portal, DVCQG) and the province takes the dossier into the reception queue of its agency.

The integration that takes it (motcua.integrations) fetches the files and calls ``submit_from_portal``;
the dossier then follows the same lifecycle as one submitted here (status 1, reception, processing).
"""

import datetime
from collections.abc import Sequence
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion, RequiredDocument
from motcua.dossiers import delivery, events
from motcua.dossiers.constants import ActionType, AttachmentKind, Channel
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.form_data import clean_form
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import intake
from motcua.dossiers.services.applicant import receiving_agencies


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
    cleaned, errors = clean_form(version, form_data, partial=True)
    choice = delivery.clean(version, has_account=False, delivery=result_delivery, address=delivery_address)
    errors.update(choice.errors)
    person = intake.check_person(applicant, errors, other_papers=True)
    checked = intake.check_uploads(files, errors, key=lambda index, _doc: f"file-{index}", room_key="files")
    if errors:
        raise InvalidInput(_("Hồ sơ từ %(portal)s chưa đúng.") % {"portal": portal}, errors=errors)
    note = _("Nộp qua %(portal)s, mã hồ sơ trên Cổng: %(code)s") % {"portal": portal, "code": reference}
    with transaction.atomic():
        dossier, action = intake.create_submitted(
            version=version,
            agency=agency,
            channel=Channel.ONLINE,
            person=person,
            form_data=cleaned,
            choice=choice,
            uploads=checked,
            kind=AttachmentKind.APPLICANT,
            actor=None,
            note=note,
            data={"portal": portal, "reference": reference},
            submitted_at=submitted_at,
        )
        events.publish(dossier.pk, ActionType.SUBMIT.value, dossier.status, {"action_id": action.pk})
    return dossier
