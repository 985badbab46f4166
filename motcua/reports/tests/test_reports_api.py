"""GET /api/reports/*: who may read which report, the shapes, and a clear 4xx for bad input."""

import pytest
from django.test import Client

from motcua.accounts.constants import Role
from motcua.accounts.services import grant_role, issue_token
from motcua.accounts.tests.factories import StaffFactory
from motcua.agencies.constants import AgencyKind
from motcua.agencies.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
SPAN = "from=2026-01-01&to=2026-03-31"


def client_for(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_token(user)[0]}"})


@pytest.fixture
def people(office):
    admin = StaffFactory(full_name="Quản trị tỉnh")
    grant_role(admin, office.agency, Role.PROVINCE_ADMIN)
    return {"admin": admin, "leader": office.leader, "outsider": office.outsider, "citizen": office.citizen}


def test_indicators_answer_every_indicator_with_the_previous_period(office, people):
    response = client_for(people["leader"]).get(f"/api/reports/indicators?unit={office.agency.code}&{SPAN}")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unit"] == {
        "key": office.agency.code,
        "name": office.agency.name,
        "kind": "commune_committee",
    }
    assert body["period"] == {"from": "2026-01-01", "to": "2026-03-31", "label": "Quý 1/2026"}
    assert body["previous_period"]["from"] == "2025-10-01"
    codes = [i["code"] for i in body["indicators"]]
    assert {
        "received",
        "online_share",
        "done_late",
        "overdue_now",
        "paid_online_share",
        "results_signed",
    } <= set(codes)
    share = next(i for i in body["indicators"] if i["code"] == "procedures_online_share")
    assert (share["numerator"], share["denominator"], share["value"], share["kind"]) == (
        1,
        1,
        100.0,
        "percent",
    )


def test_the_score_has_six_groups_with_their_components(office, people):
    response = client_for(people["admin"]).get(f"/api/reports/score?unit=dvhc-08&{SPAN}")

    assert response.status_code == 200, response.content
    body = response.json()
    assert [(g["code"], g["max"]) for g in body["groups"]] == [
        ("CKMB", 18),
        ("TDGQ", 20),
        ("CLGQ", 12),
        ("TTTT", 10),
        ("MDHL", 18),
        ("MDSH", 22),
    ]
    assert body["total"] == sum(g["points"] for g in body["groups"]) and body["version"] == "2"
    component = body["groups"][0]["components"][0]
    assert set(component) == {
        "code",
        "name",
        "numerator",
        "denominator",
        "ratio",
        "target",
        "points",
        "max",
        "note",
    }


def test_ranking_and_the_national_evaluation_shape(office, people):
    client = client_for(people["leader"])
    ranking = client.get(f"/api/reports/ranking?kind=commune_committee&{SPAN}").json()
    assert [u["unit"]["key"] for u in ranking["units"]] == [office.agency.code, office.other_agency.code] or [
        u["unit"]["key"] for u in ranking["units"]
    ] == [office.other_agency.code, office.agency.code]
    assert {"total", "rank", "previous_rank", "previous_total"} <= set(ranking["units"][0])

    evaluation = client.get(f"/api/reports/evaluation?kind=commune_committee&{SPAN}").json()
    assert evaluation["timeType"] == "quarter"
    assert set(evaluation["items"][0]) == {
        "departmentId",
        "departmentCode",
        "departmentName",
        "score",
        "totalReceived",
        "totalOnTime",
        "totalOverdue",
    }


def test_who_may_read(office, people):
    unrelated = AgencyFactory(code="000.00.30.H59", name="Sở khác", kind=AgencyKind.DEPARTMENT)
    officer_elsewhere = StaffFactory()
    grant_role(officer_elsewhere, unrelated, Role.SPECIALIST)
    url = f"/api/reports/score?unit={office.agency.code}&{SPAN}"

    assert client_for(people["admin"]).get(url).status_code == 200
    assert client_for(people["leader"]).get(url).status_code == 200  # a leader of the unit
    assert client_for(people["outsider"]).get(url).status_code == 403  # the other ward's officer
    assert client_for(officer_elsewhere).get(url).status_code == 403
    assert client_for(people["citizen"]).get(url).status_code == 403
    assert (
        client_for(people["citizen"]).get(f"/api/reports/ranking?kind=department&{SPAN}").status_code == 403
    )
    assert Client().get(url).status_code == 401
    # The ward's officers read the ward and the province they serve in; not the other ward's agency.
    assert client_for(people["leader"]).get(f"/api/reports/score?unit=dvhc-08&{SPAN}").status_code == 200
    other = f"/api/reports/score?unit={office.other_agency.code}&{SPAN}"
    assert client_for(people["leader"]).get(other).status_code == 403
    # The headline figures are public.
    headline = Client().get(f"/api/reports/headline?{SPAN}")
    assert headline.status_code == 200 and headline.json()["unit"]["key"] == "dvhc-08"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("unit=nope&from=2026-01-01&to=2026-01-31", "unit"),
        ("unit=dvhc-08&from=2026-02-01&to=2026-01-31", "to"),
        ("unit=dvhc-08&from=2026-02-30&to=2026-03-31", "from"),
        ("unit=dvhc-08&from=0001-01-01&to=2026-03-31", "from"),
        ("unit=dvhc-08&from=2000-01-01&to=2026-03-31", "to"),
        ("unit=dvhc-08&to=2026-03-31", "from"),
        ("from=2026-01-01&to=2026-03-31", "unit"),
        ("unit=dvhc-08&from=2026-01-01&to=2026-03-31&procedure=9.999999", "procedure"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(office, people, query, field):
    response = client_for(people["admin"]).get(f"/api/reports/indicators?{query}")
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"], response.json()


def test_an_unknown_kind_is_a_422(office, people):
    response = client_for(people["admin"]).get(f"/api/reports/ranking?kind=galaxy&{SPAN}")
    assert response.status_code == 422 and "kind" in response.json()["errors"]
