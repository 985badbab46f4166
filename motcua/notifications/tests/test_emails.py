"""What the applicant reads: text that shows as text (not base64), in their language, with dates as
dd/mm/yyyy and links to the dossier and the lookup; and a word when the result is ready."""

import email
import email.policy
import io

import pytest
from django.core import mail
from django.core.mail.backends.console import EmailBackend
from django.test import Client
from django.utils import timezone

from motcua.accounts.tests.factories import PASSWORD
from motcua.dossiers import services
from motcua.dossiers.constants import ActionType, Status
from motcua.dossiers.tests.factories import received, submitted
from motcua.notifications.constants import Event
from motcua.notifications.mail import TextEmail
from motcua.notifications.models import LanguagePreference
from motcua.notifications.services import events_for


def _ready(office):
    dossier = received(office)
    services.forward(dossier, actor=office.specialist)
    services.attach_result(dossier, actor=office.leader)
    services.approve(dossier, actor=office.leader)  # the last approval: ready (9)
    return dossier


def test_the_body_travels_as_text_that_reads_on_the_console():
    message = TextEmail(
        "Hồ sơ 000.01.01.H59-261201-0001 đã được tiếp nhận",
        "Kính gửi Nguyễn Văn An,\n\n" + "Hồ sơ của ông/bà đã được tiếp nhận và chuyển xử lý. " * 4 + "\n",
        None,
        ["an@example.vn"],
    )

    for policy in (email.policy.default, email.policy.SMTP):
        raw = message.message(policy=policy).as_bytes()
        assert b"Content-Transfer-Encoding: 8bit" in raw
        assert "Kính gửi Nguyễn Văn An,".encode() in raw
        assert "Hồ sơ của ông/bà đã được tiếp nhận".encode() in raw
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert parsed["Subject"] == "Hồ sơ 000.01.01.H59-261201-0001 đã được tiếp nhận"
        assert parsed.get_content().replace("\r\n", "\n") == message.body
    console = io.StringIO()
    EmailBackend(stream=console).send_messages([message])
    assert "Kính gửi Nguyễn Văn An," in console.getvalue()


def test_a_line_longer_than_smtp_allows_keeps_a_safe_encoding():
    message = TextEmail("Thử", "Đ" * 600, None, ["an@example.vn"])  # 1,200 octets on one line

    raw = message.message().as_bytes()

    assert b"Content-Transfer-Encoding: 8bit" not in raw
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed.get_content().strip() == "Đ" * 600


def test_a_vietnamese_email_with_the_appointment_and_the_links(office, mailoutbox, committed):
    with committed():
        dossier = received(office)

    receipt = mailoutbox[-1]
    local_due = timezone.localtime(dossier.due_at)
    assert receipt.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert receipt.body.startswith("Kính gửi Nguyễn Văn An,")
    assert f"Hẹn trả kết quả: {local_due:%H:%M %d/%m/%Y}" in receipt.body
    assert f"https://dichvucong.example.vn/ho-so-cua-toi/{dossier.public_id}/" in receipt.body
    assert f"https://dichvucong.example.vn/tra-cuu/{dossier.code}" in receipt.body
    assert b"Content-Transfer-Encoding: 8bit" in receipt.message().as_bytes()


def test_an_applicant_who_signed_in_in_english_reads_english(office, mailoutbox, committed):
    client = Client()
    response = client.post("/en/dang-nhap/", {"username": office.citizen.username, "password": PASSWORD})
    assert response.status_code == 302
    assert LanguagePreference.objects.get(user=office.citizen).language == "en"

    with committed():
        dossier = submitted(office)

    [sent] = mailoutbox
    assert sent.subject == f"Online dossier {dossier.code} received"
    assert sent.body.startswith("Dear Nguyễn Văn An,")
    assert "Your dossier has been sent to the receiving agency" in sent.body
    assert f"https://dichvucong.example.vn/en/ho-so-cua-toi/{dossier.public_id}/" in sent.body
    assert f"https://dichvucong.example.vn/en/tra-cuu/{dossier.code}" in sent.body

    Client().post("/dang-nhap/", {"username": office.citizen.username, "password": PASSWORD})
    with committed():
        services.receive(dossier, actor=office.reception)
    assert mailoutbox[-1].subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"


def test_the_last_approval_tells_the_applicant_the_result_is_ready(office, mailoutbox, committed):
    with committed():
        dossier = _ready(office)

    assert dossier.status == Status.READY
    assert [m.subject for m in mailoutbox] == [
        f"Đã nhận hồ sơ trực tuyến {dossier.code}",
        f"Hồ sơ {dossier.code} đã được tiếp nhận",
        f"Hồ sơ {dossier.code} đã có kết quả",
    ]
    with committed():
        services.return_result(dossier, actor=office.reception)
    assert mailoutbox[-1].subject == f"Hồ sơ {dossier.code} đã trả kết quả"


def test_a_payment_request_names_the_amount(office, mailoutbox, committed):
    dossier = received(office)

    with committed():
        services.request_payment(dossier, actor=office.specialist, amount=158_000)

    assert "Phí, lệ phí phải nộp: 158.000 đồng" in mailoutbox[-1].body


@pytest.mark.parametrize(
    ("action", "status", "expected"),
    [
        (ActionType.APPROVE, Status.READY, [Event.RESULT_READY]),  # the last approval
        (ActionType.MARK_READY, Status.READY, [Event.RESULT_READY]),
        ("result_signed", Status.READY, [Event.RESULT_READY]),  # signing completed a result's signature
        (ActionType.APPROVE, Status.PROCESSING, []),  # an approval before the last step
        (ActionType.RETURN_RESULT, Status.RETURNED, [Event.RETURNED]),
        (ActionType.FORWARD, Status.PROCESSING, [Event.OFFICER_ASSIGNED]),  # in-app, to the officer
        (ActionType.RECEIVE, Status.PROCESSING, [Event.RECEIVED, Event.OFFICER_ASSIGNED]),
        (ActionType.SUBMIT, Status.SUBMITTED, [Event.SUBMITTED, Event.OFFICER_SUBMITTED]),
        (ActionType.RECORD_PAYMENT, Status.PROCESSING, [Event.PAID, Event.OFFICER_PAID]),
        ("made_up", Status.READY, []),
    ],
)
def test_which_changes_call_for_which_messages(action, status, expected):
    assert events_for(action, status) == expected


def test_no_address_no_email(office, mailoutbox, committed):
    office.citizen.email = ""
    office.citizen.save()

    with committed():
        dossier = submitted(office)

    assert dossier.applicant_email == "" and mail.outbox == []
