"""Counter intake: the one-stop officer enters a walk-in applicant's dossier and scans the papers."""

from collections.abc import Sequence
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.constants import Role
from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion, RequiredDocument
from motcua.catalog.selectors import version_parts
from motcua.dossiers import delivery
from motcua.dossiers.constants import AttachmentKind, Channel
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.form_data import clean_form
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import intake
from motcua.dossiers.services.applicant import receiving_agencies
from motcua.dossiers.services.reception import receive


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
    cleaned, errors = clean_form(version, form_data, partial=False)
    choice = delivery.clean(version, has_account=False, delivery=result_delivery, address=delivery_address)
    errors.update(choice.errors)
    person = intake.check_person(applicant, errors)
    checked = intake.check_uploads(scans, errors, key=_scan_key, room_key="scans")
    scanned = {c.document.pk for c in checked if c.document is not None}
    for document in version_parts(version).documents:
        if document.required and document.pk not in scanned and f"doc-{document.pk}" not in errors:
            errors[f"doc-{document.pk}"] = [_("Thiếu: %(name)s.") % {"name": document.name}]
    if errors:
        raise InvalidInput(_("Hồ sơ chưa đầy đủ hoặc chưa đúng."), errors=errors)
    with transaction.atomic():
        dossier, _action = intake.create_submitted(
            version=version,
            agency=agency,
            channel=Channel.COUNTER,
            person=person,
            form_data=cleaned,
            choice=choice,
            uploads=checked,
            kind=AttachmentKind.SCAN,
            actor=actor,
            note=_("Nộp trực tiếp tại bộ phận một cửa"),
        )
        receive(dossier, actor=actor, note=note)
    return dossier


def _scan_key(_position: int, document: RequiredDocument | None) -> str:
    return f"doc-{document.pk if document else 'other'}"
