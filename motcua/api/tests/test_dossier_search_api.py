"""GET /api/dossiers/search: the staff search in the API (filters as query parameters, keyset pages)."""

import pytest
from django.test import Client

from motcua.api.tests.test_dossiers_api import client_for
from motcua.dossiers.constants import Status
from motcua.dossiers.tests.test_search import at, dossier

pytestmark = pytest.mark.django_db

URL = "/api/dossiers/search"


def test_an_officer_searches_and_pages_with_next(office):
    rows = [dossier(office, name="Nguyễn Văn An", received=at(day)) for day in (10, 11, 12)]
    dossier(office, name="Trần Thị Lan", received=at(13))
    api = client_for(office.specialist)

    first = api.get(URL, {"applicant": "nguyen van an", "size": 2})
    second = api.get(URL, {"applicant": "nguyen van an", "size": 2, "after": first.json()["next"]})

    assert first.status_code == 200, first.content
    assert [d["code"] for d in first.json()["results"]] == [rows[2].code, rows[1].code]
    assert first.json()["results"][0]["status"] == {
        "code": 4,
        "national": "processing",
        "label": "Đang xử lý",
    }
    assert [d["code"] for d in second.json()["results"]] == [rows[0].code]
    assert second.json()["next"] is None


def test_every_filter_is_a_query_parameter(office):
    row = dossier(
        office,
        identity="008090000123",
        status=Status.RETURNED,
        received=at(12),
        due=at(20),
        finished=at(18),
    )
    dossier(office, received=at(14))
    api = client_for(office.specialist)
    params = {
        "code": row.code[:20],
        "identity": "008090000123",
        "procedure": "1.001193",
        "status": 10,
        "receiving_agency": "000.01.01.H59",
        "holder_agency": "000.01.01.H59",
        "submitted_from": "2026-03-12",
        "submitted_to": "2026-03-12",
        "received_from": "2026-03-12",
        "received_to": "2026-03-12",
        "due_from": "2026-03-20",
        "due_to": "2026-03-20",
        "finished_from": "2026-03-01",
        "finished_to": "2026-03-31",
    }

    found = api.get(URL, params)

    assert found.status_code == 200, found.content
    assert [d["code"] for d in found.json()["results"]] == [row.code]


def test_search_is_not_read_as_a_dossier_reference(office):
    dossier(office, received=at(12))
    answer = client_for(office.specialist).get(URL)
    assert answer.status_code == 200 and len(answer.json()["results"]) == 1


def test_a_citizen_is_refused_with_a_message(office):
    dossier(office, received=at(12))
    answer = client_for(office.citizen).get(URL)
    assert answer.status_code == 403
    assert answer.json()["detail"] == "Chỉ cán bộ được tra cứu hồ sơ."


def test_without_a_token_401(office):
    assert Client().get(URL).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"received_from": "2026-03-05", "received_to": "2026-03-01"}, "received_to"),
        ({"status": 0}, "status"),
        ({"status": 42}, "status"),
        ({"holder_agency": "000.99.99.H59"}, "holder_agency"),
        ({"after": "not-a-cursor"}, "after"),
        ({"after": "bm9uZV81"}, "after"),  # base64 of "none_5": no moment
    ],
)
def test_bad_input_is_422_naming_the_field(office, params, field):
    answer = client_for(office.specialist).get(URL, params)
    assert answer.status_code == 422, answer.content
    assert set(answer.json()["errors"]) == {field}


def test_a_malformed_date_is_422_naming_the_field(office):
    answer = client_for(office.specialist).get(URL, {"due_from": "13/45/2026"})
    assert answer.status_code == 422
    assert "due_from" in str(answer.json()["errors"])


def test_the_endpoint_is_in_the_openapi_schema(office):
    schema = Client().get("/api/openapi.json").json()
    operation = schema["paths"]["/api/dossiers/search"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"code", "applicant", "identity", "procedure", "status", "after", "size"} <= names
    assert {"received_from", "received_to", "due_from", "finished_to"} <= names
    assert {"200", "403", "422"} <= set(operation["responses"])
