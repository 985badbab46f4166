from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from motcua.accounts.models import User


def find_user(identifier: str) -> User | None:
    """The account whose username, email, phone or identity number is ``identifier``."""
    identifier = (identifier or "").strip()
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


class LockoutModelBackend(ModelBackend):
    """Log in by username, email, phone or identity number; a locked account cannot log in."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = find_user(username or kwargs.get("email") or "")
        if user is None:
            User().set_password(password)  # same work as a real check, so timing reveals nothing
            return None
        if user.is_locked() or not user.check_password(password) or not self.user_can_authenticate(user):
            return None
        return user
