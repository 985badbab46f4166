from ninja.security import HttpBearer

from motcua.accounts.services import user_for_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` from POST /api/auth/token."""

    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user
