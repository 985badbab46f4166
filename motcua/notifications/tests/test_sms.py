"""SMS through the plugin to the brandname gateway's stand-in (its own process, over HTTP): numbers as
84xxxxxxxxx, text without diacritics cut to length, and a failure tried again with a backoff until
delivered or given up."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.dossiers.tests.factories import received, submitted
from motcua.notifications import phones, services, sms
from motcua.notifications.constants import Channel, DeliveryStatus, Event
from motcua.notifications.models import Message

PHONE = "84912345678"


@pytest.fixture
def texted(office):
    """The office's citizen gives a mobile number."""
    office.citizen.phone = "0912 345 678"
    office.citizen.save()
    return office


def _sms(event: str) -> Message:
    return Message.objects.get(channel=Channel.SMS, event=event)


@pytest.mark.parametrize(
    ("given", "normalised"),
    [
        ("0912345678", PHONE),
        ("0912 345 678", PHONE),
        ("+84 912.345.678", PHONE),
        ("84-912-345-678", PHONE),
        ("0084912345678", PHONE),
        ("(+84) 388 123 456", "84388123456"),
        ("02073822123", ""),  # a landline: no SMS
        ("091234567", ""),  # a digit short
        ("0912345678x", ""),
        ("", ""),
    ],
)
def test_phone_numbers_become_84_and_the_national_number(given, normalised):
    assert phones.normalise(given) == normalised


def test_the_text_loses_its_diacritics_and_is_cut_at_a_word(settings):
    settings.MOTCUA_SMS_MAX_CHARS = 40

    text = sms.prepare("Hồ sơ ĐÃ được tiếp nhận.\nHẹn trả kết quả ngày 05/12/2026, tra cứu tại cổng")

    assert text == "Ho so DA duoc tiep nhan. Hen tra ket..."
    assert len(text) <= 40
    settings.MOTCUA_SMS_UNACCENTED = False
    assert sms.prepare("Hồ sơ đã tiếp nhận") == "Hồ sơ đã tiếp nhận"


def test_reception_texts_the_applicant_through_the_gateway(texted, sms_gateway, committed):
    with committed():
        dossier = received(texted)

    message = _sms(Event.RECEIVED)
    appointment = timezone.localtime(dossier.due_at).strftime("%d/%m/%Y")
    assert message.recipient == PHONE
    assert message.body.startswith(
        f"Ho so {dossier.code} da duoc tiep nhan. Hen tra ket qua ngay {appointment}. Tra cuu: https://"
    )
    assert (message.status, message.attempts) == (DeliveryStatus.SENT, 1)
    [on_phone] = [m for m in sms_gateway.messages(PHONE) if m["request_id"] == services.request_id(message)]
    assert on_phone["content"] == message.body and on_phone["sender"] == "DVC-TQ"
    assert message.provider_reference == on_phone["id"]
    assert message.body in sms_gateway.page(PHONE).replace("&#x27;", "'")


def test_a_message_failing_twice_is_sent_by_the_third_attempt(texted, sms_gateway, committed):
    sms_gateway.fail_next(2)  # the gateway answers "99, system busy" twice

    with committed():
        dossier = submitted(texted)

    message = _sms(Event.SUBMITTED)
    assert (message.status, message.attempts) == (DeliveryStatus.FAILED, 1)
    assert "code 99" in message.last_error
    first_failure = message.updated_at
    assert message.next_attempt_at == first_failure + datetime.timedelta(minutes=1)

    # not yet due: nothing is tried
    services.send_due(now=first_failure + datetime.timedelta(seconds=30))
    message.refresh_from_db()
    assert message.attempts == 1

    services.send_due(now=message.next_attempt_at)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (DeliveryStatus.FAILED, 2)
    assert message.next_attempt_at == first_failure + datetime.timedelta(minutes=1 + 5)

    services.send_due(now=message.next_attempt_at)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (DeliveryStatus.SENT, 3, None)
    delivered = [m for m in sms_gateway.messages(PHONE) if m["request_id"] == services.request_id(message)]
    assert len(delivered) == 1 and dossier.code in delivered[0]["content"]


def test_with_the_database_queue_the_next_attempt_is_a_deferred_task(
    texted, sms_gateway, committed, settings, django_capture_on_commit_callbacks
):
    sms_gateway.fail_next(1)
    with committed():
        submitted(texted)
    message = _sms(Event.SUBMITTED)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sms_gateway.fail_next(1)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        assert services.send(message.pk, now=message.next_attempt_at) == DeliveryStatus.FAILED

    message.refresh_from_db()
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "motcua.notifications.tasks.send_message"
    assert task.args_kwargs == {"args": [message.pk], "kwargs": {}}
    assert task.run_after == message.next_attempt_at


def test_a_message_is_given_up_after_the_last_attempt(texted, sms_gateway, committed, settings):
    settings.MOTCUA_NOTIFY_RETRY_MINUTES = [1]
    sms_gateway.fail_next(5)
    with committed():
        submitted(texted)
    message = _sms(Event.SUBMITTED)

    services.send_due(now=message.next_attempt_at)

    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (DeliveryStatus.GIVEN_UP, 2, None)
    assert services.send_due(now=message.updated_at + datetime.timedelta(days=1)) == 0


def test_a_refusal_that_cannot_change_is_given_up_at_once(texted, sms_gateway, committed, settings):
    settings.MOTCUA_SMS_BRANDNAME = "KHONG-DANG-KY"  # the gateway: "04, brandname not registered"

    with committed():
        submitted(texted)

    message = _sms(Event.SUBMITTED)
    assert (message.status, message.attempts) == (DeliveryStatus.GIVEN_UP, 1)
    assert "code 04" in message.last_error


def test_the_provincial_lgsp_shape(texted, sms_gateway, committed, settings):
    settings.MOTCUA_SMS_BACKEND = "motcua.notifications.sms.brandname.LgspSender"

    with committed():
        submitted(texted)

    message = _sms(Event.SUBMITTED)
    assert message.status == DeliveryStatus.SENT
    assert any(m["content"] == message.body for m in sms_gateway.messages(PHONE))


def test_without_an_sms_gateway_no_sms_is_written(texted, committed, settings):
    settings.MOTCUA_SMS_URL = ""

    with committed():
        submitted(texted)

    assert not Message.objects.filter(channel=Channel.SMS).exists()
    assert Message.objects.filter(channel=Channel.EMAIL).exists()


def test_an_applicant_without_phone_or_email_is_told_in_the_application_only(office, committed, sms_gateway):
    office.citizen.email = ""
    office.citizen.phone = ""
    office.citizen.save()

    with committed():
        dossier = received(office)

    mine = Message.objects.filter(dossier=dossier, user=office.citizen)
    assert set(mine.values_list("channel", flat=True)) == {Channel.INAPP}
    assert set(mine.values_list("event", flat=True)) == {Event.SUBMITTED, Event.RECEIVED}
