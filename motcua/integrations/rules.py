"""Who may see and act on what comes from the national portal (the one-rule-table style of
docs/decisions/0007; the pages ask these, the services check them).

- ``integrations.view_inbound`` (object: an InboundDossier, or None for the list): a province
  administrator, or a reception officer or agency administrator; of a row, one of the agency it names,
  or of any agency when it names none we know (someone must see it).
- ``integrations.retake_inbound``: the same people, on a failed row.
- ``integrations.refresh_catalogue``: who may publish some procedure (``catalog.publish_version``).
"""

import rules

from motcua.accounts.constants import Role
from motcua.agencies.models import Agency
from motcua.catalog.rules import administers_procedure, is_province_admin, is_staff_member
from motcua.integrations.constants import InboundState

INBOUND_ROLES = (Role.RECEPTION, Role.AGENCY_ADMIN)


@rules.predicate
def handles_inbound(user) -> bool:
    return user.memberships.filter(role__in=INBOUND_ROLES).exists()


@rules.predicate
def row_of_their_agency(user, row) -> bool:
    if row is None:
        return True
    codes = set(user.memberships.filter(role__in=INBOUND_ROLES).values_list("agency__code", flat=True))
    if row.dossier_id is not None:
        return row.dossier.receiving_agency.code in codes
    return row.agency_code in codes or not Agency.objects.filter(code=row.agency_code).exists()


@rules.predicate
def is_failed(user, row) -> bool:
    return row is not None and row.state == InboundState.FAILED


view_inbound = is_staff_member & (is_province_admin | (handles_inbound & row_of_their_agency))
rules.add_perm("integrations.view_inbound", view_inbound)
rules.add_perm("integrations.retake_inbound", view_inbound & is_failed)
rules.add_perm(
    "integrations.refresh_catalogue", is_staff_member & (is_province_admin | administers_procedure)
)
