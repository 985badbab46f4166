"""Text no field accepts (NUL, lone surrogates) is refused in one place, for pages and the API."""

import json

import pytest

from motcua.api.tests.test_dossiers_api import JSON, client_for
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import GOOD_FORM

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_path_is_404(client):
    assert client.get("/thu-tuc/1.0%0001/").status_code == 404
    assert client.get("/api/procedures/1.0%00").status_code == 404


@pytest.mark.parametrize("url", ["/thu-tuc/?q=khai%00sinh", "/api/procedures?q=a%00b", "/tra-cuu/?ma=%00"])
def test_a_nul_in_the_query_is_422_naming_the_parameter(client, url):
    answer = client.get(url)

    assert answer.status_code == 422
    if url.startswith("/api/"):
        assert answer.json()["errors"] == {"q": [answer.json()["detail"]]}


def test_a_nul_in_a_form_is_422(client):
    answer = client.post("/dang-nhap/", {"username": "a\x00b", "password": "x"})

    assert answer.status_code == 422 and "không hợp lệ" in answer.content.decode()


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('{"procedure": "1.001193", "form": {"child_name": "An\\u0000"}}', "form.child_name"),
        ('{"procedure": "1.001193", "form": {"child_name": "\\ud800"}}', "form.child_name"),
        ('{"procedure": "1.001193", "form": {"\\udfff": "x"}}', "form."),
        ('{"procedure": "1.001193\\u0000"}', "procedure"),
    ],
)
def test_nul_or_a_lone_surrogate_in_json_is_422_and_creates_nothing(office, text, field):
    answer = client_for(office.citizen).post("/api/dossiers", text, content_type=JSON)

    assert answer.status_code == 422, answer.content
    assert list(answer.json()["errors"]) == [field]
    assert not Dossier.objects.exists()


def test_a_surrogate_pair_is_ordinary_text(office):
    body = json.dumps({"procedure": "1.001193", "form": {**GOOD_FORM, "child_name": "An 😀"}})

    answer = client_for(office.citizen).post("/api/dossiers", body, content_type=JSON)

    assert answer.status_code == 201


@pytest.mark.parametrize("body", ["[]", "[1, 2]", '"text"', "42", "null"])
def test_a_json_body_that_is_not_an_object_is_422(office, body):
    answer = client_for(office.citizen).post("/api/dossiers", body, content_type=JSON)

    assert answer.status_code == 422 and list(answer.json()["errors"]) == ["body"]


def test_a_body_that_is_not_json_is_400_in_the_one_shape(office):
    answer = client_for(office.citizen).post("/api/dossiers", "{not json", content_type=JSON)

    assert answer.status_code == 400 and answer.json()["errors"] == {}


def test_a_draft_keeps_at_most_what_a_field_holds(office):
    huge = "x" * (2 * 1024 * 1024)
    answer = client_for(office.citizen).post(
        "/api/dossiers", {"procedure": "1.001193", "form": {"child_name": huge}}, content_type=JSON
    )

    assert answer.status_code == 201 and answer.json()["errors"]["child_name"]
    assert len(Dossier.objects.get().form_data["child_name"]) == 500


def test_names_are_kept_in_nfc_without_invisible_characters(office):
    answer = client_for(office.citizen).post(
        "/api/dossiers",
        {"procedure": "1.001193", "form": {"child_name": "Nguye\u0302\u0303n\u200b An"}},
        content_type=JSON,
    )

    assert answer.json()["form"]["child_name"] == "Nguyễn An"
