"""Demo dossiers: a year of real-looking work for the demo province (issue item 8).

Every dossier is made by the real services (motcua.dossiers.services), acted by the demo users who
hold the right role, so its history, code, receipt, deadlines and notices are consistent. Each
dossier's story runs under a frozen clock that moves step by step through the past: submission
(online at any hour, at the counter in working hours), reception a few working hours later,
processing spread over the legal time (or beyond it, for the late ones), return of the result.

The stories are planned first and run in the order of their reception, so the daily sequence of
the dossier codes follows the time of reception as it would in real life.

The notices and results the services issue are stored with their snapshot and rendered to PDF
later (motcua.dossiers.notices): the loader collects them (``services.renders_collected``) and, once
its transaction has committed, queues one render task each, newest first, for the task worker
(``manage.py db_worker``); a document someone downloads before the worker reaches it is rendered
then. So loading takes the time of the services, not of WeasyPrint (docs/performance.md). Where
signing is configured (motcua.signing), the worker signs each document as it renders it: the returned
dossiers' results with their approving leader's certificate (``manage.py signing_demo_ca``), so the
history returns results whose signature comes after the commit (``documents.results_signed_later``).

Loading is idempotent (nothing happens once the demo applicants have dossiers) and deterministic
(seeded random; the dates are relative to ``now``). Demo-only identities: e-mail addresses are
@example.vn, identity numbers are random 12-digit numbers with a Tuyên Quang or Hà Giang prefix.
"""

import datetime
import io
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from motcua.accounts.constants import AccountKind, Role
from motcua.accounts.models import Membership, User
from motcua.accounts.services import grant_role
from motcua.agencies.models import AdministrativeUnit, Agency
from motcua.calendar.selectors import work_calendar
from motcua.calendar.workdays import VIETNAM, WorkCalendar
from motcua.catalog.constants import FieldKind
from motcua.catalog.models import FormField, ProcedureVersion, RequiredDocument
from motcua.core import clock as core_clock
from motcua.core.text import fold
from motcua.dossiers import delivery, documents, events, services
from motcua.dossiers.constants import Channel, PaymentMethod, ResultDelivery, Status, StepKind
from motcua.dossiers.models import Dossier, Step
from motcua.payments import services as payment_services
from motcua.payments.constants import EventSource, Outcome
from motcua.payments.gateways import vnpay
from motcua.surveys import services as survey_services
from motcua.surveys.constants import RatingChannel

DEMO_EMAIL_DOMAIN = "example.vn"
DEFAULT_COUNT = 320
DEFAULT_SEED = 2026
PROVINCE_CODE = "08"
# How many citizens with an account apply online, besides the demo users ``citizen`` and ``business``.
ACCOUNT_CITIZENS = 40
# Walk-in applicants (no account) whose dossiers are entered at the counter.
WALK_INS = 70
# What the demo user ``citizen`` has, so the portal shows every kind of dossier.
CITIZEN_STATUSES = [
    Status.SUBMITTED,
    Status.RECEIVED,
    Status.REFUSED,
    Status.PROCESSING,
    Status.SUPPLEMENT,
    Status.PAYMENT,
    Status.WITHDRAWN,
    Status.READY,
    Status.RETURNED,
    Status.RETURNED,
    Status.RETURNED,
]
BUSINESS_STATUSES = [Status.PROCESSING, Status.READY, Status.RETURNED, Status.RETURNED]
# Share of each final status (the rest is returned, as in real life), with a minimum each.
STATUS_SHARES = {
    Status.SUBMITTED: (0.0375, 2),
    Status.RECEIVED: (0.03, 2),
    Status.REFUSED: (0.03, 2),
    Status.PROCESSING: (0.095, 4),
    Status.SUPPLEMENT: (0.04, 2),
    Status.PAYMENT: (0.025, 2),
    Status.WITHDRAWN: (0.03, 2),
    Status.STOPPED: (0.025, 2),
    Status.READY: (0.05, 3),
}
# Procedures people ask for most (civil status, certification) weigh more.
PROCEDURE_WEIGHTS = {"2.000815": 8, "2.000884": 4, "1.001193": 6, "1.004873": 4, "1.000656": 2}
BUSINESS_PROCEDURES = ["2.001583", "1.000703", "2.002288", "1.004363", "1.010727", "1.013225"]
# Staff created for the agencies where the demo users hold no role: {agency code: username prefix}.
STAFF_PREFIXES = {
    "000.00.00.H59": "ubndtinh",
    "000.00.20.H59": "ttpvhcc",
    "000.00.12.H59": "sotuphap",
    "000.00.13.H59": "soxaydung",
    "000.00.14.H59": "sonnmt",
    "000.00.15.H59": "sotaichinh",
    "000.00.16.H59": "congan",
    "000.00.17.H59": "soyte",
    "000.00.18.H59": "socongthuong",
    "000.00.19.H59": "sovhttdl",
    "000.00.21.H59": "sogddt",
    "000.00.22.H59": "sonoivu",
    "000.14.01.H59": "vpdkdd",
    "000.01.01.H59": "minhxuan",
    "000.02.01.H59": "nongtien",
    "000.03.01.H59": "lungcu",
}
ROLE_SUFFIXES = {Role.RECEPTION: "motcua", Role.SPECIALIST: "chuyenvien", Role.LEADER: "lanhdao"}
# The demo users act wherever they hold the role, so their inboxes and histories fill up.
PREFERRED_STAFF = ["reception", "specialist", "leader"]

# ---------------------------------------------------------------------------------------------
# Names and texts

SURNAMES = (
    ["Nguyễn"] * 8
    + ["Trần"] * 3
    + ["Lê"] * 3
    + ["Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Ngô", "Đặng", "Dương", "Lý"]
    + ["Hà", "Ma", "Nông", "Triệu", "Lục", "Quan", "Chu", "Hầu"]
)
HMONG_SURNAMES = ["Giàng", "Vàng", "Sùng", "Thào", "Lù"]
MALE_MIDDLE = ["Văn", "Văn", "Đức", "Hữu", "Quang", "Minh", "Xuân", "Công", "Thế", "Mạnh", "Trọng"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thu", "Ngọc", "Thanh", "Thúy", "Hồng", "Minh", "Kim", "Phương"]
MALE_GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Kiên", "Long",
    "Nam", "Phong", "Quân", "Sơn", "Thắng", "Thành", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Lâm",
]  # fmt: skip
FEMALE_GIVEN = [
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Huyền", "Hương", "Lan", "Linh", "Loan",
    "Mai", "Nga", "Ngân", "Nhung", "Phương", "Quỳnh", "Thảo", "Trang", "Vân", "Yến", "Thủy", "Hằng",
]  # fmt: skip
HMONG_MALE = ["Páo", "Sình", "Chứ", "Dình", "Lử", "Vảng", "Chúa"]
HMONG_FEMALE = ["Mỷ", "Dế", "Chá", "Pà", "Súa", "Di"]
PHONE_PREFIXES = ["096", "097", "098", "086", "032", "035", "038", "091", "094", "088", "090", "093"]
STREETS = ["Tân Trào", "Bình Thuận", "Quang Trung", "17 Tháng 8", "Lê Duẩn", "Nguyễn Trãi", "Phạm Văn Đồng"]
VILLAGES = ["Lũng Cú", "Thèn Ván", "Lô Lô Chải", "Sán Trồ", "Nà Tông", "Bản Khuôn", "Làng Chẩu", "Tân Lập"]
COMPANY_STEMS = [
    "Chè Tân Trào", "Vận tải Hà Tuyên", "Xây dựng Minh Phát", "Nông sản Lũng Cú", "Thương mại Sông Lô",
    "Du lịch Cao nguyên đá", "Gỗ rừng trồng Yên Sơn", "Mật ong bạc hà Đồng Văn", "Vật tư nông nghiệp Hàm Yên",
]  # fmt: skip
HOUSEHOLD_BUSINESSES = [
    "Tạp hóa Minh Anh", "Quán phở Hương Thủy", "Chè Shan tuyết Lũng Cú", "Sửa chữa xe máy Tuấn Hùng",
    "Điện thoại Thành Đạt", "Mật ong bạc hà Đồng Văn", "Cơm bình dân Hải Yến", "Vật liệu xây dựng Phú Lâm",
]  # fmt: skip

TEXTS: dict[str, list[str]] = {
    "cause_of_death": ["Bệnh già", "Bệnh hiểm nghèo", "Đột quỵ", "Tai nạn giao thông", "Bệnh tim mạch"],
    "child_ethnicity": ["Kinh", "Kinh", "Tày", "Dao", "Mông", "Nùng", "Sán Chay"],
    "child_place_of_birth": [
        "Bệnh viện Đa khoa tỉnh Tuyên Quang",
        "Bệnh viện Sản Nhi tỉnh Tuyên Quang",
        "Bệnh viện Đa khoa tỉnh Hà Giang",
        "Trạm Y tế xã Lũng Cú",
    ],
    "place_of_death": [
        "Tại nhà riêng, tổ 5, phường Minh Xuân, tỉnh Tuyên Quang",
        "Bệnh viện Đa khoa tỉnh Tuyên Quang",
        "Tại nhà riêng, thôn Lô Lô Chải, xã Lũng Cú, tỉnh Tuyên Quang",
    ],
    "previous_registration_place": [
        "UBND xã Tràng Đà, thành phố Tuyên Quang (cũ)",
        "UBND phường Phan Thiết, thành phố Tuyên Quang (cũ)",
        "UBND xã Lũng Cú, huyện Đồng Văn (cũ)",
    ],
    "relationship_to_deceased": ["Con", "Vợ", "Chồng", "Con", "Cháu"],
    "relationship_to_head": ["Vợ", "Chồng", "Con", "Con", "Cháu", "Con dâu"],
    "relationship_to_holder": ["Bản thân", "Bản thân", "Con", "Vợ", "Chồng"],
    "relationship_to_subject": ["Bản thân", "Bản thân", "Con", "Cha", "Mẹ"],
    "document_name": [
        "Bằng tốt nghiệp trung học phổ thông",
        "Giấy khai sinh",
        "Bằng tốt nghiệp đại học",
        "Học bạ trung học phổ thông",
        "Giấy chứng nhận quyền sử dụng đất",
        "Giấy ủy quyền",
        "Hợp đồng lao động",
    ],
    "original_document_name": [
        "Bằng tốt nghiệp trung học phổ thông năm 2010",
        "Bằng tốt nghiệp trung học cơ sở",
        "Giấy khai sinh",
        "Giấy chứng nhận kết hôn",
    ],
    "vehicle_type": [
        "Ô tô tải Thaco Ollin 500B",
        "Ô tô con Toyota Vios 1.5E",
        "Ô tô khách Hyundai County",
        "Ô tô tải Hyundai Porter H150",
    ],
    "qualification": ["Bác sĩ thú y", "Trung cấp chăn nuôi thú y", "Kỹ sư chăn nuôi", "Cao đẳng thú y"],
    "seller_qualification": ["Trung cấp bảo vệ thực vật", "Kỹ sư nông học", "Trung cấp trồng trọt"],
    "new_crop": ["Cây cam sành", "Cây bưởi", "Lúa kết hợp nuôi cá", "Cây chè", "Ngô ngọt"],
    "land_use_purpose": ["Đất ở tại đô thị", "Đất ở tại nông thôn", "Đất trồng cây lâu năm"],
    "usage_purpose": ["Sinh hoạt hộ gia đình", "Sản xuất, chế biến chè", "Tưới cây trồng", "Chăn nuôi"],
    "contract_term": ["3 năm", "5 năm", "10 năm"],
    "organization_name": [
        "Hợp tác xã Lâm nghiệp Yên Sơn",
        "Công ty TNHH Lâm nghiệp Tuyên Quang",
        "Ban quản lý rừng phòng hộ Na Hang",
    ],
    "assets_on_land": ["Nhà ở 2 tầng, diện tích xây dựng 80 m²", "Nhà cấp 4, diện tích 60 m²", "Không có"],
    "business_lines": [
        "Bán lẻ lương thực, thực phẩm, đồ uống (4711)",
        "Chế biến và bảo quản chè (1077); Bán buôn thực phẩm (4632)",
        "Vận tải hàng hóa bằng đường bộ (4933)",
        "Dịch vụ ăn uống (5610)",
        "Bán lẻ đồ ngũ kim, sơn, kính và thiết bị lắp đặt khác trong xây dựng (4752)",
    ],
    "cooperation_scope": [
        "Hợp tác trồng, chăm sóc, bảo vệ và khai thác rừng trồng keo",
        "Liên kết trồng cây dược liệu dưới tán rừng",
    ],
    "dispute_content": [
        "Tranh chấp ranh giới giữa hai thửa đất liền kề; đề nghị UBND xã tổ chức hòa giải",
        "Tranh chấp lối đi chung vào khu dân cư; đề nghị hòa giải tại cơ sở",
    ],
    "land_origin": [
        "Đất do ông bà để lại, sử dụng ổn định từ năm 1995, không có tranh chấp",
        "Nhận chuyển nhượng năm 2008, sử dụng ổn định, không có tranh chấp",
    ],
    "loss_description": [
        "Bị mất trong quá trình chuyển nhà năm 2025",
        "Bị hư hỏng, thất lạc trong đợt lũ tháng 9/2025",
    ],
    "renovation_scope": ["Cải tạo mặt tiền, nâng thêm 1 tầng", "Sửa chữa mái, thay kết cấu sàn tầng 2"],
    "route": ["Tuyến Tuyên Quang – Hà Giang (Quốc lộ 2)", "Nội tỉnh Tuyên Quang", "Tuyên Quang – Hà Nội"],
}
REASONS = {
    "1.004859": ["Sai sót khi đăng ký trước đây", "Để thống nhất với thông tin trên căn cước"],
    "1.001570": ["Sửa chữa, cải tạo cửa hàng", "Chủ hộ đi chữa bệnh dài ngày"],
    "1.004837": ["Cha mẹ của người được giám hộ đã mất", "Cha mẹ đi làm ăn xa, không có điều kiện chăm sóc"],
    "2.001263": ["Vợ chồng hiếm muộn, mong muốn nhận cháu làm con nuôi", "Nhận nuôi cháu mồ côi"],
    "3.000348": ["Giấy phép lái xe bị mất", "Giấy phép lái xe bị hỏng", "Giấy phép lái xe hết hạn"],
    "1.012784": ["Chia đất cho con để xây nhà ở", "Hợp thửa để thuận tiện canh tác"],
    "1.011607": [
        "Gia đình có người ốm đau dài ngày, thu nhập thấp",
        "Chủ hộ cao tuổi, không có việc làm ổn định",
    ],
}
GENERIC_REASONS = ["Theo nhu cầu của gia đình", "Để hoàn thiện hồ sơ cá nhân", "Theo yêu cầu của cơ quan"]
SUPPLEMENT_ITEMS = [
    "Bản chụp giấy tờ bị mờ, không đọc được; đề nghị nộp lại bản chụp rõ nét",
    "Tờ khai chưa có chữ ký của người yêu cầu",
    "Thiếu văn bản ủy quyền có chứng thực",
    "Thông tin nơi cư trú trên tờ khai chưa khớp với Cơ sở dữ liệu quốc gia về dân cư",
    "Bản vẽ, sơ đồ kèm theo chưa đúng tỷ lệ quy định",
]
REFUSAL_REASONS = [
    "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan; đề nghị nộp tại cơ quan có thẩm quyền",
    "Người nộp không thuộc đối tượng thực hiện thủ tục theo quy định",
    "Hồ sơ đã được giải quyết trước đây, không có căn cứ giải quyết lại",
]
STOP_REASONS = [
    "Quá thời hạn bổ sung hồ sơ theo Phiếu yêu cầu bổ sung nhưng người nộp không bổ sung",
    "Trong quá trình giải quyết phát hiện thửa đất đang có tranh chấp, chưa đủ điều kiện giải quyết",
    "Kết quả xác minh cho thấy người yêu cầu không đủ điều kiện theo quy định",
]
WITHDRAW_REASONS = [
    "Tôi nộp nhầm thủ tục, xin rút để nộp lại",
    "Gia đình thay đổi kế hoạch, không còn nhu cầu",
    "Xin rút hồ sơ để bổ sung thêm giấy tờ rồi nộp lại sau",
]
APOLOGY_REASONS = [
    "Hồ sơ phải xác minh thêm tại nơi cư trú của người yêu cầu",
    "Cơ quan phối hợp trả lời chậm so với thời hạn",
    "Khối lượng hồ sơ tăng đột biến trong thời gian cao điểm",
]
FORWARD_NOTES = ["Đã thẩm định, hồ sơ hợp lệ; trình lãnh đạo xem xét", "Hồ sơ đầy đủ, đề nghị phê duyệt", ""]


# ---------------------------------------------------------------------------------------------
# The frozen clock


class Clock:
    """A settable clock for motcua.core.clock; it never goes backwards within
    a story (``to`` moves it at least one minute on) and stops at ``limit``."""

    def __init__(self, limit: datetime.datetime):
        self.limit = limit
        self.now = limit
        self.clamped = 0

    def __call__(self) -> datetime.datetime:
        return self.now

    def start(self, when: datetime.datetime) -> datetime.datetime:
        self.now = min(when, self.limit)
        return self.now

    def to(self, when: datetime.datetime) -> datetime.datetime:
        floor = self.now + datetime.timedelta(minutes=1)
        if when > self.limit:
            self.clamped += 1
            when = self.limit
        self.now = max(when, floor)
        return self.now


@contextmanager
def frozen_clock(clock: Clock) -> Iterator[Clock]:
    """Run the services under ``clock`` (motcua.core.clock) with dossier events muted: no e-mails
    for a story that happened months ago."""
    with core_clock.using(clock), events.muted():
        yield clock


# ---------------------------------------------------------------------------------------------
# Working time


class WorkTime:
    """Moves on and back in working time with the province's calendar."""

    def __init__(self, calendar: WorkCalendar):
        self.cal = calendar

    def after(self, start: datetime.datetime, hours: float) -> datetime.datetime:
        return self.cal.add_working_time(start, datetime.timedelta(hours=max(hours, 0), seconds=1))

    def before(self, end: datetime.datetime, hours: float) -> datetime.datetime:
        remaining = datetime.timedelta(hours=max(hours, 0))
        date = end.astimezone(VIETNAM).date()
        for offset in range(800):
            for start, stop in reversed(self.cal.working_periods(date - datetime.timedelta(days=offset))):
                if start >= end:
                    continue
                stop = min(stop, end)
                if stop - start >= remaining:
                    return stop - remaining
                remaining -= stop - start
        raise ValueError(f"No working time found before {end}")

    def between(self, start: datetime.datetime, end: datetime.datetime) -> float:
        return self.cal.working_time(start, end).total_seconds() / 3600

    def hours_of(self, version: ProcedureVersion) -> float:
        """The legal time of a procedure as working hours (calendar days: about 5/7 of them worked)."""
        amount = float(version.processing_time or 1)
        match version.time_unit:
            case "working_hours":
                return amount
            case "calendar_days":
                return amount * 5 / 7 * 8
            case _:
                return amount * 8


def _online_time(rng: random.Random, day: datetime.date) -> datetime.datetime:
    """When people submit online: any day, mostly office hours and evenings."""
    hour = rng.choice([6, 7, 8, 8, 9, 9, 10, 10, 11, 12, 13, 14, 14, 15, 15, 16, 19, 20, 20, 21, 22])
    return datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60)), tzinfo=VIETNAM)


# ---------------------------------------------------------------------------------------------
# People


@dataclass
class Person:
    name: str
    male: bool
    birth: datetime.date
    identity: str
    phone: str
    email: str
    unit: str
    detail: str
    user: User | None = None

    @property
    def first_name(self) -> str:
        return self.name.split()[-1]


class People:
    """Vietnamese names, identity numbers, phones and addresses, unique within the demo."""

    def __init__(self, rng: random.Random, units: list[str], home_units: list[str], today: datetime.date):
        self.rng = rng
        self.today = today
        self.units = units
        self.home_units = home_units
        self.identities = set(
            User.objects.exclude(identity_number=None).values_list("identity_number", flat=True)
        )
        self.phones = set(User.objects.exclude(phone="").values_list("phone", flat=True))
        self.emails = set(User.objects.exclude(email="").values_list("email", flat=True))
        self.usernames = set(User.objects.values_list("username", flat=True))

    def name(self, male: bool | None = None) -> tuple[str, bool]:
        rng = self.rng
        male = rng.random() < 0.5 if male is None else male
        if rng.random() < 0.12:
            surname = rng.choice(HMONG_SURNAMES)
            middle = rng.choice(["A", "Seo", "Mí"] if male else ["Thị", "Mí"])
            given = rng.choice(HMONG_MALE if male else HMONG_FEMALE)
        else:
            surname = rng.choice(SURNAMES)
            middle = rng.choice(MALE_MIDDLE if male else FEMALE_MIDDLE)
            given = rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
        return f"{surname} {middle} {given}", male

    def identity(self, male: bool, birth: datetime.date) -> str:
        century = (0 if birth.year < 2000 else 2) + (0 if male else 1)
        province = self.rng.choice(["008", "008", "008", "002"])
        while True:
            value = f"{province}{century}{birth.year % 100:02d}{self.rng.randrange(10**6):06d}"
            if value not in self.identities:
                self.identities.add(value)
                return value

    def phone(self) -> str:
        while True:
            value = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**7):07d}"
            if value not in self.phones:
                self.phones.add(value)
                return value

    def email_local(self, name: str) -> str:
        parts = fold(name).split()
        candidates = [f"{parts[-1]}.{parts[0]}", f"{parts[-1]}.{''.join(parts[:-1])}"]
        candidates += [f"{parts[-1]}.{parts[0]}{n}" for n in range(2, 100)]
        for local in candidates:
            if f"{local}@{DEMO_EMAIL_DOMAIN}" not in self.emails and local not in self.usernames:
                self.emails.add(f"{local}@{DEMO_EMAIL_DOMAIN}")
                self.usernames.add(local)
                return local
        raise ValueError(name)

    def address(self, unit: str | None = None) -> tuple[str, str]:
        rng = self.rng
        unit = unit or (rng.choice(self.home_units) if rng.random() < 0.7 else rng.choice(self.units))
        detail = rng.choice(
            [
                f"Số {rng.randint(1, 180)}, tổ {rng.randint(1, 25)}",
                f"Tổ {rng.randint(1, 25)}",
                f"Thôn {rng.choice(VILLAGES)}",
                f"Số {rng.randint(1, 300)}, đường {rng.choice(STREETS)}",
            ]
        )
        return unit, detail

    def birth(self, low: int = 19, high: int = 70, today: datetime.date | None = None) -> datetime.date:
        today = today or self.today
        days = self.rng.randint(low * 365, high * 365)
        return today - datetime.timedelta(days=days)

    def person(self, *, email: bool = True, male: bool | None = None) -> Person:
        name, male = self.name(male)
        birth = self.birth()
        unit, detail = self.address()
        return Person(
            name=name,
            male=male,
            birth=birth,
            identity=self.identity(male, birth),
            phone=self.phone(),
            email=f"{self.email_local(name)}@{DEMO_EMAIL_DOMAIN}" if email else "",
            unit=unit,
            detail=detail,
        )


def _person_of(user: User, people: People, *, unit: str) -> Person:
    """The person behind an existing account (its birth and sex read from the identity number)."""
    identity = user.identity_number or ""
    if len(identity) == 12:
        digit, year = int(identity[3]), int(identity[4:6])
        male = digit % 2 == 0
        birth = datetime.date((1900 if digit < 2 else 2000) + year, 3, 15)
    else:
        male, birth = True, datetime.date(1985, 3, 15)
    return Person(
        name=user.full_name or user.username,
        male=male,
        birth=birth,
        identity=identity,
        phone=user.phone,
        email=user.email,
        unit=unit,
        detail="Số 12, tổ 5",
        user=user,
    )


# ---------------------------------------------------------------------------------------------
# Form data


class FormFiller:
    """Plausible values for a procedure's online form, by field kind and key."""

    def __init__(self, rng: random.Random, people: People):
        self.rng = rng
        self.people = people

    def fill(
        self,
        version: ProcedureVersion,
        fields: list[FormField],
        person: Person,
        today: datetime.date,
        *,
        organisation: str = "",
        unit: str | None = None,
    ) -> dict[str, Any]:
        self.ctx: dict[str, Any] = {
            "person": person,
            "today": today,
            "code": version.procedure.code,
            "organisation": organisation,
            "unit": unit,
            "named": False,
            "identified": False,
        }
        data: dict[str, Any] = {}
        for f in fields:
            if f.kind == FieldKind.FILE or (not f.required and self.rng.random() < 0.4):
                continue
            data[f.key] = self.value(f)
        return data

    def value(self, f: FormField) -> Any:
        rng, ctx, key = self.rng, self.ctx, f.key
        person: Person = ctx["person"]
        match f.kind:
            case FieldKind.CHOICE:
                return rng.choice(f.choices)
            case FieldKind.IDENTITY_NUMBER:
                if not ctx["identified"] and len(person.identity) == 12:
                    ctx["identified"] = True
                    return person.identity
                male = rng.random() < 0.5
                return self.people.identity(male, self.people.birth())
            case FieldKind.PHONE:
                return person.phone or self.people.phone()
            case FieldKind.EMAIL:
                return person.email or f"lienhe{rng.randint(1, 999)}@{DEMO_EMAIL_DOMAIN}"
            case FieldKind.ADDRESS:
                if not ctx.get("addressed"):
                    ctx["addressed"] = True  # the first address is the applicant's home
                    unit, detail = person.unit, person.detail
                else:
                    unit, detail = self.people.address(ctx["unit"] if rng.random() < 0.6 else None)
                return {"unit": unit, "detail": detail}
            case FieldKind.DATE:
                return self.date(key).isoformat()
            case FieldKind.NUMBER:
                return self.number(key)
            case _:
                return self.text(f)

    def name_for(self, key: str) -> str:
        ctx = self.ctx
        person: Person = ctx["person"]
        if not ctx["named"] and not any(w in key for w in ("wife", "husband", "child", "deceased", "ward_")):
            ctx["named"] = True
            return person.name
        male = None
        if any(w in key for w in ("wife", "mother")):
            male = False
        elif any(w in key for w in ("husband", "father")):
            male = True
        if key == "wife_full_name" and not person.male:
            return person.name
        if key == "husband_full_name" and person.male:
            return person.name
        return self.people.name(male)[0]

    def text(self, f: FormField) -> str:
        rng, ctx, key, label = self.rng, self.ctx, f.key, f.label.lower()
        person: Person = ctx["person"]
        org = ctx["organisation"]
        stem = rng.choice(COMPANY_STEMS)
        if key in TEXTS:
            return rng.choice(TEXTS[key])
        if key in ("registrant_place_of_birth",):
            return rng.choice(TEXTS["child_place_of_birth"])
        if key == "reason":
            return rng.choice(REASONS.get(ctx["code"], GENERIC_REASONS))
        if key == "purpose":
            if "phiếu" in label:
                return rng.choice(
                    ["Bổ sung hồ sơ xin việc", "Xin cấp giấy phép lao động", "Bổ túc hồ sơ du học"]
                )
            return rng.choice(["Làm thủ tục đăng ký kết hôn", "Bổ sung hồ sơ vay vốn ngân hàng"])
        if key == "company_name":
            return org or f"Công ty TNHH {stem}"
        if key == "company_name_foreign":
            return fold(org.removeprefix("Công ty TNHH ") or stem).upper() + " COMPANY LIMITED"
        if key == "enterprise_name":
            return f"Doanh nghiệp tư nhân {stem}"
        if key == "business_name":
            return f"Hộ kinh doanh {rng.choice(HOUSEHOLD_BUSINESSES)}"
        if key == "establishment_name":
            kind = "Cửa hàng thuốc thú y" if "thú y" in label else "Cửa hàng vật tư nông nghiệp"
            return f"{kind} {person.first_name}"
        if key == "cooperative_group_name":
            return rng.choice(["Tổ hợp tác trồng chè Shan tuyết", "Tổ hợp tác nuôi ong bạc hà"])
        if key == "mediation_team_name":
            return f"Tổ hòa giải tổ dân phố số {rng.randint(1, 20)}"
        if key == "village_name":
            return rng.choice([f"Tổ dân phố số {rng.randint(1, 20)}", f"Thôn {rng.choice(VILLAGES)}"])
        if key in ("owner_name", "applicant_name"):
            return org or (person.name if rng.random() < 0.6 else f"Công ty TNHH {stem}")
        if key == "project_name":
            if "xã hội" in label:
                return rng.choice(["Dự án nhà ở xã hội phường Minh Xuân", "Khu nhà ở xã hội An Tường"])
            return rng.choice(["Nhà máy chế biến chè Tân Trào", "Trang trại chăn nuôi công nghệ cao Yên Sơn"])
        if "full_name" in key or key in ("legal_representative", "investor_full_name"):
            return self.name_for(key)
        if key == "registration_number":
            return f"08A8{rng.randrange(10**6):06d}"
        if key == "business_registration_number":
            return f"5000{rng.randrange(10**6):06d}"
        if key == "business_licence_number":
            return f"08{rng.randrange(10**6):06d}"
        if key == "practice_certificate_number":
            return f"{rng.randint(10, 999)}/CCHN-TY"
        if key == "licence_number":
            return f"080{rng.randrange(10**9):09d}"
        if key in ("certificate_serial", "land_certificate_number", "ownership_certificate_number"):
            return f"{rng.choice(['AA', 'CS', 'DĐ', 'BY'])} {rng.randrange(10**6):06d}"
        if key == "parcel_number":
            return str(rng.randint(1, 450))
        if key == "map_sheet_number":
            return str(rng.randint(1, 60))
        if key == "chassis_number":
            return f"RLHJC{rng.randrange(10**12):012d}"
        if key == "engine_number":
            return f"D4CB{rng.randrange(10**7):07d}"
        if key == "registration_reference":
            year = rng.randint(1995, 2024)
            day = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
            return f"Số {rng.randint(1, 300)}, quyển 01/{year}, ngày {day:%d/%m/%Y}"
        if key == "current_content":
            ctx["correct_name"] = person.name
            return f"Họ, chữ đệm và tên: {fold(person.name).title()}"
        if key == "requested_content":
            return f"Họ, chữ đệm và tên: {ctx.get('correct_name', person.name)}"
        if key == "change_details":
            if "trước" in label:
                return "Thay đổi địa chỉ thửa đất theo tên đơn vị hành chính mới sau sắp xếp"
            return rng.choice(
                [
                    f"Chuyển địa chỉ trụ sở đến số {rng.randint(1, 200)}, đường {rng.choice(STREETS)}",
                    "Bổ sung ngành nghề: bán lẻ đồ uống (4723)",
                    "Tăng vốn kinh doanh lên 500.000.000 đồng",
                ]
            )
        if key == "asset_description":
            return (
                f"Quyền sử dụng đất thửa số {rng.randint(1, 450)}, tờ bản đồ số {rng.randint(1, 60)}, "
                f"diện tích {rng.randint(80, 600)} m²; Giấy chứng nhận số AA {rng.randrange(10**6):06d}"
            )
        if key == "vehicle_plates":
            return "; ".join(
                f"22C-{rng.randint(100, 999)}.{rng.randint(10, 99)}" for _ in range(rng.randint(1, 3))
            )
        if key == "witnesses":
            return ", ".join(self.people.name()[0] for _ in range(2))
        return rng.choice(GENERIC_REASONS)

    def date(self, key: str) -> datetime.date:
        rng, today = self.rng, self.ctx["today"]
        person: Person = self.ctx["person"]
        days = datetime.timedelta
        if key == "child_date_of_birth" and self.ctx["code"] == "1.001193":
            return today - days(rng.randint(1, 55))
        if key in ("requester_date_of_birth", "date_of_birth") and person.birth:
            return person.birth
        if key in ("ward_date_of_birth", "recognized_person_date_of_birth", "child_date_of_birth"):
            return today - days(rng.randint(200, 17 * 365))
        if "birth" in key:
            return self.people.birth(20, 75, today)
        if key == "date_of_death":
            return today - days(rng.randint(1, 25))
        if key in ("certificate_issue_date", "licence_issue_date"):
            return today - days(rng.randint(3 * 365, 25 * 365))
        if key == "start_date":
            self.ctx["start"] = today + days(rng.randint(3, 30))
            return self.ctx["start"]
        if key == "end_date":
            return self.ctx.get("start", today) + days(rng.randint(1, 90))
        if key == "stay_until":
            return today + days(rng.randint(180, 730))
        if key == "termination_date":
            return today + days(rng.randint(0, 15))
        return today - days(rng.randint(0, 365))

    def number(self, key: str) -> str:
        rng = self.rng
        ranges: dict[str, tuple[int, int, int]] = {
            "area": (10, 60, 1),
            "building_area": (60, 200, 1),
            "capital": (50, 800, 10_000_000),
            "charter_capital": (1, 20, 500_000_000),
            "conversion_area": (500, 5000, 1),
            "copies": (1, 4, 1),
            "copy_count": (1, 5, 1),
            "current_floor_area": (8, 30, 1),
            "employee_count": (1, 10, 1),
            "extraction_volume": (5, 50, 1),
            "floor_count": (1, 5, 1),
            "floor_count_after": (2, 5, 1),
            "household_member_count": (2, 7, 1),
            "investment_capital": (2, 40, 50_000_000),
            "land_area": (80, 600, 1),
            "marriage_count": (1, 1, 1),
            "member_count": (2, 12, 1),
            "page_count": (1, 10, 1),
            "resulting_parcel_count": (2, 3, 1),
            "total_floor_area": (80, 600, 1),
            "total_floor_area_after": (120, 700, 1),
            "vote_percentage": (60, 100, 1),
            "wastewater_flow": (10, 200, 1),
            "well_depth": (20, 80, 1),
        }
        if key == "damaged_area":
            return str(Decimal(rng.randint(5, 100)) / 10)
        low, high, step = ranges.get(key, (1, 10, 1))
        return str(rng.randint(low, high) * step)


# ---------------------------------------------------------------------------------------------
# Accounts


def _staff_name(username: str, taken: set[str]) -> str:
    """A name for a demo officer, the same on every load, and nobody else's."""
    rng = random.Random(username)  # noqa: S311  (demo names, not secrets)
    while True:
        surname = rng.choice(SURNAMES)
        if rng.random() < 0.5:
            name = f"{surname} {rng.choice(MALE_MIDDLE)} {rng.choice(MALE_GIVEN)}"
        else:
            name = f"{surname} {rng.choice(FEMALE_MIDDLE)} {rng.choice(FEMALE_GIVEN)}"
        if name not in taken:
            taken.add(name)
            return name


def ensure_staff(versions: list[ProcedureVersion], password_hash: str) -> int:
    """Create a reception officer, a specialist or a leader wherever a demo story needs one and the
    demo users hold no such role (e.g. ``sotuphap.chuyenvien``); returns how many were created."""
    needed: set[tuple[int, str]] = set()
    for version in versions:
        receivers = services.receiving_agencies(version)
        for agency in receivers:
            needed.add((agency.pk, Role.RECEPTION))
            for step in version.steps.all():
                needed.add((step.agency_id or agency.pk, step.role))
                if step.role == Role.SPECIALIST:
                    needed.add((step.agency_id or agency.pk, Role.LEADER))
    held = set(Membership.objects.values_list("agency_id", "role"))
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in={pk for pk, _role in needed})}
    taken = set(User.objects.values_list("full_name", flat=True))
    created = 0
    for agency_pk, role in sorted(needed):
        if (agency_pk, role) in held:
            continue
        agency = agencies[agency_pk]
        prefix = STAFF_PREFIXES.get(agency.code, fold(agency.code).replace(" ", ""))
        username = f"{prefix}.{ROLE_SUFFIXES.get(Role(role), role)}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username,
                full_name=_staff_name(username, taken),
                kind=AccountKind.STAFF,
                email=f"{username}@{DEMO_EMAIL_DOMAIN}",
                password=password_hash,
            )
            created += 1
        grant_role(user, agency, Role(role))
    return created


def ensure_applicants(people: People, password_hash: str, count: int) -> list[Person]:
    """Demo citizens with an account (``an.nguyen`` ... @example.vn), created once."""
    existing = list(
        User.objects.filter(kind=AccountKind.CITIZEN, email__endswith=f"@{DEMO_EMAIL_DOMAIN}").order_by("pk")
    )
    persons = [_person_of(u, people, unit=people.address()[0]) for u in existing]
    while len(persons) < count:
        person = people.person()
        local = person.email.split("@")[0]
        person.user = User.objects.create(
            username=local,
            full_name=person.name,
            kind=AccountKind.CITIZEN,
            identity_number=person.identity,
            email=person.email,
            phone=person.phone,
            password=password_hash,
        )
        persons.append(person)
    return persons[:count]


# ---------------------------------------------------------------------------------------------
# Stories


@dataclass
class Cast:
    """Who acts, the calendar and the shared data every story reads."""

    clock: Clock
    work: WorkTime
    filler: FormFiller
    pdf: bytes
    officers: dict[tuple[int, str], User]
    fields: dict[int, list[FormField]]
    documents: dict[int, list[RequiredDocument]]

    def officer(self, agency_id: int, role: str) -> User:
        found = self.officers.get((agency_id, role)) or self.officers.get((agency_id, Role.LEADER))
        if found is None:
            raise LookupError(f"No {role} at agency {agency_id}")
        return found


def _officers() -> dict[tuple[int, str], User]:
    """One officer per (agency, role), the demo users first."""
    rank = {name: i for i, name in enumerate(PREFERRED_STAFF)}
    found: dict[tuple[int, str], User] = {}
    memberships = Membership.objects.select_related("user").filter(user__is_active=True)
    for m in sorted(memberships, key=lambda m: (rank.get(m.user.username, 99), m.user.username)):
        found.setdefault((m.agency_id, m.role), m.user)
    return found


# How often demo applicants choose each way to receive the result, where it is offered.
DELIVERY_WEIGHTS = {ResultDelivery.IN_PERSON: 5, ResultDelivery.POST: 3, ResultDelivery.ONLINE: 4}


def _unit_name(code: str, names: dict[str, str] = {}) -> str:  # noqa: B006  (a cache on purpose)
    if code not in names:
        names[code] = (
            AdministrativeUnit.objects.filter(code=code).values_list("name", flat=True).first() or ""
        )
    return names[code]


def tracking_number(rng: random.Random) -> str:
    """A Vietnam Post parcel number in the UPU S10 shape (EB123456789VN) with its check digit."""
    serial = [rng.randrange(10) for _ in range(8)]
    check = 11 - sum(d * w for d, w in zip(serial, (8, 6, 4, 2, 3, 5, 9, 7), strict=True)) % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"E{rng.choice('BCLMP')}{''.join(map(str, serial))}{check}VN"


@dataclass
class Story:
    """One dossier's life, from the first keystroke to its final status."""

    index: int
    status: Status
    version: ProcedureVersion
    agency: Agency
    person: Person
    channel: str
    rng: random.Random
    now: datetime.datetime
    organisation: str = ""
    variant: str = ""
    submit_at: datetime.datetime | None = None
    receive_at: datetime.datetime | None = None
    pre_supplement: tuple[datetime.datetime, datetime.datetime | None] | None = None
    ready_at: datetime.datetime | None = None
    # Where in the year a year-long story starts (0 = a year ago, 1 = as late as it can), stratified.
    slot: float = 0.5
    supplement_detour: bool = False
    payment_detour: bool = False
    slow_collection: bool = False
    # Whether the applicant rates the returned dossier (motcua.surveys); None: by chance.
    rated: bool | None = None
    dossier: Dossier | None = None

    # -- planning (before anything is written): when it was submitted and received --------------

    @property
    def sort_key(self) -> tuple:
        return (self.submit_at, self.index)

    def _year_day(self, span_days: float) -> datetime.date:
        """A day in the last year, early enough for a story of ``span_days`` to end before now."""
        latest = min(max(span_days + 1, 2), 300)
        back = 365 - (365 - latest) * self.slot
        return (self.now - datetime.timedelta(days=back)).astimezone(VIETNAM).date()

    def _submitted_on(self, day: datetime.date, work: WorkTime) -> datetime.datetime:
        if self.channel == Channel.ONLINE:
            return _online_time(self.rng, day)
        start = datetime.datetime.combine(day, datetime.time(7, 0), tzinfo=VIETNAM)
        return work.after(start, self.rng.uniform(0.2, 7.5))

    def _received_after(self, submitted: datetime.datetime, work: WorkTime) -> datetime.datetime:
        if self.channel == Channel.COUNTER:
            return submitted
        return work.after(submitted, self.rng.uniform(0.3, 7))

    def _submitted_before(self, received: datetime.datetime) -> datetime.datetime:
        if self.channel == Channel.COUNTER:
            return received
        return received - datetime.timedelta(hours=self.rng.uniform(0.3, 30))

    def _span_days(self, work: WorkTime) -> float:
        """Enough calendar days for the whole story, holidays and its detours included."""
        legal = work.hours_of(self.version) / 8 * 7 / 5 * 1.5 + 4
        match self.status, self.variant:
            case Status.REFUSED, _:
                days = 3.0
            case Status.WITHDRAWN, "in_processing":
                days = legal + 4
            case Status.WITHDRAWN, _:
                days = 10.0
            case Status.STOPPED, "no_supplement":
                days = legal + 20
            case Status.STOPPED, _:
                days = legal
            case _:
                days = legal + {"late": 6, "apology": 9}.get(self.variant, 0)
                days += 14 if self.slow_collection else 3
                if self.supplement_detour:
                    restarts = self.version.supplement_restarts_clock
                    days += 7 + (legal if restarts else 0)
                days += 4 if self.payment_detour else 0
        return days + (8 if self.pre_supplement else 0)

    def plan(self, work: WorkTime) -> None:
        rng, status = self.rng, self.status
        legal = work.hours_of(self.version)
        if status == Status.SUBMITTED:
            day = (self.now - datetime.timedelta(hours=rng.uniform(1, 60))).astimezone(VIETNAM).date()
            self.submit_at = min(
                _online_time(rng, day), self.now - datetime.timedelta(minutes=rng.randint(20, 300))
            )
        elif status == Status.RECEIVED:
            self.variant = "overdue" if rng.random() < 0.25 else "on_time"
            hours = (
                legal * rng.uniform(1.2, 2.0)
                if self.variant == "overdue"
                else min(legal * 0.5, 6) * rng.random()
            )
            self.receive_at = work.before(self.now, hours + 0.2)
            self.submit_at = self._submitted_before(self.receive_at)
        elif status == Status.PROCESSING:
            self.variant = rng.choices(["on_time", "overdue", "apology"], [60, 28, 12])[0]
            factor = rng.uniform(0.15, 0.85) if self.variant == "on_time" else rng.uniform(1.25, 2.5)
            self.receive_at = work.before(self.now, max(legal * factor, 1.5))
            self.submit_at = self._submitted_before(self.receive_at)
        elif status in (Status.SUPPLEMENT, Status.PAYMENT):
            if status == Status.SUPPLEMENT and self.channel == Channel.ONLINE and rng.random() < 0.45:
                self.variant = "before_reception"
                day = (self.now - datetime.timedelta(days=rng.uniform(1, 12))).astimezone(VIETNAM).date()
                self.submit_at = _online_time(rng, day)
                self.pre_supplement = (work.after(self.submit_at, rng.uniform(0.5, 6)), None)
            else:
                self.variant = "in_processing"
                self.receive_at = work.before(
                    self.now, max(legal * rng.uniform(0.2, 0.7), 2) + rng.uniform(2, 40)
                )
                self.submit_at = self._submitted_before(self.receive_at)
        elif status == Status.READY:
            self.variant = "late" if rng.random() < 0.1 else "on_time"
            self.ready_at = work.before(self.now, 80 * rng.random() ** 2 + 0.3)
            factor = rng.uniform(1.1, 1.8) if self.variant == "late" else rng.uniform(0.3, 0.9)
            self.receive_at = work.before(self.ready_at, legal * factor)
            self.submit_at = self._submitted_before(self.receive_at)
        elif status in (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED):
            if status == Status.REFUSED:
                self.variant = "after_supplement" if rng.random() < 0.3 else "direct"
            elif status == Status.WITHDRAWN:
                self.variant = rng.choices(["before_reception", "in_supplement", "in_processing"], [4, 2, 4])[
                    0
                ]
            elif status == Status.STOPPED:
                self.variant = "no_supplement" if rng.random() < 0.5 else "not_eligible"
            else:
                self.variant = rng.choices(["on_time", "late", "apology"], [87, 8, 5])[0]
                online = self.channel == Channel.ONLINE
                self.supplement_detour = online and rng.random() < 0.1
                self.payment_detour = self.version.base_fee > 0 and rng.random() < 0.3
                self.slow_collection = rng.random() < 0.15
            pre = (status == Status.REFUSED and self.variant == "after_supplement") or (
                status == Status.RETURNED and self.channel == Channel.ONLINE and rng.random() < 0.07
            )
            if pre:
                self.pre_supplement = (self.now, None)  # counted in the span; timed below
            self.submit_at = self._submitted_on(self._year_day(self._span_days(work)), work)
            if pre:
                asked = work.after(self.submit_at, rng.uniform(0.5, 6))
                answered = _online_time(rng, (asked + datetime.timedelta(days=rng.uniform(1, 5))).date())
                self.pre_supplement = (asked, max(answered, asked + datetime.timedelta(hours=2)))
            if status in (Status.STOPPED, Status.RETURNED) or (
                status == Status.WITHDRAWN and self.variant == "in_processing"
            ):
                start = self.pre_supplement[1] if self.pre_supplement else self.submit_at
                assert start is not None
                self.receive_at = self._received_after(start, work)
        if self.channel == Channel.COUNTER and self.receive_at is not None:
            self.submit_at = self.receive_at

    # -- running ------------------------------------------------------------------------------------

    def run(self, cast: Cast) -> Dossier:
        self.cast = cast
        clock = cast.clock
        assert self.submit_at is not None
        if self.channel == Channel.COUNTER:
            clock.start(self.submit_at - datetime.timedelta(minutes=self.rng.randint(3, 12)))
            self._intake()
        else:
            clock.start(self.submit_at - datetime.timedelta(minutes=self.rng.randint(4, 40)))
            self._online_submission()
        getattr(self, f"_run_{Status(self.status).name.lower()}")()
        assert self.dossier is not None
        return self.dossier

    @property
    def d(self) -> Dossier:
        assert self.dossier is not None
        self.dossier = Dossier.objects.select_related("current_step").get(pk=self.dossier.pk)
        return self.dossier

    def _at(self, when: datetime.datetime) -> None:
        self.cast.clock.to(when)

    def _pdf(self) -> io.BytesIO:
        return io.BytesIO(self.cast.pdf)

    def _doc_name(self, document: RequiredDocument) -> str:
        return (fold(document.name)[:50].strip().replace(" ", "-") or "giay-to") + ".pdf"

    def _form(self) -> dict[str, Any]:
        today = self.cast.clock.now.astimezone(VIETNAM).date()
        unit = self.agency.unit.code if self.agency.unit and self.agency.unit.type != "province" else None
        return self.cast.filler.fill(
            self.version,
            self.cast.fields[self.version.pk],
            self.person,
            today,
            organisation=self.organisation,
            unit=unit,
        )

    def _intake(self) -> None:
        reception = self.cast.officer(self.agency.pk, Role.RECEPTION)
        documents = [d for d in self.cast.documents[self.version.pk] if d.required or self.rng.random() < 0.2]
        self._at(self.submit_at)  # type: ignore[arg-type]
        self.dossier = services.intake_at_counter(
            actor=reception,
            agency=self.agency,
            version=self.version,
            applicant={
                "name": self.person.name,
                "identity": self.person.identity,
                "phone": self.person.phone,
                "email": self.person.email,
            },
            form_data=self._form(),
            scans=[(d, self._doc_name(d), self._pdf()) for d in documents],
            note=self.rng.choice(["", "", "Người nộp xuất trình bản chính để đối chiếu"]),
            **self._delivery(),
        )

    def _online_submission(self) -> None:
        applicant = self.person.user
        assert applicant is not None
        dossier = services.start_dossier(
            version=self.version, applicant=applicant, receiving_agency=self.agency
        )
        self.dossier = dossier
        errors = services.save_draft(dossier, actor=applicant, form_data=self._form(), **self._delivery())
        if errors:
            raise ValueError(f"Demo form of {self.version.procedure.code} invalid: {errors}")
        for document in self.cast.documents[self.version.pk]:
            if document.required or self.rng.random() < 0.2:
                self._at(self.cast.clock.now + datetime.timedelta(minutes=self.rng.randint(1, 4)))
                services.add_document(
                    dossier,
                    actor=applicant,
                    upload=self._pdf(),
                    name=self._doc_name(document),
                    document=document,
                )
        self._at(self.submit_at)  # type: ignore[arg-type]
        services.submit(dossier, actor=applicant, declaration=True)

    def _reception(self) -> User:
        return self.cast.officer(self.agency.pk, Role.RECEPTION)

    def _delivery_rng(self) -> random.Random:
        """Result delivery draws from its own generator, so that the rest of the demo is the same
        with or without it."""
        return random.Random(f"delivery-{self.index}")  # noqa: S311  (demo data, not secrets)

    def _delivery(self) -> dict[str, str]:
        """A mix of ways to receive the result: by post to the applicant's home, online where the
        procedure offers it (motcua.dossiers.delivery), in person otherwise."""
        choices = delivery.choices_for(self.version, has_account=self.channel == Channel.ONLINE)
        chosen = self._delivery_rng().choices(choices, [DELIVERY_WEIGHTS[c] for c in choices])[0]
        address = ""
        if chosen == ResultDelivery.POST:
            address = ", ".join(p for p in (self.person.detail, _unit_name(self.person.unit)) if p)
        return {"result_delivery": chosen.value, "delivery_address": address}

    def _supplement_before_reception(self) -> None:
        """Reception asks for more (form 02); the applicant adds a clearer copy and resubmits."""
        assert self.pre_supplement is not None
        asked, answered = self.pre_supplement
        self._at(asked)
        services.request_supplement(
            self.d,
            actor=self._reception(),
            items=[self.rng.choice(SUPPLEMENT_ITEMS)],
            note="Đề nghị bổ sung trước khi tiếp nhận",
        )
        if answered is None:
            return
        self._at(answered)
        self._add_clearer_copy()
        services.resubmit(self.d, actor=self.person.user, note="Đã bổ sung theo yêu cầu")

    def _add_clearer_copy(self) -> None:
        documents = [d for d in self.cast.documents[self.version.pk] if d.required]
        if documents and self.person.user is not None:
            document = self.rng.choice(documents)
            services.add_document(
                self.d,
                actor=self.person.user,
                upload=self._pdf(),
                name=self._doc_name(document),
                document=document,
            )

    def _receive(self) -> None:
        if self.channel == Channel.COUNTER:
            return  # received at intake
        if self.pre_supplement is not None:
            self._supplement_before_reception()
        assert self.receive_at is not None
        self._at(self.receive_at)
        services.receive(self.d, actor=self._reception())

    # -- the processing steps --------------------------------------------------------------------

    def _ops(self) -> list[tuple[str, Step, Step | None]]:
        """What is left to do, step by step: forward (or approve at an intermediate approval step),
        then at the last processing step attach the result and approve it (or mark it ready where no
        leader approves). The one-stop unit's return step comes after, with the returned result."""
        dossier = self.d
        steps = list(dossier.steps.filter(kind=StepKind.PROCESS).select_related("agency").order_by("order"))
        current = dossier.current_step
        back = steps[-1] if len(steps) > 1 and steps[-1].role == Role.RECEPTION else None
        processing = [s for s in steps if current is not None and s.order >= current.order and s != back]
        ops: list[tuple[str, Step, Step | None]] = []
        for i, step in enumerate(processing):
            following = processing[i + 1] if i + 1 < len(processing) else None
            if following is None:
                ops.append(("attach", step, None))
                ops.append(("approve" if step.role == Role.LEADER else "ready", step, None))
            elif step.role == Role.LEADER:
                ops.append(("approve", step, following))
            else:
                ops.append(("forward", step, following))
        return ops

    def _do(self, op: tuple[str, Step, Step | None]) -> None:
        kind, step, following = op
        cast = self.cast
        to_user = cast.officer(following.agency_id, following.role) if following is not None else None
        if kind == "forward":
            actor = cast.officer(step.agency_id, step.role)
            services.forward(self.d, actor=actor, to_user=to_user, note=self.rng.choice(FORWARD_NOTES))
        elif kind == "attach":
            services.attach_result(self.d, actor=cast.officer(step.agency_id, step.role))
        elif kind == "approve":
            services.approve(self.d, actor=cast.officer(step.agency_id, Role.LEADER), to_user=to_user)
        elif kind == "ready":
            services.mark_ready(self.d, actor=cast.officer(step.agency_id, step.role))

    def _holder(self, roles: tuple[str, ...] = (Role.SPECIALIST,)) -> User:
        step = self.d.current_step
        assert step is not None
        for role in (step.role, *roles):
            found = self.cast.officers.get((step.agency_id, role))
            if found is not None:
                return found
        return self.cast.officer(step.agency_id, Role.LEADER)

    def _gap(self, target: datetime.datetime, slots: int) -> datetime.datetime:
        """The next moment on the way to ``target`` with ``slots`` moments left (working time)."""
        work, now = self.cast.work, self.cast.clock.now
        left = work.between(now, target)
        if left < 0.1:
            return work.after(now, self.rng.uniform(0.05, 0.4))
        return work.after(now, left * self.rng.uniform(0.3, 1.7) / max(slots, 1))

    def _cap(self, when: datetime.datetime, target: datetime.datetime) -> datetime.datetime:
        """``when``, or if it passes ``target``, a working moment just before ``target``."""
        if when <= target:
            return when
        before = self.cast.work.before(target, self.rng.uniform(0.05, 0.5))
        now = self.cast.clock.now
        return before if before > now else now + datetime.timedelta(minutes=self.rng.randint(1, 5))

    def _process(self, ops: list, target: datetime.datetime, *, exact_last: bool = True) -> None:
        """Do ``ops`` spread in working time up to ``target`` (the last one at ``target``)."""
        for i, op in enumerate(ops):
            left = len(ops) - i
            if left == 1 and exact_last and target > self.cast.clock.now:
                self._at(target)
            else:
                self._at(self._cap(self._gap(target, left + (0 if exact_last else 1)), target))
            self._do(op)

    def _first_specialist(self, ops: list) -> int:
        return next((i for i, op in enumerate(ops) if op[0] == "forward"), 0)

    def _request_supplement(self) -> None:
        services.request_supplement(
            self.d,
            actor=self._holder(),
            items=self.rng.sample(SUPPLEMENT_ITEMS, self.rng.randint(1, 2)),
            note="Hồ sơ cần bổ sung để đủ căn cứ giải quyết",
        )

    def _request_payment(self) -> None:
        amount = self.version.base_fee or 50_000
        services.request_payment(
            self.d, actor=self._holder(), amount=amount, note="Nộp phí, lệ phí theo quy định"
        )
        payment_services.sync(self.d.pk)  # the charges (events are muted here)

    def _record_payment(self) -> None:
        """The applicant pays: online through a gateway when they have an account (sometimes after a
        failed attempt), else at the counter, in cash or by transfer."""
        if self.d.applicant_id is not None and self.rng.random() < 0.6:
            if self.rng.random() < 0.2:
                self._pay_online(result="51")  # the card was refused; paid again a little later
                self._at(self.cast.clock.now + datetime.timedelta(minutes=self.rng.randint(3, 40)))
            self._pay_online()
            return
        payment_services.record_counter_payment(
            self.d,
            actor=self._reception(),
            amount=self.d.fee_due or self.version.base_fee or 50_000,
            method=self.rng.choice([PaymentMethod.CASH, PaymentMethod.BANK_TRANSFER]),
            reference=f"BL{self.rng.randrange(10**7):07d}",
        )

    def _pay_online(self, *, result: str = "00", confirm: bool = True) -> None:
        """An online payment through the VNPay-style gateway, confirmed as the gateway would confirm it
        (its signed message, read and applied by the same code as the IPN). Its start needs no call to
        the gateway, which ``load_demo`` does not run."""
        base = settings.MOTCUA_PUBLIC_URL.rstrip("/")
        payment = payment_services.start_payment(
            self.d,
            actor=self.d.applicant,
            gateway="vnpay",
            return_url=f"{base}/thanh-toan/ve/vnpay/",
            client_ip="203.0.113.10",
        )
        if not confirm:
            return
        self._at(self.cast.clock.now + datetime.timedelta(minutes=self.rng.randint(1, 6)))
        params = {
            "vnp_Amount": str(payment.amount * 100),
            "vnp_BankCode": self.rng.choice(["NCB", "VCB", "BIDV", "VIETINBANK", "AGRIBANK"]),
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": f"Nop phi ho so {self.d.code}",
            "vnp_PayDate": vnpay.stamp(self.cast.clock.now),
            "vnp_ResponseCode": result,
            "vnp_TmnCode": settings.MOTCUA_VNPAY_TMN_CODE,
            "vnp_TransactionNo": f"{self.rng.randrange(10**7, 10**8)}",
            "vnp_TransactionStatus": "00" if result == "00" else "02",
            "vnp_TxnRef": payment.reference,
        }
        params["vnp_SecureHash"] = vnpay.sign(params, settings.MOTCUA_VNPAY_SECRET)
        applied, _confirmation = payment_services.read_and_apply(
            "vnpay", source=EventSource.GATEWAY, query=params
        )
        assert applied.outcome == Outcome.CONFIRMED, applied.outcome

    def _ready_target(self, start: datetime.datetime) -> datetime.datetime:
        """When the result is ready: within the legal time, or later for the late ones."""
        work, due = self.cast.work, self.d.due_at
        assert due is not None
        if self.variant == "late":
            return work.after(due, self.rng.uniform(0.5, 30))
        span = work.between(start, due)
        return work.after(start, span * self.rng.uniform(0.3, 0.92))

    def _complete(self, ready_at: datetime.datetime | None = None) -> None:
        """Process up to the result ready, with the variant's detours (payment, supplement, apology)."""
        work, rng = self.cast.work, self.rng
        ops = self._ops()
        target = ready_at or self._ready_target(self.cast.clock.now)
        first = self._first_specialist(ops)
        if self.status == Status.RETURNED and ops:
            # Detours before the specialist passes the dossier on.
            self._process(ops[:first], target, exact_last=False)
            ops = ops[first:]
            if self.supplement_detour:
                self._at(self._gap(target, len(ops) + 1))
                self._request_supplement()
                self._at(
                    _online_time(
                        rng, (self.cast.clock.now + datetime.timedelta(days=rng.uniform(1, 6))).date()
                    )
                )
                self._add_clearer_copy()
                services.resubmit(self.d, actor=self.person.user, note="Đã bổ sung giấy tờ theo yêu cầu")
                target = ready_at or self._ready_target(self.cast.clock.now)
            if self.payment_detour:
                self._at(self._gap(target, len(ops) + 1))
                self._request_payment()
                wait = rng.uniform(1, 20)
                if self.variant == "on_time":  # paid quickly enough to keep the deadline
                    wait = min(wait, max(0.2, 0.4 * work.between(self.cast.clock.now, target)))
                self._at(work.after(self.cast.clock.now, wait))
                self._record_payment()
        if self.variant == "apology":
            due = self.d.due_at
            assert due is not None
            apology_at = work.after(due, rng.uniform(0.5, 8))
            self._process(ops[:-1], apology_at, exact_last=False)
            ops = ops[-1:]
            self._at(apology_at)
            new_due = work.after(apology_at, rng.uniform(16, 40))
            services.apologize(
                self.d, actor=self._holder(), reasons=rng.choice(APOLOGY_REASONS), new_due_at=new_due
            )
            target = work.after(apology_at, work.between(apology_at, new_due) * rng.uniform(0.3, 0.9))
        self._process(ops, target)

    def _return(self) -> None:
        rng, work = self.rng, self.cast.work
        hours = rng.uniform(16, 80) if self.slow_collection else rng.uniform(0.2, 12)
        self._at(work.after(self.cast.clock.now, hours))
        note = rng.choice(["", "", "Người nhận đã ký sổ theo dõi"])
        dossier = self.d
        tracking = ""
        if dossier.by_post:
            note, tracking = "Đã gửi qua Bưu điện", tracking_number(self._delivery_rng())
        elif dossier.result_delivery == ResultDelivery.ONLINE:
            note = ""
        services.return_result(dossier, actor=self._reception(), note=note, tracking_number=tracking)

    # -- one method per final status ---------------------------------------------------------------

    def _run_submitted(self) -> None:
        pass

    def _run_received(self) -> None:
        self._receive()

    def _run_refused(self) -> None:
        if self.pre_supplement is not None:
            self._supplement_before_reception()
        self._at(self.cast.work.after(self.cast.clock.now, self.rng.uniform(0.5, 8)))
        services.refuse(self.d, actor=self._reception(), reasons=self.rng.choice(REFUSAL_REASONS))

    def _run_processing(self) -> None:
        self._receive()
        ops = self._ops()[:-1]  # never the last step's "ready"
        done = max(1, min(len(ops), self.rng.choice([1, 1, 1, 2, 2, 3])))
        due = self.d.due_at
        assert due is not None
        if self.variant == "apology" and due < self.now - datetime.timedelta(hours=2):
            apology_at = min(self.cast.work.after(due, self.rng.uniform(0.5, 8)), self.now)
            self._process(ops[:done], apology_at, exact_last=False)
            self._at(apology_at)
            new_due = self.cast.work.after(apology_at, self.rng.uniform(16, 40))
            services.apologize(
                self.d, actor=self._holder(), reasons=self.rng.choice(APOLOGY_REASONS), new_due_at=new_due
            )
        else:
            self._process(ops[:done], self.now, exact_last=False)

    def _run_supplement(self) -> None:
        if self.variant == "before_reception":
            self._supplement_before_reception()
            return
        self._receive()
        ops = self._ops()
        first = self._first_specialist(ops)
        self._process(ops[:first], self.now, exact_last=False)
        self._at(self._cap(self._gap(self.now, 2), self.now))
        self._request_supplement()

    def _run_payment(self) -> None:
        self._receive()
        ops = self._ops()
        first = self._first_specialist(ops)
        self._process(ops[:first], self.now, exact_last=False)
        self._at(self._cap(self._gap(self.now, 2), self.now))
        self._request_payment()
        if self.d.applicant_id is not None and self.rng.random() < 0.4:
            # The applicant went to the gateway and has not paid yet (or the card was refused).
            self._at(self._cap(self.cast.clock.now + datetime.timedelta(minutes=30), self.now))
            self._pay_online(result="51", confirm=self.rng.random() < 0.5)

    def _run_withdrawn(self) -> None:
        rng, work = self.rng, self.cast.work
        reason = rng.choice(WITHDRAW_REASONS)
        if self.variant == "in_supplement":
            self.pre_supplement = (work.after(self.cast.clock.now, rng.uniform(0.5, 6)), None)
            self._supplement_before_reception()
        elif self.variant == "in_processing":
            self._receive()
            ops = self._ops()[:-1]
            due = self.d.due_at
            assert due is not None
            self._process(ops[: rng.randint(0, 1)], due, exact_last=False)
        moment = self.cast.clock.now + datetime.timedelta(hours=rng.uniform(2, 72))
        if not 6 <= moment.astimezone(VIETNAM).hour <= 22:
            moment = _online_time(rng, moment.astimezone(VIETNAM).date())
        self._at(moment)
        services.withdraw(self.d, actor=self.person.user, reason=reason)

    def _run_stopped(self) -> None:
        rng, work = self.rng, self.cast.work
        self._receive()
        due = self.d.due_at
        assert due is not None
        ops = self._ops()
        first = self._first_specialist(ops)
        if self.variant == "no_supplement":
            self._process(ops[:first], due, exact_last=False)
            self._at(self._gap(due, 3))
            self._request_supplement()
            self._at(work.after(self.cast.clock.now, rng.uniform(60, 120)))
            reason = STOP_REASONS[0]
        else:
            self._process(ops[: first + 1], due, exact_last=False)
            self._at(self._gap(due, 2))
            reason = rng.choice(STOP_REASONS[1:])
        step = self.d.current_step
        assert step is not None
        services.stop(self.d, actor=self.cast.officer(step.agency_id, Role.LEADER), reasons=reason)

    def _run_ready(self) -> None:
        self._receive()
        self._complete(self.ready_at)

    def _run_returned(self) -> None:
        self._receive()
        self._complete()
        self._return()
        self._rate()

    def _rate(self) -> None:
        """Most applicants rate the service (motcua.surveys) within a few days of receiving the result:
        online if they applied with an account (some through the API), at the counter's kiosk
        otherwise. Mostly satisfied; less so when the dossier was late."""
        rng = self.rng
        if not (self.rated if self.rated is not None else rng.random() < RATED_SHARE):
            return
        dossier = self.d
        proof = next(
            (
                digits[-4:]
                for digits in (_digits(dossier.applicant_phone), _digits(dossier.applicant_identity))
                if len(digits) >= 4
            ),
            "",
        )
        if dossier.applicant is None and not proof:
            return
        self._at(
            self.cast.clock.now
            + datetime.timedelta(hours=rng.uniform(0.1, 0.2 if dossier.applicant is None else 60))
        )
        weights = RATING_MOODS.get(self.variant, RATING_MOODS["on_time"])
        answers = {
            q: rng.choices([5, 4, 3, 2, 1], weights)[0]
            for q in ("processing_time", "contacts", "staff_attitude")
        }
        mean = sum(answers.values()) / 3
        overall = min(5, max(1, round(mean + rng.choice([-1, 0, 0, 0, 0, 1]))))
        comments = RATING_COMMENTS["good" if overall >= 4 else "bad" if overall <= 2 else "fair"]
        comment = rng.choice(comments) if rng.random() < 0.35 else ""
        if dossier.applicant is None:
            by, channel = None, RatingChannel.KIOSK
        else:
            by, channel = dossier.applicant, RatingChannel.API if rng.random() < 0.1 else RatingChannel.ONLINE
        survey_services.rate(
            dossier, {**answers, "overall": overall, "comment": comment}, by=by, channel=channel, proof=proof
        )


# ---------------------------------------------------------------------------------------------
# Loading


# Ratings (motcua.surveys): the share of returned dossiers rated, the weights of the answers 5…1 by how
# the dossier went, and comments.
RATED_SHARE = 0.6
RATING_MOODS = {
    "on_time": [42, 36, 13, 6, 3],
    "late": [8, 22, 32, 26, 12],
    "apology": [14, 30, 30, 18, 8],
}
RATING_COMMENTS = {
    "good": [
        "Cán bộ hướng dẫn tận tình, dễ hiểu.",
        "Nhận kết quả đúng hẹn, không phải đi lại nhiều.",
        "Thủ tục nhanh gọn, cảm ơn Bộ phận Một cửa.",
        "Nộp trực tuyến tiện lợi.",
    ],
    "fair": [
        "Phải bổ sung giấy tờ một lần, lẽ ra nên hướng dẫn rõ từ đầu.",
        "Chờ ở quầy hơi lâu.",
    ],
    "bad": [
        "Trả kết quả chậm so với giấy hẹn.",
        "Phải đi lại nhiều lần mới xong.",
        "Đề nghị cán bộ trả lời điện thoại khi người dân hỏi.",
    ],
}


def _digits(value: str | None) -> str:
    return "".join(c for c in value or "" if c.isdigit())


def _quotas(count: int) -> list[Status]:
    statuses: list[Status] = []
    for status, (share, minimum) in STATUS_SHARES.items():
        statuses += [status] * max(minimum, round(count * share))
    returned = count - len(statuses)
    if returned < 6:
        raise ValueError(f"count={count} is too small for every status (at least {len(statuses) + 6}).")
    return statuses + [Status.RETURNED] * returned


def _tiny_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Bản chụp giấy tờ mẫu</p>").write_pdf()


def demo_dossiers_exist() -> bool:
    return Dossier.objects.filter(applicant__email__endswith=f"@{DEMO_EMAIL_DOMAIN}").exists()


class Progress:
    """Reports every tenth of the dossiers loaded, with the time elapsed, to ``write`` (a command's
    stdout); silent without one."""

    def __init__(self, total: int, write: Callable[[str], None] | None):
        self.total, self.write = total, write
        self.started = time.monotonic()
        self.reported = 0

    def __call__(self, done: int) -> None:
        tenth = done * 10 // self.total if self.total else 10
        if self.write is None or tenth <= self.reported:
            return
        self.reported = tenth
        elapsed = time.monotonic() - self.started
        self.write(f"  dossiers: {done}/{self.total} ({tenth * 10} %) in {elapsed:.1f} s")


def load_dossiers(
    *,
    count: int = DEFAULT_COUNT,
    seed: int = DEFAULT_SEED,
    now: datetime.datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Load ``count`` demo dossiers over the last twelve months, unless the demo already has them.

    ``progress`` receives a line every tenth of the dossiers. Returns ``dossiers`` (all dossiers now
    in the database), ``dossiers_created`` and, when loading, the created ``demo_staff`` and
    ``demo_citizens``, ``clamped`` (steps that would have fallen after ``now`` and were moved back
    to it) and ``renders_queued`` (notices and results whose PDF the task worker will render).
    """
    if demo_dossiers_exist():
        return {"dossiers": Dossier.objects.count(), "dossiers_created": 0, "renders_queued": 0}
    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311  (deterministic demo data)
    versions = list(
        ProcedureVersion.objects.current()
        .select_related("procedure")
        .prefetch_related("fees", "steps", "agencies")
        .order_by("procedure__code")
    )
    if not versions:
        return {"dossiers": Dossier.objects.count(), "dossiers_created": 0}
    password_hash = make_password(_demo_password())
    units = list(
        AdministrativeUnit.objects.current()
        .filter(parent__code=PROVINCE_CODE)
        .order_by("code")
        .values_list("code", flat=True)
    )
    receiving = {v.pk: services.receiving_agencies(v) for v in versions}
    home_units = (
        sorted(
            {
                a.unit.code
                for agencies in receiving.values()
                for a in agencies
                if a.unit and a.unit.code in units
            }
        )
        or units
    )
    people = People(rng, units, home_units, now.astimezone(VIETNAM).date())

    with transaction.atomic():
        staff_created = ensure_staff(versions, password_hash)
        citizens = ensure_applicants(people, password_hash, ACCOUNT_CITIZENS)
        walk_ins = [people.person(email=rng.random() < 0.6) for _ in range(WALK_INS)]
        demo_citizen = User.objects.filter(username="citizen").first()
        demo_business = User.objects.filter(username="business").first()
        minh_xuan = home_units[-1] if "02215" not in home_units else "02215"

        weights = [
            PROCEDURE_WEIGHTS.get(v.procedure.code, 3 if v.level == "commune" else 1.5) for v in versions
        ]
        statuses = _quotas(count)
        rng.shuffle(statuses)
        owners: dict[int, str] = {}
        for owner, wanted in (("citizen", CITIZEN_STATUSES), ("business", BUSINESS_STATUSES)):
            if (demo_citizen if owner == "citizen" else demo_business) is None:
                continue
            for status in wanted:
                index = next(i for i, s in enumerate(statuses) if s == status and i not in owners)
                owners[index] = owner
        fee_versions = [v for v in versions if v.base_fee > 0]
        business_versions = [v for v in versions if v.procedure.code in BUSINESS_PROCEDURES] or versions
        representative = people.person(male=True)

        stories: list[Story] = []
        for index, status in enumerate(statuses):
            story_rng = random.Random(f"{seed}:{index}")  # noqa: S311
            owner = owners.get(index)
            needs_account = (
                status in (Status.SUBMITTED, Status.REFUSED, Status.WITHDRAWN) or owner is not None
            )
            channel = Channel.ONLINE if needs_account or story_rng.random() < 0.6 else Channel.COUNTER
            if status == Status.PAYMENT:
                version = story_rng.choice(fee_versions or versions)
            elif owner == "business":
                version = story_rng.choice(business_versions)
            else:
                version = story_rng.choices(versions, weights)[0]
            choices = receiving[version.pk]
            agency_weights = [3 if a.unit and a.unit.code == "02215" else 1 for a in choices]
            agency = story_rng.choices(choices, agency_weights)[0]
            organisation = ""
            if owner == "citizen":
                assert demo_citizen is not None
                person = _person_of(demo_citizen, people, unit=minh_xuan)
            elif owner == "business":
                assert demo_business is not None
                person = _person_of(demo_business, people, unit=minh_xuan)
                person.identity, person.name = representative.identity, representative.name
                organisation = demo_business.full_name
            elif channel == Channel.ONLINE:
                person = story_rng.choice(citizens)
            else:
                person = story_rng.choice(walk_ins)
            story = Story(
                index=index,
                status=status,
                version=version,
                agency=agency,
                person=person,
                channel=channel,
                rng=story_rng,
                now=now,
                organisation=organisation,
            )
            stories.append(story)

        # The demo citizen's returned dossiers: the first rated, the second left to rate, then by chance.
        citizen_returned = [
            s for i, s in enumerate(stories) if owners.get(i) == "citizen" and s.status == Status.RETURNED
        ]
        for story, rated in zip(citizen_returned, [True, False], strict=False):
            story.rated = rated

        year_long = [
            s
            for s in stories
            if s.status in (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED)
        ]
        slots = [(k + rng.random()) / len(year_long) for k in range(len(year_long))]
        rng.shuffle(slots)
        for story, slot in zip(year_long, slots, strict=True):
            story.slot = slot
        work = WorkTime(work_calendar())
        for story in stories:
            story.plan(work)
        stories.sort(key=lambda s: s.sort_key)

        clock = Clock(now - datetime.timedelta(minutes=5))
        cast = Cast(
            clock=clock,
            work=work,
            filler=FormFiller(rng, people),
            pdf=_tiny_pdf(),
            officers=_officers(),
            fields={v.pk: list(v.form_fields.order_by("order", "id")) for v in versions},
            documents={v.pk: list(v.documents.order_by("order", "id")) for v in versions},
        )
        report = Progress(len(stories), progress)
        # Results are signed after the commit, as the task worker renders them (motcua.signing): the
        # history returns them before their signature exists.
        with frozen_clock(clock), services.renders_collected() as renders, documents.results_signed_later():
            for done, story in enumerate(stories, start=1):
                story.run(cast)
                report(done)
    # After the commit (queue_renders waits for none here): the newest documents first, those that
    # someone opening the demo looks at.
    queued = services.queue_renders(sorted(renders, reverse=True))
    return {
        "dossiers": Dossier.objects.count(),
        "dossiers_created": len(stories),
        "demo_staff": staff_created,
        "demo_citizens": len(citizens),
        "clamped": clock.clamped,
        "renders_queued": queued,
    }


def _demo_password() -> str:
    from motcua.demo.seed import DEMO_PASSWORD  # seed imports this module

    return DEMO_PASSWORD
