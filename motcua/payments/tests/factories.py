"""Dossiers with fees to pay, and what a gateway would send about their payments, signed with the
site's own secrets (the gateways' stand-ins sign the same way)."""

import datetime
import urllib.parse

from django.conf import settings
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import Office, received
from motcua.payments import services as payment_services
from motcua.payments.gateways import national, vnpay
from motcua.payments.models import GatewayPayment

RETURN_URL = "http://testserver/thanh-toan/ve/vnpay/"


def payment_requested(office: Office, amount: int = 8000) -> Dossier:
    """A received dossier whose specialist asks the applicant to pay (status 6); the fee of the test
    procedure is 8.000 đ."""
    dossier = received(office)
    services.request_payment(dossier, actor=office.specialist, amount=amount, note="Nộp lệ phí")
    return dossier


def started(office: Office, dossier: Dossier | None = None, gateway: str = "vnpay") -> GatewayPayment:
    """A payment the applicant started (pending, sent to the gateway). VNPay's start needs no call to
    the gateway; the national platform's does (use the stand-in)."""
    dossier = dossier or payment_requested(office)
    return payment_services.start_payment(
        dossier, actor=office.citizen, gateway=gateway, return_url=RETURN_URL, client_ip="203.0.113.7"
    )


def vnpay_result(payment: GatewayPayment, *, code: str = "00", amount: int | None = None, **changes) -> dict:
    """The signed parameters VNPay sends (IPN and return) for ``payment``: paid by default."""
    params = {
        "vnp_Amount": str((payment.amount if amount is None else amount) * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14226112",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": f"Nop phi ho so {payment.dossier.code}",
        "vnp_PayDate": vnpay.stamp(timezone.now()),
        "vnp_ResponseCode": code,
        "vnp_TmnCode": settings.MOTCUA_VNPAY_TMN_CODE,
        "vnp_TransactionNo": "14226112",
        "vnp_TransactionStatus": "00" if code == "00" else "02",
        "vnp_TxnRef": payment.reference,
        **changes,
    }
    params["vnp_SecureHash"] = vnpay.sign(params, settings.MOTCUA_VNPAY_SECRET)
    return params


def vnpay_ipn(client, params: dict):
    """GET the IPN address as VNPay does; the JSON answer."""
    return client.get(f"/thanh-toan/ipn/vnpay/?{urllib.parse.urlencode(params)}").json()


def national_confirmation(payment: GatewayPayment, *, code: str = "00", amount: int | None = None) -> dict:
    values = {
        "LoaiBanTin": "CONFIRM",
        "MaLoi": code,
        "MaDoiTac": settings.MOTCUA_NATIONAL_PAYMENT_PARTNER,
        "MaThamChieu": payment.reference,
        "SoTien": str(payment.amount if amount is None else amount),
        "MaTienTe": "VND",
        "MaGiaoDich": "GD0000012345",
        "MaNganHang": "970436",
        "ThoiGianGD": national.stamp(timezone.now() - datetime.timedelta(seconds=5)),
        "ThongTinGiaoDich": f"Nop phi ho so {payment.dossier.code}",
    }
    return national.signed(values, national.CONFIRMATION_FIELDS, settings.MOTCUA_NATIONAL_PAYMENT_SECRET)
