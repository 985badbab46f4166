"""Reads for accounts: which agencies a member of staff may see."""

from django.db.models import QuerySet

from motcua.accounts.constants import AccountKind, Role
from motcua.accounts.models import User
from motcua.agencies.models import Agency


def visible_agencies(user: User) -> QuerySet[Agency]:
    """Agencies whose work ``user`` may see: their own; every agency for a province administrator."""
    if not user.is_authenticated or user.kind != AccountKind.STAFF:
        return Agency.objects.none()
    if user.is_superuser or user.memberships.filter(role=Role.PROVINCE_ADMIN).exists():
        return Agency.objects.all()
    return Agency.objects.filter(memberships__user=user).distinct()


def has_role(user: User, role: Role, agency: Agency | None = None) -> bool:
    memberships = user.memberships.filter(role=role)
    if agency is not None:
        memberships = memberships.filter(agency=agency)
    return memberships.exists()
