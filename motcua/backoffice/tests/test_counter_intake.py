"""Counter intake: a walk-in applicant's dossier entered, scanned and received in one go."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.agencies.models import AdministrativeUnit
from motcua.backoffice.tests.pages import check_page
from motcua.catalog.services import create_procedure, publish_version
from motcua.dossiers.constants import AttachmentKind, Channel, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import GOOD_FORM, PDF

URL = "/can-bo/tiep-nhan/truc-tiep/"


def _scans(office) -> dict:
    return {
        f"doc-{d.pk}": SimpleUploadedFile(f"scan-{d.pk}.pdf", PDF, content_type="application/pdf")
        for d in office.version.documents.filter(required=True)
    }


def test_choose_a_procedure_then_fill_in_the_form(office, as_user):
    reception = as_user(office.reception)

    chooser = reception.get(URL)
    form = reception.get(URL, {"procedure": "1.001193"})

    check_page(chooser.content.decode())
    assert '<option value="1.001193">1.001193 · Đăng ký khai sinh</option>' in chooser.content.decode()
    html = form.content.decode()
    assert form.status_code == 200
    check_page(html)
    for label in (
        "Họ và tên người nộp",
        "Họ, chữ đệm và tên của trẻ",
        "Giấy chứng sinh",
        "Tờ khai đăng ký khai sinh",
    ):
        assert label in html
    assert 'type="date"' in html and '<option value="Nữ">Nữ</option>' in html
    assert reception.get(URL, {"procedure": "9.999999"}).status_code == 404


def test_counter_intake_creates_a_received_dossier_with_its_receipt(office, as_user):
    reception = as_user(office.reception)

    response = reception.post(
        f"{URL}?procedure=1.001193",
        {
            "receiving-agency": office.agency.pk,
            "applicant-name": "Lê Thị Bình",
            "applicant-identity": "008090000123",
            "applicant-phone": "0912000111",
            **GOOD_FORM,
            **_scans(office),
        },
    )

    assert response.status_code == 302, response.content.decode()
    dossier = Dossier.objects.get(applicant_name="Lê Thị Bình")
    assert dossier.status == Status.PROCESSING and dossier.channel == Channel.COUNTER and dossier.code
    assert dossier.form_data["child_name"] == "Nguyễn Minh Khôi"
    assert dossier.attachments.filter(kind=AttachmentKind.SCAN).count() == 2
    assert response["Location"] == f"/can-bo/ho-so/{dossier.code}/"
    page = reception.get(response["Location"]).content.decode()
    receipt = dossier.attachments.get(notice_form="01")
    link = f"/can-bo/ho-so/{dossier.code}/tep/{receipt.pk}/"
    assert link in page and "Trực tiếp" in page
    opened = reception.get(link)
    assert opened.status_code == 200 and opened["Content-Type"] == "application/pdf"


def test_errors_come_back_on_the_fields_with_what_was_typed(office, as_user):
    reception = as_user(office.reception)

    response = reception.post(
        f"{URL}?procedure=1.001193",
        {"receiving-agency": office.agency.pk, "applicant-name": "", **GOOD_FORM, "birth_date": "01/11/2026"},
    )

    html = response.content.decode()
    assert response.status_code == 422
    check_page(html)
    assert 'role="alert"' in html
    assert 'id="id_applicant-name_error"' in html  # the service reports the name first
    assert 'value="Nguyễn Minh Khôi"' in html and 'value="01/11/2026"' in html
    assert "chọn lại các tệp" in html
    assert not Dossier.objects.exists()

    # With the name, the form's own errors show next to the date field.
    response = reception.post(
        f"{URL}?procedure=1.001193",
        {
            "receiving-agency": office.agency.pk,
            "applicant-name": "Lê Thị Bình",
            **GOOD_FORM,
            "birth_date": "01/11/2026",
        },
    )
    assert response.status_code == 422 and 'id="id_birth_date_error"' in response.content.decode()

    # A complete form without the scans: the missing documents are named.
    response = reception.post(
        f"{URL}?procedure=1.001193",
        {"receiving-agency": office.agency.pk, "applicant-name": "Lê Thị Bình", **GOOD_FORM},
    )
    html = response.content.decode()
    assert response.status_code == 422 and "Giấy chứng sinh" in html.split('role="alert"')[1]
    assert not Dossier.objects.exists()


def test_an_address_is_posted_as_commune_and_detail(office, as_user):
    ward = AdministrativeUnit.objects.get(code="02215")
    version = publish_version(
        create_procedure(
            "1.000656",
            version={
                "name": "Đăng ký thường trú",
                "field": "Cư trú",
                "level": "commune",
                "mode": "full_online",
                "processing_time": "7",
                "result": "Thông báo",
            },
            agencies=[office.agency],
            form=[{"key": "residence", "label": "Nơi thường trú", "kind": "address"}],
            steps=[{"name": "Tiếp nhận", "role": "reception", "share": "1"}],
        )
    )
    reception = as_user(office.reception)
    url = f"{URL}?procedure={version.procedure.code}"

    form = reception.get(url).content.decode()
    check_page(form)
    assert re.search(
        r'<select name="residence__unit"[^>]*>.*<option value="02215">Phường Minh Xuân', form, re.S
    )
    assert 'name="residence__detail"' in form
    response = reception.post(
        url,
        {
            "receiving-agency": office.agency.pk,
            "applicant-name": "Lê Thị Bình",
            "residence__unit": "02215",
            "residence__detail": "Số 5, tổ 3",
        },
    )

    assert response.status_code == 302, response.content.decode()
    dossier = Dossier.objects.get(procedure_version=version)
    assert dossier.form_data["residence"]["unit"] == ward.code
    assert dossier.form_data["residence"]["detail"] == "Số 5, tổ 3"


def test_only_reception_officers_take_dossiers_at_the_counter(office, as_user):
    assert as_user(office.specialist).get(URL).status_code == 403
    assert as_user(office.citizen).get(URL).status_code == 403


def test_a_scan_that_is_not_a_pdf_or_image_is_refused(office, as_user):
    scans = _scans(office)
    first = next(iter(scans))
    scans[first] = SimpleUploadedFile("scan.pdf", b"MZ not really a pdf", content_type="application/pdf")

    response = as_user(office.reception).post(
        f"{URL}?procedure=1.001193",
        {"receiving-agency": office.agency.pk, "applicant-name": "Lê Thị Bình", **GOOD_FORM, **scans},
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "không phải PDF, JPG hoặc PNG" in html.split('role="alert"')[1]
    assert not Dossier.objects.exists()
