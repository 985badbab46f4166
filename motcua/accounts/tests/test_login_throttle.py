"""Logins throttled per client address and per account with growing delays (accounts.throttle)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.utils import timezone

from motcua.accounts.services import LoginError, LoginThrottled, log_in
from motcua.accounts.tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.MOTCUA_LOGIN_FREE_FAILURES_PER_ACCOUNT = 3
    settings.MOTCUA_LOGIN_FREE_FAILURES_PER_ADDRESS = 6
    settings.MOTCUA_LOGIN_FIRST_DELAY_SECONDS = 30
    settings.MOTCUA_LOGIN_LONGEST_DELAY_SECONDS = 3600


def request_from(address: str):
    return RequestFactory().post("/dang-nhap/", REMOTE_ADDR=address, HTTP_USER_AGENT="test")


def fail(identifier: str, address: str, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(LoginError):
            log_in(request_from(address), identifier, "wrong")


def age_failures(seconds: int) -> None:
    """As if the failures recorded so far happened ``seconds`` earlier."""
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - datetime.timedelta(seconds=seconds)
        )


def test_login_by_username_identity_number_or_email():
    user = UserFactory(email="an@example.vn", identity_number="008090000123")

    assert log_in(request_from("10.0.0.1"), user.username, PASSWORD) == user
    assert log_in(request_from("10.0.0.1"), "008090000123", PASSWORD) == user
    assert log_in(request_from("10.0.0.1"), "AN@example.vn", PASSWORD) == user


def test_an_unknown_account_gets_the_same_message_and_the_same_throttle():
    user = UserFactory()
    messages = []
    for name in (user.username, "nobody-here"):
        for _ in range(3):
            with pytest.raises(LoginError) as failure:
                log_in(request_from("10.0.0.2" if name == "nobody-here" else "10.0.0.3"), name, "wrong")
            messages.append(str(failure.value))
        with pytest.raises(LoginThrottled) as throttled:
            log_in(request_from("10.0.0.2" if name == "nobody-here" else "10.0.0.3"), name, PASSWORD)
        messages.append(str(throttled.value))

    assert messages[:3] == messages[4:7]
    assert messages[3] == messages[7] and "thử lại sau 1 phút" in messages[3]


def test_the_delay_grows_with_each_failure_and_ends():
    user = UserFactory()
    fail(user.username, "10.0.0.4", times=3)
    with pytest.raises(LoginThrottled) as first:
        log_in(request_from("10.0.0.4"), user.username, PASSWORD)
    assert 25 <= first.value.wait <= 30

    age_failures(31)  # the first delay is over: one more try, which fails
    fail(user.username, "10.0.0.4")
    with pytest.raises(LoginThrottled) as second:
        log_in(request_from("10.0.0.4"), user.username, PASSWORD)
    assert 55 <= second.value.wait <= 60  # doubled

    age_failures(61)
    assert log_in(request_from("10.0.0.4"), user.username, PASSWORD) == user
    assert not AccessAttempt.objects.filter(username=user.username, ip_address="10.0.0.4").exists()


def test_a_refused_attempt_does_not_lengthen_the_wait():
    user = UserFactory()
    fail(user.username, "10.0.0.5", times=3)
    for _ in range(5):
        with pytest.raises(LoginThrottled) as throttled:
            log_in(request_from("10.0.0.5"), user.username, "wrong")
    assert throttled.value.wait <= 30


def test_a_stranger_cannot_lock_the_owner_out():
    user = UserFactory()
    assert log_in(request_from("10.0.0.6"), user.username, PASSWORD) == user  # the owner's usual address

    for i in range(10):  # guesses from many addresses
        with pytest.raises(LoginError):
            log_in(request_from(f"192.0.2.{i}"), user.username, "wrong")

    assert log_in(request_from("10.0.0.6"), user.username, PASSWORD) == user
    # a new address must wait: the account is being guessed
    with pytest.raises(LoginThrottled):
        log_in(request_from("198.51.100.1"), user.username, PASSWORD)


def test_one_address_guessing_many_accounts_is_throttled_alone():
    users = [UserFactory() for _ in range(7)]
    for user in users[:6]:
        fail(user.username, "203.0.113.9")

    with pytest.raises(LoginThrottled):
        log_in(request_from("203.0.113.9"), users[6].username, PASSWORD)
    assert log_in(request_from("203.0.113.10"), users[6].username, PASSWORD) == users[6]


def test_an_inactive_account_cannot_log_in():
    user = UserFactory(is_active=False)
    with pytest.raises(LoginError):
        log_in(request_from("10.0.0.7"), user.username, PASSWORD)


def test_the_admin_login_is_throttled(client, settings):
    admin = StaffFactory(is_staff=True, is_superuser=True)
    for _ in range(3):
        answer = client.post("/quan-tri/login/", {"username": admin.username, "password": "wrong"})
        assert answer.status_code == 200 and "_auth_user_id" not in client.session

    answer = client.post("/quan-tri/login/", {"username": admin.username, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert "thử lại sau" in answer.content.decode()


def test_the_api_token_is_throttled_with_429(client):
    user = UserFactory()
    for _ in range(3):
        answer = client.post(
            "/api/auth/token", {"username": user.username, "password": "x"}, content_type="application/json"
        )
        assert answer.status_code == 401
    answer = client.post(
        "/api/auth/token", {"username": user.username, "password": PASSWORD}, content_type="application/json"
    )

    assert answer.status_code == 429 and int(answer["Retry-After"]) > 0
    assert "thử lại sau" in answer.json()["detail"]


def test_failures_are_forgotten_after_a_day():
    user = UserFactory()
    fail(user.username, "10.0.0.8", times=3)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(hours=25))

    assert log_in(request_from("10.0.0.8"), user.username, PASSWORD) == user
