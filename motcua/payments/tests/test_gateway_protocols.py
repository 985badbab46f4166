"""The check values of both protocols against texts written out by hand (not by the code under test),
and what each plugin sends."""

import datetime
import hashlib
import hmac
import urllib.parse

from motcua.payments.gateways import StartRequest, national, vnpay


def test_vnpay_signs_the_sorted_url_encoded_parameters_with_hmac_sha512():
    params = {
        "vnp_TxnRef": "MC1",
        "vnp_Amount": "800000",
        "vnp_OrderInfo": "Nop phi ho so 000.01.01.H59-260312-0001",
        "vnp_SecureHashType": "HmacSHA512",
        "other": "ignored",
    }
    text = "vnp_Amount=800000&vnp_OrderInfo=Nop+phi+ho+so+000.01.01.H59-260312-0001&vnp_TxnRef=MC1"
    expected = hmac.new(b"s3cret", text.encode(), hashlib.sha512).hexdigest()

    assert vnpay.hash_data(params) == text
    assert vnpay.sign(params, "s3cret") == expected
    assert vnpay.verify({**params, "vnp_SecureHash": expected.upper()}, "s3cret")
    assert not vnpay.verify({**params, "vnp_Amount": "100", "vnp_SecureHash": expected}, "s3cret")


def test_vnpay_query_is_signed_over_the_fields_joined_by_bars():
    values = {name: f"v{i}" for i, name in enumerate(vnpay.QUERY_FIELDS)}
    text = "v0|v1|v2|v3|v4|v5|v6|v7|v8"
    assert (
        vnpay.sign_fields(values, vnpay.QUERY_FIELDS, "k")
        == hmac.new(b"k", text.encode(), hashlib.sha512).hexdigest()
    )


def test_the_national_check_value_is_sha256_of_the_fields_and_the_secret():
    values = {
        "LoaiBanTin": "INIT",
        "PhienBan": "1.0.0",
        "MaDoiTac": "MOTCUA08",
        "MaThamChieu": "MC1",
        "SoTien": 8000,
        "LoaiHinhThanhToan": "PAY",
        "MaKenhThanhToan": "1",
        "MaThietBi": "1",
        "NgonNgu": "vi-VN",
        "MaTienTe": "VND",
        "MaNganHang": "",
        "ThongTinGiaoDich": "Nop phi",
        "ThoiGianGD": "20260312083000",
        "Ip": "203.0.113.7",
    }
    text = "INIT|1.0.0|MOTCUA08|MC1|8000|PAY|1|1|vi-VN|VND||Nop phi|20260312083000|203.0.113.7|secret"
    assert (
        national.check_value(values, national.INIT_FIELDS, "secret")
        == hashlib.sha256(text.encode()).hexdigest()
    )


def test_the_vnpay_payment_address(settings):
    request = StartRequest(
        reference="MCABC",
        amount=58000,
        description="Nop phi ho so X",
        return_url="https://dichvucong.example/thanh-toan/ve/vnpay/",
        client_ip="203.0.113.7",
        created_at=datetime.datetime(2026, 3, 12, 1, 30, tzinfo=datetime.UTC),
    )
    started = vnpay.VnpayGateway().start(request)
    url = urllib.parse.urlsplit(started.redirect_url)
    params = dict(urllib.parse.parse_qsl(url.query))
    assert (
        f"{url.scheme}://{url.netloc}" == settings.MOTCUA_VNPAY_URL and url.path == "/paymentv2/vpcpay.html"
    )
    assert params["vnp_Amount"] == "5800000" and params["vnp_CreateDate"] == "20260312083000"  # GMT+7
    assert params["vnp_ExpireDate"] == "20260312084500" and params["vnp_Command"] == "pay"
    assert vnpay.verify(params, settings.MOTCUA_VNPAY_SECRET)
    assert started.data == {"create_date": "20260312083000", "order_info": "Nop phi ho so X"}
