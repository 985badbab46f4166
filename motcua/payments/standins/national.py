"""A stand-in for the national payment platform (motcua.payments.gateways.national describes the protocol).

- ``POST /api/thanh-toan/init``: the INIT message, its MaXacThuc checked; answers the payment page's
  address (UrlThanhToan), signed.
- ``GET /thanh-toan/<token>``: the payer's page; ``POST`` the tester's choice: the confirmation is
  signed, posted to the partner's IPN address as JSON unless the tester ticked the box, and the browser
  is sent to the partner's return address with the same fields in the query string.
- ``POST /api/thanh-toan/truy-van``: the status query.
"""

import datetime
import secrets
import urllib.parse

from motcua.payments.gateways import national
from motcua.payments.standins import (
    Order,
    Store,
    not_found,
    notify,
    payment_page,
    read_form,
    read_json,
    redirect,
    respond_html,
    respond_json,
)

BRAND = "Nền tảng thanh toán – Cổng Dịch vụ công quốc gia (giả lập)"
PAGE_PREFIX = "/thanh-toan/"
RESULTS = {"pay": ("00", "paid"), "fail": ("51", "failed"), "cancel": ("24", "cancelled")}
STATES = {"paid": "00", "pending": "01", "failed": "02", "cancelled": "03"}


class NationalStandin:
    def __init__(self, *, partner: str, secret: str, base_url: str, ipn_url: str, return_url: str):
        self.partner = partner
        self.secret = secret
        self.base_url = base_url.rstrip("/")
        self.ipn_url = ipn_url
        self.return_url = return_url
        self.store = Store()

    def __call__(self, environ, start):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if path == national.INIT_PATH and method == "POST":
            return self.init(read_json(environ), start)
        if path == national.QUERY_PATH and method == "POST":
            return self.query(read_json(environ), start)
        if path.startswith(PAGE_PREFIX):
            token = path[len(PAGE_PREFIX) :]
            order = self.store.by_token(token)
            if order is None:
                return not_found(start)
            if method == "POST":
                return self.decide(order, read_form(environ), start)
            page = payment_page(
                order,
                f"{PAGE_PREFIX}{token}",
                brand=BRAND,
                merchant=order.extra.get("merchant", ""),
                hidden=[],
            )
            return respond_html(start, page)
        return not_found(start)

    def _now(self) -> str:
        return national.stamp(datetime.datetime.now(datetime.UTC))

    def _answer(self, start, values: dict, fields: list[str]):
        return respond_json(start, national.signed(values, fields, self.secret))

    def init(self, message: dict | None, start):
        base = {"MaDoiTac": self.partner, "ThoiGianGD": self._now(), "UrlThanhToan": ""}
        if message is None:
            values = {**base, "MaLoi": "99", "MoTaLoi": "Không đọc được thông điệp", "MaThamChieu": ""}
            return self._answer(start, values, national.INIT_ANSWER_FIELDS)
        base["MaThamChieu"] = str(message.get("MaThamChieu", ""))
        if not national.verify(message, national.INIT_FIELDS, self.secret):
            values = {**base, "MaLoi": "97", "MoTaLoi": "Sai mã xác thực"}
            return self._answer(start, values, national.INIT_ANSWER_FIELDS)
        if message.get("LoaiBanTin") != "INIT" or message.get("MaDoiTac") != self.partner:
            values = {**base, "MaLoi": "02", "MoTaLoi": "Đối tác hoặc loại bản tin không hợp lệ"}
            return self._answer(start, values, national.INIT_ANSWER_FIELDS)
        try:
            amount = int(str(message.get("SoTien")))
        except ValueError:
            amount = 0
        if amount <= 0 or not base["MaThamChieu"]:
            values = {**base, "MaLoi": "03", "MoTaLoi": "Số tiền hoặc mã tham chiếu không hợp lệ"}
            return self._answer(start, values, national.INIT_ANSWER_FIELDS)
        receipt = message.get("ThongTinBienLai") or {}
        token = secrets.token_urlsafe(16)
        order = self.store.add(
            Order(
                reference=base["MaThamChieu"],
                amount=amount,
                description=str(message.get("ThongTinGiaoDich", "")),
                return_url=self.return_url,
                extra={"merchant": str(receipt.get("MaDonVi", "")) or self.partner, "token": token},
            ),
            token=token,
        )
        values = {
            **base,
            "MaLoi": "00",
            "MoTaLoi": "Thành công",
            "UrlThanhToan": f"{self.base_url}{PAGE_PREFIX}{order.extra['token']}",
        }
        return self._answer(start, values, national.INIT_ANSWER_FIELDS)

    def confirmation(self, order: Order) -> dict:
        values = {
            "LoaiBanTin": "CONFIRM",
            "MaLoi": order.extra["code"],
            "MaDoiTac": self.partner,
            "MaThamChieu": order.reference,
            "SoTien": str(order.amount),
            "MaTienTe": "VND",
            "MaGiaoDich": order.transaction_no,
            "MaNganHang": order.bank_code,
            "ThoiGianGD": order.paid_at,
            "ThongTinGiaoDich": order.description,
        }
        return national.signed(values, national.CONFIRMATION_FIELDS, self.secret)

    def decide(self, order: Order, form: dict[str, str], start):
        choice = form.get("result", "")
        if choice not in RESULTS:
            return not_found(start)
        with self.store.lock:
            if order.status == "pending":
                code, status = RESULTS[choice]
                order.status = status
                order.extra["code"] = code
                order.transaction_no = f"GD{secrets.randbelow(10**10):010d}" if choice != "cancel" else ""
                order.bank_code = "970436"
                order.paid_at = self._now()
        values = self.confirmation(order)
        if form.get("skip_ipn"):
            order.notified = "skipped by the tester"
        else:
            order.notified = notify(self.ipn_url, body=values)
        separator = "&" if "?" in order.return_url else "?"
        return redirect(start, f"{order.return_url}{separator}{urllib.parse.urlencode(values)}")

    def query(self, message: dict | None, start):
        values = {
            "MaDoiTac": self.partner,
            "MaThamChieu": str((message or {}).get("MaThamChieu", "")),
            "ThoiGianGD": self._now(),
            "TrangThai": "",
            "SoTien": "",
            "MaGiaoDich": "",
        }
        order = self.store.get(values["MaThamChieu"])
        if message is None or not national.verify(message, national.QUERY_FIELDS, self.secret):
            values.update(MaLoi="97", MoTaLoi="Sai mã xác thực")
        elif message.get("MaDoiTac") != self.partner or message.get("LoaiBanTin") != "QUERY":
            values.update(MaLoi="02", MoTaLoi="Đối tác hoặc loại bản tin không hợp lệ")
        elif order is None:
            values.update(MaLoi=national.NOT_FOUND, MoTaLoi="Không tìm thấy giao dịch")
        else:
            values.update(
                MaLoi="00",
                MoTaLoi="Thành công",
                TrangThai=STATES[order.status],
                SoTien=str(order.amount),
                MaGiaoDich=order.transaction_no,
                MaNganHang=order.bank_code,
                ThoiGianThanhToan=order.paid_at,
            )
        return self._answer(start, values, national.QUERY_ANSWER_FIELDS)
