"""A VNPay-style gateway (VNPAY-QR / payment gateway API 2.1.0).

- Start: the payer's browser goes to ``{MOTCUA_VNPAY_URL}/paymentv2/vpcpay.html`` with the ``vnp_*``
  parameters (amount × 100, our ``vnp_TxnRef``, ``vnp_ReturnUrl``...) and ``vnp_SecureHash``: HMAC-SHA512
  (hex) with the merchant's secret over the parameters sorted by name, each ``name=value`` with the value
  URL-encoded (``quote_plus``), joined by ``&``, without ``vnp_SecureHash`` and ``vnp_SecureHashType``.
- Confirmation (IPN): the gateway calls our IPN address (registered with it, not sent per payment) with
  a GET carrying the result's ``vnp_*`` parameters signed the same way; success when
  ``vnp_ResponseCode`` and ``vnp_TransactionStatus`` are both "00", "24" in ``vnp_ResponseCode`` when
  the payer cancelled. We answer ``{"RspCode", "Message"}``: 00 confirmed, 02 already confirmed (a
  replay), 01 order not found, 04 invalid amount, 97 invalid checksum, 99 other.
- Return: the browser comes back to ``vnp_ReturnUrl`` with the same signed parameters.
- Status query (``querydr``): JSON posted to ``{MOTCUA_VNPAY_URL}/merchant_webapi/api/transaction``,
  signed HMAC-SHA512 over the values joined by ``|`` in the order of ``QUERY_FIELDS``; the answer is
  signed over ``QUERY_ANSWER_FIELDS``. ``vnp_ResponseCode`` "91": no such transaction.

The signing functions are used by the plugin and by the stand-in (motcua.payments.standins.vnpay) alike.
"""

import datetime
import hashlib
import hmac
import urllib.parse
import uuid
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

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

VERSION = "2.1.0"
PAY_PATH = "/paymentv2/vpcpay.html"
API_PATH = "/merchant_webapi/api/transaction"
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
STAMP = "%Y%m%d%H%M%S"
# How long the payer has on the gateway's page.
EXPIRES_AFTER = datetime.timedelta(minutes=15)

SUCCESS = "00"
CANCELLED_BY_PAYER = "24"
UNKNOWN_TRANSACTION = "91"
ANSWERS = {
    Outcome.CONFIRMED: ("00", "Confirm Success"),
    Outcome.ALREADY_CONFIRMED: ("02", "Order already confirmed"),
    Outcome.NOT_FOUND: ("01", "Order not found"),
    Outcome.INVALID_AMOUNT: ("04", "Invalid amount"),
    Outcome.FORGED: ("97", "Invalid Checksum"),
    Outcome.MALFORMED: ("99", "Unknown error"),
}
QUERY_FIELDS = [
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
]
QUERY_ANSWER_FIELDS = [
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
]


# -- the protocol ---------------------------------------------------------------------------------------


def stamp(moment: datetime.datetime) -> str:
    """yyyyMMddHHmmss in Vietnam's time (GMT+7), as every VNPay date is written."""
    return moment.astimezone(VN_TZ).strftime(STAMP)


def parse_stamp(value: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.strptime(value, STAMP).replace(tzinfo=VN_TZ)
    except (TypeError, ValueError):
        return None


def hash_data(params: Mapping[str, Any]) -> str:
    """The signed text of a URL message: the ``vnp_*`` parameters but the hash itself, sorted, URL-encoded."""
    items = sorted(
        (key, str(value))
        for key, value in params.items()
        if key.startswith("vnp_") and key not in ("vnp_SecureHash", "vnp_SecureHashType")
    )
    return "&".join(f"{key}={urllib.parse.quote_plus(value)}" for key, value in items)


def hmac_sha512(secret: str, text: str) -> str:
    return hmac.new(secret.encode(), text.encode(), hashlib.sha512).hexdigest()


def sign(params: Mapping[str, Any], secret: str) -> str:
    return hmac_sha512(secret, hash_data(params))


def signed_query(params: Mapping[str, Any], secret: str) -> str:
    """The query string of a signed URL message (what follows the ``?``)."""
    return f"{hash_data(params)}&vnp_SecureHash={sign(params, secret)}"


def verify(params: Mapping[str, Any], secret: str) -> bool:
    given = str(params.get("vnp_SecureHash", "")).lower()
    return bool(given) and hmac.compare_digest(given, sign(params, secret))


def sign_fields(values: Mapping[str, Any], fields: list[str], secret: str) -> str:
    """The API's signature: HMAC-SHA512 over the values of ``fields`` joined by ``|``."""
    return hmac_sha512(secret, "|".join(str(values.get(name, "")) for name in fields))


def verify_fields(values: Mapping[str, Any], fields: list[str], secret: str) -> bool:
    given = str(values.get("vnp_SecureHash", "")).lower()
    return bool(given) and hmac.compare_digest(given, sign_fields(values, fields, secret))


def status_of(response_code: str, transaction_status: str) -> PaymentStatus:
    if response_code == SUCCESS and transaction_status == SUCCESS:
        return PaymentStatus.PAID
    if response_code == CANCELLED_BY_PAYER:
        return PaymentStatus.CANCELLED
    return PaymentStatus.FAILED


def _amount(value: Any) -> int:
    """vnp_Amount is đồng × 100, a whole number."""
    try:
        hundredths = int(str(value))
    except (TypeError, ValueError):
        raise Malformed("vnp_Amount is not a whole number") from None
    if hundredths < 0 or hundredths % 100:
        raise Malformed("vnp_Amount is not a whole number of đồng × 100")
    return hundredths // 100


# -- the plugin ----------------------------------------------------------------------------------------


@register("vnpay")
class VnpayGateway(Gateway):
    label = "VNPAY"

    def __init__(self) -> None:
        self.base_url = settings.MOTCUA_VNPAY_URL.rstrip("/")
        self.tmn_code = settings.MOTCUA_VNPAY_TMN_CODE
        self.secret = settings.MOTCUA_VNPAY_SECRET

    def start(self, request: StartRequest) -> Started:
        created = stamp(request.created_at)
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": request.amount * 100,
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": request.reference,
            "vnp_OrderInfo": request.description,
            "vnp_OrderType": "other",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": request.return_url,
            "vnp_IpAddr": request.client_ip or "127.0.0.1",
            "vnp_CreateDate": created,
            "vnp_ExpireDate": stamp(request.created_at + EXPIRES_AFTER),
        }
        url = f"{self.base_url}{PAY_PATH}?{signed_query(params, self.secret)}"
        return Started(redirect_url=url, data={"create_date": created, "order_info": request.description})

    def _read(self, params: Mapping[str, str]) -> Confirmation:
        if not params.get("vnp_SecureHash"):
            raise Malformed("vnp_SecureHash is missing")
        if not verify(params, self.secret):
            raise Forged("vnp_SecureHash does not match")
        for name in ("vnp_TxnRef", "vnp_Amount", "vnp_ResponseCode"):
            if not params.get(name):
                raise Malformed(f"{name} is missing")
        if params.get("vnp_TmnCode", self.tmn_code) != self.tmn_code:
            raise Malformed("vnp_TmnCode is not ours")
        status = status_of(params["vnp_ResponseCode"], params.get("vnp_TransactionStatus", ""))
        return Confirmation(
            reference=params["vnp_TxnRef"],
            amount=_amount(params["vnp_Amount"]),
            status=status,
            transaction_no=params.get("vnp_TransactionNo", "") if status == PaymentStatus.PAID else "",
            bank_code=params.get("vnp_BankCode", ""),
            paid_at=parse_stamp(params.get("vnp_PayDate", "")),
            message={k: v for k, v in params.items() if k.startswith("vnp_")},
        )

    def read_confirmation(self, query: Mapping[str, str], body: bytes) -> Confirmation:
        return self._read(query)

    def read_return(self, query: Mapping[str, str]) -> Confirmation:
        return self._read(query)

    def answer(self, outcome: Outcome, confirmation: Confirmation | None) -> dict[str, str]:
        code, message = ANSWERS[outcome]
        return {"RspCode": code, "Message": message}

    def query(self, reference: str, data: Mapping[str, Any], client_ip: str) -> StatusAnswer:
        request = {
            "vnp_RequestId": uuid.uuid4().hex[:32],
            "vnp_Version": VERSION,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": reference,
            "vnp_OrderInfo": str(data.get("order_info") or f"Truy van giao dich {reference}"),
            "vnp_TransactionDate": str(data.get("create_date", "")),
            "vnp_CreateDate": stamp(timezone.now()),
            "vnp_IpAddr": client_ip or "127.0.0.1",
        }
        request["vnp_SecureHash"] = sign_fields(request, QUERY_FIELDS, self.secret)
        answer = {k: str(v) for k, v in post_json(f"{self.base_url}{API_PATH}", request).items()}
        if not verify_fields(answer, QUERY_ANSWER_FIELDS, self.secret):
            raise Forged("the status answer's vnp_SecureHash does not match")
        code = answer.get("vnp_ResponseCode", "")
        if code == UNKNOWN_TRANSACTION:
            return StatusAnswer(known=False, message=answer)
        if code != SUCCESS:
            raise GatewayError(f"querydr refused: {code} {answer.get('vnp_Message', '')}")
        if answer.get("vnp_TxnRef") != reference:
            raise Malformed("the status answer is about another transaction")
        transaction_status = answer.get("vnp_TransactionStatus", "")
        if transaction_status == "01":
            return StatusAnswer(known=True, status=PaymentStatus.PENDING, message=answer)
        status = PaymentStatus.PAID if transaction_status == SUCCESS else PaymentStatus.FAILED
        confirmation = Confirmation(
            reference=reference,
            amount=_amount(answer.get("vnp_Amount", "")),
            status=status,
            transaction_no=answer.get("vnp_TransactionNo", "") if status == PaymentStatus.PAID else "",
            bank_code=answer.get("vnp_BankCode", ""),
            paid_at=parse_stamp(answer.get("vnp_PayDate", "")),
            message=answer,
        )
        return StatusAnswer(known=True, status=status, confirmation=confirmation, message=answer)
