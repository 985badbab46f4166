"""The PDF forms (notices 01–05, control slip 06, register 07) and the result document, on unsaved
objects: no database needed (test_control_slip.py and test_register.py read real histories).

Text is read from WeasyPrint's laid-out document (the same one whose write_pdf() gives the bytes),
so the tests need no PDF tool; when poppler's pdftotext is on the machine, one more test reads the
PDF bytes themselves.
"""

import base64
import datetime
import io
import shutil
import subprocess
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from weasyprint.formatting_structure.boxes import TextBox

from motcua.agencies.models import AdministrativeUnit, Agency
from motcua.catalog.constants import TimeUnit
from motcua.catalog.models import Procedure, ProcedureVersion, RequiredDocument
from motcua.dossiers import documents, notices, register
from motcua.dossiers.constants import AttachmentKind, Channel, NoticeForm, ResultDelivery
from motcua.dossiers.control_slip import EARLY, LATE, Handover
from motcua.dossiers.models import Attachment, Dossier

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "000.00.12.H59-260312-0001"
PROCEDURE_NAME = "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"
APPLICANT = "Nguyễn Thị Hằng"
ADDRESS = "Số 5 ngõ 12 đường Bình Thuận, phường Minh Xuân, tỉnh Tuyên Quang"
HOURS = "Sáng 7:30–11:30, chiều 13:00–17:00, thứ Hai đến thứ Sáu"
HEAD = "Đỗ Văn Hùng"
LOOKUP_URL = f"https://dichvucong.example.vn/tra-cuu/{CODE}"
RECEIVED = datetime.datetime(2026, 3, 12, 8, 30, tzinfo=VN)
DUE = datetime.datetime(2026, 3, 26, 15, 30, tzinfo=VN)
NEW_DUE = datetime.datetime(2026, 4, 2, 10, 0, tzinfo=VN)
ISSUED = datetime.datetime(2026, 3, 12, 9, 0, tzinfo=VN)
DUE_TEXT = "15 giờ 30 phút, ngày 26/03/2026"
NEW_DUE_TEXT = "10 giờ 00 phút, ngày 02/04/2026"
ISSUED_TEXT = "Tuyên Quang, ngày 12 tháng 03 năm 2026"

# What each form needs besides the dossier, and the date it must print.
FORM_ARGS = {
    "01": ({"documents": ["Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản chụp Căn cước"]}, DUE_TEXT),
    "02": ({"items": ["Bản sao Giấy khai sinh"], "reasons": "Thiếu giấy tờ"}, DUE_TEXT),
    "03": ({"reasons": "Không thuộc thẩm quyền giải quyết"}, ISSUED_TEXT),
    "04": ({"reasons": "Chờ cơ quan công an xác minh", "new_due_at": NEW_DUE}, NEW_DUE_TEXT),
    "05": ({"reasons": "Không nộp phí, lệ phí đúng hạn"}, DUE_TEXT),
}


def make_dossier(**overrides) -> Dossier:
    unit = AdministrativeUnit(code="08", name="Tỉnh Tuyên Quang", type="province")
    parent = Agency(code="000.00.00.H59", name="Ủy ban nhân dân tỉnh Tuyên Quang", unit=unit)
    agency = Agency(
        code="000.00.12.H59",
        name="Sở Tư pháp tỉnh Tuyên Quang",
        unit=unit,
        parent=parent,
        address="Số 1 đường Tân Trào",
        phone="0207 3822 123",
        email="sotuphap@example.vn",
        opening_hours=HOURS,
        head_title="Giám đốc",
        head_name=HEAD,
    )
    version = ProcedureVersion(
        procedure=Procedure(code="1.001193"),
        number=1,
        name=PROCEDURE_NAME,
        processing_time=Decimal("10"),
        time_unit=TimeUnit.WORKING_DAYS,
        result="Phiếu lý lịch tư pháp số 1",
    )
    fields = {
        "code": CODE,
        "procedure_version": version,
        "receiving_agency": agency,
        "holder_agency": agency,
        "applicant_name": APPLICANT,
        "applicant_identity": "008190000123",
        "applicant_phone": "0912345678",
        "applicant_email": "hang@example.vn",
        "applicant_address": ADDRESS,
        "subject_name": "Công ty TNHH Đức Việt",
        "channel": Channel.COUNTER,
        "fee_due": 200000,
        "received_at": RECEIVED,
        "due_at": DUE,
    }
    fields.update(overrides)
    return Dossier(**fields)


def document_text(document) -> str:
    """All the text laid out on the document's pages, whitespace collapsed."""
    parts = [
        box.text
        for page in document.pages
        for box in page._page_box.descendants(placeholders=True)
        if isinstance(box, TextBox)
    ]
    return " ".join(" ".join(parts).split())


def notice_text(form: str, dossier=None, **kwargs) -> str:
    document = notices.notice_document(
        form,
        dossier or make_dossier(),
        lookup_url=LOOKUP_URL,
        officer_name="Trần Văn Bình",
        issued_at=ISSUED,
        **kwargs,
    )
    return document_text(document)


@pytest.mark.parametrize("form", sorted(FORM_ARGS))
def test_each_form_renders_a_pdf_with_the_essentials(form):
    kwargs, date_text = FORM_ARGS[form]
    document = notices.notice_document(
        form, make_dossier(), lookup_url=LOOKUP_URL, officer_name="Trần Văn Bình", issued_at=ISSUED, **kwargs
    )
    pdf = document.write_pdf()
    assert pdf.startswith(b"%PDF")
    assert len(document.pages) == 1
    text = document_text(document)
    for expected in (
        CODE,
        PROCEDURE_NAME,
        "1.001193",
        APPLICANT,
        date_text,
        ISSUED_TEXT,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ TƯ PHÁP TỈNH TUYÊN QUANG",
        str(NoticeForm(form).label).upper(),
        notices.FORM_CAPTION.format(number=form),
        # The apology is signed by the head of the agency, the other notices by the officer.
        HEAD if form == "04" else "Trần Văn Bình",
        "Tra cứu hồ sơ",
    ):
        assert expected in text, (form, expected)


def test_render_notice_returns_pdf_bytes():
    pdf = notices.render_notice("01", make_dossier(), lookup_url=LOOKUP_URL, documents=[])
    assert pdf.startswith(b"%PDF")


def test_receipt_lists_documents_times_and_how_to_collect():
    text = notice_text("01", documents=["Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản chụp Căn cước"])
    assert "1. Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in text
    assert "2. Bản chụp Căn cước" in text
    assert "08 giờ 30 phút, ngày 12/03/2026" in text
    assert "Thời gian trả kết quả: 15 giờ 30 phút, ngày 26/03/2026" in text
    assert "10 ngày làm việc" in text
    assert "200.000 đồng" in text
    assert "Trực tiếp tại Bộ phận Một cửa – Sở Tư pháp tỉnh Tuyên Quang, Số 1 đường Tân Trào" in text
    assert "Công ty TNHH Đức Việt" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text


def test_receipt_reads_received_documents_from_attachments():
    scan = RequiredDocument(name="Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp")
    t0 = RECEIVED
    attachments = [
        Attachment(kind=AttachmentKind.APPLICANT, original_name="cccd.pdf", uploaded_at=t0),
        Attachment(kind=AttachmentKind.SCAN, document=scan, original_name="x.pdf", uploaded_at=t0),
        Attachment(kind=AttachmentKind.SCAN, document=scan, original_name="y.pdf", uploaded_at=t0),
        Attachment(kind=AttachmentKind.APPLICANT, original_name="old.pdf", superseded=True, uploaded_at=t0),
        Attachment(kind=AttachmentKind.NOTICE, original_name="phieu.pdf", uploaded_at=t0),
    ]
    dossier = SimpleNamespace(pk=1, attachments=SimpleNamespace(all=lambda: attachments))
    # Files tied to no catalogue document are counted, never named by the name the applicant gave them.
    assert notices.received_documents(dossier) == [
        "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
        "Giấy tờ khác kèm theo (1 tệp)",
    ]
    attachments.append(Attachment(kind=AttachmentKind.SCAN, original_name="<script>.pdf", uploaded_at=t0))
    assert notices.received_documents(dossier)[-1] == "Giấy tờ khác kèm theo (2 tệp)"
    text = notice_text("01", documents=notices.received_documents(dossier))
    assert "2. Giấy tờ khác kèm theo (2 tệp)" in text
    assert "cccd.pdf" not in text and "<script>" not in text
    # An unsaved dossier has no attachments and the receipt says so.
    assert notices.received_documents(make_dossier()) == []
    assert "(Không có giấy tờ kèm theo.)" in notice_text("01")


def test_online_receipt_prints_the_chosen_way_to_receive_the_result():
    # Submitted online, collected at the counter: the receipt follows the choice, not the channel.
    text = notice_text("01", make_dossier(channel=Channel.ONLINE), documents=[])
    assert "hình thức nộp: trực tuyến" in text
    assert "Hình thức nhận kết quả: Trực tiếp tại Bộ phận Một cửa – Sở Tư pháp" in text
    assert "mang theo giấy tiếp nhận này" in text
    online = make_dossier(channel=Channel.ONLINE, result_delivery=ResultDelivery.ONLINE)
    text = notice_text("01", online, documents=[])
    assert "Trực tuyến: tải kết quả điện tử có chữ ký số trong tài khoản" in text
    assert "mang theo giấy tiếp nhận này" not in text
    assert HOURS not in text  # nobody comes to the counter


def test_receipt_of_a_dossier_returned_by_post_prints_the_address():
    dossier = make_dossier(
        result_delivery=ResultDelivery.POST, delivery_address="Thôn Bản Pài, xã Lâm Bình, Tuyên Quang"
    )
    text = notice_text("01", dossier, documents=[])
    assert "Qua dịch vụ bưu chính công ích, gửi đến: Thôn Bản Pài, xã Lâm Bình, Tuyên Quang" in text
    assert "số hiệu bưu gửi được báo khi gửi" in text
    assert HOURS not in text


def test_supplement_lists_every_item_and_the_reasons():
    text = notice_text("02", items=["Bản sao Giấy khai sinh", "Ảnh 4x6", "  "], reasons="Thiếu giấy tờ")
    assert "1. Bản sao Giấy khai sinh" in text
    assert "2. Ảnh 4x6" in text
    assert "3." not in text.split("Ảnh 4x6")[1].split("Lý do")[0]
    assert "Lý do: Thiếu giấy tờ" in text
    assert "NGƯỜI HƯỚNG DẪN" in text
    assert "0207 3822 123" in text


def test_refusal_and_stop_print_the_reasons():
    assert "Không thuộc thẩm quyền giải quyết" in notice_text(
        "03", reasons="Không thuộc thẩm quyền giải quyết"
    )
    assert "Không nộp phí, lệ phí" in notice_text("05", reasons="Không nộp phí, lệ phí")


def test_apology_prints_original_and_new_appointments():
    original = datetime.datetime(2026, 3, 20, 16, 0, tzinfo=VN)
    dossier = make_dossier(original_due_at=original)
    text = notice_text("04", dossier, reasons="Chờ xác minh", new_due_at=NEW_DUE)
    assert "Thời hạn trả kết quả đã hẹn: 16 giờ 00 phút, ngày 20/03/2026" in text
    assert "Lý do: Chờ xác minh" in text
    assert NEW_DUE_TEXT in text
    assert "xin lỗi" in text

    # Without original_due_at the original appointment is due_at.
    assert f"đã hẹn: {DUE_TEXT}" in notice_text("04", reasons="x", new_due_at=NEW_DUE)
    # Once the service has moved due_at, the new appointment defaults to it.
    moved = make_dossier(original_due_at=DUE, due_at=NEW_DUE)
    text = notice_text("04", moved, reasons="x")
    assert f"đã hẹn: {DUE_TEXT}" in text
    assert NEW_DUE_TEXT in text


@pytest.mark.parametrize(
    ("form", "kwargs", "message"),
    [
        ("02", {"items": []}, "Form 02"),
        ("02", {"items": [" "]}, "Form 02"),
        ("03", {"reasons": " "}, "Form 03"),
        ("05", {}, "Form 05"),
        ("04", {"reasons": "x"}, "Form 04"),
        ("06", {}, "06"),
    ],
)
def test_a_form_missing_what_it_must_say_is_refused(form, kwargs, message):
    with pytest.raises(ValueError, match=message):
        notices.render_notice(form, make_dossier(), lookup_url=LOOKUP_URL, **kwargs)


def test_user_data_is_escaped():
    dossier = make_dossier(applicant_name='<b>Lê</b> & "Co" <img src="file:///etc/passwd">')
    document = notices.notice_document(
        "02", dossier, lookup_url=LOOKUP_URL, items=["<i>Giấy</i>"], reasons="<script>x</script>"
    )
    text = document_text(document)
    assert '<b>Lê</b> & "Co" <img src="file:///etc/passwd">' in text
    assert "<i>Giấy</i>" in text
    assert "<script>x</script>" in text


def test_times_are_printed_in_vietnam_time():
    utc_due = datetime.datetime(2026, 3, 26, 8, 30, tzinfo=datetime.UTC)
    assert notices.format_datetime_vn(utc_due) == DUE_TEXT
    assert notices.format_datetime_vn(None) == ""
    # 23:00 UTC is already the next day in Vietnam.
    late = datetime.datetime(2026, 3, 11, 23, 0, tzinfo=datetime.UTC)
    assert notices.format_date_line(late) == "ngày 12 tháng 03 năm 2026"
    text = notice_text("01", make_dossier(due_at=utc_due), documents=[])
    assert DUE_TEXT in text


def test_qr_png_data_uri_is_a_png():
    uri = notices.qr_png_data_uri(LOOKUP_URL)
    prefix = "data:image/png;base64,"
    assert uri.startswith(prefix)
    image = Image.open(io.BytesIO(base64.b64decode(uri.removeprefix(prefix))))
    assert image.format == "PNG"
    assert image.width == image.height >= 100


def test_result_document():
    document = notices.result_document(
        make_dossier(), lookup_url=LOOKUP_URL, officer_name="Lê Minh Châu", issued_at=ISSUED
    )
    assert document.write_pdf().startswith(b"%PDF")
    text = document_text(document)
    for expected in (
        notices.RESULT_TITLE,
        "Phiếu lý lịch tư pháp số 1",
        CODE,
        APPLICANT,
        PROCEDURE_NAME,
        ISSUED_TEXT,
        notices.RESULT_SIGNER_TITLE,
        "Tra cứu hồ sơ",
    ):
        assert expected in text, expected
    assert "Mẫu số" not in text
    # Who prepared it is not who signs it: the block keeps room for the approving leader's signature.
    assert "Lê Minh Châu" not in text
    assert notices.render_result(make_dossier(), lookup_url=LOOKUP_URL).startswith(b"%PDF")


def test_result_document_prints_its_verification_page_and_reserves_the_signature_box():
    verify_url = "https://dvc.example.vn/xac-thuc/ABCDEFGHJKMNPQRS"
    document = notices.result_document(make_dossier(), lookup_url=LOOKUP_URL, verify_url=verify_url)
    text = document_text(document)
    assert "Xác thực văn bản" in text and "ABCDEFGHJKMNPQRS" in text
    anchors = {name for page in document.pages for name in page.anchors}
    assert documents.SIGNATURE_ANCHOR in anchors


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_pdf_bytes_carry_the_vietnamese_text():
    pdf = notices.render_notice(
        "01", make_dossier(), lookup_url=LOOKUP_URL, issued_at=ISSUED, documents=["Bản chụp Căn cước"]
    )
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    text = " ".join(result.stdout.decode("utf-8").split())
    for expected in (CODE, PROCEDURE_NAME, APPLICANT, DUE_TEXT, "Bản chụp Căn cước"):
        assert expected in text, expected


# -- what the regulation prints on forms 01–05 ---------------------------------------------------------


@pytest.mark.parametrize("form", sorted(FORM_ARGS))
def test_every_form_naming_the_applicant_prints_the_address(form):
    kwargs, _date = FORM_ARGS[form]
    assert ADDRESS in notice_text(form, **kwargs)
    # A dossier without an address prints no empty line for it.
    assert "Địa chỉ:" not in notice_text(form, make_dossier(applicant_address=""), **kwargs).replace(
        "Địa chỉ Bộ phận Một cửa:", ""
    )


def test_result_document_prints_the_address():
    text = document_text(notices.result_document(make_dossier(), lookup_url=LOOKUP_URL, issued_at=ISSUED))
    assert f"Địa chỉ: {ADDRESS}" in text


def test_receipt_prints_its_entry_in_the_register():
    entry = register.RegisterEntry(volume="2026", number=125)
    text = notice_text("01", documents=[], register_entry=entry)
    assert "Vào Sổ theo dõi hồ sơ, Quyển số: 2026, Số thứ tự: 125." in text
    # Before the dossier has a number (an unsaved unit), the line is left for the clerk to fill in.
    assert "Vào Sổ theo dõi hồ sơ, Quyển số: ……, Số thứ tự: ……." in notice_text("01", documents=[])


def test_receipt_prints_the_counters_opening_hours():
    assert f"Giờ làm việc: {HOURS}" in notice_text("01", documents=[])
    # A result sent by post is not collected at the counter.
    by_post = make_dossier(result_delivery=ResultDelivery.POST, delivery_address="Thôn Nà Hang")
    assert "Giờ làm việc" not in notice_text("01", by_post, documents=[])


def test_supplement_request_gives_the_one_stop_units_contacts():
    text = notice_text("02", items=["Bản sao Giấy khai sinh"])
    assert (
        "liên hệ với Trần Văn Bình, Bộ phận Một cửa – Sở Tư pháp tỉnh Tuyên Quang, "
        "số điện thoại 0207 3822 123, thư điện tử sotuphap@example.vn để được hướng dẫn"
    ) in text
    assert "Địa chỉ Bộ phận Một cửa: Số 1 đường Tân Trào" in text
    assert f"Giờ làm việc: {HOURS}" in text


def test_apology_is_numbered_addressed_and_signed_by_the_head_with_the_seal():
    text = notice_text("04", reasons="Chờ xác minh", new_due_at=NEW_DUE)
    assert "Số: ……/PXL" in text
    assert f"Kính gửi: {APPLICANT} (Địa chỉ: {ADDRESS}; điện thoại: 0912345678)" in text
    assert f"GIÁM ĐỐC (Ký, ghi rõ họ tên và đóng dấu) Nơi đóng dấu {HEAD}" in text
    assert "Nơi nhận: - Như trên; - Lưu: VT." in text
    assert "Trần Văn Bình" not in text

    assert "Số: 15/PXL" in notice_text("04", reasons="x", new_due_at=NEW_DUE, number="15/PXL")


def test_apology_is_issued_by_the_deciding_agency_and_falls_back_to_the_heads_office():
    dossier = make_dossier()
    deciding = Agency(
        code="000.00.13.H59", name="Sở Xây dựng tỉnh Tuyên Quang", unit=dossier.receiving_agency.unit
    )
    dossier.deciding_agency = deciding
    text = notice_text("04", dossier, reasons="x", new_due_at=NEW_DUE)
    assert "SỞ XÂY DỰNG TỈNH TUYÊN QUANG" in text
    assert "Sở Tư pháp tỉnh Tuyên Quang đã tiếp nhận hồ sơ" in text
    assert "Sở Xây dựng tỉnh Tuyên Quang xin lỗi ông/bà" in text
    # No head on record: the form's own words.
    assert "THỦ TRƯỞNG CƠ QUAN (Ký, ghi rõ họ tên và đóng dấu)" in text


# -- form 06, the process control slip -----------------------------------------------------------------


def test_control_slip_prints_every_handover():
    rows = [
        Handover(
            at=RECEIVED,
            giver_unit="Bộ phận Một cửa – Sở Tư pháp tỉnh Tuyên Quang",
            receiver_unit="Sở Tư pháp tỉnh Tuyên Quang (Thẩm định hồ sơ)",
            giver="Trần Văn Bình",
            receiver="Lê Thị Mai",
            outcome=EARLY,
        ),
        Handover(
            at=DUE,
            giver_unit="Sở Tư pháp tỉnh Tuyên Quang (Thẩm định hồ sơ)",
            receiver_unit="Bộ phận Một cửa – Sở Tư pháp tỉnh Tuyên Quang",
            giver="Lê Thị Mai",
            outcome=LATE,
            note="Có kết quả",
        ),
    ]
    document = notices.control_slip_document(make_dossier(), rows=rows, printed_at=ISSUED)
    assert document.write_pdf().startswith(b"%PDF")
    text = document_text(document)
    for expected in (
        notices.CONTROL_SLIP_TITLE,
        notices.FORM_CAPTION.format(number="06"),
        CODE,
        APPLICANT,
        ADDRESS,
        "Cơ quan (bộ phận) giải quyết hồ sơ: Sở Tư pháp tỉnh Tuyên Quang",
        "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/đúng hạn/quá hạn)",
        "1. Giao: Bộ phận Một cửa – Sở Tư pháp tỉnh Tuyên Quang 2. Nhận: Sở Tư pháp tỉnh Tuyên Quang "
        "(Thẩm định hồ sơ) 08 giờ 30 phút, ngày 12/03/2026 Người giao: Trần Văn Bình Người nhận: Lê Thị Mai "
        "Trước hạn",
        "Người giao: Lê Thị Mai Người nhận: — Quá hạn Có kết quả",
        "Phiếu lập từ lịch sử xử lý hồ sơ lúc 09 giờ 00 phút, ngày 12/03/2026.",
    ):
        assert expected in text, expected


def test_control_slip_without_handovers_says_so():
    text = document_text(notices.control_slip_document(make_dossier(), rows=[], printed_at=ISSUED))
    assert "Hồ sơ chưa được giao, nhận giữa các bộ phận." in text


# -- form 07, the dossier register ---------------------------------------------------------------------


def register_row(**overrides) -> register.RegisterRow:
    fields = {
        "number": 125,
        "code": CODE,
        "procedure": PROCEDURE_NAME,
        "sets": 1,
        "applicant_name": APPLICANT,
        "applicant_address": ADDRESS,
        "applicant_phone": "0912345678",
        "deciding_agency": "Sở Tư pháp tỉnh Tuyên Quang",
        "received_at": RECEIVED,
        "due_at": DUE,
        "transferred_at": RECEIVED,
        "transferred_to": "Sở Tư pháp tỉnh Tuyên Quang (Thẩm định hồ sơ)",
        "finished_at": None,
        "returned_at": None,
        "note": "Nộp trực tuyến",
    }
    fields.update(overrides)
    return register.RegisterRow(**fields)


def test_register_prints_in_landscape_with_its_heading_and_lines():
    agency = make_dossier().receiving_agency
    heading = register.Heading(
        agency=agency, period=register.Period.month_of(datetime.date(2026, 3, 5)), printed_at=ISSUED
    )
    document = notices.register_document(heading, [register_row(), register_row(number=126, note="")])
    assert document.write_pdf().startswith(b"%PDF")
    page = document.pages[0]
    assert page.width > page.height  # A4 landscape
    text = document_text(document)
    for expected in (
        register.TITLE,
        notices.FORM_CAPTION.format(number="07"),
        "Quyển số: 2026",
        "Đơn vị tiếp nhận: Sở Tư pháp tỉnh Tuyên Quang · Từ ngày 01/03/2026 đến ngày 31/03/2026",
        "In lúc 09:00 12/03/2026",
        "Cơ quan chủ trì giải quyết",
        "Chuyển hồ sơ đến bước xử lý",
        "Ký nhận",
        f"125 {CODE} {PROCEDURE_NAME} 01 {APPLICANT} {ADDRESS}; 0912345678 Sở Tư pháp tỉnh Tuyên Quang "
        "12/03/2026 08:30 26/03/2026 15:30 12/03/2026 08:30 Sở Tư pháp tỉnh Tuyên Quang (Thẩm định hồ sơ) "
        "Nộp trực tuyến",
        f"126 {CODE}",
    ):
        assert expected in text, expected


def test_an_empty_register_says_so():
    heading = register.Heading(
        agency=make_dossier().receiving_agency,
        period=register.Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 2)),
        printed_at=ISSUED,
    )
    text = document_text(notices.register_document(heading, []))
    assert "Không có hồ sơ nào được tiếp nhận trong thời gian này." in text
