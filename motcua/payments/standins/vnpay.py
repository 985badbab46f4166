"""A stand-in for a VNPay-style gateway (motcua.payments.gateways.vnpay describes the protocol).

- ``GET /paymentv2/vpcpay.html?vnp_...``: the payer arrives with the signed request; a bad signature or
  another merchant's code is refused (as VNPay shows "Sai chữ ký", code 97); the page offers pay, fail,
  cancel.
- ``POST /paymentv2/ket-qua``: the tester's choice. The result (``vnp_ResponseCode`` 00, 51 or 24...) is
  signed, sent to the merchant's IPN address (GET) unless the tester ticked the box, and the browser is
  sent to ``vnp_ReturnUrl`` with the same parameters.
- ``POST /merchant_webapi/api/transaction``: ``querydr`` (status query), JSON in and out.
"""

import datetime
import html

from motcua.payments.gateways import vnpay
from motcua.payments.standins import (
    Order,
    Store,
    not_found,
    notify,
    page,
    payment_page,
    read_form,
    read_json,
    read_query,
    redirect,
    respond_html,
    respond_json,
)

BRAND = "VNPAY (giả lập)"
RESULT_PATH = "/paymentv2/ket-qua"
# The result codes the tester's choices give (vnp_ResponseCode, vnp_TransactionStatus).
RESULTS = {"pay": ("00", "00"), "fail": ("51", "02"), "cancel": ("24", "02")}


class VnpayStandin:
    def __init__(self, *, tmn_code: str, secret: str, ipn_url: str, merchant: str = ""):
        self.tmn_code = tmn_code
        self.secret = secret
        self.ipn_url = ipn_url
        self.merchant = merchant or tmn_code
        self.store = Store()

    def __call__(self, environ, start):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if path == vnpay.PAY_PATH and method == "GET":
            return self.pay_page(read_query(environ), start)
        if path == RESULT_PATH and method == "POST":
            return self.decide(read_form(environ), start)
        if path == vnpay.API_PATH and method == "POST":
            return self.api(read_json(environ), start)
        return not_found(start)

    def _refuse(self, start, code: str, message: str):
        body = f"<p>Mã lỗi {html.escape(code)}: {html.escape(message)}</p>"
        return respond_html(start, page("Giao dịch không hợp lệ", body, brand=BRAND), "400 Bad Request")

    def pay_page(self, params: dict[str, str], start):
        if not vnpay.verify(params, self.secret):
            return self._refuse(start, "97", "Sai chữ ký (vnp_SecureHash).")
        if params.get("vnp_TmnCode") != self.tmn_code:
            return self._refuse(start, "02", "Mã đơn vị (vnp_TmnCode) không đúng.")
        try:
            hundredths = int(params.get("vnp_Amount", ""))
        except ValueError:
            return self._refuse(start, "03", "Số tiền không hợp lệ.")
        reference = params.get("vnp_TxnRef", "")
        if not reference or hundredths <= 0 or hundredths % 100:
            return self._refuse(start, "03", "Thiếu mã giao dịch hoặc số tiền không hợp lệ.")
        order = self.store.add(
            Order(
                reference=reference,
                amount=hundredths // 100,
                description=params.get("vnp_OrderInfo", ""),
                return_url=params.get("vnp_ReturnUrl", ""),
                extra={
                    "create_date": params.get("vnp_CreateDate", ""),
                    "order_info": params.get("vnp_OrderInfo", ""),
                },
            )
        )
        return respond_html(
            start,
            payment_page(
                order,
                RESULT_PATH,
                brand=BRAND,
                merchant=self.merchant,
                hidden=[("vnp_TxnRef", order.reference)],
            ),
        )

    def result_params(self, order: Order) -> dict[str, str]:
        response_code, transaction_status = order.extra["codes"]
        return {
            "vnp_Amount": str(order.amount * 100),
            "vnp_BankCode": order.bank_code,
            "vnp_BankTranNo": f"VNP{order.transaction_no}" if order.transaction_no != "0" else "",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": order.description,
            "vnp_PayDate": order.paid_at,
            "vnp_ResponseCode": response_code,
            "vnp_TmnCode": self.tmn_code,
            "vnp_TransactionNo": order.transaction_no,
            "vnp_TransactionStatus": transaction_status,
            "vnp_TxnRef": order.reference,
        }

    def decide(self, form: dict[str, str], start):
        order = self.store.get(form.get("vnp_TxnRef", ""))
        choice = form.get("result", "")
        if order is None or choice not in RESULTS:
            return not_found(start)
        with self.store.lock:
            if order.status == "pending":
                order.status = {"pay": "paid", "fail": "failed", "cancel": "cancelled"}[choice]
                order.extra["codes"] = RESULTS[choice]
                order.transaction_no = str(14_000_000 + len(self.store.orders)) if choice != "cancel" else "0"
                order.bank_code = "NCB"
                order.paid_at = vnpay.stamp(datetime.datetime.now(datetime.UTC))
        query = vnpay.signed_query(self.result_params(order), self.secret)
        if form.get("skip_ipn"):
            order.notified = "skipped by the tester"
        else:
            order.notified = notify(self.ipn_url, query=query)
        if order.return_url:
            separator = "&" if "?" in order.return_url else "?"
            return redirect(start, f"{order.return_url}{separator}{query}")
        return respond_html(start, page("Đã xử lý", f"<p>{html.escape(order.status)}</p>", brand=BRAND))

    def api(self, body: dict | None, start):
        if body is None:
            return respond_json(start, {"vnp_ResponseCode": "99", "vnp_Message": "Invalid JSON"})
        answer = {
            "vnp_ResponseId": body.get("vnp_RequestId", ""),
            "vnp_Command": body.get("vnp_Command", ""),
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": body.get("vnp_TxnRef", ""),
            "vnp_Amount": "",
            "vnp_BankCode": "",
            "vnp_PayDate": "",
            "vnp_TransactionNo": "",
            "vnp_TransactionType": "01",
            "vnp_TransactionStatus": "",
            "vnp_OrderInfo": body.get("vnp_OrderInfo", ""),
            "vnp_PromotionCode": "",
            "vnp_PromotionAmount": "",
        }
        order = self.store.get(str(body.get("vnp_TxnRef", "")))
        if not vnpay.verify_fields(body, vnpay.QUERY_FIELDS, self.secret):
            answer.update(vnp_ResponseCode="97", vnp_Message="Invalid Checksum")
        elif body.get("vnp_Command") != "querydr" or body.get("vnp_TmnCode") != self.tmn_code:
            answer.update(vnp_ResponseCode="02", vnp_Message="Merchant is not valid")
        elif order is None:
            answer.update(vnp_ResponseCode=vnpay.UNKNOWN_TRANSACTION, vnp_Message="Transaction not found")
        else:
            status = {"pending": "01", "paid": "00"}.get(order.status, "02")
            answer.update(
                vnp_ResponseCode="00",
                vnp_Message="QueryDR Success",
                vnp_Amount=str(order.amount * 100),
                vnp_BankCode=order.bank_code,
                vnp_PayDate=order.paid_at,
                vnp_TransactionNo=order.transaction_no,
                vnp_TransactionStatus=status,
                vnp_OrderInfo=order.description,
            )
        answer["vnp_SecureHash"] = vnpay.sign_fields(answer, vnpay.QUERY_ANSWER_FIELDS, self.secret)
        return respond_json(start, answer)
