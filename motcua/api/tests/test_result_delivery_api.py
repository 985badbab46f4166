"""The API's side of result delivery: the choice at creation and in a change, its validation naming
the field, the answer (with the national portal's fields), the return by post with its tracking
number, and the public lookup."""

import pytest
from django.test import Client

from motcua.api.dossier_schemas import DeliveryChoice
from motcua.api.tests.test_dossiers_api import JSON, act, client_for
from motcua.dossiers import services
from motcua.dossiers.constants import ResultDelivery
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import GOOD_FORM, pdf

pytestmark = pytest.mark.django_db

ADDRESS = "Thôn Bản Pài, xã Lâm Bình, tỉnh Tuyên Quang"


def _complete(office) -> None:
    """Make the procedure's documents optional: a dossier is complete with its form alone."""
    office.version.documents.update(required=False)


def test_the_api_schema_lists_exactly_the_choices_of_the_model():
    assert list(DeliveryChoice.__args__) == ResultDelivery.values


def test_a_dossier_submitted_at_once_by_post_answers_its_delivery(office):
    _complete(office)
    citizen = client_for(office.citizen)
    body = {
        "procedure": "1.001193",
        "form": GOOD_FORM,
        "result_delivery": "post",
        "delivery_address": ADDRESS,
        "submit": True,
        "declaration": True,
    }

    answer = citizen.post("/api/dossiers", body, content_type=JSON).json()

    assert answer["status"]["code"] == 1 and answer["errors"] == {}
    assert answer["result_delivery"] == {
        "code": "post",
        "label": "Nhận qua dịch vụ bưu chính công ích",
        "address": ADDRESS,
        "tracking_number": "",
        "national": {"HinhThuc": 1, "KenhThucHien": 2, "ThongTinTra": ""},
    }
    stored = citizen.get(f"/api/dossiers/{answer['code']}").json()
    assert stored["result_delivery"] == answer["result_delivery"]
    dossier = Dossier.objects.get(code=answer["code"])
    assert dossier.result_delivery == "post" and dossier.delivery_address == ADDRESS


def test_post_without_an_address_keeps_a_draft_with_the_error_on_the_field(office):
    _complete(office)
    citizen = client_for(office.citizen)
    body = {"procedure": "1.001193", "form": GOOD_FORM, "result_delivery": "post", "submit": True}

    answer = citizen.post("/api/dossiers", {**body, "declaration": True}, content_type=JSON).json()

    assert answer["status"]["code"] == 0
    assert answer["errors"] == {"delivery_address": ["Nhập địa chỉ nhận kết quả qua bưu chính."]}
    fixed = citizen.patch(f"/api/dossiers/{answer['id']}", {"delivery_address": ADDRESS}, content_type=JSON)
    assert fixed.json()["errors"] == {} and fixed.json()["result_delivery"]["address"] == ADDRESS
    submitted = citizen.post(f"/api/dossiers/{answer['id']}/submit", {"declaration": True}, content_type=JSON)
    assert submitted.status_code == 200 and submitted.json()["status"]["code"] == 1


def test_an_unknown_choice_is_a_422_naming_the_field(office):
    citizen = client_for(office.citizen)
    response = citizen.post(
        "/api/dossiers", {"procedure": "1.001193", "result_delivery": "pigeon"}, content_type=JSON
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["result_delivery"]
    assert "in_person" in response.json()["errors"]["result_delivery"][0]
    assert not Dossier.objects.exists()


def test_online_for_a_partial_procedure_is_refused_on_the_field(office):
    office.version.mode = "partial"
    office.version.save()
    citizen = client_for(office.citizen)
    answer = citizen.post(
        "/api/dossiers", {"procedure": "1.001193", "result_delivery": "online"}, content_type=JSON
    ).json()
    assert list(answer["errors"]) == ["result_delivery"]
    assert answer["result_delivery"]["code"] == "in_person"


def _ready_by_post(office) -> Dossier:
    dossier = services.start_dossier(version=office.version, applicant=office.citizen, another=True)
    services.save_draft(
        dossier, actor=office.citizen, form_data=GOOD_FORM, result_delivery="post", delivery_address=ADDRESS
    )
    for document in office.version.documents.filter(required=True):
        services.add_document(dossier, actor=office.citizen, upload=pdf(), name="a.pdf", document=document)
    services.submit(dossier, actor=office.citizen, declaration=True)
    services.receive(dossier, actor=office.reception)
    services.forward(dossier, actor=office.specialist)
    services.attach_result(dossier, actor=office.leader, upload=pdf(), name="kq.pdf")
    services.approve(dossier, actor=office.leader)
    return dossier


def test_return_by_post_needs_the_tracking_number_which_the_applicant_and_the_lookup_see(office):
    dossier = _ready_by_post(office)
    reception, citizen = client_for(office.reception), client_for(office.citizen)

    missing = act(reception, dossier.code, "return_result")
    assert missing.status_code == 422
    assert list(missing.json()["errors"]) == ["tracking_number"]
    returned = act(reception, dossier.code, "return_result", tracking_number="EB123456789VN")
    assert returned.status_code == 200, returned.content
    assert returned.json()["status"]["code"] == 10

    seen = citizen.get(f"/api/dossiers/{dossier.code}").json()["result_delivery"]
    assert seen["tracking_number"] == "EB123456789VN"
    assert "EB123456789VN" in seen["national"]["ThongTinTra"]
    public = Client().get(f"/api/dossiers/lookup/{dossier.code}").json()
    assert public["result_delivery"] == {
        "code": "post",
        "label": "Nhận qua dịch vụ bưu chính công ích",
        "tracking_number": "EB123456789VN",
    }
    assert ADDRESS not in str(public)


def test_the_openapi_documents_the_choice_and_the_tracking_number(client):
    schema = client.get("/api/openapi.json").json()
    components = schema["components"]["schemas"]
    assert components["DossierCreate"]["properties"]["result_delivery"]["anyOf"][0]["enum"] == [
        "in_person",
        "post",
        "online",
    ]
    assert "tracking_number" in components["ReturnIn"]["properties"]
    assert "national" in components["ResultDeliveryOut"]["properties"]
