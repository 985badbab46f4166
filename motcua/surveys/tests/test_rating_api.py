"""POST and GET /api/dossiers/{code}/rating: the applicant's token; 201 with the rating, 200 when it is
changed, 4xx naming the field; read by whoever may see the dossier."""

import datetime

import pytest
from django.test import Client

from motcua.accounts.services import issue_token
from motcua.core import clock
from motcua.surveys.models import Rating
from motcua.surveys.tests.factories import ANSWERS, ready, returned

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_token(user)[0]}"})


def post(client, dossier, body):
    return client.post(f"/api/dossiers/{dossier.code}/rating", body, content_type="application/json")


def test_the_applicant_rates_then_changes_the_rating(office):
    dossier = returned(office)
    client = api(office.citizen)
    assert client.get(f"/api/dossiers/{dossier.code}/rating").status_code == 404

    response = post(client, dossier, ANSWERS)
    assert response.status_code == 201, response.content
    body = response.json()
    rating = Rating.objects.get(dossier=dossier)
    assert {k: body[k] for k in ANSWERS} == ANSWERS
    assert body["channel"] == "api" and body["satisfied"] is True and body["score"] == 87
    assert body["editable"] is True
    editable_until = datetime.datetime.fromisoformat(body["editable_until"])
    # (the API writes times to the millisecond)
    assert abs(editable_until - rating.created_at - datetime.timedelta(days=7)) < datetime.timedelta(
        milliseconds=1
    )

    changed = post(client, dossier, {**ANSWERS, "overall": 2, "comment": ""})
    assert changed.status_code == 200 and changed.json()["satisfied"] is False
    assert Rating.objects.get().edits == 1

    # By its public id too, and read by the officers who may see the dossier.
    by_id = client.get(f"/api/dossiers/{dossier.public_id}/rating")
    assert by_id.status_code == 200 and by_id.json()["overall"] == 2
    staff = api(office.reception).get(f"/api/dossiers/{dossier.code}/rating")
    assert staff.status_code == 200 and staff.json()["editable"] is False


def test_who_may_rate_and_when(office):
    dossier = returned(office)
    assert post(api(office.reception), dossier, ANSWERS).status_code == 403
    assert post(api(office.stranger), dossier, ANSWERS).status_code == 404  # not theirs: not found
    assert api(office.stranger).get(f"/api/dossiers/{dossier.code}/rating").status_code == 404
    assert (
        Client()
        .post(f"/api/dossiers/{dossier.code}/rating", ANSWERS, content_type="application/json")
        .status_code
        == 401
    )

    early = post(api(office.citizen), ready(office), ANSWERS)
    assert early.status_code == 409
    assert early.json()["detail"] == "Chỉ đánh giá được sau khi hồ sơ đã trả kết quả."

    assert post(api(office.citizen), dossier, ANSWERS).status_code == 201
    week_later = clock.now() + datetime.timedelta(days=8)
    with clock.using(lambda: week_later):
        late = post(api(office.citizen), dossier, {**ANSWERS, "overall": 1})
        assert late.status_code == 409 and "7 ngày" in late.json()["detail"]
        assert api(office.citizen).get(f"/api/dossiers/{dossier.code}/rating").json()["editable"] is False
    assert Rating.objects.get().overall == 4


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({**ANSWERS, "overall": 6}, {"overall": ["Tối đa 5."]}),
        ({**ANSWERS, "contacts": 0}, {"contacts": ["Tối thiểu 1."]}),
        ({**ANSWERS, "staff_attitude": "5"}, {"staff_attitude": ["Phải là một số nguyên."]}),
        ({**ANSWERS, "staff_attitude": True}, {"staff_attitude": ["Phải là một số nguyên."]}),
        ({k: v for k, v in ANSWERS.items() if k != "processing_time"}, {"processing_time": ["Bắt buộc."]}),
        ({**ANSWERS, "comment": "x" * 2001}, {"comment": ["Tối đa 2000 ký tự."]}),
    ],
)
def test_bad_answers_are_refused_naming_the_field(office, body, errors):
    dossier = returned(office)
    response = post(api(office.citizen), dossier, body)
    assert response.status_code == 422
    assert response.json()["errors"] == errors
    assert not Rating.objects.exists()


def test_the_schema_documents_the_rating(office):
    schema = Client().get("/api/openapi.json").json()
    operations = schema["paths"]["/api/dossiers/{ref}/rating"]
    assert set(operations) == {"get", "post"}
    assert set(operations["post"]["responses"]) >= {"200", "201", "403", "404", "409", "422"}
    body = schema["components"]["schemas"]["RatingIn"]
    assert body["required"] == ["processing_time", "contacts", "staff_attitude", "overall"]
    assert body["properties"]["overall"]["minimum"] == 1 and body["properties"]["overall"]["maximum"] == 5
