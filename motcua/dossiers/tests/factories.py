"""An office to test dossiers in: a ward, its people's committee (one-stop), three officers, a citizen
and a published procedure with a three-step process."""

import io
from dataclasses import dataclass

from motcua.accounts.constants import Role
from motcua.accounts.models import User
from motcua.accounts.services import grant_role
from motcua.accounts.tests.factories import StaffFactory, UserFactory
from motcua.agencies.constants import AgencyKind, UnitType
from motcua.agencies.models import Agency
from motcua.agencies.tests.factories import AgencyFactory, UnitFactory
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import create_procedure, publish_version
from motcua.dossiers import services
from motcua.dossiers.models import Dossier

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(content: bytes = PDF) -> io.BytesIO:
    return io.BytesIO(content)


@dataclass
class Office:
    agency: Agency
    other_agency: Agency
    version: ProcedureVersion
    reception: User
    specialist: User
    leader: User
    citizen: User
    stranger: User
    outsider: User  # an officer of another agency


def make_office(
    *, time_unit: str = "working_days", processing_time: str = "3", restarts: bool = True
) -> Office:
    province = UnitFactory(code="08", name="Tỉnh Tuyên Quang", type=UnitType.PROVINCE)
    ward = UnitFactory(code="02215", name="Phường Minh Xuân", parent=province)
    agency = AgencyFactory(
        code="000.01.01.H59",
        name="Ủy ban nhân dân phường Minh Xuân",
        unit=ward,
        kind=AgencyKind.COMMUNE_COMMITTEE,
        receives_dossiers=True,
    )
    other = AgencyFactory(
        code="000.02.01.H59",
        name="Ủy ban nhân dân phường Nông Tiến",
        unit=ward,
        kind=AgencyKind.COMMUNE_COMMITTEE,
        receives_dossiers=True,
    )
    draft = create_procedure(
        "1.001193",
        version={
            "name": "Đăng ký khai sinh",
            "field": "Hộ tịch",
            "level": "commune",
            "mode": "full_online",
            "processing_time": processing_time,
            "time_unit": time_unit,
            "result": "Giấy khai sinh",
            "supplement_restarts_clock": restarts,
        },
        agencies=[agency, other],
        fees=[{"name": "Phí cấp bản sao", "amount": 8000}],
        documents=[
            {"name": "Tờ khai đăng ký khai sinh", "form": "original", "quantity": 1},
            {"name": "Giấy chứng sinh", "form": "original", "quantity": 1},
            {"name": "Giấy tờ khác", "form": "copy", "quantity": 1, "required": False},
        ],
        form=[
            {"key": "child_name", "label": "Họ, chữ đệm và tên của trẻ", "kind": "text"},
            {"key": "birth_date", "label": "Ngày sinh", "kind": "date"},
            {"key": "sex", "label": "Giới tính", "kind": "choice", "choices": ["Nam", "Nữ"]},
            {"key": "parent_id", "label": "Số định danh của cha hoặc mẹ", "kind": "identity_number"},
            {"key": "note", "label": "Ghi chú", "kind": "textarea", "required": False},
        ],
        steps=[
            {"name": "Tiếp nhận hồ sơ", "role": "reception", "share": "0.1"},
            {"name": "Thẩm định hồ sơ", "role": "specialist", "share": "0.6"},
            {"name": "Phê duyệt, ký kết quả", "role": "leader", "share": "0.3"},
        ],
    )
    version = publish_version(draft)
    staff = {}
    for role in (Role.RECEPTION, Role.SPECIALIST, Role.LEADER):
        user = StaffFactory(full_name=f"Cán bộ {role.label}")
        grant_role(user, agency, role)
        staff[role] = user
    outsider = StaffFactory(full_name="Cán bộ phường khác")
    for role in (Role.RECEPTION, Role.SPECIALIST, Role.LEADER):
        grant_role(outsider, other, role)
    return Office(
        agency=agency,
        other_agency=other,
        version=version,
        reception=staff[Role.RECEPTION],
        specialist=staff[Role.SPECIALIST],
        leader=staff[Role.LEADER],
        citizen=UserFactory(full_name="Nguyễn Văn An", email="an@example.vn"),
        stranger=UserFactory(full_name="Trần Thị Lạ", email="la@example.vn"),
        outsider=outsider,
    )


GOOD_FORM = {
    "child_name": "Nguyễn Minh Khôi",
    "birth_date": "2026-11-01",
    "sex": "Nam",
    "parent_id": "008090000123",
}


def submitted(office: Office, *, agency: Agency | None = None) -> Dossier:
    dossier = services.start_dossier(
        version=office.version,
        applicant=office.citizen,
        receiving_agency=agency or office.agency,
        another=True,
    )
    services.save_draft(dossier, actor=office.citizen, form_data=GOOD_FORM)
    for document in office.version.documents.filter(required=True):
        services.add_document(
            dossier, actor=office.citizen, upload=pdf(), name=f"{document.pk}.pdf", document=document
        )
    services.submit(dossier, actor=office.citizen, declaration=True)
    return dossier


def received(office: Office) -> Dossier:
    dossier = submitted(office)
    services.receive(dossier, actor=office.reception)
    return dossier


def procedure_without_approval(office: Office) -> ProcedureVersion:
    """A second procedure of the office whose process has no leader's approval: the specialist
    marks the result ready, and the one-stop unit's return step follows."""
    existing = ProcedureVersion.objects.current().filter(procedure__code="1.000001").first()
    if existing is not None:
        return existing
    draft = create_procedure(
        "1.000001",
        version={
            "name": "Cấp bản sao trích lục hộ tịch",
            "field": "Hộ tịch",
            "level": "commune",
            "mode": "full_online",
            "processing_time": "1",
            "time_unit": "working_days",
            "result": "Bản sao trích lục",
        },
        agencies=[office.agency],
        documents=[{"name": "Tờ khai", "form": "original", "quantity": 1}],
        form=[{"key": "name", "label": "Họ tên", "kind": "text"}],
        steps=[
            {"name": "Tiếp nhận hồ sơ", "role": "reception", "share": "0.1"},
            {"name": "Cấp bản sao", "role": "specialist", "share": "0.8"},
            {"name": "Trả kết quả", "role": "reception", "share": "0.1"},
        ],
    )
    return publish_version(draft)


def received_without_approval(office: Office, version: ProcedureVersion) -> Dossier:
    dossier = services.start_dossier(version=version, applicant=office.citizen, another=True)
    services.save_draft(dossier, actor=office.citizen, form_data={"name": "Nguyễn Văn An"})
    services.add_document(
        dossier, actor=office.citizen, upload=pdf(), name="to-khai.pdf", document=version.documents.get()
    )
    services.submit(dossier, actor=office.citizen, declaration=True)
    services.receive(dossier, actor=office.reception)
    return dossier
