"""The demo province: Tuyên Quang, its agencies, one user per role and a catalogue of real procedures.

Agency identifiers follow the Decision 20/2020 format but are sample values, not the official ones.
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from motcua.accounts.constants import AccountKind, Role
from motcua.accounts.models import User
from motcua.accounts.services import grant_role
from motcua.agencies.constants import AgencyKind
from motcua.agencies.models import AdministrativeUnit, Agency
from motcua.agencies.services import import_units
from motcua.catalog.models import Procedure
from motcua.catalog.services import create_procedure, publish_version
from motcua.demo.documents import load_documents
from motcua.demo.dossiers import DEFAULT_COUNT, load_dossiers
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.integrations.constants import SyncState
from motcua.integrations.models import NationalSync
from motcua.reports.facts import rebuild as rebuild_reports

DATA_DIR = Path(__file__).parent / "data"
DEMO_PASSWORD = "motcua-demo"
PROVINCE_CODE = "08"
CATALOGUE_IN_FORCE = datetime.date(2025, 7, 1)


# The usual office hours of a one-stop unit, printed on its notices.
OFFICE_HOURS = "Sáng 7:30–11:30, chiều 13:00–17:00, thứ Hai đến thứ Sáu"


@dataclass(frozen=True)
class AgencySeed:
    key: str
    code: str
    name: str
    short_name: str
    kind: str
    unit_code: str = PROVINCE_CODE
    receives_dossiers: bool = False
    address: str = ""
    phone: str = ""
    email: str = ""
    opening_hours: str = OFFICE_HOURS
    head_title: str = "Giám đốc"
    head_name: str = ""


# Demo data: the addresses, phone numbers, mailboxes and heads below are invented (the national
# catalogue has no agency addresses); they look like Tuyên Quang's but are not the real ones.
AGENCIES = [
    AgencySeed(
        "province_committee",
        "000.00.00.H59",
        "Ủy ban nhân dân tỉnh Tuyên Quang",
        "UBND tỉnh",
        AgencyKind.PROVINCIAL_COMMITTEE,
        address="Số 160 đường Trần Hưng Đạo, phường Minh Xuân, tỉnh Tuyên Quang",
        phone="0207 3822 401",
        email="ubnd.tinh@demo.motcua.vn",
        head_title="Chủ tịch",
        head_name="Hoàng Minh Quang",
    ),
    AgencySeed(
        "service_centre",
        "000.00.20.H59",
        "Trung tâm Phục vụ hành chính công tỉnh Tuyên Quang",
        "TTPVHCC tỉnh",
        AgencyKind.SERVICE_CENTRE,
        receives_dossiers=True,
        address="Số 8 đường Nguyễn Tất Thành, phường Minh Xuân, tỉnh Tuyên Quang",
        phone="0207 3656 789",
        email="ttpvhcc@demo.motcua.vn",
        opening_hours="Sáng 7:30–11:30, chiều 13:00–17:00, thứ Hai đến thứ Sáu; sáng thứ Bảy 7:30–11:30",
        head_name="Đặng Thị Thu Hà",
    ),
    AgencySeed(
        "justice",
        "000.00.12.H59",
        "Sở Tư pháp tỉnh Tuyên Quang",
        "Sở Tư pháp",
        AgencyKind.DEPARTMENT,
        address="Số 12 đường 17 tháng 8, phường Minh Xuân, tỉnh Tuyên Quang",
        phone="0207 3822 512",
        email="sotuphap@demo.motcua.vn",
        head_name="Vũ Đức Thắng",
    ),
    AgencySeed(
        "construction",
        "000.00.13.H59",
        "Sở Xây dựng tỉnh Tuyên Quang",
        "Sở Xây dựng",
        AgencyKind.DEPARTMENT,
        address="Số 21 đường Chiến Thắng Sông Lô, phường Minh Xuân, tỉnh Tuyên Quang",
        phone="0207 3822 630",
        email="soxaydung@demo.motcua.vn",
        head_name="Nguyễn Quốc Bảo",
    ),
    AgencySeed(
        "agriculture_environment",
        "000.00.14.H59",
        "Sở Nông nghiệp và Môi trường tỉnh Tuyên Quang",
        "Sở NN&MT",
        AgencyKind.DEPARTMENT,
        address="Số 5 đường Lê Duẩn, phường Nông Tiến, tỉnh Tuyên Quang",
        phone="0207 3822 745",
        email="sonnmt@demo.motcua.vn",
        head_name="Ma Văn Khánh",
    ),
    AgencySeed(
        "finance",
        "000.00.15.H59",
        "Sở Tài chính tỉnh Tuyên Quang",
        "Sở Tài chính",
        AgencyKind.DEPARTMENT,
        address="Số 18 đường Đinh Tiên Hoàng, phường Minh Xuân, tỉnh Tuyên Quang",
        phone="0207 3822 318",
        email="sotaichinh@demo.motcua.vn",
        head_name="Trần Thị Lan Anh",
    ),
    # Receives residence registrations (thường trú, tạm trú) directly.
    AgencySeed(
        "police",
        "000.00.16.H59",
        "Công an tỉnh Tuyên Quang",
        "Công an tỉnh",
        AgencyKind.DEPARTMENT,
        receives_dossiers=True,
        address="Số 2 đường Tân Trào, phường Minh Xuân, tỉnh Tuyên Quang",
        phone="0207 3822 110",
        email="congan@demo.motcua.vn",
        head_name="Lương Văn Sơn",
    ),
    AgencySeed(
        "health",
        "000.00.17.H59",
        "Sở Y tế tỉnh Tuyên Quang",
        "Sở Y tế",
        AgencyKind.DEPARTMENT,
        address="Số 46 đường Quang Trung, phường Minh Xuân, tỉnh Tuyên Quang",
        phone="0207 3822 275",
        email="soyte@demo.motcua.vn",
        head_name="Phạm Thị Hồng Nhung",
    ),
    AgencySeed(
        "industry_trade",
        "000.00.18.H59",
        "Sở Công Thương tỉnh Tuyên Quang",
        "Sở Công Thương",
        AgencyKind.DEPARTMENT,
        address="Số 30 đường Nguyễn Trãi, phường Minh Xuân, tỉnh Tuyên Quang",
        phone="0207 3822 354",
        email="socongthuong@demo.motcua.vn",
        head_name="Đỗ Mạnh Tuấn",
    ),
    AgencySeed(
        "culture",
        "000.00.19.H59",
        "Sở Văn hóa, Thể thao và Du lịch tỉnh Tuyên Quang",
        "Sở VHTTDL",
        AgencyKind.DEPARTMENT,
        address="Số 9 đường Lý Thái Tổ, phường Minh Xuân, tỉnh Tuyên Quang",
        phone="0207 3822 467",
        email="sovhttdl@demo.motcua.vn",
        head_name="Hà Thị Minh Nguyệt",
    ),
    AgencySeed(
        "education",
        "000.00.21.H59",
        "Sở Giáo dục và Đào tạo tỉnh Tuyên Quang",
        "Sở GD&ĐT",
        AgencyKind.DEPARTMENT,
        address="Số 11 đường Lê Lợi, phường Minh Xuân, tỉnh Tuyên Quang",
        phone="0207 3822 589",
        email="sogddt@demo.motcua.vn",
        head_name="Bùi Văn Toàn",
    ),
    AgencySeed(
        "home_affairs",
        "000.00.22.H59",
        "Sở Nội vụ tỉnh Tuyên Quang",
        "Sở Nội vụ",
        AgencyKind.DEPARTMENT,
        address="Số 15 đường Phan Đình Phùng, phường Minh Xuân, tỉnh Tuyên Quang",
        phone="0207 3822 693",
        email="sonoivu@demo.motcua.vn",
        head_name="Lê Thị Thanh Hương",
    ),
    AgencySeed(
        "land_registration",
        "000.14.01.H59",
        "Văn phòng đăng ký đất đai tỉnh Tuyên Quang",
        "VPĐKĐĐ",
        AgencyKind.OTHER,
        address="Số 3 đường Lê Duẩn, phường Nông Tiến, tỉnh Tuyên Quang",
        phone="0207 3822 756",
        email="vpdkdd@demo.motcua.vn",
        head_name="Triệu Văn Hải",
    ),
    AgencySeed(
        "commune_minh_xuan",
        "000.01.01.H59",
        "Ủy ban nhân dân phường Minh Xuân",
        "UBND P. Minh Xuân",
        AgencyKind.COMMUNE_COMMITTEE,
        unit_code="02215",
        receives_dossiers=True,
        address="Số 25 đường Bình Thuận, phường Minh Xuân, tỉnh Tuyên Quang",
        phone="0207 3811 245",
        email="minhxuan@demo.motcua.vn",
        head_title="Chủ tịch",
        head_name="Nguyễn Thị Thu Trang",
    ),
    AgencySeed(
        "commune_nong_tien",
        "000.02.01.H59",
        "Ủy ban nhân dân phường Nông Tiến",
        "UBND P. Nông Tiến",
        AgencyKind.COMMUNE_COMMITTEE,
        unit_code="02212",
        receives_dossiers=True,
        address="Tổ dân phố 7, phường Nông Tiến, tỉnh Tuyên Quang",
        phone="0207 3811 367",
        email="nongtien@demo.motcua.vn",
        head_title="Chủ tịch",
        head_name="Hoàng Văn Dũng",
    ),
    AgencySeed(
        "commune_lung_cu",
        "000.03.01.H59",
        "Ủy ban nhân dân xã Lũng Cú",
        "UBND xã Lũng Cú",
        AgencyKind.COMMUNE_COMMITTEE,
        unit_code="00715",
        receives_dossiers=True,
        address="Thôn Lũng Cú, xã Lũng Cú, tỉnh Tuyên Quang",
        phone="0219 3861 102",
        email="lungcu@demo.motcua.vn",
        head_title="Chủ tịch",
        head_name="Sùng Mí Pó",
    ),
]
COMMUNE_KEYS = [seed.key for seed in AGENCIES if seed.kind == AgencyKind.COMMUNE_COMMITTEE]
PARENTS = {
    "service_centre": "province_committee",
    "justice": "province_committee",
    "construction": "province_committee",
    "agriculture_environment": "province_committee",
    "finance": "province_committee",
    "police": "province_committee",
    "health": "province_committee",
    "industry_trade": "province_committee",
    "culture": "province_committee",
    "education": "province_committee",
    "home_affairs": "province_committee",
    "land_registration": "agriculture_environment",
}


@dataclass(frozen=True)
class UserSeed:
    username: str
    full_name: str
    kind: str
    roles: tuple[tuple[str, str], ...] = ()
    identity_number: str | None = None
    email: str = ""
    phone: str = ""
    # What the demo logins add about the account (printed by load_demo).
    note: str = ""


USERS = [
    UserSeed(
        "citizen",
        "Nguyễn Văn An",
        AccountKind.CITIZEN,
        identity_number="008090000123",
        email="citizen@demo.motcua.vn",
        phone="0912000001",
    ),
    UserSeed(
        "business",
        "Công ty TNHH Chè Tân Trào",
        AccountKind.BUSINESS,
        identity_number="5000123456",
        email="business@demo.motcua.vn",
        phone="0912000002",
    ),
    UserSeed(
        "reception",
        "Trần Thị Bình",
        AccountKind.STAFF,
        roles=(("service_centre", Role.RECEPTION), ("commune_minh_xuan", Role.RECEPTION)),
        email="reception@demo.motcua.vn",
    ),
    UserSeed(
        "specialist",
        "Lê Văn Cường",
        AccountKind.STAFF,
        roles=(("justice", Role.SPECIALIST), ("commune_minh_xuan", Role.SPECIALIST)),
        email="specialist@demo.motcua.vn",
    ),
    UserSeed(
        "leader",
        "Phạm Thị Dung",
        AccountKind.STAFF,
        roles=(("justice", Role.LEADER), ("commune_minh_xuan", Role.LEADER)),
        email="leader@demo.motcua.vn",
    ),
    UserSeed(
        "phochutich",
        "Vũ Minh Hải",
        AccountKind.STAFF,
        roles=(("commune_minh_xuan", Role.LEADER),),
        email="phochutich@demo.motcua.vn",
        note="signs official documents of Phường Minh Xuân with the remote signer (SmartCA stand-in)",
    ),
    UserSeed(
        "clerk",
        "Đỗ Thị Giang",
        AccountKind.STAFF,
        roles=(("justice", Role.CLERK), ("commune_minh_xuan", Role.CLERK)),
        email="clerk@demo.motcua.vn",
    ),
    UserSeed(
        "agencyadmin",
        "Hoàng Văn Em",
        AccountKind.STAFF,
        roles=(("justice", Role.AGENCY_ADMIN),),
        email="agencyadmin@demo.motcua.vn",
    ),
    UserSeed(
        "admin",
        "Quản trị hệ thống",
        AccountKind.STAFF,
        roles=(("province_committee", Role.PROVINCE_ADMIN),),
        email="admin@demo.motcua.vn",
    ),
]


def seed_agencies() -> dict[str, Agency]:
    if not AdministrativeUnit.objects.filter(code=PROVINCE_CODE, valid_to__isnull=True).exists():
        import_units()
    units = {
        u.code: u
        for u in AdministrativeUnit.objects.current().filter(code__in={seed.unit_code for seed in AGENCIES})
    }
    agencies: dict[str, Agency] = {}
    for seed in AGENCIES:
        agency, _created = Agency.objects.update_or_create(
            code=seed.code,
            defaults={
                "name": seed.name,
                "short_name": seed.short_name,
                "kind": seed.kind,
                "unit": units[seed.unit_code],
                "receives_dossiers": seed.receives_dossiers,
                "address": seed.address,
                "phone": seed.phone,
                "email": seed.email,
                "opening_hours": seed.opening_hours,
                "head_title": seed.head_title,
                "head_name": seed.head_name,
            },
        )
        agencies[seed.key] = agency
    for child, parent in PARENTS.items():
        Agency.objects.filter(pk=agencies[child].pk).update(parent=agencies[parent])
    for key in COMMUNE_KEYS:
        Agency.objects.filter(pk=agencies[key].pk).update(parent=agencies["province_committee"])
    return agencies


def _admin_group(name: str, apps: list[str]) -> Group:
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=apps))
    return group


def seed_users(agencies: dict[str, Agency]) -> list[UserSeed]:
    catalogue_admins = _admin_group("Quản trị danh mục thủ tục", ["catalog"])
    for seed in USERS:
        user = User.objects.filter(username=seed.username).first() or User(username=seed.username)
        user.full_name = seed.full_name
        user.kind = seed.kind
        user.identity_number = seed.identity_number
        user.email = seed.email
        user.phone = seed.phone
        user.is_staff = seed.username in {"admin", "agencyadmin"}
        user.is_superuser = seed.username == "admin"
        user.set_password(DEMO_PASSWORD)
        user.save()
        if seed.username == "agencyadmin":
            user.groups.add(catalogue_admins)
        for key, role in seed.roles:
            grant_role(user, agencies[key], Role(role))
    return USERS


def _steps(rows: list[dict], agencies: dict[str, Agency]) -> list[dict]:
    return [
        {
            "name": s["name"],
            "role": s["role"],
            "share": s["share"],
            "agency": None if s["agency"] in ("receiving", "commune") else agencies[s["agency"]],
        }
        for s in rows
    ]


def load_procedures(agencies: dict[str, Agency], path: Path = DATA_DIR / "procedures.json") -> int:
    """Create and publish the demo procedures that are not there yet; returns how many were created."""
    specs = json.loads(path.read_text(encoding="utf-8"))
    existing = set(Procedure.objects.values_list("code", flat=True))
    created = 0
    for spec in specs:
        if spec["code"] in existing:
            continue
        implementing: list[Agency] = []
        for key in spec["agencies"]:
            implementing += [agencies[k] for k in COMMUNE_KEYS] if key == "commune" else [agencies[key]]
        if spec["level"] == "province":
            implementing.append(agencies["service_centre"])
        with transaction.atomic():
            draft = create_procedure(
                spec["code"],
                version={
                    "name": spec["name"],
                    "field": spec["field"],
                    "level": spec["level"],
                    "mode": spec["mode"],
                    "legacy_level": spec["legacy_level"],
                    "processing_time": spec["processing_time"],
                    "time_unit": spec["time_unit"],
                    "applicants": spec["applicants"],
                    "description": spec["description"],
                    "conditions": spec["conditions"],
                    "legal_basis": spec["legal_basis"],
                    "result": spec["result"],
                    "sample_fields": spec["sample"],
                },
                agencies=dict.fromkeys(implementing),
                fees=spec["fees"],
                documents=spec["documents"],
                form=spec["form"],
                steps=_steps(spec["steps"], agencies),
                channels=spec.get("channels", ()),
            )
            publish_version(draft, effective_from=CATALOGUE_IN_FORCE)
        created += 1
    return created


def queue_national_sync() -> int:
    """The demo's history has not reached the national portal yet: each dossier with a code waits to
    be synced (``make demo`` runs ``manage.py sync_national`` once its portal stand-in listens; the
    first successful sync of each publishes ``national_synced`` and the reports count it, 766 §1.2)."""
    ids = Dossier.objects.exclude(status=Status.DRAFT).filter(code__isnull=False).values_list("pk", flat=True)
    rows = [NationalSync(dossier_id=pk, state=SyncState.PENDING, generation=1) for pk in ids]
    NationalSync.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def load_demo(
    *, dossiers: int | None = None, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """The demo province, agencies, users and catalogue, then ``dossiers`` demo dossiers (default
    320, 0 for none); ``progress`` receives a line every tenth of the dossiers. Idempotent."""
    agencies = seed_agencies()
    users = seed_users(agencies)
    procedures = load_procedures(agencies)
    documents = load_documents(agencies)
    if dossiers == 0:
        loaded = {"dossiers": 0, "renders_queued": 0}
    else:
        loaded = load_dossiers(count=dossiers or DEFAULT_COUNT, progress=progress)
        # The history was written with events muted: the reports' aggregates are built once, here.
        rebuild_reports()
        queue_national_sync()
    return {
        "agencies": len(agencies),
        "users": len(users),
        "procedures_created": procedures,
        "procedures": Procedure.objects.count(),
        "dossiers": loaded["dossiers"],
        "renders_queued": loaded["renders_queued"],
        "documents": documents,
    }
