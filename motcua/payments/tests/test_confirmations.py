"""A gateway's confirmation (IPN) applied exactly once: a success settles the dossier, a replay changes
nothing and gets "already confirmed", a forged check value or a wrong amount is refused and logged."""

import json

import pytest
from django.test import Client

from motcua.core.models import AuditEntry
from motcua.dossiers import services
from motcua.dossiers.constants import ActionType, PaymentMethod, Status
from motcua.dossiers.models import Action, Dossier, Payment
from motcua.payments.constants import EntryKind, PaymentStatus
from motcua.payments.models import GatewayPayment, LedgerEntry, PaymentEvent, Receipt
from motcua.payments.selectors import totals
from motcua.payments.tests.factories import (
    national_confirmation,
    payment_requested,
    started,
    vnpay_ipn,
    vnpay_result,
)

pytestmark = pytest.mark.django_db


def _counts(dossier: Dossier) -> dict:
    return {
        "events": PaymentEvent.objects.filter(payment__dossier=dossier).count(),
        "ledger": LedgerEntry.objects.filter(dossier=dossier).count(),
        "actions": Action.objects.filter(dossier=dossier).count(),
        "payments": Payment.objects.filter(dossier=dossier).count(),
        "receipts": Receipt.objects.filter(entry__dossier=dossier).count(),
        "status": Dossier.objects.get(pk=dossier.pk).status,
    }


def test_a_confirmed_payment_settles_the_dossier_and_the_system_records_it(
    office, django_capture_on_commit_callbacks
):
    payment = started(office)
    assert payment.status == PaymentStatus.PENDING and payment.amount == 8000
    assert payment.redirect_url.startswith("http://127.0.0.1:8102/paymentv2/vpcpay.html?")

    with django_capture_on_commit_callbacks(execute=True):  # the receipt's render task runs
        answer = vnpay_ipn(Client(), vnpay_result(payment))

    assert answer == {"RspCode": "00", "Message": "Confirm Success"}
    payment.refresh_from_db()
    dossier = payment.dossier
    dossier.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.gateway_transaction == "14226112"
    assert dossier.status == Status.PROCESSING
    recorded = dossier.actions.get(type=ActionType.RECORD_PAYMENT)
    assert recorded.actor is None and recorded.data["method"] == PaymentMethod.ONLINE
    assert [e.status_after for e in payment.events.order_by("id")] == ["created", "pending", "paid"]
    entry = LedgerEntry.objects.get(dossier=dossier, kind=EntryKind.PAYMENT)
    assert entry.gateway_payment == payment and entry.dossier_payment == dossier.payments.get()
    assert totals(dossier).balance == 0 and entry.receipt.sha256  # rendered after the commit


def test_a_replayed_confirmation_changes_nothing_and_is_already_confirmed(office):
    payment = started(office)
    params = vnpay_result(payment)
    client = Client()
    assert vnpay_ipn(client, params)["RspCode"] == "00"
    before = _counts(payment.dossier)

    replays = [vnpay_ipn(client, params) for _ in range(3)]

    assert replays == [{"RspCode": "02", "Message": "Order already confirmed"}] * 3
    assert _counts(payment.dossier) == before
    # Nor does a later "failed" for the same payment undo it.
    assert vnpay_ipn(client, vnpay_result(payment, code="51"))["RspCode"] == "02"
    assert _counts(payment.dossier) == before


def test_a_forged_check_value_is_refused_and_logged(office):
    payment = started(office)
    params = vnpay_result(payment)
    before = _counts(payment.dossier)
    tampered = {**params, "vnp_Amount": "100"}  # signed for 8.000 đ, says 1 đ
    flipped = {**params, "vnp_SecureHash": params["vnp_SecureHash"][:-1] + "0"}
    if flipped == params:
        flipped["vnp_SecureHash"] = params["vnp_SecureHash"][:-1] + "1"

    assert vnpay_ipn(Client(), tampered) == {"RspCode": "97", "Message": "Invalid Checksum"}
    assert vnpay_ipn(Client(), flipped)["RspCode"] == "97"

    assert _counts(payment.dossier) == before
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    refused = AuditEntry.objects.filter(action="payments.confirmation_refused")
    assert refused.count() == 2 and all(e.data["outcome"] == "forged" for e in refused)


def test_a_wrong_amount_is_refused_and_logged(office):
    payment = started(office)
    before = _counts(payment.dossier)

    answer = vnpay_ipn(Client(), vnpay_result(payment, amount=800))  # correctly signed, 800 đ for 8.000 đ

    assert answer == {"RspCode": "04", "Message": "Invalid amount"}
    assert _counts(payment.dossier) == before
    logged = AuditEntry.objects.get(action="payments.confirmation_refused")
    assert logged.data["outcome"] == "invalid_amount" and "800" in logged.summary


def test_a_confirmation_of_a_payment_we_never_made_is_not_found(office):
    payment = started(office)
    params = vnpay_result(payment, vnp_TxnRef="MC000000000000000000")
    assert vnpay_ipn(Client(), params)["RspCode"] == "01"
    assert vnpay_ipn(Client(), {"vnp_TxnRef": "x"})["RspCode"] == "99"  # unsigned: malformed


def test_a_failed_or_cancelled_payment_leaves_the_dossier_waiting(office):
    failed = started(office)
    assert vnpay_ipn(Client(), vnpay_result(failed, code="51"))["RspCode"] == "00"
    failed.refresh_from_db()
    assert failed.status == PaymentStatus.FAILED
    assert vnpay_ipn(Client(), vnpay_result(failed, code="51"))["RspCode"] == "02"

    cancelled = started(office, failed.dossier)
    assert vnpay_ipn(Client(), vnpay_result(cancelled, code="24"))["RspCode"] == "00"
    cancelled.refresh_from_db()
    assert cancelled.status == PaymentStatus.CANCELLED
    dossier = Dossier.objects.get(pk=failed.dossier_id)
    assert dossier.status == Status.PAYMENT and totals(dossier).balance == 8000


def test_a_new_payment_supersedes_the_one_still_open(office):
    first = started(office)
    second = started(office, first.dossier)
    first.refresh_from_db()
    assert first.status == PaymentStatus.CANCELLED and second.status == PaymentStatus.PENDING
    assert first.events.last().source == "superseded"


def test_payment_after_cancellation_is_recorded_and_refunded(office, django_capture_on_commit_callbacks):
    """The applicant withdraws the dossier while the gateway still has the payment; its confirmation
    arrives afterwards: the money taken is recorded and given back, the dossier stays withdrawn."""
    payment = started(office)
    with django_capture_on_commit_callbacks(execute=True):  # the withdrawal's event reaches payments
        services.withdraw(payment.dossier, actor=office.citizen, reason="Không cần nữa")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED

    assert vnpay_ipn(Client(), vnpay_result(payment))["RspCode"] == "00"

    payment.refresh_from_db()
    dossier = Dossier.objects.get(pk=payment.dossier_id)
    assert dossier.status == Status.WITHDRAWN
    assert payment.status == PaymentStatus.REFUNDED
    kinds = list(LedgerEntry.objects.filter(dossier=dossier).order_by("id").values_list("kind", "amount"))
    assert kinds == [("charge", 8000), ("waiver", 8000), ("payment", 8000), ("refund", 8000)]
    assert totals(dossier).balance == 0
    assert not dossier.payments.exists()  # the dossier's action was never taken: it is closed
    statuses = [e.status_after for e in payment.events.order_by("id")]
    assert statuses == ["created", "pending", "cancelled", "paid", "refunded"]


def test_a_payment_beyond_what_is_owed_is_refunded(office):
    """Paid at the counter while an online payment was open: the late online payment is given back."""
    payment = started(office)
    from motcua.payments.services import record_counter_payment

    record_counter_payment(payment.dossier, actor=office.reception, amount=8000, reference="BL-7")
    assert vnpay_ipn(Client(), vnpay_result(payment))["RspCode"] == "00"

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert totals(payment.dossier).balance == 0
    assert Dossier.objects.get(pk=payment.dossier_id).status == Status.PROCESSING


def test_the_national_platform_confirmation_is_checked_the_same_way(office, standin):
    standin("national")
    payment = started(office, gateway="national")
    client = Client()
    post = lambda body: client.post(  # noqa: E731
        "/thanh-toan/ipn/national/", json.dumps(body), content_type="application/json"
    ).json()

    forged = {**national_confirmation(payment), "SoTien": "1"}
    assert post(forged)["MaLoi"] == "97"
    assert post(national_confirmation(payment, amount=80))["MaLoi"] == "04"
    first = post(national_confirmation(payment))
    replay = post(national_confirmation(payment))

    assert first["MaLoi"] == "00" and replay["MaLoi"] == "02"
    assert first["MaThamChieu"] == payment.reference and len(first["MaXacThuc"]) == 64
    assert GatewayPayment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    assert Dossier.objects.get(pk=payment.dossier_id).status == Status.PROCESSING
    assert AuditEntry.objects.filter(action="payments.confirmation_refused").count() == 2


def test_nothing_to_pay_before_payment_is_requested(office):
    from motcua.dossiers.errors import NotAllowed, WrongState
    from motcua.dossiers.tests.factories import received

    dossier = received(office)
    with pytest.raises(WrongState):
        started(office, dossier)
    requested = payment_requested(office)
    with pytest.raises(NotAllowed):
        from motcua.payments.services import start_payment

        start_payment(requested, actor=office.stranger, gateway="vnpay", return_url="http://x/")
