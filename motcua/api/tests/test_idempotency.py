"""Idempotency-Key on the creating POSTs (motcua.api.idempotency)."""

import threading
import uuid

import pytest
from django.db import connections
from django.test import Client

from motcua.accounts.services import issue_token
from motcua.accounts.tests.factories import UserFactory
from motcua.api.models import IdempotentRequest
from motcua.api.tests.test_dossiers_api import JSON, client_for, pdf_upload
from motcua.dossiers.models import Attachment, Dossier
from motcua.dossiers.tests.factories import GOOD_FORM

pytestmark = pytest.mark.django_db

SUBMISSION = {"procedure": "1.001193", "form": GOOD_FORM}


def post_dossier(client: Client, key: str, body: dict | None = None):
    return client.post(
        "/api/dossiers", body or SUBMISSION, content_type=JSON, headers={"Idempotency-Key": key}
    )


def test_the_same_key_and_request_give_the_first_answer_and_create_once(office):
    citizen = client_for(office.citizen)
    key = str(uuid.uuid4())

    first = post_dossier(citizen, key)
    again = post_dossier(citizen, key)

    assert first.status_code == again.status_code == 201
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1


def test_the_same_key_with_another_request_is_422(office):
    citizen = client_for(office.citizen)
    key = str(uuid.uuid4())
    post_dossier(citizen, key)

    other = post_dossier(citizen, key, {**SUBMISSION, "form": {**GOOD_FORM, "child_name": "Khác"}})

    assert other.status_code == 422 and list(other.json()["errors"]) == ["Idempotency-Key"]
    assert Dossier.objects.count() == 1


def test_a_refusal_is_kept_as_the_answer_too(office):
    citizen = client_for(office.citizen)
    unknown = {"procedure": "9.999999", "form": {}}

    first = post_dossier(citizen, "k-404", unknown)
    again = post_dossier(citizen, "k-404", unknown)

    assert first.status_code == again.status_code == 404 and again.content == first.content


def test_keys_belong_to_their_account(office):
    citizen, business = client_for(office.citizen), client_for(UserFactory())

    mine = post_dossier(citizen, "same-key")
    theirs = post_dossier(business, "same-key")

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_request_refused_before_the_view_keeps_no_key(office):
    anonymous = Client(headers={"Authorization": "Bearer not-a-token"})
    assert post_dossier(anonymous, "k-401").status_code == 401
    assert not IdempotentRequest.objects.exists()

    assert post_dossier(client_for(office.citizen), "k-401").status_code == 201


def test_an_upload_repeated_with_its_key_is_stored_once(office):
    citizen = client_for(office.citizen)
    ref = citizen.post("/api/dossiers", {"procedure": "1.001193"}, content_type=JSON).json()["id"]

    answers = [
        citizen.post(
            f"/api/dossiers/{ref}/files", {"file": pdf_upload()}, headers={"Idempotency-Key": "up-1"}
        )
        for _ in range(2)
    ]

    assert [a.status_code for a in answers] == [201, 201] and answers[0].content == answers[1].content
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "khóa-có-dấu", "two words"])
def test_a_malformed_key_is_422(office, key):
    answer = post_dossier(client_for(office.citizen), key)

    assert answer.status_code == 422 and "Idempotency-Key" in answer.json()["errors"]
    assert not Dossier.objects.exists()


def test_the_openapi_declares_the_header(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    for path in ("/api/dossiers", "/api/dossiers/{ref}/files"):
        names = [p["name"] for p in paths[path]["post"]["parameters"] if p["in"] == "header"]
        assert names == ["Idempotency-Key"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_requests_with_one_key_create_one_dossier(office):
    raw, _token = issue_token(office.citizen)
    token = f"Bearer {raw}"
    barrier = threading.Barrier(20)
    answers: list = [None] * 20

    def send(i: int) -> None:
        client = Client(headers={"Authorization": token})
        barrier.wait()
        try:
            answers[i] = post_dossier(client, "parallel", {**SUBMISSION, "submit": False})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Dossier.objects.count() == 1
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
