"""The fee ledger: charges from the payment request (itemised by the catalogue's fee lines the form
asks for), counter payments with their receipt, payments recorded by another face, refunds."""

import pytest
from django.test import Client

from motcua.catalog.services import create_procedure, publish_version
from motcua.dossiers import services
from motcua.dossiers.constants import PaymentMethod, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import pdf, received
from motcua.payments.constants import EntryKind, PaymentStatus
from motcua.payments.models import LedgerEntry, Receipt
from motcua.payments.selectors import ledger, totals
from motcua.payments.services import record_counter_payment, sync
from motcua.payments.tests.factories import payment_requested, started, vnpay_ipn, vnpay_result

pytestmark = pytest.mark.django_db


def _lines(dossier):
    return list(
        LedgerEntry.objects.filter(dossier=dossier).order_by("id").values_list("kind", "label", "amount")
    )


def test_a_payment_request_is_charged_once_with_the_catalogue_lines(
    office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the request's event writes the charges
        dossier = payment_requested(office)
    assert _lines(dossier) == [("charge", "Phí cấp bản sao", 8000)]
    sync(dossier.pk)
    sync(dossier.pk)
    assert LedgerEntry.objects.filter(dossier=dossier).count() == 1
    assert totals(dossier).balance == 8000


def test_copies_asked_for_and_exemptions_claimed_are_itemised(office):
    draft = create_procedure(
        "2.000815",
        version={
            "name": "Chứng thực bản sao",
            "field": "Chứng thực",
            "level": "commune",
            "mode": "full_online",
            "processing_time": "1",
            "time_unit": "working_days",
            "result": "Bản sao chứng thực",
        },
        agencies=[office.agency],
        fees=[
            {"name": "Lệ phí chứng thực", "amount": 2000},
            {
                "name": "Phí bản sao",
                "amount": 5000,
                "charging": "on_request",
                "unit": "bản",
                "quantity_field": "copies",
            },
        ],
        documents=[{"name": "Bản chính", "form": "original", "quantity": 1}],
        form=[{"key": "copies", "label": "Số bản sao", "kind": "number"}],
        steps=[
            {"name": "Tiếp nhận", "role": "reception", "share": "0.1"},
            {"name": "Chứng thực", "role": "specialist", "share": "0.9"},
        ],
    )
    version = publish_version(draft)
    dossier = services.start_dossier(version=version, applicant=office.citizen, another=True)
    services.save_draft(dossier, actor=office.citizen, form_data={"copies": "3"})
    services.add_document(
        dossier, actor=office.citizen, upload=pdf(), name="a.pdf", document=version.documents.get()
    )
    services.submit(dossier, actor=office.citizen, declaration=True)
    services.receive(dossier, actor=office.reception)
    services.request_payment(dossier, actor=office.specialist, amount=17000)
    sync(dossier.pk)

    rows = list(LedgerEntry.objects.filter(dossier=dossier).order_by("position"))
    assert [(r.label, r.quantity, r.unit, r.unit_amount, r.amount) for r in rows] == [
        ("Lệ phí chứng thực", 1, "", 2000, 2000),
        ("Phí bản sao", 3, "bản", 5000, 15000),
    ]


def test_an_amount_other_than_the_catalogues_is_one_line_with_the_officers_note(office):
    dossier = received(office)
    services.request_payment(dossier, actor=office.specialist, amount=58000, note="Thêm phí thẩm định")
    sync(dossier.pk)
    entry = LedgerEntry.objects.get(dossier=dossier)
    assert entry.amount == 58000 and entry.note == "Thêm phí thẩm định"


def test_the_counter_form_writes_the_ledger_and_the_receipt(
    office, as_user, django_capture_on_commit_callbacks
):
    dossier = payment_requested(office)
    reception = as_user(office.reception)
    dossier.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = reception.post(
            f"/can-bo/ho-so/{dossier.code}/ghi-nhan-nop-phi/",
            {"revision": dossier.revision, "amount": "8000", "method": "cash", "reference": "BL-01"},
        )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    entry = LedgerEntry.objects.get(dossier=dossier, kind=EntryKind.PAYMENT)
    assert entry.dossier_payment == dossier.payments.get() and entry.method == PaymentMethod.CASH
    assert entry.recorded_by == office.reception and entry.reference == "BL-01"
    assert entry.receipt.size and totals(dossier).balance == 0


def test_a_refused_counter_payment_writes_nothing(office):
    dossier = payment_requested(office)
    from motcua.dossiers.errors import NotAllowed

    with pytest.raises(NotAllowed):
        record_counter_payment(dossier, actor=office.stranger, amount=8000)
    assert not LedgerEntry.objects.filter(dossier=dossier).exists()


def test_a_payment_recorded_through_the_api_joins_the_ledger(office, django_capture_on_commit_callbacks):
    dossier = payment_requested(office)
    with django_capture_on_commit_callbacks(execute=True):  # the record_payment event syncs the ledger
        services.record_payment(dossier, actor=office.reception, amount=8000, reference="CK-88")
    entry = LedgerEntry.objects.get(dossier=dossier, kind=EntryKind.PAYMENT)
    assert entry.dossier_payment == dossier.payments.get() and entry.reference == "CK-88"
    assert Receipt.objects.filter(entry=entry).exists() and totals(dossier).balance == 0


def test_refund_on_withdrawal(office, django_capture_on_commit_callbacks):
    payment = started(office)
    with django_capture_on_commit_callbacks(execute=True):
        vnpay_ipn(Client(), vnpay_result(payment))
    dossier = Dossier.objects.get(pk=payment.dossier_id)
    assert dossier.status == Status.PROCESSING

    with django_capture_on_commit_callbacks(execute=True):  # the withdrawal's event reaches payments
        services.withdraw(dossier, actor=office.citizen, reason="Đã làm ở nơi khác")

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert payment.events.last().source == "refund"
    kinds = [kind for kind, _label, _amount in _lines(dossier)]
    assert kinds == ["charge", "payment", "waiver", "refund"]  # owes nothing, gets back what it paid
    refund = LedgerEntry.objects.get(dossier=dossier, kind=EntryKind.REFUND)
    assert refund.refund_of.gateway_payment == payment and refund.amount == 8000
    assert "rút hồ sơ" in refund.label
    assert totals(dossier).balance == 0
    # The applicant sees it.
    client = Client()
    client.force_login(office.citizen)
    page = client.get(f"/ho-so-cua-toi/{dossier.public_id}/").content.decode()
    assert "Hoàn trả" in page and "Đã hoàn trả" in page
    # Delivered twice, the event changes nothing more.
    sync(dossier.pk)
    assert LedgerEntry.objects.filter(dossier=dossier).count() == 4


def test_a_withdrawn_dossier_owes_nothing_more(office, django_capture_on_commit_callbacks):
    dossier = payment_requested(office)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(dossier, actor=office.citizen, reason="Không cần nữa")
    assert [kind for kind, _l, _a in _lines(dossier)] == ["charge", "waiver"]
    assert totals(dossier).balance == 0


def test_a_stopped_dossier_keeps_its_fees(office, django_capture_on_commit_callbacks):
    payment = started(office)
    vnpay_ipn(Client(), vnpay_result(payment))
    dossier = Dossier.objects.get(pk=payment.dossier_id)
    with django_capture_on_commit_callbacks(execute=True):
        services.stop(dossier, actor=office.leader, reasons="Không đủ điều kiện")
    assert not LedgerEntry.objects.filter(dossier=dossier, kind=EntryKind.REFUND).exists()


def test_the_running_balance(office):
    payment = started(office)
    vnpay_ipn(Client(), vnpay_result(payment))
    lines = ledger(payment.dossier).lines
    assert [(line.entry.kind, line.balance) for line in lines] == [("charge", 8000), ("payment", 0)]
