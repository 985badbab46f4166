import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from motcua.accounts.tests.factories import PASSWORD
from motcua.dossiers.models import Attachment
from motcua.dossiers.tests.factories import GOOD_FORM, PDF, received, submitted

pytestmark = pytest.mark.django_db

JSON = "application/json"


def client_for(user) -> Client:
    """A client sending the bearer token ``user`` gets from POST /api/auth/token."""
    response = Client().post(
        "/api/auth/token", {"username": user.username, "password": PASSWORD}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    return Client(headers={"Authorization": f"Bearer {response.json()['access_token']}"})


def act(client: Client, ref: str, action: str, **body):
    """POST an action with the revision the client reads first (as a client must), unless given."""
    if "revision" not in body:
        body["revision"] = client.get(f"/api/dossiers/{ref}").json().get("revision", 0)
    return client.post(f"/api/dossiers/{ref}/actions/{action}", body, content_type=JSON)


def pdf_upload(name: str = "giay-to.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_dossier_from_draft_to_returned_result_by_api(office):
    citizen, reception = client_for(office.citizen), client_for(office.reception)
    specialist, leader = client_for(office.specialist), client_for(office.leader)

    created = citizen.post(
        "/api/dossiers",
        {"procedure": "1.001193", "form": {**GOOD_FORM, "birth_date": "01/11/2026"}},
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    draft = created.json()
    assert draft["status"] == {"code": 0, "national": "draft", "label": "Bản nháp"}
    assert draft["code"] is None and draft["receiving_agency"]["code"] == "000.01.01.H59"
    assert set(draft["errors"]) == {"birth_date"}
    assert draft["form"]["birth_date"] == "01/11/2026"  # a draft keeps what was typed
    ref = draft["id"]

    fixed = citizen.patch(f"/api/dossiers/{ref}", {"form": {"birth_date": "2026-11-01"}}, content_type=JSON)
    assert fixed.status_code == 200 and fixed.json()["errors"] == {}
    assert fixed.json()["form"] == GOOD_FORM
    for document in office.version.documents.filter(required=True):
        uploaded = citizen.post(f"/api/dossiers/{ref}/files", {"file": pdf_upload(), "document": document.pk})
        assert uploaded.status_code == 201, uploaded.content
        assert {
            "name": "giay-to.pdf",
            "content_type": "application/pdf",
            "document": document.pk,
        }.items() <= (uploaded.json().items())
    submitted_ = citizen.post(f"/api/dossiers/{ref}/submit", {"declaration": True}, content_type=JSON)
    assert submitted_.status_code == 200, submitted_.content
    assert submitted_.json()["status"]["national"] == "receiving"
    # The code is given at submission, so the applicant can look the dossier up at once.
    code = submitted_.json()["code"]
    assert re.fullmatch(rf"000\.01\.01\.H59-{timezone.localdate():%y%m%d}-0001", code)
    assert submitted_.json()["allowed_actions"] == ["withdraw"]
    assert reception.get(f"/api/dossiers/{code}").json()["allowed_actions"] == [
        "add_scan",
        "receive",
        "request_supplement",
        "refuse",
    ]

    taken = act(reception, ref, "receive", note="Đủ giấy tờ")
    assert taken.status_code == 200, taken.content
    assert taken.json()["code"] == code
    # With a specialist, it is in processing (4), as the national portal counts it.
    assert taken.json()["status"]["code"] == 4 and taken.json()["due_at"]
    assert act(specialist, code, "forward", note="Hồ sơ hợp lệ").json()["status"]["code"] == 4
    revision = leader.get(f"/api/dossiers/{code}").json()["revision"]
    result = leader.post(
        f"/api/dossiers/{code}/actions/attach_result",
        {"file": pdf_upload("ket-qua.pdf"), "revision": revision},
    )
    assert result.status_code == 200, result.content
    assert "approve" in result.json()["allowed_actions"]
    assert act(leader, code, "approve", note="Đồng ý").json()["status"] == {
        "code": 9,
        "national": "releasing",
        "label": "Đã xử lý xong",
    }
    assert leader.get(f"/api/dossiers/{code}").json()["allowed_actions"] == []
    assert reception.get(f"/api/dossiers/{code}").json()["allowed_actions"] == ["return_result"]
    assert act(reception, code, "return_result", note="Đã trả tận tay").status_code == 200

    seen = citizen.get(f"/api/dossiers/{code}").json()
    assert seen["status"] == {"code": 10, "national": "done", "label": "Đã trả kết quả"}
    assert seen["overdue"] is False and seen["applicant_name"] == "Nguyễn Văn An"
    assert [a["type"] for a in seen["timeline"]] == [
        "submit",
        "receive",
        "forward",
        "attach_result",
        "approve",
        "return_result",
    ]
    assert [a["status_after"] for a in seen["timeline"]] == [1, 4, 4, 4, 9, 10]
    receive_entry = seen["timeline"][1]
    # The applicant sees which unit acted, not the officer's name nor internal notes.
    assert receive_entry["actor"] is None
    assert receive_entry["agency"]["code"] == "000.01.01.H59"
    assert (receive_entry["label"], receive_entry["note"]) == ("Tiếp nhận hồ sơ", "")
    staff_view = reception.get(f"/api/dossiers/{code}").json()["timeline"][1]
    assert (staff_view["actor"], staff_view["note"]) == (office.reception.full_name, "Đủ giấy tờ")
    assert [s["role"] for s in seen["steps"]] == ["reception", "specialist", "leader"]
    assert all(s["completed_at"] for s in seen["steps"])
    kinds = [(a["kind"], a["notice_form"]) for a in seen["attachments"]]
    assert kinds == [("applicant", ""), ("applicant", ""), ("notice", "01"), ("result", "")]
    result_file = seen["attachments"][-1]
    assert result_file["name"] == "ket-qua.pdf"
    download = citizen.get(f"/api/dossiers/{code}/files/{result_file['id']}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_create_and_submit_at_once_only_when_complete(office):
    citizen = client_for(office.citizen)

    response = citizen.post(
        "/api/dossiers",
        {
            "procedure": "1.001193",
            "receiving_agency": "000.02.01.H59",
            "form": GOOD_FORM,
            "subject": {"name": "Nguyễn Minh Khôi", "relation": "Con"},
            "submit": True,
            "declaration": True,
        },
        content_type=JSON,
    )

    assert response.status_code == 201
    body = response.json()
    assert body["status"]["code"] == 0  # the documents are missing: it stays a draft
    assert body["receiving_agency"]["code"] == "000.02.01.H59"
    assert body["subject"] == {"name": "Nguyễn Minh Khôi", "identity": "", "relation": "Con"}
    assert len(body["errors"]["documents"]) == 2
    assert [d["name"] for d in body["missing_documents"]] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]


def test_a_complete_dossier_submitted_at_once_answers_what_the_schema_would(office):
    import json

    from motcua.api.dossier_schemas import DossierSaved
    from motcua.api.urls import api
    from motcua.dossiers.models import Dossier

    office.version.documents.update(required=False)
    citizen = client_for(office.citizen)
    body = {"procedure": "1.001193", "form": GOOD_FORM, "submit": True, "declaration": True}

    response = citizen.post("/api/dossiers", body, content_type=JSON)

    assert response.status_code == 201 and response["Content-Type"] == "application/json; charset=utf-8"
    answer = response.json()
    assert answer["status"] == {"code": 1, "national": "receiving", "label": "Mới đăng ký"}
    assert answer["errors"] == {} and re.fullmatch(r"000\.01\.01\.H59-\d{6}-0001", answer["code"])
    # the answer is rendered without pydantic: it must be exactly what validating it would give
    validated = DossierSaved.model_validate(answer).model_dump()  # as ninja does
    rendered = json.loads(api.create_response(None, validated, status=201).content)
    assert rendered == answer
    # and the detail of the stored dossier agrees with it (the applicant's view of the timeline)
    dossier = Dossier.objects.get(public_id=answer["id"])
    stored = citizen.get(f"/api/dossiers/{dossier.public_id}").json()
    keys = (
        "id",
        "code",
        "status",
        "procedure",
        "receiving_agency",
        "form",
        "submitted_at",
        "revision",
        "steps",
    )
    for key in (*keys, "allowed_actions"):
        assert stored[key] == answer[key], key
    assert [(t["type"], t["status_after"]) for t in stored["timeline"]] == [("submit", 1)]


def test_supplement_resubmit_and_withdraw_by_the_applicant(office):
    citizen, reception = client_for(office.citizen), client_for(office.reception)
    dossier = submitted(office)
    ref = str(dossier.public_id)

    asked = act(reception, ref, "request_supplement", items=["Giấy chứng sinh bản chính"], note="Bản mờ")
    assert asked.json()["status"]["national"] == "waiting"
    document = office.version.documents.get(name="Giấy chứng sinh")
    assert (
        citizen.post(
            f"/api/dossiers/{ref}/files", {"file": pdf_upload(), "document": document.pk}
        ).status_code
        == 201
    )
    assert (
        citizen.post(f"/api/dossiers/{ref}/resubmit", {"note": "Đã bổ sung"}, content_type=JSON).json()[
            "status"
        ]["code"]
        == 1
    )
    no_reason = citizen.post(f"/api/dossiers/{ref}/withdraw", {}, content_type=JSON)
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["errors"]
    withdrawn = citizen.post(f"/api/dossiers/{ref}/withdraw", {"reason": "Nộp nhầm"}, content_type=JSON)
    assert withdrawn.json()["status"] == {
        "code": 7,
        "national": "cancelled",
        "label": "Công dân yêu cầu rút hồ sơ",
    }


def test_someone_elses_dossier_is_a_404_and_no_token_a_401(office):
    dossier = received(office)
    stranger, outsider = client_for(office.stranger), client_for(office.outsider)
    attachment = dossier.attachments.first()

    for ref in (dossier.code, str(dossier.public_id)):
        assert stranger.get(f"/api/dossiers/{ref}").status_code == 404
        assert stranger.patch(f"/api/dossiers/{ref}", {"form": {}}, content_type=JSON).status_code == 404
        assert (
            stranger.post(f"/api/dossiers/{ref}/withdraw", {"reason": "x"}, content_type=JSON).status_code
            == 404
        )
        assert stranger.post(f"/api/dossiers/{ref}/files", {"file": pdf_upload()}).status_code == 404
        assert stranger.get(f"/api/dossiers/{ref}/files/{attachment.pk}").status_code == 404
        assert act(stranger, ref, "forward").status_code == 404
        assert outsider.get(f"/api/dossiers/{ref}").status_code == 404
        assert act(outsider, ref, "forward").status_code in (403, 404)
        assert act(outsider, ref, "stop", reasons="Thử").status_code in (403, 404)
    assert outsider.get("/api/dossiers").json()["results"] == []
    assert stranger.get("/api/dossiers").json()["results"] == []
    assert client_for(office.specialist).get("/api/dossiers").json()["results"][0]["code"] == dossier.code
    anonymous = Client()
    assert anonymous.get("/api/dossiers").status_code == 401
    assert anonymous.get(f"/api/dossiers/{dossier.code}").status_code == 401
    assert anonymous.post("/api/dossiers", {"procedure": "1.001193"}, content_type=JSON).status_code == 401
    assert act(anonymous, dossier.code, "forward").status_code == 401
    dossier.refresh_from_db()
    assert (dossier.status, dossier.revision) == (4, 3)


def test_an_officer_does_not_see_drafts_and_a_citizen_cannot_act_as_an_officer(office):
    citizen = client_for(office.citizen)
    draft = citizen.post("/api/dossiers", {"procedure": "1.001193"}, content_type=JSON).json()
    dossier = submitted(office)

    assert client_for(office.reception).get(f"/api/dossiers/{draft['id']}").status_code == 404
    refused = act(citizen, dossier.public_id, "receive")
    assert refused.status_code == 403 and refused.json()["detail"]
    assert (
        client_for(office.reception)
        .patch(f"/api/dossiers/{dossier.public_id}", {"form": {}}, content_type=JSON)
        .status_code
        == 403
    )


def test_a_wrong_transition_is_a_409_and_changes_nothing(office):
    dossier = submitted(office)

    response = act(client_for(office.reception), dossier.public_id, "return_result")

    assert response.status_code == 409
    assert "Mới đăng ký" in response.json()["detail"]
    dossier.refresh_from_db()
    assert (dossier.status, dossier.revision, dossier.actions.count()) == (1, 2, 1)


def test_a_stale_revision_is_a_409(office):
    dossier = submitted(office)
    reception = client_for(office.reception)
    seen = dossier.revision
    act(reception, dossier.public_id, "request_supplement", items=["Giấy chứng sinh"])
    citizen = client_for(office.citizen)
    citizen.post(f"/api/dossiers/{dossier.public_id}/resubmit", {}, content_type=JSON)

    stale = act(reception, dossier.public_id, "receive", revision=seen)
    stale_refusal = act(reception, dossier.public_id, "refuse", reasons="Sai thẩm quyền", revision=seen)

    assert stale.status_code == stale_refusal.status_code == 409
    assert "người khác" in stale.json()["detail"]
    dossier.refresh_from_db()
    assert (dossier.status, dossier.received_at) == (1, None)
    fresh = act(reception, dossier.public_id, "receive", revision=dossier.revision)
    assert fresh.status_code == 200


def test_bad_input_is_a_422_with_errors_and_saves_nothing(office, settings):
    dossier = submitted(office)
    reception = client_for(office.reception)

    no_items = act(reception, dossier.public_id, "request_supplement", items=["  "])
    assert no_items.status_code == 422 and no_items.json()["errors"]["items"]
    no_items_at_all = act(reception, dossier.public_id, "request_supplement", note="Thiếu giấy tờ")
    assert no_items_at_all.status_code == 422 and no_items_at_all.json()["errors"]["items"]
    bad_json = reception.post(f"/api/dossiers/{dossier.public_id}/actions/refuse", "{", content_type=JSON)
    assert 400 <= bad_json.status_code < 500 and bad_json.json()["detail"]
    bad_amount = act(reception, dossier.public_id, "request_payment", amount="nhiều")
    assert bad_amount.status_code == 422

    draft = (
        client_for(office.citizen).post("/api/dossiers", {"procedure": "1.001193"}, content_type=JSON).json()
    )
    citizen = client_for(office.citizen)
    text_as_pdf = citizen.post(
        f"/api/dossiers/{draft['id']}/files",
        {"file": pdf_upload("to-khai.pdf", b"just some text, not a PDF")},
    )
    assert text_as_pdf.status_code == 422
    assert "PDF" in text_as_pdf.json()["detail"] and text_as_pdf.json()["errors"]["file"]
    settings.MOTCUA_UPLOAD_MAX_BYTES = 20
    too_large = citizen.post(f"/api/dossiers/{draft['id']}/files", {"file": pdf_upload()})
    assert too_large.status_code == 422
    foreign_document = citizen.post(
        f"/api/dossiers/{draft['id']}/files", {"file": pdf_upload(), "document": 999999}
    )
    assert foreign_document.status_code == 422
    no_file = citizen.post(f"/api/dossiers/{draft['id']}/files", {})
    assert no_file.status_code == 422
    assert not Attachment.objects.filter(dossier__public_id=draft["id"]).exists()

    no_declaration = citizen.post(f"/api/dossiers/{draft['id']}/submit", {}, content_type=JSON)
    assert no_declaration.status_code == 422 and "declaration" in no_declaration.json()["errors"]
    bad_agency = citizen.post(
        "/api/dossiers", {"procedure": "1.001193", "receiving_agency": "000.99.99.H59"}, content_type=JSON
    )
    assert bad_agency.status_code == 422 and "receiving_agency" in bad_agency.json()["errors"]
    assert citizen.get("/api/dossiers", {"after": "!!!"}).status_code == 422


def test_unknown_codes_and_actions_are_404(office):
    dossier = submitted(office)
    citizen, reception = client_for(office.citizen), client_for(office.reception)

    unknown_action = act(reception, dossier.public_id, "fly_to_the_moon")
    assert unknown_action.status_code == 404 and "fly_to_the_moon" in unknown_action.json()["detail"]
    assert citizen.get("/api/dossiers/000.01.01.H59-200101-0001").status_code == 404
    assert citizen.get("/api/dossiers/7d1c3a52-0000-4000-8000-000000000000").status_code == 404
    assert citizen.get(f"/api/dossiers/{dossier.public_id}/files/999999").status_code == 404
    unknown_procedure = citizen.post("/api/dossiers", {"procedure": "9.999999"}, content_type=JSON)
    assert unknown_procedure.status_code == 404 and "9.999999" in unknown_procedure.json()["detail"]


def test_the_public_lookup_shows_five_fields_without_personal_data(office):
    dossier = received(office)

    response = Client().get(f"/api/dossiers/lookup/{dossier.code}")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"code", "procedure", "status", "due_at", "result_delivery"}
    assert set(body["result_delivery"]) == {"code", "label", "tracking_number"}  # never the address
    assert body["code"] == dossier.code and body["procedure"] == "Đăng ký khai sinh"
    assert body["status"] == {"code": 4, "national": "processing", "label": "Đang xử lý"}
    text = response.content.decode()
    for personal in (office.citizen.full_name, office.citizen.email, GOOD_FORM["child_name"], "008090000123"):
        assert personal not in text
    assert Client().get(f"/api/dossiers/lookup/{dossier.code.lower()}").json()["code"] == dossier.code
    unknown = Client().get("/api/dossiers/lookup/000.01.01.H59-200101-9999")
    assert unknown.status_code == 404 and "000.01.01.H59-200101-9999" in unknown.json()["detail"]


def test_the_inbox_pages_with_a_cursor(office):
    codes = {received(office).code for _ in range(5)}
    specialist = client_for(office.specialist)

    seen, after, pages = [], None, 0
    while True:
        page = specialist.get("/api/dossiers", {"size": 2, **({"after": after} if after else {})}).json()
        seen += [d["code"] for d in page["results"]]
        pages += 1
        after = page["next"]
        if after is None:
            break

    assert pages == 3 and len(seen) == 5 and set(seen) == codes
    assert specialist.get("/api/dossiers", {"status": 2}).json()["results"] == []
    assert len(specialist.get("/api/dossiers", {"status": 4, "procedure": "1.001193"}).json()["results"]) == 5
    assert client_for(office.reception).get("/api/dossiers", {"mine": True}).json()["results"] == []


def test_an_applicant_lists_their_own_dossiers_newest_first(office):
    made = [submitted(office) for _ in range(3)]
    citizen = client_for(office.citizen)

    first = citizen.get("/api/dossiers", {"size": 2}).json()
    second = citizen.get("/api/dossiers", {"size": 2, "after": first["next"]}).json()

    ids = [d["id"] for d in first["results"] + second["results"]]
    assert ids == [str(d.public_id) for d in reversed(made)]
    assert second["next"] is None


def test_officers_actions_during_processing(office):
    dossier = received(office)
    specialist, leader = client_for(office.specialist), client_for(office.leader)
    ref = dossier.code

    consulted = act(
        specialist, ref, "consult", agency="000.02.01.H59", question="Ý kiến về nơi cư trú?", days=2
    )
    assert consulted.status_code == 200, consulted.content
    assert [s["kind"] for s in consulted.json()["steps"]].count("consultation") == 1
    assert act(specialist, ref, "consult", agency="XYZ", question="?").status_code == 422
    assert act(specialist, ref, "request_payment", amount=8000, note="Lệ phí").json()["status"]["code"] == 6
    paid = act(
        client_for(office.reception), ref, "record_payment", amount=8000, method="cash", reference="BL-01"
    )
    assert paid.json()["status"]["code"] == 4
    assert act(specialist, ref, "forward", to_user=office.leader.username).status_code == 200
    assert act(leader, ref, "send_back", note="Bổ sung ý kiến thẩm định").status_code == 200
    assert act(specialist, ref, "forward", to_user="nobody").status_code == 422
    revision = specialist.get(f"/api/dossiers/{ref}").json()["revision"]
    generated = specialist.post(f"/api/dossiers/{ref}/actions/attach_result", {"revision": revision})
    assert generated.status_code == 200
    assert [a["kind"] for a in generated.json()["attachments"]].count("result") == 1
    stopped = act(leader, ref, "stop", reasons="Thử")
    assert stopped.status_code == 409  # a result exists
    not_overdue = act(
        specialist,
        ref,
        "apologize",
        reasons="Chậm",
        new_due_at=(timezone.now() + datetime.timedelta(days=3)).isoformat(),
    )
    assert not_overdue.status_code == 409
