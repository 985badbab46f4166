"""The receipt (form 01) prints the fee lines the catalogue charges for the dossier's form, and the total.

Read back from WeasyPrint's laid-out document, as in test_notices.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from weasyprint.formatting_structure.boxes import TextBox

from motcua.catalog.tests.factories import BIRTH_FEES, BIRTH_FORM, VERIFICATION_FEE, make_procedure
from motcua.dossiers import notices
from motcua.dossiers.constants import Channel
from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FEES = [*BIRTH_FEES, VERIFICATION_FEE]


def receipt_text(agency, form_data: dict, fee_due: int = 0, version=None) -> str:
    version = version or make_procedure(
        "1.001193", "Đăng ký khai sinh", agency=agency, fees=FEES, form=BIRTH_FORM
    )
    dossier = Dossier(
        code="000.00.12.H59-260312-0001",
        procedure_version=version,
        receiving_agency=agency,
        holder_agency=agency,
        applicant_name="Nguyễn Thị Hằng",
        channel=Channel.COUNTER,
        form_data=form_data,
        fee_due=fee_due,
        received_at=datetime.datetime(2026, 3, 12, 8, 30, tzinfo=VN),
        due_at=datetime.datetime(2026, 3, 12, 15, 30, tzinfo=VN),
    )
    document = notices.notice_document(
        "01", dossier, lookup_url="https://dvc.example.vn/tra-cuu", documents=[]
    )
    parts = [
        box.text
        for page in document.pages
        for box in page._page_box.descendants(placeholders=True)
        if isinstance(box, TextBox)
    ]
    return " ".join(" ".join(parts).split())


def test_the_receipt_lists_each_line_and_the_total(agency):
    text = receipt_text(agency, {"child_full_name": "Lò Văn A", "copies": "2"})

    assert "Lệ phí đăng ký khai sinh Miễn lệ phí đăng ký khai sinh đúng hạn. Miễn phí" in text
    assert "Phí cấp bản sao Giấy khai sinh (nếu có yêu cầu) 2 bản sao × 8.000 đồng = 16.000 đồng" in text
    assert "Phí xác minh 50.000 đồng" in text
    assert "Tổng cộng: 66.000 đồng" in text


def test_the_receipt_shows_a_claimed_exemption_with_its_reason_and_leaves_out_unrequested_copies(agency):
    text = receipt_text(agency, {"child_full_name": "Lò Văn A", "fee_exempt": "Có"})

    assert "Phí xác minh Người thuộc hộ nghèo. Miễn (theo đề nghị của người nộp)" in text
    assert "bản sao Giấy khai sinh" not in text
    assert "Tổng cộng: 0 đồng" in text


def test_a_receipt_without_fee_lines_prints_the_amount_the_dossier_records(agency):
    version = make_procedure("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", agency=agency)

    text = receipt_text(agency, {}, fee_due=20_000, version=version)

    assert "Phí, lệ phí: 20.000 đồng" in text
    assert "Tổng cộng" not in text
