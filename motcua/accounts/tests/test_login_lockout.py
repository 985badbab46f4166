import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from motcua.accounts.services import LoginError, log_in
from motcua.accounts.tests.factories import PASSWORD, UserFactory
from motcua.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_login_by_username_identity_number_or_email():
    user = UserFactory(email="an@example.vn", identity_number="008090000123")

    assert log_in(None, user.username, PASSWORD) == user
    assert log_in(None, "008090000123", PASSWORD) == user
    assert log_in(None, "AN@example.vn", PASSWORD) == user


def test_a_wrong_password_is_refused_and_counted():
    user = UserFactory()
    with pytest.raises(LoginError, match="không đúng"):
        log_in(None, user.username, "wrong")

    user.refresh_from_db()
    assert user.failed_logins == 1
    assert AuditEntry.objects.filter(action="account.login_failed").count() == 1


def test_an_unknown_user_gets_the_same_message():
    with pytest.raises(LoginError, match="không đúng"):
        log_in(None, "nobody", "wrong")


@override_settings(MOTCUA_LOGIN_MAX_FAILURES=3, MOTCUA_LOGIN_LOCKOUT_MINUTES=15)
def test_repeated_failures_lock_the_account_even_for_the_right_password():
    user = UserFactory()
    for _ in range(2):
        with pytest.raises(LoginError):
            log_in(None, user.username, "wrong")
    with pytest.raises(LoginError, match="tạm khóa"):
        log_in(None, user.username, "wrong")

    with pytest.raises(LoginError, match="tạm khóa"):
        log_in(None, user.username, PASSWORD)
    user.refresh_from_db()
    assert user.locked_until > timezone.now() + datetime.timedelta(minutes=14)


@override_settings(MOTCUA_LOGIN_MAX_FAILURES=3)
def test_the_lock_expires_and_a_success_resets_the_counter():
    user = UserFactory(failed_logins=2, locked_until=timezone.now() - datetime.timedelta(seconds=1))

    assert log_in(None, user.username, PASSWORD) == user
    user.refresh_from_db()
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_an_inactive_account_cannot_log_in():
    user = UserFactory(is_active=False)
    with pytest.raises(LoginError):
        log_in(None, user.username, PASSWORD)
