"""Result delivery on the staff pages: the choice at counter intake, the dossier page, and returning
the result by post with its tracking number."""

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.backoffice.tests.pages import check_page
from motcua.core.models import AuditEntry
from motcua.dossiers import services
from motcua.dossiers.constants import ResultDelivery, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import GOOD_FORM, PDF, pdf

INTAKE = "/can-bo/tiep-nhan/truc-tiep/?procedure=1.001193"
ADDRESS = "Thôn Bản Pài, xã Lâm Bình, tỉnh Tuyên Quang"


def _intake_data(office, **extra) -> dict:
    scans = {
        f"doc-{d.pk}": SimpleUploadedFile(f"scan-{d.pk}.pdf", PDF, content_type="application/pdf")
        for d in office.version.documents.filter(required=True)
    }
    return {
        "receiving-agency": office.agency.pk,
        "applicant-name": "Lê Thị Bình",
        **GOOD_FORM,
        **scans,
        **extra,
    }


def test_counter_intake_offers_the_counter_and_the_post_not_online(office, as_user):
    html = as_user(office.reception).get(INTAKE).content.decode()
    check_page(html)
    assert "<legend>Hình thức nhận kết quả</legend>" in html
    assert 'value="in_person" id="id_result-delivery_0" checked>' in html  # the default
    assert 'value="post" id="id_result-delivery_1">' in html and 'value="online"' not in html


def test_counter_intake_by_post_needs_the_address_named_on_the_field(office, as_user):
    reception = as_user(office.reception)

    refused = reception.post(INTAKE, _intake_data(office, **{"result-delivery": "post"}))

    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'id="id_delivery-address_error"' in html
    assert "Nhập địa chỉ nhận kết quả qua bưu chính." in html
    assert not Dossier.objects.exists()

    accepted = reception.post(
        INTAKE, _intake_data(office, **{"result-delivery": "post", "delivery-address": ADDRESS})
    )
    assert accepted.status_code == 302, accepted.content.decode()
    dossier = Dossier.objects.get()
    assert dossier.result_delivery == ResultDelivery.POST and dossier.delivery_address == ADDRESS
    page = reception.get(accepted["Location"]).content.decode()
    assert "Nhận qua dịch vụ bưu chính công ích" in page and ADDRESS in page


def test_a_forged_online_choice_at_the_counter_is_refused_on_the_field(office, as_user):
    response = as_user(office.reception).post(INTAKE, _intake_data(office, **{"result-delivery": "online"}))
    assert response.status_code == 422
    assert 'id="id_result-delivery_error"' in response.content.decode()
    assert not Dossier.objects.exists()


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


def test_returning_by_post_asks_for_the_tracking_number_and_shows_it(office, as_user):
    dossier = _ready_by_post(office)
    reception = as_user(office.reception)
    url = f"/can-bo/ho-so/{dossier.code}/"

    page = reception.get(url).content.decode()
    check_page(page)
    assert 'name="tracking_number"' in page and f"gửi qua dịch vụ bưu chính công ích đến: {ADDRESS}" in page

    missing = reception.post(f"{url}tra-ket-qua/", {"revision": dossier.revision, "note": ""})
    assert missing.status_code == 422
    html = missing.content.decode()
    assert 'id="tra-ket-qua-tracking_number_error"' in html
    assert "Nhập số hiệu bưu gửi (mã vận đơn)" in html
    dossier.refresh_from_db()
    assert dossier.status == Status.READY

    done = reception.post(
        f"{url}tra-ket-qua/", {"revision": dossier.revision, "tracking_number": "EB123456789VN"}
    )
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.postal_tracking_number == "EB123456789VN"
    assert AuditEntry.objects.filter(
        action="dossier.return_result", data__tracking_number="EB123456789VN"
    ).exists()
    page = reception.get(url).content.decode()
    assert '<span class="code">EB123456789VN</span>' in page


def test_returning_a_result_collected_at_the_counter_asks_no_tracking_number(office, as_user):
    from motcua.dossiers.tests.factories import received

    dossier = received(office)
    dossier.result_delivery = ResultDelivery.IN_PERSON
    dossier.save(update_fields=["result_delivery"])
    services.forward(dossier, actor=office.specialist)
    services.attach_result(dossier, actor=office.leader, upload=pdf(), name="kq.pdf")
    services.approve(dossier, actor=office.leader)
    page = as_user(office.reception).get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "/tra-ket-qua/" in page and 'name="tracking_number"' not in page
    assert "Nhận trực tiếp tại bộ phận một cửa" in page
