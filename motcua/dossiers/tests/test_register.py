"""The dossier register (form 07): which lines a unit's register holds, their numbers, who may read it,
and its exports (xlsx, CSV)."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.accounts.constants import Role
from motcua.accounts.services import grant_role
from motcua.accounts.tests.factories import StaffFactory
from motcua.dossiers import codes, register, services
from motcua.dossiers.constants import Channel, ResultDelivery, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.register import Period, PeriodError
from motcua.dossiers.tests.factories import received

VN = ZoneInfo("Asia/Ho_Chi_Minh")
APRIL = Period(datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=VN)


def received_at(office, when: datetime.datetime, *, agency=None, **fields) -> Dossier:
    """A dossier received at ``when``, numbered by the real code allocator (dossiers.codes)."""
    agency = agency or office.agency
    values = {
        "procedure_version": office.version,
        "applicant_name": "Nguyễn Văn An",
        "receiving_agency": agency,
        "holder_agency": agency,
        "status": Status.PROCESSING,
        "channel": Channel.COUNTER,
        "code": codes.next_code(agency, timezone.localdate(when, VN)),
        "submitted_at": when,
        "received_at": when,
        "due_at": when + datetime.timedelta(days=7),
    }
    values.update(fields)
    return Dossier.objects.create(**values)


def codes_of(rows) -> list[str]:
    return [r.code for r in rows]


def test_the_register_holds_the_units_dossiers_received_in_the_period_in_order(office):
    received_at(office, at(2026, 3, 31, 23, 59))
    first = received_at(office, at(2026, 4, 1, 0, 0))
    middle = received_at(office, at(2026, 4, 15, 9, 30))
    same_day = received_at(office, at(2026, 4, 15, 9, 30))
    last = received_at(office, at(2026, 4, 30, 23, 59, 59))
    received_at(office, at(2026, 5, 1, 0, 0))
    received_at(office, at(2026, 4, 10, 8, 0), agency=office.other_agency)
    Dossier.objects.create(  # submitted, not received: not in the register
        procedure_version=office.version,
        applicant_name="Chưa tiếp nhận",
        receiving_agency=office.agency,
        holder_agency=office.agency,
        status=Status.SUBMITTED,
        submitted_at=at(2026, 4, 2, 8, 0),
    )

    rows = register.register_rows(office.reception, office.agency, APRIL)

    assert codes_of(rows) == [first.code, middle.code, same_day.code, last.code]
    # Numbered through the year: one dossier in March came first.
    assert [r.number for r in rows] == [2, 3, 4, 5]
    page = register.register_page(office.reception, office.agency, APRIL)
    assert codes_of(page.rows) == codes_of(rows) and page.total == 4


def test_numbers_run_through_the_year_and_restart_each_january(office):
    december = received_at(office, at(2025, 12, 31, 16, 0))
    january = [received_at(office, at(2026, 1, 5, 8, 0)), received_at(office, at(2026, 1, 5, 14, 0))]
    received_at(office, at(2026, 2, 2, 8, 0))
    received_at(office, at(2026, 3, 3, 8, 0), agency=office.other_agency)  # another unit's book
    march = received_at(office, at(2026, 3, 3, 8, 0))

    assert register.entry_for(december) == register.RegisterEntry("2025", 1)
    assert [register.entry_for(d) for d in january] == [
        register.RegisterEntry("2026", 1),
        register.RegisterEntry("2026", 2),
    ]
    assert register.entry_for(march) == register.RegisterEntry("2026", 4)
    winter = Period(datetime.date(2025, 12, 1), datetime.date(2026, 3, 31))
    assert [r.number for r in register.register_rows(office.leader, office.agency, winter)] == [1, 1, 2, 3, 4]
    assert winter.volumes == "2025, 2026"


def test_the_printed_receipt_and_the_register_give_the_same_number(office):
    received_at(office, timezone.now() - datetime.timedelta(days=400))  # last year's book
    before = [received(office) for _ in range(2)]
    dossier = received(office)

    receipt = dossier.attachments.get(notice_form="01")
    services.render_pending(receipt)  # what the task (or the first download) does
    text = " ".join(PdfReader(receipt.file).pages[0].extract_text().split())
    row = register.register_rows(office.reception, office.agency, Period.month_of(timezone.localdate()))[-1]

    assert row.code == dossier.code and row.number == 3 and len(before) == 2
    assert f"Quyển số: {timezone.localdate().year}, Số thứ tự: 3" in text


def test_a_line_tells_the_dossiers_course(office):
    dossier = received(office)
    services.forward(dossier, actor=office.specialist)
    services.attach_result(dossier, actor=office.leader)
    services.approve(dossier, actor=office.leader)
    services.return_result(dossier, actor=office.reception)
    dossier.refresh_from_db()
    Dossier.objects.filter(pk=dossier.pk).update(applicant_address="Số 5 ngõ 12, phường Minh Xuân")

    [row] = register.register_rows(office.reception, office.agency, Period.month_of(timezone.localdate()))

    assert row.procedure == "Đăng ký khai sinh" and row.sets == 1
    assert row.applicant_name == "Nguyễn Văn An" and row.applicant_address == "Số 5 ngõ 12, phường Minh Xuân"
    assert row.deciding_agency == office.agency.name
    assert row.received_at == dossier.received_at and row.due_at == dossier.due_at
    assert row.transferred_to == "Ủy ban nhân dân phường Minh Xuân (Thẩm định hồ sơ)"
    assert row.transferred_at == dossier.steps.get(role="specialist").started_at
    assert row.finished_at == dossier.finished_at and row.returned_at == dossier.returned_at
    assert row.note == "Nộp trực tuyến"


def test_the_note_tells_a_new_appointment_and_a_stop(office):
    original = at(2026, 4, 9, 16, 0)
    received_at(
        office,
        at(2026, 4, 2, 8, 0),
        apologized=True,
        original_due_at=original,
        due_at=at(2026, 4, 16, 10, 0),
        status=Status.STOPPED,
    )

    [row] = register.register_rows(office.reception, office.agency, APRIL)

    assert row.due_at == original  # the appointment given at reception
    assert row.note == "Dừng xử lý; Đã xin lỗi, hẹn lại 10:00 16/04/2026"


def test_the_note_of_a_result_sent_by_post_gives_the_tracking_number(office):
    address = {"result_delivery": ResultDelivery.POST, "delivery_address": "Thôn Nà Hang"}
    received_at(office, at(2026, 4, 2, 8, 0), **address)
    received_at(
        office,
        at(2026, 4, 3, 8, 0),
        **address,
        status=Status.RETURNED,
        returned_at=at(2026, 4, 8, 9, 0),
        postal_tracking_number="EB123456785VN",
    )

    rows = register.register_rows(office.reception, office.agency, APRIL)

    assert [row.note for row in rows] == [
        "Trả kết quả qua bưu chính",
        "Trả kết quả qua bưu chính, số hiệu EB123456785VN",
    ]


def test_only_the_units_reception_and_leaders_and_a_province_admin_read_its_register(office):
    received_at(office, at(2026, 4, 2, 8, 0))
    admin = StaffFactory(full_name="Quản trị tỉnh")
    grant_role(admin, office.other_agency, Role.PROVINCE_ADMIN)

    assert list(register.register_agencies(office.reception)) == [office.agency]
    assert list(register.register_agencies(office.leader)) == [office.agency]
    assert list(register.register_agencies(office.specialist)) == []
    assert list(register.register_agencies(office.citizen)) == []
    assert office.agency not in register.register_agencies(office.outsider)
    assert set(register.register_agencies(admin)) == {office.agency, office.other_agency}

    for user in (office.outsider, office.specialist, office.citizen):
        assert register.register_rows(user, office.agency, APRIL) == []
        assert register.register_page(user, office.agency, APRIL).rows == []
    assert len(register.register_rows(admin, office.agency, APRIL)) == 1


def test_pages_are_keyset_pages_in_the_order_received(office):
    made = [received_at(office, at(2026, 4, day, 9, 0)) for day in range(1, 6)]

    first = register.register_page(office.reception, office.agency, APRIL, size=2)
    second = register.register_page(office.reception, office.agency, APRIL, after=first.next_cursor, size=2)
    third = register.register_page(office.reception, office.agency, APRIL, after=second.next_cursor, size=2)

    assert codes_of(first.rows + second.rows + third.rows) == [d.code for d in made]
    assert third.next_cursor is None and second.has_previous and not first.has_previous
    # A mangled cursor starts again from the first page.
    mangled = register.register_page(office.reception, office.agency, APRIL, after="x_y", size=2)
    assert codes_of(mangled.rows) == codes_of(first.rows)


def test_a_period_is_at_most_a_year_and_ends_after_it_starts():
    february = Period(datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    assert Period.month_of(datetime.date(2024, 2, 10)) == february
    Period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))  # 366 days: a leap year
    with pytest.raises(PeriodError, match="Đến ngày") as too_long:
        Period(datetime.date(2025, 1, 1), datetime.date(2026, 1, 2))
    assert too_long.value.field == "end"
    with pytest.raises(PeriodError, match="Đến ngày"):
        Period(datetime.date(2026, 4, 2), datetime.date(2026, 4, 1))


def test_exports_are_bounded(office):
    for hour in (8, 9, 10):
        received_at(office, at(2026, 4, 2, hour, 0))
    with pytest.raises(register.TooManyRows) as exc:
        register.register_rows(office.reception, office.agency, APRIL, limit=2)
    assert (exc.value.count, exc.value.limit) == (3, 2)


def test_the_spreadsheet_has_a_heading_block_and_values_only(office):
    dossier = received_at(
        office,
        at(2026, 4, 2, 8, 30),
        applicant_name='=HYPERLINK("http://x","y")',
        applicant_address="Số 5 ngõ 12",
        applicant_phone="0912345678",
    )
    rows = register.register_rows(office.reception, office.agency, APRIL)
    heading = register.Heading(agency=office.agency, period=APRIL, printed_at=at(2026, 5, 2, 9, 15))

    sheet = load_workbook(io.BytesIO(register.to_xlsx(heading, rows))).active

    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == register.TITLE
    assert [v[:2] for v in values[1:6]] == [
        ["Đơn vị tiếp nhận", office.agency.name],
        ["Quyển số", "2026"],
        ["Từ ngày", "01/04/2026"],
        ["Đến ngày", "30/04/2026"],
        ["In lúc", "09:15 02/05/2026"],
    ]
    assert values[7] == register.COLUMNS
    line = values[8]
    assert line[:7] == [
        1,
        dossier.code,
        "Đăng ký khai sinh",
        1,
        '=HYPERLINK("http://x","y")',
        "Số 5 ngõ 12, 0912345678",
        office.agency.name,
    ]
    assert line[7] == datetime.datetime(2026, 4, 2, 8, 30)  # Vietnam's time
    assert sheet.cell(row=9, column=5).data_type == "s"  # text, not a formula
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_the_csv_has_the_columns_and_neutralises_formulas(office):
    dossier = received_at(office, at(2026, 4, 2, 8, 30), applicant_name="=cmd|' /C calc'!A0")

    text = "".join(register.to_csv(register.register_rows(office.reception, office.agency, APRIL)))

    header, line = list(csv.reader(io.StringIO(text)))
    assert header == register.COLUMNS
    assert line[:5] == ["1", dossier.code, "Đăng ký khai sinh", "1", "'=cmd|' /C calc'!A0"]
    assert line[7] == "08:30 02/04/2026"
