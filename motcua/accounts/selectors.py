"""Reads for accounts: who an identifier names, which agencies a member of staff may see, API tokens."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.accounts.constants import AccountKind, Role
from motcua.accounts.models import ApiToken, User
from motcua.agencies.models import Agency
from motcua.core.text import clean_text


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


def find_user(identifier: str) -> User | None:
    """The account whose username, email, phone or identity number is ``identifier``."""
    identifier = clean_text(identifier or "")
    if not identifier:
        return None
    return (
        User.objects.filter(
            Q(username=identifier)
            | Q(email__iexact=identifier)
            | Q(phone=identifier)
            | Q(identity_number=identifier)
        )
        .order_by("pk")
        .first()
    )


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The account's API tokens still valid, newest first."""
    return ApiToken.objects.filter(user=user, expires_at__gt=timezone.now()).order_by("-created_at", "-id")
