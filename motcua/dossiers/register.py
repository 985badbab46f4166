"""The dossier register (sổ theo dõi hồ sơ, form 07 of Circular 03/2025 Appendix I): reads and exports.

One line per dossier a reception unit (the receiving agency) received in a period, in the order
received. Reads only; the PDF is laid out by motcua.dossiers.notices, the spreadsheet and the CSV here.

The register number (Quyển số…, Số thứ tự…). Each unit keeps one volume per calendar year, numbered
from 1 each 1 January in the order dossiers were received. The number is not stored: it is the daily
sequence in the dossier code ({agency}-{YYMMDD}-{NNNN}, gap-free per unit and day, taken from
``DailySequence`` in the reception's transaction) plus every number the unit gave on the earlier days of
that year (the sum of their ``DailySequence.last``). So the receipt (form 01), printed inside the
reception's transaction, and the register read later agree, under concurrent receptions too; only a
reception still uncommitted across midnight could leave the next day's numbers one too low on the
receipts printed in that instant. A code of another shape (a future national variant) gets no number.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.constants import AccountKind, Role
from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.dossiers.constants import Channel, Status, StepKind
from motcua.dossiers.models import DailySequence, Dossier, Step

TITLE = "SỔ THEO DÕI HỒ SƠ"
# How a volume is named: one per unit and year. Sample wording; change it here only.
VOLUME = "{year}"
# A dossier is one set of papers (the form's "Số lượng hồ sơ (bộ)").
SETS_PER_DOSSIER = 1

# Who keeps a unit's register: its reception officers and its leaders (a province administrator: any).
KEEPERS = (Role.RECEPTION, Role.LEADER)
MAX_PERIOD_DAYS = 366
# Exports are bounded: a longer list must be split by period.
EXPORT_LIMIT = 20_000
# WeasyPrint lays out about 30 register lines a second (300 in 10.8 s measured): 500 lines, ~18 s.
PDF_LIMIT = 500
PAGE_SIZE = 50

# The columns of the register, in the form's order (the PDF groups some of them under one heading).
COLUMNS = [
    "Số thứ tự",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Số lượng hồ sơ (bộ)",
    "Tên người nộp hồ sơ",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ (giờ, ngày)",
    "Hẹn trả kết quả (giờ, ngày)",
    "Chuyển hồ sơ đến bước xử lý",
    "Ngày có kết quả/chuyển hồ sơ liên thông",
    "Trả kết quả: ngày",
    "Trả kết quả: ký nhận",
    "Ghi chú",
]
_CHANNEL_NOTES = {Channel.ONLINE: "Nộp trực tuyến", Channel.POST: "Nộp qua bưu chính"}
_STATUS_NOTES = {
    Status.STOPPED: "Dừng xử lý",
    Status.WITHDRAWN: "Công dân rút hồ sơ",
    Status.SUPPLEMENT: "Chờ bổ sung hồ sơ",
}


class PeriodError(ValueError):
    """A period the register refuses; ``field`` is "start" or "end"."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Period:
    """Days ``first`` to ``last``, both included, in Vietnam's days."""

    first: datetime.date
    last: datetime.date

    def __post_init__(self):
        if self.last < self.first:
            raise PeriodError("end", _("Đến ngày: phải từ ngày ở ô Từ ngày trở đi."))
        if (self.last - self.first).days + 1 > MAX_PERIOD_DAYS:
            raise PeriodError(
                "end",
                _("Đến ngày: khoảng thời gian dài nhất là %(days)s ngày (một năm).")
                % {"days": MAX_PERIOD_DAYS},
            )

    @classmethod
    def month_of(cls, day: datetime.date) -> "Period":
        first = day.replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        return cls(first, following - datetime.timedelta(days=1))

    @property
    def start(self) -> datetime.datetime:
        return _midnight(self.first)

    @property
    def end(self) -> datetime.datetime:
        """The first instant after the period."""
        return _midnight(self.last + datetime.timedelta(days=1))

    @property
    def volumes(self) -> str:
        years = range(self.first.year, self.last.year + 1)
        return ", ".join(VOLUME.format(year=y) for y in years)


def _midnight(day: datetime.date) -> datetime.datetime:
    # Codes are dated in the default time zone (services: timezone.localdate()); so are the periods.
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone()
    )


@dataclass(frozen=True)
class RegisterEntry:
    """Where a dossier stands in its unit's register."""

    volume: str
    number: int


@dataclass(frozen=True)
class RegisterRow:
    number: int | None
    code: str
    procedure: str
    sets: int
    applicant_name: str
    applicant_address: str
    applicant_phone: str
    deciding_agency: str
    received_at: datetime.datetime | None
    due_at: datetime.datetime | None
    transferred_at: datetime.datetime | None
    transferred_to: str
    finished_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    note: str


@dataclass(frozen=True)
class RegisterPage:
    rows: list[RegisterRow]
    next_cursor: str | None
    has_previous: bool
    total: int


class TooManyRows(Exception):
    def __init__(self, count: int, limit: int):
        super().__init__(f"{count} rows, more than {limit}")
        self.count = count
        self.limit = limit


# -- who may read which register ----------------------------------------------------------------------


def register_agencies(user: User) -> QuerySet[Agency]:
    """The reception units whose register ``user`` may read: where they receive or lead; every unit for a
    province administrator."""
    if not user.is_authenticated or user.kind != AccountKind.STAFF:
        return Agency.objects.none()
    units = Agency.objects.filter(receives_dossiers=True)
    if user.is_superuser or user.memberships.filter(role=Role.PROVINCE_ADMIN).exists():
        return units.order_by("name")
    mine = Agency.objects.filter(memberships__user=user, memberships__role__in=KEEPERS)
    return units.filter(pk__in=mine.values("pk")).order_by("name")


# -- the register's lines -----------------------------------------------------------------------------


def _received(user: User, agency: Agency, period: Period) -> QuerySet[Dossier]:
    """Dossiers ``agency`` received in ``period`` if ``user`` may read its register; none otherwise."""
    if not register_agencies(user).filter(pk=agency.pk).exists():
        return Dossier.objects.none()
    process_steps = (
        Step.objects.filter(kind=StepKind.PROCESS).select_related("agency").order_by("order", "id")
    )
    return (
        Dossier.objects.filter(
            receiving_agency=agency, received_at__gte=period.start, received_at__lt=period.end
        )
        .select_related("procedure_version", "deciding_agency", "receiving_agency")
        .prefetch_related(Prefetch("steps", queryset=process_steps, to_attr="process_steps"))
        .order_by("received_at", "id")
    )


def register_page(
    user: User, agency: Agency, period: Period, *, after: str | None = None, size: int = PAGE_SIZE
) -> RegisterPage:
    """``size`` lines of the register after the cursor ``after``, in the order received (keyset pages on
    received_at, id; a mangled cursor starts from the first page)."""
    dossiers = _received(user, agency, period)
    cursor = _decode_cursor(after)
    page = dossiers
    if cursor is not None:
        at, pk = cursor
        page = page.filter(Q(received_at__gt=at) | Q(received_at=at, pk__gt=pk))
    found = list(page[: size + 1])
    more = len(found) > size
    found = found[:size]
    next_cursor = None
    if more and found and found[-1].received_at is not None:
        next_cursor = f"{found[-1].received_at.isoformat()}_{found[-1].pk}"
    return RegisterPage(
        rows=_rows(agency, found),
        next_cursor=next_cursor,
        has_previous=cursor is not None,
        total=dossiers.count(),
    )


def register_rows(
    user: User, agency: Agency, period: Period, *, limit: int = EXPORT_LIMIT
) -> list[RegisterRow]:
    """Every line of the period, for printing and export; TooManyRows past ``limit``."""
    dossiers = _received(user, agency, period)
    count = dossiers.count()
    if count > limit:
        raise TooManyRows(count, limit)
    return _rows(agency, dossiers.iterator(chunk_size=1000))


def _decode_cursor(after: str | None) -> tuple[datetime.datetime, int] | None:
    if not after:
        return None
    at_text, _sep, pk_text = after.rpartition("_")
    try:
        at = datetime.datetime.fromisoformat(at_text)
        return (at if timezone.is_aware(at) else timezone.make_aware(at)), int(pk_text)
    except ValueError:
        return None


def _rows(agency: Agency, dossiers: Iterable[Dossier]) -> list[RegisterRow]:
    dossiers = list(dossiers)
    parts = {d.pk: _code_parts(d.code or "", agency.code) for d in dossiers}
    offsets = _year_offsets(agency.pk, {p[0] for p in parts.values() if p is not None})
    rows = []
    for dossier in dossiers:
        part = parts[dossier.pk]
        number = offsets[part[0]] + part[1] if part is not None else None
        rows.append(_row(dossier, number))
    return rows


def _row(dossier: Dossier, number: int | None) -> RegisterRow:
    transfer = next(
        (s for s in getattr(dossier, "process_steps", []) if s.role != Role.RECEPTION and s.started_at),
        None,
    )
    deciding = dossier.deciding_agency or dossier.receiving_agency
    return RegisterRow(
        number=number,
        code=dossier.code or "",
        procedure=dossier.procedure_version.name,
        sets=SETS_PER_DOSSIER,
        applicant_name=dossier.applicant_name,
        applicant_address=dossier.applicant_address,
        applicant_phone=dossier.applicant_phone,
        deciding_agency=deciding.name,
        received_at=dossier.received_at,
        due_at=dossier.original_due_at or dossier.due_at,
        transferred_at=transfer.started_at if transfer is not None else None,
        transferred_to=f"{transfer.agency.name} ({transfer.name})" if transfer is not None else "",
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
        note=_note(dossier),
    )


def _note(dossier: Dossier) -> str:
    notes = []
    if dossier.channel in _CHANNEL_NOTES:
        notes.append(_CHANNEL_NOTES[Channel(dossier.channel)])
    if dossier.status in _STATUS_NOTES:
        notes.append(_STATUS_NOTES[Status(dossier.status)])
    if dossier.apologized and dossier.due_at is not None:
        notes.append(f"Đã xin lỗi, hẹn lại {format_moment(dossier.due_at)}")
    if dossier.by_post:
        # The parcel's number stands for the applicant's signature on receipt (column "ký nhận").
        tracking = dossier.postal_tracking_number
        notes.append(
            f"Trả kết quả qua bưu chính, số hiệu {tracking}" if tracking else "Trả kết quả qua bưu chính"
        )
    return "; ".join(notes)


# -- numbering ----------------------------------------------------------------------------------------


def _code_parts(code: str, agency_code: str) -> tuple[datetime.date, int] | None:
    """(day, daily number) of a code ``{agency}-{YYMMDD}-{NNNN}`` of this agency; None otherwise."""
    prefix = f"{agency_code}-"
    if not code.startswith(prefix):
        return None
    day_text, _sep, number_text = code[len(prefix) :].partition("-")
    if len(day_text) != 6 or not number_text.isdigit():
        return None
    try:
        day = datetime.datetime.strptime(day_text, "%y%m%d").date()
    except ValueError:
        return None
    return day, int(number_text)


def _year_offsets(agency_id: int, days: set[datetime.date]) -> dict[datetime.date, int]:
    """For each day, how many numbers the unit gave on the earlier days of that day's year."""
    offsets: dict[datetime.date, int] = {}
    for year in {d.year for d in days}:
        wanted = sorted(d for d in days if d.year == year)
        given = list(
            DailySequence.objects.filter(
                agency_id=agency_id, day__gte=datetime.date(year, 1, 1), day__lt=wanted[-1]
            )
            .order_by("day")
            .values_list("day", "last")
        )
        running, i = 0, 0
        for day in wanted:
            while i < len(given) and given[i][0] < day:
                running += given[i][1]
                i += 1
            offsets[day] = running
    return offsets


def entry_for(dossier: Dossier) -> RegisterEntry | None:
    """The dossier's volume and number in its unit's register; None before it has a code (or for an
    unsaved unit)."""
    agency = dossier.receiving_agency
    if agency.pk is None or not dossier.code:
        return None
    part = _code_parts(dossier.code, agency.code)
    if part is None:
        return None
    day, number = part
    return RegisterEntry(
        volume=VOLUME.format(year=day.year), number=_year_offsets(agency.pk, {day})[day] + number
    )


# -- exports ------------------------------------------------------------------------------------------


def format_moment(value: datetime.datetime | None) -> str:
    """'08:30 12/03/2026' in the default (Vietnam's) time zone; '' for None."""
    if value is None:
        return ""
    return timezone.localtime(value, timezone.get_default_timezone()).strftime("%H:%M %d/%m/%Y")


def format_day(value: datetime.date) -> str:
    return f"{value:%d/%m/%Y}"


def row_values(row: RegisterRow) -> list:
    """The row's cells in COLUMNS order (datetimes as aware datetimes, None when empty)."""
    contact = ", ".join(p for p in (row.applicant_address, row.applicant_phone) if p)
    transferred = " – ".join(p for p in (format_moment(row.transferred_at), row.transferred_to) if p)
    return [
        row.number,
        row.code,
        row.procedure,
        row.sets,
        row.applicant_name,
        contact,
        row.deciding_agency,
        row.received_at,
        row.due_at,
        transferred,
        row.finished_at,
        row.returned_at,
        "",  # signed for by the applicant on paper
        row.note,
    ]


@dataclass(frozen=True)
class Heading:
    """What a printed or exported register says about itself."""

    agency: Agency
    period: Period
    printed_at: datetime.datetime

    @property
    def first_day(self) -> str:
        return format_day(self.period.first)

    @property
    def last_day(self) -> str:
        return format_day(self.period.last)

    @property
    def printed(self) -> str:
        return format_moment(self.printed_at)

    @property
    def lines(self) -> list[tuple[str, str]]:
        return [
            ("Đơn vị tiếp nhận", self.agency.name),
            ("Quyển số", self.period.volumes),
            ("Từ ngày", self.first_day),
            ("Đến ngày", self.last_day),
            ("In lúc", self.printed),
        ]


def to_xlsx(heading: Heading, rows: Iterable[RegisterRow]) -> bytes:
    """A workbook of values only: a heading block (unit, volume, period, printed at), then the table."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("So theo doi ho so")
    for width, letter in zip(
        (8, 28, 48, 10, 26, 36, 30, 17, 17, 40, 17, 17, 14, 30), "ABCDEFGHIJKLMN", strict=True
    ):
        sheet.column_dimensions[letter].width = width

    def cell(value):
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value, timezone.get_default_timezone()).replace(tzinfo=None)
            c = WriteOnlyCell(sheet, value=local)
            c.number_format = "dd/mm/yyyy hh:mm"
            return c
        c = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # a name starting with "=" stays text, never a formula
        return c

    sheet.append([cell(TITLE)])
    for label, value in heading.lines:
        sheet.append([cell(label), cell(value)])
    sheet.append([])
    sheet.append([cell(c) for c in COLUMNS])
    for row in rows:
        sheet.append([cell(v) for v in row_values(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# A cell a spreadsheet would read as a formula is written with a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(rows: Iterable[RegisterRow]) -> Iterator[str]:
    """The table as CSV lines (header first; dates as 'HH:MM dd/mm/yyyy'), for a UTF-8 download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(COLUMNS)
    for row in rows:
        yield line([_csv_text(v) for v in row_values(row)])


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return format_moment(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
