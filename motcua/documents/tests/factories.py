"""Two agencies with the people of their clerical work, their registers, and documents taken to any
state through the services (never by writing a status)."""

import datetime
from dataclasses import dataclass

from motcua.accounts.constants import Role
from motcua.accounts.models import User
from motcua.accounts.services import grant_role
from motcua.accounts.tests.factories import StaffFactory
from motcua.agencies.constants import AgencyKind, UnitType
from motcua.agencies.models import Agency
from motcua.agencies.tests.factories import AgencyFactory, UnitFactory
from motcua.core import clock
from motcua.documents import services
from motcua.documents.constants import Direction
from motcua.documents.models import DocumentType, OfficialDocument, Register
from motcua.documents.types import ensure_types


@dataclass
class Bureau:
    """An agency with a clerk (văn thư), a specialist, a second reviewer and a leader, and its
    outgoing and incoming registers."""

    agency: Agency
    clerk: User
    specialist: User
    reviewer: User
    leader: User
    outgoing: Register
    incoming: Register


def make_bureau(
    name: str = "Ủy ban nhân dân phường Minh Xuân",
    abbreviation: str = "UBND",
    place: str = "Phường Minh Xuân",
    code: str | None = None,
) -> Bureau:
    ensure_types()  # a transactional test before, in the same process, may have emptied the table
    unit = UnitFactory(name=place, type=UnitType.WARD)
    agency = AgencyFactory(
        name=name, kind=AgencyKind.COMMUNE_COMMITTEE, unit=unit, **({"code": code} if code else {})
    )
    people = {}
    for role, full_name in (
        (Role.CLERK, "Trần Văn Thư"),
        (Role.SPECIALIST, "Lê Chuyên Viên"),
        (Role.SPECIALIST, "Phạm Góp Ý"),
        (Role.LEADER, "Nguyễn Lãnh Đạo"),
    ):
        user = StaffFactory(full_name=f"{full_name} ({place})")
        grant_role(user, agency, role)
        people.setdefault(role, []).append(user)
    return Bureau(
        agency=agency,
        clerk=people[Role.CLERK][0],
        specialist=people[Role.SPECIALIST][0],
        reviewer=people[Role.SPECIALIST][1],
        leader=people[Role.LEADER][0],
        outgoing=Register.objects.create(
            agency=agency,
            direction=Direction.OUTGOING,
            name="Sổ văn bản đi",
            agency_abbreviation=abbreviation,
        ),
        incoming=Register.objects.create(agency=agency, direction=Direction.INCOMING, name="Sổ văn bản đến"),
    )


def doc_type(code: str = "quyet-dinh") -> DocumentType:
    ensure_types()  # a transactional test before may have emptied the table
    return DocumentType.objects.get(code=code)


def draft_of(
    bureau: Bureau,
    *,
    to: list[Agency] | None = None,
    paper: list[str] | None = None,
    kind: str = "quyet-dinh",
    **fields,
) -> services.Draft:
    values = {
        "document_type": doc_type(kind),
        "summary": "Về việc kiện toàn Tổ công tác chuyển đổi số",
        "body": (
            "Điều 1. Kiện toàn Tổ công tác chuyển đổi số của phường.\n"
            "Điều 2. Quyết định có hiệu lực kể từ ngày ký."
        ),
        "signer_title": "TM. Ủy ban nhân dân\nChủ tịch",
        "signer_name": bureau.leader.full_name,
        "agencies": to or [],
        "paper_recipients": paper if paper is not None else ["Như Điều 2"],
        **fields,
    }
    return services.Draft(**values)


def drafted(bureau: Bureau, **kwargs) -> OfficialDocument:
    return services.create_draft(
        actor=bureau.specialist, agency=bureau.agency, draft=draft_of(bureau, **kwargs)
    )


def approved(bureau: Bureau, **kwargs) -> OfficialDocument:
    document = drafted(bureau, **kwargs)
    services.submit_for_review(document, actor=bureau.specialist, reviewers=[bureau.reviewer])
    services.approve_review(document, actor=bureau.reviewer)
    return document


def signed(bureau: Bureau, **kwargs) -> OfficialDocument:
    document = approved(bureau, **kwargs)
    services.sign(document, actor=bureau.leader)
    return document


def issued(bureau: Bureau, **kwargs) -> OfficialDocument:
    document = signed(bureau, **kwargs)
    services.issue(document, actor=bureau.clerk)
    return document


def incoming_for(bureau: Bureau, *, sender: Bureau | None = None, **fields) -> OfficialDocument:
    values = {
        "document_type": doc_type("cong-van"),
        "summary": "Về việc phối hợp rà soát hồ sơ đất đai",
        "sender_name": sender.agency.name if sender else "Sở Tài nguyên và Môi trường",
        "sender_organ_id": sender.agency.code if sender else "000.00.15.H59",
        "sender_notation": "45/STNMT-ĐĐ",
        "sender_date": clock.localdate() - datetime.timedelta(days=1),
        "signer_title": "Giám đốc",
        "signer_name": "Hoàng Văn Gửi",
        **fields,
    }
    return services.receive_incoming(
        agency=bureau.agency,
        incoming=services.Incoming(**values),
        attachments=[services.IncomingFile("cong-van.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n")],
    )


def days(n: int) -> datetime.date:
    return clock.localdate() + datetime.timedelta(days=n)


def issue_draft(bureau: Bureau, document: OfficialDocument) -> OfficialDocument:
    """Take an existing draft (a replacement, say) through review, signature and issue."""
    services.submit_for_review(document, actor=bureau.specialist, reviewers=[bureau.reviewer])
    services.approve_review(document, actor=bureau.reviewer)
    services.sign(document, actor=bureau.leader)
    services.issue(document, actor=bureau.clerk)
    return document
