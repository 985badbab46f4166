"""Setting and removing yearly targets (chỉ tiêu): one transaction, the row locked, an audit record.

Only a province administrator sets targets (motcua.reports.access); the page and the admin both call
these functions.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from motcua.core import audit
from motcua.reports import access
from motcua.reports.models import Target


def set_target(*, year: int, unit_key: str, indicator: str, value: Decimal, note: str = "", actor) -> Target:
    """Create the year's target of ``indicator`` for ``unit_key``, or change it if there is one."""
    if not access.is_province_admin(actor):
        raise PermissionDenied
    with transaction.atomic():
        target = (
            Target.objects.select_for_update()
            .filter(year=year, unit_key=unit_key, indicator=indicator)
            .first()
        )
        before = None if target is None else str(target.value)
        if target is None:
            target = Target(year=year, unit_key=unit_key, indicator=indicator)
        target.value = value
        target.note = note
        target.updated_by = actor
        target.save()
        audit.record(
            "report_target.set",
            actor=actor,
            obj=target,
            summary=str(target),
            before=before,
            after=str(value),
        )
    return target


def remove_target(target_id: int, *, actor) -> None:
    if not access.is_province_admin(actor):
        raise PermissionDenied
    with transaction.atomic():
        target = Target.objects.select_for_update().filter(pk=target_id).first()
        if target is None:
            return
        audit.record("report_target.removed", actor=actor, obj=target, summary=str(target))
        target.delete()
