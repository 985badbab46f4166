from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers import services
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import office  # noqa: F401
from motcua.dossiers.tests.factories import GOOD_FORM, PDF, received


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def form_post(**extra):
    data = {f"f_{k}": v for k, v in GOOD_FORM.items()}
    data.update(extra)
    return data


def test_a_citizen_applies_online_from_the_procedure_page(office):  # noqa: F811
    citizen = client_for(office.citizen)
    page = citizen.get("/thu-tuc/1.001193/").content.decode()
    assert "Nộp hồ sơ trực tuyến" in page

    response = citizen.post("/thu-tuc/1.001193/nop-ho-so/", {"agency": office.agency.code})
    dossier = Dossier.objects.get(applicant=office.citizen)
    assert response["Location"] == f"/ho-so-cua-toi/{dossier.public_id}/khai/"

    documents = list(office.version.documents.filter(required=True))
    files = {f"doc_{d.pk}": SimpleUploadedFile(f"{d.pk}.pdf", PDF, "application/pdf") for d in documents}
    saved = citizen.post(f"/ho-so-cua-toi/{dossier.public_id}/khai/", {**form_post(), **files, "review": "1"})
    assert saved.status_code == 302 and saved["Location"].endswith("/xem-lai/")

    review = citizen.get(saved["Location"]).content.decode()
    assert "Nguyễn Minh Khôi" in review and "cam đoan" in review
    refused = citizen.post(saved["Location"], {})
    assert refused.status_code == 422 and "lời cam đoan" in refused.content.decode()
    done = citizen.post(saved["Location"], {"declaration": "on"})
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_errors_are_shown_and_nothing_typed_is_lost(office):  # noqa: F811
    citizen = client_for(office.citizen)
    dossier = services.start_dossier(version=office.version, applicant=office.citizen)
    bad_file = SimpleUploadedFile("a.pdf", b"not a pdf at all", "application/pdf")
    document = office.version.documents.first()

    response = citizen.post(
        f"/ho-so-cua-toi/{dossier.public_id}/khai/",
        form_post(f_parent_id="123", **{f"doc_{document.pk}": bad_file}),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "12 chữ số" in html and "PDF, JPG" in html
    assert 'value="Nguyễn Minh Khôi"' in html and 'value="123"' in html
    dossier.refresh_from_db()
    assert dossier.form_data["child_name"] == "Nguyễn Minh Khôi"
    assert not dossier.attachments.exists()


def test_the_applicant_follows_the_dossier_and_opens_the_receipt(office):  # noqa: F811
    dossier = received(office)
    citizen = client_for(office.citizen)

    html = citizen.get(f"/ho-so-cua-toi/{dossier.public_id}/").content.decode()
    assert dossier.code in html and "Đang xử lý" in html and office.agency.name in html
    assert "Tiếp nhận hồ sơ" in html  # the timeline
    receipt = dossier.attachments.get(notice_form="01")
    pdf = citizen.get(f"/ho-so-cua-toi/{dossier.public_id}/tep/{receipt.pk}/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert dossier.code in citizen.get("/ho-so-cua-toi/").content.decode()


def test_another_citizen_cannot_see_or_touch_the_dossier(office):  # noqa: F811
    dossier = received(office)
    stranger = client_for(office.stranger)
    receipt = dossier.attachments.get(notice_form="01")

    for url in (
        f"/ho-so-cua-toi/{dossier.public_id}/",
        f"/ho-so-cua-toi/{dossier.public_id}/khai/",
        f"/ho-so-cua-toi/{dossier.public_id}/tep/{receipt.pk}/",
    ):
        assert stranger.get(url).status_code == 404
    assert stranger.post(f"/ho-so-cua-toi/{dossier.public_id}/rut/", {"reason": "x"}).status_code == 404
    assert dossier.code not in stranger.get("/ho-so-cua-toi/").content.decode()
    assert Client().get(f"/ho-so-cua-toi/{dossier.public_id}/").status_code == 302  # to the login page


def test_the_public_lookup_shows_no_personal_data(office):  # noqa: F811
    dossier = received(office)

    html = Client().get(f"/tra-cuu/{dossier.code}").content.decode()

    assert dossier.code in html and "Đăng ký khai sinh" in html and "Đang xử lý" in html
    assert office.citizen.full_name not in html and "Nguyễn Minh Khôi" not in html
    assert Client().get("/tra-cuu/000.01.01.H59-000000-9999").status_code == 404
    assert Client().get("/tra-cuu/", {"ma": dossier.code}).status_code == 200


def test_supplement_then_resubmit_from_the_pages(office):  # noqa: F811
    dossier = received(office)
    services.request_supplement(dossier, actor=office.specialist, items=["Giấy chứng sinh bản rõ nét"])
    citizen = client_for(office.citizen)

    page = citizen.get(f"/ho-so-cua-toi/{dossier.public_id}/").content.decode()
    assert "Giấy chứng sinh bản rõ nét" in page
    document = office.version.documents.get(name="Giấy chứng sinh")
    citizen.post(
        f"/ho-so-cua-toi/{dossier.public_id}/khai/",
        {**form_post(), f"doc_{document.pk}": SimpleUploadedFile("cs.pdf", PDF), "review": "1"},
    )
    citizen.post(f"/ho-so-cua-toi/{dossier.public_id}/xem-lai/", {"declaration": "on", "note": "Đã bổ sung"})

    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


def test_withdraw_from_the_page(office):  # noqa: F811
    dossier = received(office)

    client_for(office.citizen).post(f"/ho-so-cua-toi/{dossier.public_id}/rut/", {"reason": "Không cần nữa"})

    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
