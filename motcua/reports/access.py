"""Who may read which report. One place, asked by the API and the pages.

- A superuser or a province administrator reads every unit, sets the targets.
- A member of staff of an agency reads that agency and every agency below it (``Agency.parent``: the
  province committee's leaders read every department and commune under it), and the administrative
  units that agency serves in (an officer of a commune's committee reads the commune, and the province).
- Anyone, without logging in, reads the province's headline figures (``selectors.headline``): the
  programme publishes them, as the national portal publishes every province's index.
- An API client with the reports.read scope reads its agencies' units (all if province-wide), rankings
  and the evaluation shape.
- Rankings and the national portal's evaluation shape: every member of staff (they compare units of
  the province with each other; the national portal publishes the same scores).
"""

from motcua.accounts.constants import AccountKind, Role
from motcua.accounts.models import ApiClient
from motcua.agencies.models import Agency
from motcua.reports.units import ReportUnit, agency_ids, unit_from_key


def is_staff_member(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and (user.is_superuser or user.kind == AccountKind.STAFF)
    )


def is_province_admin(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.memberships.filter(role=Role.PROVINCE_ADMIN).exists())
    )


def client_may_read(client: ApiClient, unit: ReportUnit) -> bool:
    """An API client (scope reports.read, asked by the API) reads the units of its agencies and below,
    every unit if it is province-wide (accounts.rules.client_sees_agency)."""
    if client.province_wide:
        return True
    wanted = agency_ids(unit)
    if not wanted:
        return False
    mine: set[int] = set()
    for agency in Agency.objects.filter(pk__in=client.agency_ids):
        mine |= agency_ids(unit_from_key(agency.code))
    return wanted <= mine


def may_read(user, unit: ReportUnit) -> bool:
    if isinstance(user, ApiClient):
        return client_may_read(user, unit)
    if not is_staff_member(user):
        return False
    if is_province_admin(user):
        return True
    wanted = agency_ids(unit)
    if not wanted:
        return False
    for agency in Agency.objects.filter(memberships__user=user).distinct():
        mine = agency_ids(unit_from_key(agency.code))
        if wanted <= mine:
            return True
        if not unit.is_agency and agency.pk in wanted:
            return True
    return False


def may_rank(user) -> bool:
    """Staff, and API clients with reports.read (the API asks the scope)."""
    return isinstance(user, ApiClient) or is_staff_member(user)
