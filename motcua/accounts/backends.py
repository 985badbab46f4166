from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth.backends import ModelBackend

from motcua.accounts import throttle
from motcua.accounts.models import User
from motcua.accounts.selectors import find_user


class ThrottleBackend(AxesStandaloneBackend):
    """First of the authentication backends: refuses, before any password is checked, an attempt whose
    client address or account must still wait (motcua.accounts.throttle). Every login path goes through
    ``authenticate()``: the site, the admin and the API token. ``request.login_wait`` then holds the
    seconds left, for the message."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None  # not a login request (a command, a test of the password alone)
        wait = throttle.wait_seconds(request, username or "")
        if wait:
            request.login_wait = wait
            request.axes_locked_out = True  # django-axes then does not count the refused attempt
            raise AxesBackendPermissionDenied("login throttled")
        return None


class IdentifierModelBackend(ModelBackend):
    """Log in by username, email, phone or identity number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = find_user(username or kwargs.get("email") or "")
        if user is None:
            User().set_password(password)  # same work as a real check, so timing reveals nothing
            return None
        if not user.check_password(password) or not self.user_can_authenticate(user):
            return None
        return user
