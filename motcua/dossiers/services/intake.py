"""Dossiers entered for an applicant who has no account here: a walk-in at the counter
(``counter.intake_at_counter``) or a dossier filed on another portal (``external.submit_from_portal``).

Both check the applicant's particulars and the files the same way, report every problem under its
field, and create the dossier submitted (status 1) with its code, files, first action and audit row
in the caller's transaction.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.validators import validate_citizen_id
from motcua.agencies.models import Agency
from motcua.catalog import fees
from motcua.catalog.models import ProcedureVersion, RequiredDocument
from motcua.core import clock
from motcua.dossiers import codes, delivery
from motcua.dossiers.constants import ActionType, Status
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Action, Dossier
from motcua.dossiers.services.base import record, store_upload
from motcua.dossiers.uploads import CheckedFile, check_dossier_room, check_upload

Errors = dict[str, list[str]]
Upload = tuple[RequiredDocument | None, str, IO[bytes]]


@dataclass(frozen=True)
class Person:
    """The applicant's particulars as entered (no account)."""

    name: str
    identity: str
    phone: str
    email: str
    address: str


@dataclass(frozen=True)
class CheckedUpload:
    document: RequiredDocument | None
    info: CheckedFile
    upload: IO[bytes]


def check_person(applicant: dict[str, str], errors: Errors, *, other_papers: bool = False) -> Person:
    """The applicant's particulars, each problem added to ``errors``. A name is required; an identity
    number, when given, must be a valid citizen identity number, unless ``other_papers`` (another
    portal may identify the applicant by a passport or an old 9-digit card: only 12 digits are
    checked then)."""
    name = (applicant.get("name") or "").strip()
    identity = (applicant.get("identity") or "").strip()
    if not name:
        errors["applicant_name"] = [_("Nhập họ tên người nộp.")]
    if identity and (not other_papers or len(identity) == 12):
        try:
            validate_citizen_id(identity)
        except ValidationError as exc:
            errors["applicant_identity"] = exc.messages
    return Person(
        name=name[:255],
        identity=identity[:14],
        phone=(applicant.get("phone") or "")[:20],
        email=(applicant.get("email") or "")[:254],
        address=(applicant.get("address") or "").strip()[:500],
    )


def check_uploads(
    uploads: Sequence[Upload],
    errors: Errors,
    *,
    key: Callable[[int, RequiredDocument | None], str],
    room_key: str,
) -> list[CheckedUpload]:
    """The files that pass the checks of every upload (type by content, size), each refused one under
    ``key(position from 1, its document)`` in ``errors``, and the dossier's room under ``room_key``."""
    checked = []
    for index, (document, file_name, upload) in enumerate(uploads, start=1):
        try:
            checked.append(CheckedUpload(document, check_upload(upload, file_name), upload))
        except InvalidInput as exc:
            errors[key(index, document)] = [exc.message]
    try:
        check_dossier_room(0, 0, [c.info.size for c in checked])
    except InvalidInput as exc:
        errors[room_key] = [exc.message]
    return checked


def create_submitted(
    *,
    version: ProcedureVersion,
    agency: Agency,
    channel: str,
    person: Person,
    form_data: dict[str, Any],
    choice: delivery.Choice,
    uploads: Sequence[CheckedUpload],
    kind: str,
    actor: User | None,
    note: str,
    data: dict[str, Any] | None = None,
    submitted_at: datetime.datetime | None = None,
) -> tuple[Dossier, Action]:
    """Create the dossier submitted (status 1) in ``agency``'s reception queue with its code, the files
    (stored as ``kind``, each linked to the submitting action), the action and the audit row. Call it
    inside a transaction, with everything already checked; the caller publishes what follows."""
    now = clock.now()
    dossier = Dossier.objects.create(
        code=codes.next_code(agency, timezone.localdate(now)),
        procedure_version=version,
        applicant=None,
        applicant_name=person.name,
        applicant_identity=person.identity,
        applicant_phone=person.phone,
        applicant_email=person.email,
        applicant_address=person.address,
        channel=channel,
        result_delivery=choice.delivery,
        delivery_address=choice.address,
        receiving_agency=agency,
        holder_agency=agency,
        form_data=form_data,
        status=Status.SUBMITTED,
        created_at=now,
        submitted_at=submitted_at or now,
        fee_due=fees.total(fees.charges(version, form_data)),
        revision=1,
    )
    stored = [
        store_upload(dossier, c.upload, c.info, kind=kind, actor=actor, document=c.document) for c in uploads
    ]
    action = Action.objects.create(
        dossier=dossier,
        actor=actor,
        type=ActionType.SUBMIT,
        at=now,
        status_before=Status.DRAFT,
        status_after=Status.SUBMITTED,
        agency=agency,
        note=note,
        data={"channel": channel, **(data or {}), "files": [a.pk for a in stored], "code": dossier.code},
    )
    for attachment in stored:
        attachment.action = action
    if stored:
        type(stored[0]).objects.bulk_update(stored, ["action"])
    record(actor, ActionType.SUBMIT.value, dossier, summary=dossier.code or "", status=Status.SUBMITTED)
    return dossier, action
