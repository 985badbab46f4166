"""Bearer tokens: who they open the API to, and for how long."""

import datetime

import pytest
from django.utils import timezone

from motcua.accounts.models import ApiToken
from motcua.accounts.services import issue_token, user_for_token
from motcua.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_valid_token_gives_its_user():
    user = UserFactory()
    raw, _token = issue_token(user)

    found = user_for_token(raw)

    assert found == user
    # every field as the ORM reads it (datetimes aware, on SQLite too), and a saved instance
    stored = type(user).objects.get(pk=user.pk)
    for field in type(user)._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(stored, field.attname), field.name
    assert timezone.is_aware(found.date_joined)
    assert not found._state.adding
    assert user_for_token(raw + "x") is None
    assert user_for_token("") is None


def test_an_expired_token_or_an_inactive_account_opens_nothing():
    expired_user, inactive_user = UserFactory(), UserFactory()
    expired, token = issue_token(expired_user)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    inactive, _ = issue_token(inactive_user)
    inactive_user.is_active = False
    inactive_user.save()

    assert user_for_token(expired) is None
    assert user_for_token(inactive) is None


def test_the_last_use_is_written_at_most_once_a_minute(django_assert_num_queries):
    raw, token = issue_token(UserFactory())

    with django_assert_num_queries(2):  # the read, and the first use
        user_for_token(raw)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    with django_assert_num_queries(1):
        user_for_token(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    with django_assert_num_queries(2):
        user_for_token(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first
