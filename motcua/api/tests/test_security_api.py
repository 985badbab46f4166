"""Tokens (list, delete, lifetime), the lookup's rate limit, bounds, and an OpenAPI that tells the truth."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import ApiToken
from motcua.accounts.services import issue_token
from motcua.accounts.tests.factories import PASSWORD, UserFactory
from motcua.api.tests.test_dossiers_api import JSON, act, client_for
from motcua.dossiers.tests.factories import received, submitted

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_one_lists_ones_tokens_and_deletes_the_current_one(settings):
    settings.MOTCUA_API_TOKEN_DAYS = 7
    user = UserFactory()
    first, _t = issue_token(user)
    second, token = issue_token(user)
    issue_token(UserFactory())  # someone else's

    listed = bearer(second).get("/api/auth/tokens").json()
    assert [t["current"] for t in listed] == [True, False]
    assert token.expires_at - timezone.now() > datetime.timedelta(days=6, hours=23)

    assert bearer(second).delete("/api/auth/token").status_code == 204
    assert bearer(second).get("/api/me").status_code == 401
    assert bearer(first).get("/api/me").status_code == 200


def test_a_token_is_dead_after_a_password_change():
    user = UserFactory()
    raw, _token = issue_token(user)
    user.set_password("Mat-khau-moi-2027")
    user.save()

    answer = bearer(raw).get("/api/me")

    assert answer.status_code == 401 and answer["WWW-Authenticate"] == "Bearer"
    assert answer.json() == {"detail": answer.json()["detail"], "errors": {}}


def test_the_admin_revokes_a_users_tokens(admin_client):
    user = UserFactory()
    issue_token(user)
    issue_token(user)

    admin_client.post(
        "/quan-tri/accounts/user/", {"action": "revoke_api_tokens", "_selected_action": [user.pk]}
    )

    assert not ApiToken.objects.filter(user=user).exists()


def test_the_public_lookup_is_limited_per_address(office, settings):
    settings.MOTCUA_LOOKUP_RATE = "3/h"
    code = submitted(office).code
    anonymous = Client()

    answers = [anonymous.get(f"/api/dossiers/lookup/{code}").status_code for _ in range(3)]
    page = anonymous.get(f"/tra-cuu/{code}")
    limited = anonymous.get(f"/api/dossiers/lookup/{code}")

    assert answers == [200, 200, 200] and page.status_code == 429
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "thử lại sau" in limited.json()["detail"]
    other_address = Client(REMOTE_ADDR="10.1.2.3").get(f"/api/dossiers/lookup/{code}")
    assert other_address.status_code == 200


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/procedures?page_size=0", "page_size"),
        ("/api/procedures?page_size=101", "page_size"),
        ("/api/procedures?page=-1", "page"),
        ("/api/dossiers?size=-5", "size"),
        ("/api/dossiers?size=100000", "size"),
        ("/api/dossiers?status=99999999999999999999", "status"),
        ("/api/procedures/1.001193?version=9223372036854775808", "version"),
    ],
)
def test_values_out_of_range_are_422_naming_the_field(office, url, field):
    answer = client_for(office.citizen).get(url)

    assert answer.status_code == 422, answer.content
    assert list(answer.json()["errors"]) == [field]


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("request_payment", {"amount": 2**63}, "amount"),
        ("request_payment", {"amount": 0}, "amount"),
        ("consult", {"agency": "000.02.01.H59", "question": "?", "days": "1e-30"}, "days"),
        ("consult", {"agency": "000.02.01.H59", "question": "?", "days": "NaN"}, "days"),
        ("apologize", {"reasons": "x", "new_due_at": "9999-12-31T23:59:59+14:00"}, "new_due_at"),
        ("apologize", {"reasons": "x", "new_due_at": "0001-01-01T00:00:00+14:00"}, "new_due_at"),
        ("reply_consultation", {"consultation": 2**70, "answer": "x"}, "consultation"),
    ],
)
def test_amounts_days_and_dates_out_of_range_are_422_naming_the_field(office, action, body, field):
    ref = received(office).code

    answer = act(client_for(office.reception), ref, action, **body)

    assert answer.status_code == 422, answer.content
    assert list(answer.json()["errors"]) == [field]


def test_a_missing_field_is_named_in_the_one_error_shape(office):
    answer = client_for(office.citizen).post("/api/dossiers", {"form": {}}, content_type=JSON)

    assert answer.status_code == 422
    assert answer.json()["errors"] == {"procedure": ["Bắt buộc."]}


def test_the_openapi_documents_every_error_and_names_schemas_once(client):
    schema = client.get("/api/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorOut"}

    errors = schema["components"]["schemas"]["ErrorOut"]["properties"]["errors"]
    assert errors["type"] == "object" and errors["additionalProperties"]["type"] == "array"
    create = schema["paths"]["/api/dossiers"]["post"]["responses"]
    assert create["400"]["content"]["application/json"]["schema"] == error
    assert create["401"] and create["422"]
    assert schema["paths"]["/api/me"]["get"]["responses"]["401"]
    assert "429" in schema["paths"]["/api/dossiers/lookup/{code}"]["get"]["responses"]
    titles = [s.get("title") for s in schema["components"]["schemas"].values()]
    assert len(titles) == len(set(titles))


def test_a_login_with_a_huge_password_is_refused_not_hashed(client):
    user = UserFactory()
    answer = client.post(
        "/api/auth/token", {"username": user.username, "password": "x" * 100_000}, content_type=JSON
    )

    assert answer.status_code == 422 and list(answer.json()["errors"]) == ["password"]
    assert (
        client.post(
            "/api/auth/token", {"username": user.username, "password": PASSWORD}, content_type=JSON
        ).status_code
        == 200
    )
