from django.utils import timezone
from ninja.security import HttpBearer

from motcua.accounts.models import ApiToken
from motcua.accounts.services import user_for_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` from POST /api/auth/token."""

    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is None:
            return None
        ApiToken.objects.filter(digest=ApiToken.hash(token)).update(last_used_at=timezone.now())
        request.user = user
        return user
