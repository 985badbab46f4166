"""Result delivery on the citizen's pages: the choice on the form (with the error summary naming it),
the review, the dossier page with the tracking number, and the public lookup."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers import services
from motcua.dossiers.constants import ResultDelivery, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import office  # noqa: F401
from motcua.dossiers.tests.factories import GOOD_FORM, PDF, pdf
from motcua.portal.tests.pages import Page

ADDRESS = "Thôn Bản Pài, xã Lâm Bình, tỉnh Tuyên Quang"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _files(office) -> dict:  # noqa: F811
    return {
        f"doc_{d.pk}": SimpleUploadedFile(f"{d.pk}.pdf", PDF, "application/pdf")
        for d in office.version.documents.filter(required=True)
    }


def _form(**extra) -> dict:
    return {**{f"f_{k}": v for k, v in GOOD_FORM.items()}, **extra}


def test_the_form_offers_the_three_ways_with_online_chosen_for_a_full_online_procedure(office):  # noqa: F811
    office.citizen.address = "Số 5 đường Tân Trào, phường Minh Xuân"
    office.citizen.save()
    dossier = services.start_dossier(version=office.version, applicant=office.citizen)
    html = client_for(office.citizen).get(f"/ho-so-cua-toi/{dossier.public_id}/khai/").content.decode()

    page = Page(html)
    page.check()
    assert page.by_id("nhan-ket-qua").tag == "fieldset"
    assert "Nhận qua dịch vụ bưu chính công ích" in page.label_of(page.by_id("result_delivery_post"))
    assert 'id="result_delivery_online" name="result_delivery" value="online" checked' in html
    assert 'id="result_delivery_post"' in html and 'id="result_delivery_in_person"' in html
    # The postal address starts as the account's.
    assert 'value="Số 5 đường Tân Trào, phường Minh Xuân"' in html


def test_post_without_an_address_is_named_in_the_error_summary_and_blocks_the_review(office):  # noqa: F811
    citizen = client_for(office.citizen)
    dossier = services.start_dossier(version=office.version, applicant=office.citizen)
    url = f"/ho-so-cua-toi/{dossier.public_id}/khai/"

    response = citizen.post(url, {**_form(result_delivery="post"), **_files(office), "review": "1"})

    assert response.status_code == 400
    page = Page(response.content.decode())
    page.check()
    assert (
        "#delivery_address",
        "Địa chỉ nhận kết quả qua bưu chính: Nhập địa chỉ nhận kết quả qua bưu chính.",
    ) in page.summary_links()
    address = page.by_id("delivery_address")
    assert address.attrs["aria-invalid"] == "true"
    assert "Nhập địa chỉ nhận kết quả qua bưu chính." in page.description_of(address)
    dossier.refresh_from_db()
    assert dossier.result_delivery == ResultDelivery.POST  # kept in the draft

    saved = citizen.post(url, {**_form(result_delivery="post", delivery_address=ADDRESS), "review": "1"})
    assert saved.status_code == 302 and saved["Location"].endswith("/xem-lai/")
    review = citizen.get(saved["Location"]).content.decode()
    assert "Nhận qua dịch vụ bưu chính công ích" in review and ADDRESS in review
    assert f"/ho-so-cua-toi/{dossier.public_id}/khai/#nhan-ket-qua" in review
    assert citizen.post(saved["Location"], {"declaration": "on"}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and dossier.delivery_address == ADDRESS


def test_the_review_links_a_choice_gone_wrong_back_to_the_form(office):  # noqa: F811
    dossier = services.start_dossier(version=office.version, applicant=office.citizen)
    services.save_draft(dossier, actor=office.citizen, form_data=GOOD_FORM, result_delivery="post")
    for document in office.version.documents.filter(required=True):
        services.add_document(dossier, actor=office.citizen, upload=pdf(), name="a.pdf", document=document)
    review = client_for(office.citizen).post(
        f"/ho-so-cua-toi/{dossier.public_id}/xem-lai/", {"declaration": "on"}
    )
    assert review.status_code == 422
    links = Page(review.content.decode()).summary_links()
    assert links == [
        (
            f"/ho-so-cua-toi/{dossier.public_id}/khai/?kiem-tra=1#delivery_address",
            "Địa chỉ nhận kết quả qua bưu chính: Nhập địa chỉ nhận kết quả qua bưu chính.",
        )
    ]
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT


def _returned_by_post(office) -> Dossier:  # noqa: F811
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
    services.return_result(dossier, actor=office.reception, tracking_number="EB123456789VN")
    return dossier


def test_the_applicant_and_the_public_lookup_see_the_tracking_number(office):  # noqa: F811
    dossier = _returned_by_post(office)

    mine = client_for(office.citizen).get(f"/ho-so-cua-toi/{dossier.public_id}/").content.decode()
    assert "Nhận qua dịch vụ bưu chính công ích" in mine and ADDRESS in mine
    assert '<dd class="code">EB123456789VN</dd>' in mine

    public = Client().get(f"/tra-cuu/{dossier.code}").content.decode()
    Page(public).check()
    assert "Nhận qua dịch vụ bưu chính công ích" in public and "EB123456789VN" in public
    assert ADDRESS not in public  # nothing personal


def test_an_online_result_points_the_applicant_to_the_download(office):  # noqa: F811
    from motcua.dossiers.tests.factories import received

    dossier = received(office)
    assert dossier.result_delivery == ResultDelivery.ONLINE
    services.forward(dossier, actor=office.specialist)
    services.attach_result(dossier, actor=office.leader, upload=pdf(), name="kq.pdf")
    services.approve(dossier, actor=office.leader)
    services.return_result(dossier, actor=office.reception)

    html = client_for(office.citizen).get(f"/ho-so-cua-toi/{dossier.public_id}/").content.decode()
    assert '<a href="#issued">tải kết quả ở mục Giấy tờ cơ quan đã gửi</a>' in html
    result = dossier.attachments.get(kind="result")
    assert f"/ho-so-cua-toi/{dossier.public_id}/tep/{result.pk}/" in html
