"""GET and POST /api/dossiers/{code}/payments, and the receipts."""

import pytest
from django.test import Client

from motcua.accounts.services import issue_token
from motcua.dossiers.tests.factories import received
from motcua.payments.models import GatewayPayment
from motcua.payments.tests.factories import payment_requested, vnpay_ipn, vnpay_result

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_token(user)[0]}"})


def test_the_applicant_starts_a_payment(office):
    dossier = payment_requested(office)
    response = api(office.citizen).post(
        f"/api/dossiers/{dossier.code}/payments", {"gateway": "vnpay"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    payment = GatewayPayment.objects.get(dossier=dossier)
    assert body == {"id": str(payment.public_id), "status": "pending", "redirect_url": payment.redirect_url}
    assert "vnp_ReturnUrl=http%3A%2F%2Ftestserver%2Fthanh-toan%2Fve%2Fvnpay%2F" in body["redirect_url"]


def test_who_may_start_a_payment_and_when(office):
    dossier = payment_requested(office)
    url = f"/api/dossiers/{dossier.code}/payments"
    post = lambda user, body: api(user).post(url, body, content_type="application/json")  # noqa: E731

    assert post(office.reception, {"gateway": "vnpay"}).status_code == 403
    assert post(office.stranger, {"gateway": "vnpay"}).status_code == 404
    unknown = post(office.citizen, {"gateway": "paypal"})
    assert unknown.status_code == 422 and unknown.json()["errors"] == {
        "gateway": ["Cổng thanh toán không hợp lệ."]
    }
    assert post(office.citizen, {}).json()["errors"] == {"gateway": ["Bắt buộc."]}
    early = received(office)
    answer = api(office.citizen).post(
        f"/api/dossiers/{early.code}/payments", {"gateway": "vnpay"}, content_type="application/json"
    )
    assert answer.status_code == 409
    assert not GatewayPayment.objects.exists()


def test_the_ledger_and_payments_with_their_receipt(office):
    dossier = payment_requested(office)
    citizen = api(office.citizen)
    citizen.post(
        f"/api/dossiers/{dossier.code}/payments", {"gateway": "vnpay"}, content_type="application/json"
    )
    payment = GatewayPayment.objects.get(dossier=dossier)
    vnpay_ipn(Client(), vnpay_result(payment))

    for user in (office.citizen, office.reception):
        body = api(user).get(f"/api/dossiers/{dossier.code}/payments").json()
        assert (body["balance"], body["charged"], body["paid"], body["refunded"]) == (0, 8000, 8000, 0)
        assert [(line["kind"], line["amount"], line["balance"]) for line in body["lines"]] == [
            ("charge", 8000, 8000),
            ("payment", 8000, 0),
        ]
        paid = body["lines"][1]
        assert paid["method"] == "online" and paid["payment"] == str(payment.public_id)
        assert [p["status"] for p in body["payments"]] == ["paid"]
        assert [e["status_after"] for e in body["payments"][0]["events"]] == ["created", "pending", "paid"]

    receipt_url = paid["receipt"]["url"]
    assert receipt_url.startswith(f"/api/dossiers/{dossier.code}/payments/receipts/")
    pdf = citizen.get(receipt_url)
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert api(office.stranger).get(receipt_url).status_code == 404
    assert api(office.stranger).get(f"/api/dossiers/{dossier.code}/payments").status_code == 404
    assert Client().get(f"/api/dossiers/{dossier.code}/payments").status_code == 401


def test_a_retried_start_with_the_same_idempotency_key_starts_one_payment(office):
    dossier = payment_requested(office)
    citizen = api(office.citizen)
    url = f"/api/dossiers/{dossier.code}/payments"

    first = citizen.post(
        url, {"gateway": "vnpay"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = citizen.post(
        url, {"gateway": "vnpay"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert GatewayPayment.objects.filter(dossier=dossier).count() == 1


def test_the_documents_list_the_payment_receipt(office):
    dossier = payment_requested(office)
    citizen = api(office.citizen)
    citizen.post(
        f"/api/dossiers/{dossier.code}/payments", {"gateway": "vnpay"}, content_type="application/json"
    )
    vnpay_ipn(Client(), vnpay_result(GatewayPayment.objects.get(dossier=dossier)))

    documents = citizen.get(f"/api/dossiers/{dossier.code}/documents").json()

    [receipt] = [d for d in documents if d["kind"] == "payment_receipt"]
    assert len(receipt["sha256"]) == 64 and receipt["size"] > 0 and receipt["name"].startswith("bien-lai-")
    assert citizen.get(receipt["url"]).status_code == 200
