"""A dossier in the national portal's shapes (INTEGRATIONS.md §1).

``dossier_item``: the ``DongBoHoSoMC`` item; ``progress_item``: one action as a
``CapNhatTienDoHoSoMC`` item. Dates are ``yyyyMMddHHmmss`` in Vietnam time ("" when unknown); codes
are sent as strings, as the provincial adapters send them (VietOpenCPS ``String.valueOf``); texts in
Vietnamese whatever the request's language.

Our readings where no public source gives the values (change them here only):
- ``DinhDanhCHS.LoaiDinhDanh``: "1" a 12-digit personal identifier, "2" a tax code (10 or 13 digits).
- ``TaiLieuNop.DuocSoHoa``: "1" for every file (they are all electronic here); ``DuocTaiSuDung`` and
  ``DuocLayTuKhoDMQG`` "0" (no reuse from the national data store yet).
- ``DanhSachLePhi.LoaiPhiLePhi``: "2" a charge (lệ phí, the name begins so), "1" a fee (phí);
  ``HinhThucThu``: "2" paid online, "1" otherwise; ``MaPhiLePhi``: our fee line's id.
- ``DuocThanhToanTrucTuyen``: "1" when a payment of the dossier was made online, else "0".
- ``SoBienNhan``: the dossier code once received (the receipt, form 01, carries it).
"""

import datetime
import hashlib
import json
import zoneinfo
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from motcua.accounts.constants import AccountKind, Role
from motcua.catalog import fees
from motcua.dossiers import delivery
from motcua.dossiers.constants import ActionType, AttachmentKind, PaymentMethod, Status
from motcua.dossiers.models import Action, Attachment, Dossier
from motcua.integrations.models import InboundDossier

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"

# LoaiDoiTuong: 1 citizen, 2 business, 3 state body, 4 other.
SUBJECT_KIND = {AccountKind.CITIZEN: "1", AccountKind.BUSINESS: "2", AccountKind.STAFF: "1"}


def national_date(value: datetime.datetime | datetime.date | None) -> str:
    """``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh; "" for None."""
    if value is None:
        return ""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    if value.tzinfo is not None:
        value = value.astimezone(VIETNAM)
    return value.strftime(DATE_FORMAT)


def _file_url(dossier: Dossier, attachment: Attachment) -> str:
    """Where an authorised officer downloads the file (the portal's adapter fetches it with its account)."""
    try:
        path = reverse("backoffice:download", args=[dossier.code, attachment.pk])
    except NoReverseMatch:
        return ""
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + path


def identifiers(dossier: Dossier) -> list[dict[str, str]]:
    """``DinhDanhCHS``: the identifiers of the dossier's owner (the subject, else the applicant)."""
    number = (dossier.subject_identity or dossier.applicant_identity or "").strip()
    if not number:
        return []
    kind = "1" if len(number) == 12 else "2"
    return [{"LoaiDinhDanh": kind, "SoDinhDanh": number}]


def _subject_kind(dossier: Dossier) -> str:
    applicant = dossier.applicant
    if applicant is not None:
        return SUBJECT_KIND.get(AccountKind(applicant.kind), "4")
    number = (dossier.subject_identity or dossier.applicant_identity or "").strip()
    return "2" if number and len(number) != 12 else "1"


def _documents(dossier: Dossier) -> list[dict[str, str]]:
    rows = [a for a in dossier.attachments.all() if a.kind in (AttachmentKind.APPLICANT, AttachmentKind.SCAN)]
    return [
        {
            "TepDinhKemId": str(a.pk),
            "TenTepDinhKem": a.original_name,
            "IsDeleted": "True" if a.superseded else "False",
            "MaThanhPhanHoSo": str(a.document_id or ""),
            "DuongDanTaiTepTin": _file_url(dossier, a),
            "DuocSoHoa": "1",
            "DuocTaiSuDung": "0",
            "DuocLayTuKhoDMQG": "0",
        }
        for a in sorted(rows, key=lambda a: a.pk)
    ]


def _results(dossier: Dossier) -> list[dict[str, str]]:
    rows = [a for a in dossier.attachments.all() if a.kind == AttachmentKind.RESULT and not a.superseded]
    return [
        {
            "TenGiayTo": a.original_name,
            "MaThanhPhanHoSo": str(a.document_id or ""),
            "GiayToId": str(a.pk),
            "DuongDanTepTinKetQua": _file_url(dossier, a),
        }
        for a in sorted(rows, key=lambda a: a.pk)
    ]


def _paid_online(dossier: Dossier) -> bool:
    return any(p.method == PaymentMethod.ONLINE for p in dossier.payments.all())


def _fees(dossier: Dossier, paid_online: bool) -> list[dict[str, Any]]:
    lines = []
    for fee in dossier.procedure_version.fees.all():
        for charge in fees.charges_for([fee], dossier.form_data):
            lines.append(
                {
                    "TenPhiLePhi": charge.name,
                    "MaPhiLePhi": str(fee.pk),
                    "HinhThucThu": "2" if paid_online else "1",
                    "Gia": charge.amount,
                    "LoaiPhiLePhi": "2" if charge.name.strip().lower().startswith("lệ phí") else "1",
                }
            )
    return lines


def _supplements(actions: list[Action]) -> list[dict[str, str]]:
    """``DanhSachHoSoBoSung``: each request to supplement, with the day the applicant completed it."""
    rows = []
    for index, action in enumerate(actions):
        if action.type != ActionType.REQUEST_SUPPLEMENT:
            continue
        done = next((a for a in actions[index + 1 :] if a.type == ActionType.SUPPLEMENT), None)
        items = action.data.get("items") if isinstance(action.data, dict) else None
        content = "; ".join(str(i) for i in items) if isinstance(items, list) else ""
        rows.append(
            {
                "HoSoBoSungId": str(action.pk),
                "NoiDungBoSung": "; ".join(t for t in (content, action.note) if t),
                "NgayBoSung": national_date(done.at if done else None),
                "NgayHenTraTruoc": national_date(_date_in(action.data, "due_before")),
                "NgayHenTraMoi": national_date(_date_in(done.data if done else {}, "due_after")),
            }
        )
    return rows


def _date_in(data: Any, key: str) -> datetime.datetime | None:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str):
        return None
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None


def code_on_portal(dossier: Dossier) -> str:
    """``MaHoSo`` on the portal: the national code of a dossier submitted there (taken in by
    motcua.integrations.national.inbound), else our code."""
    national = (
        InboundDossier.objects.filter(dossier_id=dossier.pk).values_list("national_code", flat=True).first()
    )
    return national or dossier.code or ""


def dossier_item(dossier: Dossier, *, portal_code: str | None = None) -> dict[str, Any]:
    """The ``DongBoHoSoMC`` item of a submitted dossier (one with a code); ``portal_code`` its
    ``MaHoSo`` when the caller knows it already."""
    code = portal_code if portal_code is not None else code_on_portal(dossier)
    version = dossier.procedure_version
    actions = list(dossier.actions.order_by("id"))
    paid_online = _paid_online(dossier)
    with translation.override("vi"):
        national = delivery.national_fields(dossier)
        owner = dossier.subject_name or dossier.applicant_name
        refused_at = dossier.closed_at if dossier.status == Status.REFUSED else None
        return {
            "MaHoSo": code,
            "MaTTHC": version.procedure.code,
            "TenTTHC": version.name,
            "MaLinhVuc": version.field.code if version.field_id else "",
            "TenLinhVuc": version.field.name if version.field_id else "",
            "SoBienNhan": dossier.code if dossier.received_at else "",
            "ChuHoSo": owner,
            "LoaiDoiTuong": _subject_kind(dossier),
            "MaDoiTuong": "",
            "Email": dossier.applicant_email,
            "SoDienThoai": dossier.applicant_phone,
            "TrichYeuHoSo": f"{version.name} – {owner}"[:1000],
            "NgayNopHoSo": national_date(dossier.submitted_at),
            "NgayTiepNhan": national_date(dossier.received_at),
            "NgayHenTra": national_date(dossier.due_at),
            "TrangThaiHoSo": str(int(dossier.status)),
            "NgayTra": national_date(dossier.returned_at),
            "ThongTinTra": str(national["ThongTinTra"]),
            "HinhThuc": str(national["HinhThuc"]),
            "NgayKetThucXuLy": national_date(dossier.finished_at),
            "NgayTuChoi": national_date(refused_at),
            "DonViXuLy": dossier.deciding_agency.name if dossier.deciding_agency is not None else "",
            "NoiNopHoSo": dossier.receiving_agency.name if dossier.receiving_agency_id else "",
            "GhiChu": "",
            "KenhThucHien": str(national["KenhThucHien"] or ""),
            "DinhDanhCHS": identifiers(dossier),
            "DuocThanhToanTrucTuyen": "1" if paid_online else "0",
            "TaiLieuNop": _documents(dossier),
            "DanhSachLePhi": _fees(dossier, paid_online),
            "DanhSachHoSoBoSung": _supplements(actions),
            "DanhSachGiayToKetQua": _results(dossier),
        }


def _title(action: Action) -> str:
    """``ChucDanh``: the role the actor acted in (the step's, else their role at the unit)."""
    if action.step is not None and action.step.role:
        return str(Role(action.step.role).label)
    actor = action.actor
    if actor is None or not actor.is_staff_member:
        return str(translation.gettext("Người nộp hồ sơ"))
    roles = sorted(m.role for m in actor.memberships.all() if m.agency_id == action.agency_id)
    return str(Role(roles[0]).label) if roles else ""


def progress_item(dossier: Dossier, action: Action, *, portal_code: str | None = None) -> dict[str, str]:
    """One action of the history as a ``CapNhatTienDoHoSoMC`` item."""
    code = portal_code if portal_code is not None else code_on_portal(dossier)
    with translation.override("vi"):
        actor = action.actor
        who = (actor.full_name or actor.username) if actor is not None else dossier.applicant_name
        content = str(ActionType(action.type).label)
        if action.note:
            content = f"{content}: {action.note}"
        step = action.step
        return {
            "MaHoSo": code,
            "NguoiXuLy": who,
            "ChucDanh": _title(action),
            "ThoiDiemXuLy": national_date(action.at),
            "PhongBanXuLy": action.agency.name if action.agency is not None else "",
            "NoiDungXuLy": content[:2000],
            "TrangThai": str(int(action.status_after)),
            "NgayBatDau": national_date(
                step.started_at if step is not None and step.started_at else action.at
            ),
            "NgayKetThucTheoQuyDinh": national_date(
                (step.due_at if step is not None else None) or dossier.due_at
            ),
        }


def fingerprint(item: dict[str, Any]) -> str:
    """SHA-256 of an item: an unchanged dossier is not sent again."""
    return hashlib.sha256(json.dumps(item, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
