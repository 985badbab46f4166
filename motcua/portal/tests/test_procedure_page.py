"""The procedure page as the national portal lays it out: the ways to submit with their time and fees,
the conditions, the blank forms to download, and where to go (address, phone, opening hours)."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import start_draft
from motcua.catalog.tests.factories import BIRTH_CHANNELS, make_procedure

pytestmark = pytest.mark.django_db

DOCX = b"PK\x03\x04 a blank form, not really a docx"


@pytest.fixture
def files(media):
    return media


@pytest.fixture
def birth(agency):
    agency.address = "Số 12 đường 17 tháng 8, phường Minh Xuân, tỉnh Tuyên Quang"
    agency.phone = "0207 3822 512"
    agency.opening_hours = "Sáng 7:30–11:30, chiều 13:00–17:00, thứ Hai đến thứ Sáu"
    agency.save()
    return make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, channels=BIRTH_CHANNELS)


def _with_template(version, name="to-khai.docx", content=DOCX):
    document = version.documents.get()
    document.template.save(name, ContentFile(content))
    return document


def test_the_page_has_one_row_per_way_to_submit(birth):
    html = Client().get("/thu-tuc/1.001193/").content.decode()

    section = html[html.index('id="channels"') : html.index('id="fees"')]
    for expected in ["Cách thức thực hiện", "Trực tuyến", "Dịch vụ bưu chính", "Trực tiếp", "Miễn phí"]:
        assert expected in section
    assert section.count("1 ngày làm việc") == 2
    assert "3 ngày làm việc" in section  # by the counter: the procedure's own time
    assert 'href="#fees"' in section  # no fee text of its own: see the fees
    assert "Nộp tại Bộ phận Một cửa của Ủy ban nhân dân cấp xã." in section


def test_the_page_says_where_to_go_and_when(birth, agency):
    html = Client().get("/thu-tuc/1.001193/").content.decode()

    section = html[html.index('id="agencies"') :]
    assert agency.name in section
    assert "Số 12 đường 17 tháng 8, phường Minh Xuân" in section
    assert 'href="tel:02073822512"' in section and "0207 3822 512" in section
    assert "Sáng 7:30–11:30, chiều 13:00–17:00, thứ Hai đến thứ Sáu" in section


def test_the_conditions_are_always_stated(birth, agency):
    assert "Không có yêu cầu, điều kiện riêng." in Client().get("/thu-tuc/1.001193/").content.decode()

    make_procedure("1.000894", "Đăng ký kết hôn", agency=agency)
    ProcedureVersion.objects.filter(procedure__code="1.000894").update(
        conditions="Hai bên nam, nữ đủ tuổi kết hôn theo quy định."
    )
    html = Client().get("/thu-tuc/1.000894/").content.decode()
    assert "Hai bên nam, nữ đủ tuổi kết hôn theo quy định." in html


def test_a_blank_form_downloads_as_an_attachment_with_safe_headers(files, birth):
    document = _with_template(birth)
    url = f"/thu-tuc/1.001193/mau/{document.pk}/"

    assert f'href="{url}"' in Client().get("/thu-tuc/1.001193/").content.decode()
    response = Client().get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == DOCX
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == 'attachment; filename="to-khai-theo-mau.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_unknown_kind_of_file_goes_out_as_bytes(files, birth):
    document = _with_template(birth, name="mau.html", content=b"<script>alert(1)</script>")

    response = Client().get(f"/thu-tuc/1.001193/mau/{document.pk}/")

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_no_blank_form_no_link_and_a_404(files, birth, agency):
    document = birth.documents.get()
    html = Client().get("/thu-tuc/1.001193/").content.decode()

    assert "/mau/" not in html
    assert Client().get(f"/thu-tuc/1.001193/mau/{document.pk}/").status_code == 404
    assert Client().get(f"/thu-tuc/1.000894/mau/{document.pk}/").status_code == 404  # another code


def test_a_drafts_blank_form_is_not_public(files, birth):
    draft = start_draft(birth.procedure)
    document = _with_template(draft)

    assert Client().get(f"/thu-tuc/1.001193/mau/{document.pk}/").status_code == 404


def test_a_blank_form_missing_from_storage_is_a_404(files, birth):
    document = _with_template(birth)
    (files / document.template.name).unlink()

    assert Client().get(f"/thu-tuc/1.001193/mau/{document.pk}/").status_code == 404
