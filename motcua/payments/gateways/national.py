"""The national payment platform (Nền tảng thanh toán trực tuyến of the National Public Service Portal).

Message shapes as the platform's partners describe them (../shared/INTEGRATIONS.md §2); no public
specification exists, so what the description leaves open is marked *assumed* below and lives here only.

- INIT: JSON posted to ``{MOTCUA_NATIONAL_PAYMENT_URL}/api/thanh-toan/init`` (*assumed* path) with
  LoaiBanTin "INIT", PhienBan, MaDoiTac, MaThamChieu, SoTien, LoaiHinhThanhToan "PAY", MaKenhThanhToan,
  MaThietBi, NgonNgu "vi-VN", MaTienTe "VND", MaNganHang, ThongTinGiaoDich, ThoiGianGD, Ip, ThongTinBienLai
  {MaDichVu, MaDVC, MaTTHC, MaDonVi, MaHoSo, TKThuHuong, MaNHThuHuong, PhiLePhi [...], DSKhoanNop [...],
  HoTenNguoiNop, SoCMNDNguoiNop} and MaXacThuc: lowercase hex SHA-256 of
  ``LoaiBanTin|PhienBan|MaDoiTac|MaThamChieu|SoTien|LoaiHinhThanhToan|MaKenhThanhToan|MaThietBi|NgonNgu|
  MaTienTe|MaNganHang|ThongTinGiaoDich|ThoiGianGD|Ip|secret``. The answer carries the payment address
  (UrlThanhToan, *assumed* name) and MaLoi "00"; it is signed over ``INIT_ANSWER_FIELDS`` (*assumed*).
- Confirmation (IPN): JSON posted to our IPN address (registered with the platform) with LoaiBanTin,
  MaLoi ("00" success), MaDoiTac, MaThamChieu, SoTien, MaTienTe, MaGiaoDich, MaNganHang, ThoiGianGD,
  ThongTinGiaoDich, MaXacThuc over ``LoaiBanTin|MaLoi|MaDoiTac|MaThamChieu|SoTien|MaTienTe|MaGiaoDich|
  MaNganHang|ThoiGianGD|ThongTinGiaoDich|secret``. We answer {MaLoi, MoTaLoi, MaDoiTac, MaThamChieu,
  ThoiGianGD, MaXacThuc}; the answer's MaLoi takes VNPay's meanings (00 confirmed, 02 already confirmed,
  01 not found, 04 wrong amount, 97 wrong MaXacThuc, 99 other) and its MaXacThuc signs
  ``MaLoi|MaDoiTac|MaThamChieu|ThoiGianGD|secret`` (both *assumed*). MaLoi "24" in a confirmation: the
  payer cancelled (*assumed*, as VNPay).
- Return: the payer's browser comes back to our return address (registered with the platform) with the
  confirmation's fields in the query string (*assumed*).
- Status query: JSON posted to ``.../api/thanh-toan/truy-van`` (*assumed* path), LoaiBanTin "QUERY",
  signed over ``LoaiBanTin|PhienBan|MaDoiTac|MaThamChieu|ThoiGianGD|secret``; the answer's TrangThai
  (*assumed*): "00" paid, "01" waiting, "02" failed, "03" cancelled; MaLoi "01" when the platform has no
  such payment; signed over ``QUERY_ANSWER_FIELDS`` (*assumed*).

The signing functions serve the plugin and the stand-in (motcua.payments.standins.national) alike.
"""

import datetime
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.payments.constants import Outcome, PaymentStatus
from motcua.payments.gateways import (
    Confirmation,
    Forged,
    Gateway,
    GatewayError,
    Malformed,
    Started,
    StartRequest,
    StatusAnswer,
    register,
)
from motcua.payments.gateways.http import post_json

VERSION = "1.0.0"
INIT_PATH = "/api/thanh-toan/init"
QUERY_PATH = "/api/thanh-toan/truy-van"
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
STAMP = "%Y%m%d%H%M%S"
SUCCESS = "00"
CANCELLED_BY_PAYER = "24"
NOT_FOUND = "01"

INIT_FIELDS = [
    "LoaiBanTin",
    "PhienBan",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "LoaiHinhThanhToan",
    "MaKenhThanhToan",
    "MaThietBi",
    "NgonNgu",
    "MaTienTe",
    "MaNganHang",
    "ThongTinGiaoDich",
    "ThoiGianGD",
    "Ip",
]
INIT_ANSWER_FIELDS = ["MaLoi", "MaDoiTac", "MaThamChieu", "UrlThanhToan", "ThoiGianGD"]
CONFIRMATION_FIELDS = [
    "LoaiBanTin",
    "MaLoi",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "MaTienTe",
    "MaGiaoDich",
    "MaNganHang",
    "ThoiGianGD",
    "ThongTinGiaoDich",
]
CONFIRMATION_ANSWER_FIELDS = ["MaLoi", "MaDoiTac", "MaThamChieu", "ThoiGianGD"]
QUERY_FIELDS = ["LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD"]
QUERY_ANSWER_FIELDS = ["MaLoi", "MaDoiTac", "MaThamChieu", "TrangThai", "SoTien", "MaGiaoDich", "ThoiGianGD"]
# TrangThai of a status answer.
STATES = {
    "00": PaymentStatus.PAID,
    "01": PaymentStatus.PENDING,
    "02": PaymentStatus.FAILED,
    "03": PaymentStatus.CANCELLED,
}
ANSWERS = {
    Outcome.CONFIRMED: ("00", "Thành công"),
    Outcome.ALREADY_CONFIRMED: ("02", "Giao dịch đã được xác nhận trước đó"),
    Outcome.NOT_FOUND: ("01", "Không tìm thấy giao dịch"),
    Outcome.INVALID_AMOUNT: ("04", "Số tiền không hợp lệ"),
    Outcome.FORGED: ("97", "Sai mã xác thực"),
    Outcome.MALFORMED: ("99", "Lỗi khác"),
}


# -- the protocol ---------------------------------------------------------------------------------------


def stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(VN_TZ).strftime(STAMP)


def parse_stamp(value: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.strptime(value, STAMP).replace(tzinfo=VN_TZ)
    except (TypeError, ValueError):
        return None


def check_value(values: Mapping[str, Any], fields: list[str], secret: str) -> str:
    """MaXacThuc: lowercase hex SHA-256 of the values of ``fields`` and the secret, joined by ``|``."""
    text = "|".join([*(str(values.get(name, "")) for name in fields), secret])
    return hashlib.sha256(text.encode()).hexdigest()


def verify(values: Mapping[str, Any], fields: list[str], secret: str) -> bool:
    given = str(values.get("MaXacThuc", "")).lower()
    return bool(given) and hmac.compare_digest(given, check_value(values, fields, secret))


def signed(values: dict[str, Any], fields: list[str], secret: str) -> dict[str, Any]:
    return {**values, "MaXacThuc": check_value(values, fields, secret)}


def _amount(value: Any) -> int:
    try:
        amount = int(str(value))
    except (TypeError, ValueError):
        raise Malformed("SoTien is not a whole number of đồng") from None
    if amount < 0:
        raise Malformed("SoTien is negative")
    return amount


def status_of(code: str) -> PaymentStatus:
    if code == SUCCESS:
        return PaymentStatus.PAID
    if code == CANCELLED_BY_PAYER:
        return PaymentStatus.CANCELLED
    return PaymentStatus.FAILED


# -- the plugin ----------------------------------------------------------------------------------------


@register("national")
class NationalGateway(Gateway):
    label = _("Cổng Dịch vụ công quốc gia")

    def __init__(self) -> None:
        self.base_url = settings.MOTCUA_NATIONAL_PAYMENT_URL.rstrip("/")
        self.partner = settings.MOTCUA_NATIONAL_PAYMENT_PARTNER
        self.secret = settings.MOTCUA_NATIONAL_PAYMENT_SECRET
        self.account = settings.MOTCUA_NATIONAL_PAYMENT_ACCOUNT
        self.bank = settings.MOTCUA_NATIONAL_PAYMENT_BANK

    def start(self, request: StartRequest) -> Started:
        moment = stamp(request.created_at)
        message: dict[str, Any] = {
            "LoaiBanTin": "INIT",
            "PhienBan": VERSION,
            "MaDoiTac": self.partner,
            "MaThamChieu": request.reference,
            "SoTien": request.amount,
            "LoaiHinhThanhToan": "PAY",
            "MaKenhThanhToan": "1",  # web
            "MaThietBi": "1",  # a computer's browser
            "NgonNgu": "vi-VN",
            "MaTienTe": "VND",
            "MaNganHang": "",
            "ThongTinGiaoDich": request.description,
            "ThoiGianGD": moment,
            "Ip": request.client_ip or "127.0.0.1",
            "ThongTinBienLai": {
                "MaDichVu": "1",
                "MaDVC": request.procedure_code,
                "MaTTHC": request.procedure_code,
                "MaDonVi": request.agency_code,
                "MaHoSo": request.dossier_code,
                "TKThuHuong": self.account,
                "MaNHThuHuong": self.bank,
                "PhiLePhi": [
                    {"LoaiPhiLePhi": "1", "MaPhiLePhi": str(i), "TenPhiLePhi": name, "SoTien": amount}
                    for i, (name, amount) in enumerate(request.fee_lines, start=1)
                ],
                "DSKhoanNop": [{"NoiDung": name, "SoTien": amount} for name, amount in request.fee_lines],
                "HoTenNguoiNop": request.payer_name,
                "SoCMNDNguoiNop": request.payer_identity,
            },
        }
        answer = post_json(f"{self.base_url}{INIT_PATH}", signed(message, INIT_FIELDS, self.secret))
        if not verify(answer, INIT_ANSWER_FIELDS, self.secret):
            raise Forged("the INIT answer's MaXacThuc does not match")
        if answer.get("MaLoi") != SUCCESS or not answer.get("UrlThanhToan"):
            raise GatewayError(f"INIT refused: {answer.get('MaLoi')} {answer.get('MoTaLoi', '')}")
        if answer.get("MaThamChieu") != request.reference:
            raise Malformed("the INIT answer is about another payment")
        url = str(answer["UrlThanhToan"])
        if not url.startswith(self.base_url + "/"):
            raise Malformed("the payment address is not the platform's")
        return Started(redirect_url=url, data={"init_at": moment})

    def _read(self, values: Mapping[str, Any]) -> Confirmation:
        if not values.get("MaXacThuc"):
            raise Malformed("MaXacThuc is missing")
        if not verify(values, CONFIRMATION_FIELDS, self.secret):
            raise Forged("MaXacThuc does not match")
        for name in ("MaThamChieu", "SoTien", "MaLoi"):
            if values.get(name) in (None, ""):
                raise Malformed(f"{name} is missing")
        if values.get("MaDoiTac") != self.partner:
            raise Malformed("MaDoiTac is not ours")
        if values.get("MaTienTe", "VND") != "VND":
            raise Malformed("MaTienTe is not VND")
        status = status_of(str(values["MaLoi"]))
        return Confirmation(
            reference=str(values["MaThamChieu"]),
            amount=_amount(values["SoTien"]),
            status=status,
            transaction_no=str(values.get("MaGiaoDich", "")) if status == PaymentStatus.PAID else "",
            bank_code=str(values.get("MaNganHang", "")),
            paid_at=parse_stamp(str(values.get("ThoiGianGD", ""))),
            message=dict(values),
        )

    def read_confirmation(self, query: Mapping[str, str], body: bytes) -> Confirmation:
        try:
            values = json.loads(body or b"{}")
        except ValueError:
            raise Malformed("the confirmation is not JSON") from None
        if not isinstance(values, dict):
            raise Malformed("the confirmation is not a JSON object")
        return self._read(values)

    def read_return(self, query: Mapping[str, str]) -> Confirmation:
        return self._read(query)

    def answer(self, outcome: Outcome, confirmation: Confirmation | None) -> dict[str, str]:
        code, description = ANSWERS[outcome]
        values = {
            "MaLoi": code,
            "MoTaLoi": description,
            "MaDoiTac": self.partner,
            "MaThamChieu": confirmation.reference if confirmation else "",
            "ThoiGianGD": stamp(timezone.now()),
        }
        return signed(values, CONFIRMATION_ANSWER_FIELDS, self.secret)

    def query(self, reference: str, data: Mapping[str, Any], client_ip: str) -> StatusAnswer:
        message = {
            "LoaiBanTin": "QUERY",
            "PhienBan": VERSION,
            "MaDoiTac": self.partner,
            "MaThamChieu": reference,
            "ThoiGianGD": stamp(timezone.now()),
        }
        answer = post_json(f"{self.base_url}{QUERY_PATH}", signed(message, QUERY_FIELDS, self.secret))
        if not verify(answer, QUERY_ANSWER_FIELDS, self.secret):
            raise Forged("the status answer's MaXacThuc does not match")
        code = answer.get("MaLoi")
        if code == NOT_FOUND:
            return StatusAnswer(known=False, message=answer)
        if code != SUCCESS:
            raise GatewayError(f"status query refused: {code} {answer.get('MoTaLoi', '')}")
        if answer.get("MaThamChieu") != reference:
            raise Malformed("the status answer is about another payment")
        status = STATES.get(str(answer.get("TrangThai")))
        if status is None:
            raise Malformed(f"unknown TrangThai {answer.get('TrangThai')!r}")
        if status == PaymentStatus.PENDING:
            return StatusAnswer(known=True, status=status, message=answer)
        confirmation = Confirmation(
            reference=reference,
            amount=_amount(answer.get("SoTien")),
            status=status,
            transaction_no=str(answer.get("MaGiaoDich", "")) if status == PaymentStatus.PAID else "",
            bank_code=str(answer.get("MaNganHang", "")),
            paid_at=parse_stamp(str(answer.get("ThoiGianThanhToan", ""))),
            message=answer,
        )
        return StatusAnswer(known=True, status=status, confirmation=confirmation, message=answer)
