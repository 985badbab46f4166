"""Machine clients of the API (issue 13 §5): the client-credentials exchange, each scope allowed and
refused, the agencies a client sees, and the refused attempts in the access log."""

import base64
import datetime

import pytest
from django.test import Client
from django.utils import timezone

from motcua.accounts import clients
from motcua.accounts.constants import ClientScope
from motcua.accounts.models import AccessLogEntry, ApiClientToken
from motcua.api.tests.test_dossiers_api import JSON, client_for
from motcua.core import clock
from motcua.core.models import AuditEntry
from motcua.dossiers.constants import Status
from motcua.dossiers.tests.factories import received, submitted

pytestmark = pytest.mark.django_db

ALL = [s.value for s in ClientScope]


def make_client(
    office, scopes, *, agencies=None, province_wide=False, acting_user=None, client_id="may-khach"
):
    agencies = [office.agency] if agencies is None else agencies
    return clients.create_client(
        name="Máy khách thử",
        client_id=client_id,
        scopes=scopes,
        agencies=agencies,
        province_wide=province_wide,
        acting_user=acting_user,
    )


def exchange(client_id: str, secret: str, **extra):
    return Client().post(
        "/api/auth/client-token",
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, **extra},
    )


def as_client(new: clients.NewClient) -> Client:
    answer = exchange(new.client.client_id, new.secret)
    assert answer.status_code == 200, answer.content
    return Client(headers={"Authorization": f"Bearer {answer.json()['access_token']}"})


def refused_rows(client_id: str):
    return AccessLogEntry.objects.filter(client__client_id=client_id, allowed=False)


# ---------------------------------------------------------------------------------------------
# Credentials


def test_a_client_exchanges_its_id_and_secret_for_a_short_token(office, settings):
    settings.MOTCUA_CLIENT_TOKEN_MINUTES = 15
    new = make_client(office, [ClientScope.REPORTS_READ, ClientScope.CATALOGUE_READ])
    assert new.client.secret_digest == clients.digest(new.secret)  # only the digest is kept
    assert new.secret not in str(new.client.__dict__)

    answer = exchange("may-khach", new.secret)

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["token_type"] == "bearer" and body["access_token"].startswith(clients.TOKEN_PREFIX)
    assert 14 * 60 <= body["expires_in"] <= 15 * 60
    assert body["scope"] == "catalogue.read reports.read"
    assert ApiClientToken.objects.get().digest == clients.digest(body["access_token"])
    assert AuditEntry.objects.filter(action="api_client.token_issued").count() == 1


def test_http_basic_is_accepted_too(office):
    new = make_client(office, [ClientScope.CATALOGUE_READ])
    basic = base64.b64encode(f"may-khach:{new.secret}".encode()).decode()
    answer = Client().post(
        "/api/auth/client-token", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert answer.status_code == 200, answer.content


@pytest.mark.parametrize("case", ["wrong secret", "unknown client", "inactive", "expired client"])
def test_bad_credentials_get_one_message(office, case):
    new = make_client(office, [ClientScope.CATALOGUE_READ])
    client_id, secret = "may-khach", new.secret
    if case == "wrong secret":
        secret = new.secret[:-2] + "xx"
    elif case == "unknown client":
        client_id = "khong-co"
    elif case == "inactive":
        clients.deactivate_client(new.client)
    else:
        new.client.expires_at = timezone.now() - datetime.timedelta(minutes=1)
        new.client.save()

    answer = exchange(client_id, secret)

    assert answer.status_code == 401
    assert answer.json()["detail"] == "Mã ứng dụng hoặc khóa bí mật không đúng, hoặc ứng dụng đã bị khóa."
    assert not ApiClientToken.objects.exists()


def test_only_the_client_credentials_grant(office):
    new = make_client(office, [ClientScope.CATALOGUE_READ])
    answer = exchange("may-khach", new.secret, grant_type="password")
    assert answer.status_code == 422 and set(answer.json()["errors"]) == {"grant_type"}


def test_repeated_failures_from_one_address_are_throttled(office, settings):
    settings.MOTCUA_CLIENT_TOKEN_FAILURE_RATE = "3/h"
    new = make_client(office, [ClientScope.CATALOGUE_READ])
    assert [exchange("may-khach", "sai").status_code for _ in range(3)] == [401, 401, 401]

    answer = exchange("may-khach", new.secret)  # even the right secret waits: no guessing at speed

    assert answer.status_code == 429 and int(answer["Retry-After"]) > 0


def test_an_expired_token_is_refused(office):
    new = make_client(office, [ClientScope.CATALOGUE_READ])
    api = as_client(new)
    assert api.get("/api/units").status_code == 200
    later = timezone.now() + datetime.timedelta(minutes=16)

    with clock.using(lambda: later):
        answer = api.get("/api/dossiers/000.01.01.H59-260101-0001")

    assert answer.status_code == 401


def test_a_deactivated_client_loses_its_tokens_at_once(office):
    new = make_client(office, [ClientScope.DOSSIERS_READ])
    api = as_client(new)
    dossier = received(office)
    assert api.get(f"/api/dossiers/{dossier.code}").status_code == 200

    clients.deactivate_client(new.client)

    assert api.get(f"/api/dossiers/{dossier.code}").status_code == 401
    assert AuditEntry.objects.filter(action="api_client.deactivated").count() == 1


def test_a_rotated_secret_keeps_the_old_one_for_the_grace_period_only(office):
    new = make_client(office, [ClientScope.CATALOGUE_READ])
    fresh = clients.rotate_secret(new.client, grace=datetime.timedelta(hours=1))

    assert exchange("may-khach", fresh).status_code == 200
    assert exchange("may-khach", new.secret).status_code == 200  # during the grace
    with clock.using(lambda: timezone.now() + datetime.timedelta(hours=2)):
        assert exchange("may-khach", new.secret).status_code == 401
        assert exchange("may-khach", fresh).status_code == 200

    type(new.client).objects.filter(pk=new.client.pk).update(scopes=[ClientScope.DOSSIERS_READ])
    api = as_client(clients.NewClient(new.client, fresh))
    assert api.get("/api/dossiers").status_code == 200
    clients.rotate_secret(new.client, grace=datetime.timedelta(0))  # compromised: everything ends now
    assert api.get("/api/dossiers").status_code == 401
    assert exchange("may-khach", fresh).status_code == 401


# ---------------------------------------------------------------------------------------------
# Scopes: each allowed and refused


STALE = {"revision": 999}


def _calls(office):
    dossier = received(office)
    year = timezone.localdate().year
    return {
        ClientScope.CATALOGUE_READ: ("get", "/api/procedures/1.001193", None),
        ClientScope.DOSSIERS_READ: ("get", f"/api/dossiers/{dossier.code}", None),
        ClientScope.DOSSIERS_ACT: ("post", f"/api/dossiers/{dossier.code}/actions/forward", STALE),
        ClientScope.NATIONAL_SYNC: ("get", f"/api/national/dossiers/{dossier.code}", None),
        ClientScope.REPORTS_READ: (
            "get",
            f"/api/reports/ranking?kind=commune_committee&from={year}-01-01&to={year}-12-31",
            None,
        ),
    }


def _call(api: Client, method: str, path: str, body):
    if method == "get":
        return api.get(path)
    return api.post(path, body, content_type=JSON)


@pytest.mark.parametrize("scope", ALL)
def test_each_scope_opens_its_operations_and_only_them(office, scope):
    calls = _calls(office)
    new = make_client(office, [scope], acting_user=office.specialist)
    api = as_client(new)

    for other, (method, path, body) in calls.items():
        answer = _call(api, method, path, body)
        if other == scope:
            # dossiers.act reaches the service: a stale revision is a conflict, not a refusal.
            assert answer.status_code == (409 if scope == ClientScope.DOSSIERS_ACT else 200), (
                path,
                answer.content,
            )
        else:
            assert answer.status_code == 403, (other, path, answer.content)
            assert answer.json()["required_scope"] == other.value
            assert other.value in answer.json()["detail"]

    refused = refused_rows("may-khach")
    assert refused.count() == len(ALL) - 1  # every refused attempt logged
    assert {row.object_type for row in refused} == {"operation"}
    assert all(row.channel == "api" and row.address == "127.0.0.1" for row in refused)


def test_a_client_without_the_scope_is_refused_and_its_attempt_logged(office):
    """The acceptance line of issue 13 §5."""
    dossier = received(office)
    new = make_client(office, [ClientScope.CATALOGUE_READ])
    api = as_client(new)

    answer = api.get(f"/api/dossiers/{dossier.code}")

    assert answer.status_code == 403
    assert answer.json() == {
        "detail": "Ứng dụng “may-khach” chưa được cấp phạm vi “dossiers.read” cho thao tác này.",
        "errors": {},
        "required_scope": "dossiers.read",
    }
    row = refused_rows("may-khach").get()
    assert row.purpose == f"GET /api/dossiers/{dossier.code}" and "dossiers.read" in row.reason
    assert row.user is None and row.client == new.client
    assert row.code_list == [dossier.code]  # the supervisor finds the attempt by the dossier's code


def test_operations_for_people_only_refuse_every_client(office):
    new = make_client(office, ALL, province_wide=True, acting_user=office.reception)
    api = as_client(new)

    me = api.get("/api/me")
    created = api.post("/api/dossiers", {"procedure": "1.001193"}, content_type=JSON)

    assert me.status_code == 403 and me.json()["required_scope"] is None
    assert created.status_code == 403
    assert refused_rows("may-khach").count() == 2


def test_the_catalogue_stays_public_without_a_token(office):
    assert Client().get("/api/procedures/1.001193").status_code == 200
    assert Client().get("/api/units").status_code == 200


# ---------------------------------------------------------------------------------------------
# Agencies


def test_a_client_sees_exactly_its_agencies_dossiers(office):
    ours = received(office)
    theirs = submitted(office, agency=office.other_agency)
    mine = as_client(make_client(office, [ClientScope.DOSSIERS_READ], agencies=[office.agency]))
    other = as_client(
        make_client(office, [ClientScope.DOSSIERS_READ], agencies=[office.other_agency], client_id="khac")
    )
    wide = as_client(
        make_client(office, [ClientScope.DOSSIERS_READ], agencies=[], province_wide=True, client_id="tinh")
    )
    none = as_client(make_client(office, [ClientScope.DOSSIERS_READ], agencies=[], client_id="rong"))

    assert mine.get(f"/api/dossiers/{ours.code}").status_code == 200
    assert mine.get(f"/api/dossiers/{theirs.code}").status_code == 404
    assert other.get(f"/api/dossiers/{ours.code}").status_code == 404
    assert [d["code"] for d in mine.get("/api/dossiers").json()["results"]] == [ours.code]
    assert [d["code"] for d in other.get("/api/dossiers").json()["results"]] == [theirs.code]
    assert {d["code"] for d in wide.get("/api/dossiers").json()["results"]} == {ours.code, theirs.code}
    assert none.get("/api/dossiers").json()["results"] == []
    assert none.get(f"/api/dossiers/{ours.code}").status_code == 404
    # The refusal of another agency's dossier is logged with the code asked for.
    row = AccessLogEntry.objects.get(client__client_id="may-khach", allowed=False)
    assert row.code_list == [theirs.code]


def test_a_client_reading_a_dossier_sees_the_staff_view_without_actions(office):
    dossier = received(office)
    api = as_client(make_client(office, [ClientScope.DOSSIERS_READ]))

    body = api.get(f"/api/dossiers/{dossier.code}").json()

    assert body["allowed_actions"] == []
    assert body["applicant_name"] == dossier.applicant_name
    file = dossier.attachments.first()
    assert api.get(f"/api/dossiers/{dossier.code}/files/{file.pk}").status_code == 200


def test_a_client_acts_in_its_responsible_officers_name_under_the_rule_table(office):
    dossier = submitted(office)
    api = as_client(
        make_client(
            office, [ClientScope.DOSSIERS_READ, ClientScope.DOSSIERS_ACT], acting_user=office.reception
        )
    )
    detail = api.get(f"/api/dossiers/{dossier.code}").json()
    assert "receive" in detail["allowed_actions"]  # the officer's actions, as the rule table says

    answer = api.post(
        f"/api/dossiers/{dossier.code}/actions/receive", {"revision": detail["revision"]}, content_type=JSON
    )

    assert answer.status_code == 200, answer.content
    dossier.refresh_from_db()
    assert dossier.status in (Status.RECEIVED, Status.PROCESSING)
    action = dossier.actions.order_by("-id").first()
    assert action.actor == office.reception
    entries = AuditEntry.objects.filter(data__client="may-khach")
    assert entries.exists() and all(e.actor_id == office.reception.pk for e in entries)
    # The officer's roles still decide: the reception officer may not approve.
    forward = api.post(
        f"/api/dossiers/{dossier.code}/actions/approve",
        {"revision": answer.json()["revision"]},
        content_type=JSON,
    )
    assert forward.status_code == 403


def test_acting_needs_a_responsible_officer(office):
    dossier = submitted(office)
    api = as_client(make_client(office, [ClientScope.DOSSIERS_ACT]))

    answer = api.post(
        f"/api/dossiers/{dossier.code}/actions/receive", {"revision": dossier.revision}, content_type=JSON
    )

    assert answer.status_code == 403
    assert "cán bộ chịu trách nhiệm" in answer.json()["detail"]


def test_reports_only_for_the_clients_agencies(office):
    year = timezone.localdate().year
    api = as_client(make_client(office, [ClientScope.REPORTS_READ]))
    period = f"from={year}-01-01&to={year}-12-31"

    assert api.get(f"/api/reports/score?unit={office.agency.code}&{period}").status_code == 200
    assert api.get(f"/api/reports/score?unit={office.other_agency.code}&{period}").status_code == 403


# ---------------------------------------------------------------------------------------------
# The access log of the API


def test_reads_of_personal_data_by_clients_and_officers_are_logged_once_per_request(office):
    dossier = received(office)
    api = as_client(make_client(office, [ClientScope.DOSSIERS_READ, ClientScope.NATIONAL_SYNC]))
    officer = client_for(office.reception)
    citizen = client_for(office.citizen)

    api.get(f"/api/dossiers/{dossier.code}")
    api.get("/api/dossiers")
    api.get(f"/api/national/dossiers/{dossier.code}")
    officer.get(f"/api/dossiers/{dossier.code}")
    officer.get("/api/dossiers")
    citizen.get(f"/api/dossiers/{dossier.code}")  # the person reading their own data: not logged
    citizen.get("/api/dossiers")

    rows = list(AccessLogEntry.objects.order_by("id"))
    assert [(r.purpose, r.client_id is not None, r.user_id) for r in rows] == [
        ("api:get_dossier", True, None),
        ("api:list_dossiers", True, None),
        ("api:national_dossier", True, None),
        ("api:get_dossier", False, office.reception.pk),
        ("api:list_dossiers", False, office.reception.pk),
    ]
    assert all(r.allowed and r.code_list == [dossier.code] for r in rows)
    assert all(office.citizen.identity_number in r.identity_list for r in rows)
    assert rows[1].object_type == "dossier_list" and rows[1].count == 1


def test_the_schema_documents_the_client_credentials(office):
    schema = Client().get("/api/openapi.json").json()

    assert "/api/auth/client-token" in schema["paths"]
    scheme = schema["components"]["securitySchemes"]["BearerToken"]
    assert "client-token" in scheme["description"] and "dossiers.read" in scheme["description"]
    assert {} in schema["paths"]["/api/procedures"]["get"]["security"]  # public, a token optional
    detail = schema["paths"]["/api/dossiers/{ref}"]["get"]
    assert "403" in detail["responses"] and "dossiers.read" in detail["description"]
