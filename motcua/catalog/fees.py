"""What a dossier pays: the charge lines of a procedure version's fees, given what the applicant asked.

Pure: reads the version's fee lines (cached per process for a published version, which never changes)
and the dossier's cleaned form data as motcua.dossiers.form_data stores it (a number as its decimal
string, "2"; a choice as the option chosen, "Có"). Nothing is written.

How a line is charged (``Fee.charging``):

- always: once per dossier, quantity 1;
- per unit: amount × the quantity in the form's number field ``quantity_field``; a missing or invalid
  quantity counts as 1 (the line is due whatever the applicant typed);
- on request: likewise, but a missing or invalid quantity counts as 0, and a line asked for 0 times is
  no charge at all: it is left off the list (nobody asked for copies, nothing to print).

A quantity is a whole number from 0 to MAX_FEE_QUANTITY; a larger one counts as MAX_FEE_QUANTITY.
Anything else (text, a fraction, a negative number) is invalid and takes the default above.

A line of 0 đồng is free: it is listed, exempt, with its description as the note. A line whose
exemption the applicant claims (its yes/no field ``exemption_field`` answered "Có") is listed exempt,
``claimed``, amount 0, with the exemption text as the note: the officer verifies the claim at reception.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from motcua.catalog.constants import MAX_FEE_QUANTITY, YES, FeeCharging
from motcua.catalog.models import Fee, ProcedureVersion
from motcua.catalog.selectors import version_parts


@dataclass(frozen=True)
class Charge:
    """One line of what a dossier pays."""

    name: str
    unit_amount: int  # the catalogue's amount, per unit
    quantity: int
    unit: str  # e.g. "bản sao"; "" for a line charged once
    amount: int  # due: unit_amount × quantity, 0 when exempt
    exempt: bool  # free, or an exemption claimed
    claimed: bool  # exempt because the applicant claimed it: to verify at reception
    note: str  # why it is exempt (the exemption claimed, or the free line's description); else ""
    by_quantity: bool = False  # charged per unit (per unit or on request), not once


def quantity(value: Any, default: int) -> int:
    """The whole number of units in a form value, capped at MAX_FEE_QUANTITY; ``default`` when the
    value is missing or invalid (text, a fraction, a negative number)."""
    if value is None or isinstance(value, bool):
        return default
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return default
    if not number.is_finite() or number < 0 or number != number.to_integral_value():
        return default
    return MAX_FEE_QUANTITY if number > MAX_FEE_QUANTITY else int(number)


def _charge(fee: Fee, form_data: Mapping[str, Any]) -> Charge | None:
    if fee.charging == FeeCharging.ALWAYS:
        count = 1
    else:
        default = 0 if fee.charging == FeeCharging.ON_REQUEST else 1
        count = quantity(form_data.get(fee.quantity_field), default)
        if count == 0 and fee.charging == FeeCharging.ON_REQUEST:
            return None
    claimed = (
        bool(fee.exemption_field)
        and not fee.is_free
        and str(form_data.get(fee.exemption_field) or "").strip() == YES
    )
    exempt = fee.is_free or claimed
    if claimed:
        note = fee.exemptions
    elif fee.is_free:
        note = fee.description
    else:
        note = ""
    return Charge(
        name=fee.name,
        unit_amount=fee.amount,
        quantity=count,
        unit=fee.unit if fee.charging != FeeCharging.ALWAYS else "",
        amount=0 if exempt else fee.amount * count,
        exempt=exempt,
        claimed=claimed,
        note=note.strip(),
        by_quantity=fee.charging != FeeCharging.ALWAYS,
    )


def charges_for(fees: Iterable[Fee], form_data: Mapping[str, Any] | None) -> list[Charge]:
    """The charge lines of these fee lines for this form data, in the catalogue's order."""
    data = form_data if isinstance(form_data, Mapping) else {}
    return [charge for fee in fees if (charge := _charge(fee, data)) is not None]


def charges(version: ProcedureVersion, form_data: Mapping[str, Any] | None) -> list[Charge]:
    """The charge lines of a dossier under ``version`` whose cleaned form is ``form_data``."""
    return charges_for(version_parts(version).fees, form_data)


def total(lines: Iterable[Charge]) -> int:
    """What is due, in đồng."""
    return sum(line.amount for line in lines)


def base_fee(version: ProcedureVersion) -> int:
    """What an applicant pays who asks for nothing on request and claims no exemption (per-unit lines
    counted once): the "from" figure of the catalogue pages. Uses prefetched ``fees``."""
    return total(charges_for(version.fees.all(), {}))
