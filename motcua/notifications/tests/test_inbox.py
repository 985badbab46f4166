"""In-app messages: a bell with the unread count in the header, a list, "mark read", without
JavaScript; applicants hear of their dossiers, officers of their agency's work; the staff dossier
page shows every message's channel, recipient, status and attempts."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.dossiers import services as dossier_services
from motcua.dossiers.constants import PaymentMethod
from motcua.dossiers.tests.factories import received, submitted
from motcua.notifications import selectors, services
from motcua.notifications.constants import Channel, DeliveryStatus, Event
from motcua.notifications.models import Message


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _inapp(user, event: str | None = None):
    found = Message.objects.filter(user=user, channel=Channel.INAPP)
    return found.filter(event=event) if event else found


def test_the_receiving_agencys_reception_hears_of_a_new_dossier(office, committed):
    with committed():
        dossier = submitted(office)

    [message] = _inapp(office.reception, Event.OFFICER_SUBMITTED)
    assert message.subject == f"Hồ sơ mới {dossier.code} chờ tiếp nhận"
    assert message.body == "Nguyễn Văn An nộp hồ sơ thủ tục Đăng ký khai sinh."
    assert message.status == DeliveryStatus.SENT and message.dossier == dossier
    assert not _inapp(office.outsider).exists()  # another ward's officer
    assert not _inapp(office.specialist).exists()


def test_an_officer_hears_when_a_dossier_is_passed_to_them_but_not_of_their_own_doing(office, committed):
    dossier = received(office)
    with committed():
        dossier_services.forward(dossier, actor=office.specialist, to_user=office.leader)

    assert _inapp(office.leader, Event.OFFICER_ASSIGNED).count() == 1
    assert not _inapp(office.specialist, Event.OFFICER_ASSIGNED).exists()


def test_the_holder_hears_of_a_supplement_handed_in(office, committed):
    dossier = received(office)
    dossier_services.request_supplement(dossier, actor=office.specialist, items=["Giấy chứng sinh rõ nét"])
    with committed():
        dossier_services.resubmit(dossier, actor=office.citizen)

    [message] = _inapp(office.specialist, Event.OFFICER_SUPPLEMENTED)  # the unit's step: specialists
    assert message.subject == f"Hồ sơ {dossier.code} đã được bổ sung"


def test_a_supplement_request_names_what_is_missing(office, committed, mailoutbox):
    dossier = received(office)
    with committed():
        dossier_services.request_supplement(
            dossier, actor=office.specialist, items=["Giấy chứng sinh rõ nét", "Tờ khai có chữ ký"]
        )

    assert "Nội dung cần bổ sung: Giấy chứng sinh rõ nét; Tờ khai có chữ ký" in mailoutbox[-1].body
    [line] = _inapp(office.citizen, Event.SUPPLEMENT_REQUESTED)
    assert line.body.endswith("Giấy chứng sinh rõ nét; Tờ khai có chữ ký")


def test_a_payment_confirmed_online_tells_the_applicant_and_the_holder(office, committed, mailoutbox):
    dossier = received(office)
    dossier_services.request_payment(dossier, actor=office.specialist, amount=158_000)
    with committed():  # the gateway's confirmation: the system records it
        dossier_services.record_payment(dossier, actor=None, amount=158_000, method=PaymentMethod.ONLINE)

    assert mailoutbox[-1].subject == f"Hồ sơ {dossier.code}: đã nhận phí, lệ phí"
    [message] = _inapp(office.specialist, Event.OFFICER_PAID)
    assert message.body == "Đã nhận 158.000 đồng của Nguyễn Văn An."


def test_the_holder_hears_once_of_a_dossier_about_to_be_overdue(office):
    dossier = received(office)
    holder = office.specialist  # the step's role at the holding unit
    before = dossier.due_at - datetime.timedelta(hours=2)

    assert services.notify_due_soon(now=dossier.due_at - datetime.timedelta(hours=30), hours=24) == 0
    assert services.notify_due_soon(now=before, hours=24) == 1
    assert services.notify_due_soon(now=before, hours=24) == 0  # once per appointment
    [message] = _inapp(holder, Event.OFFICER_DUE_SOON)
    assert message.subject == f"Hồ sơ {dossier.code} sắp đến hạn"
    out = io.StringIO()
    call_command("notify_due_soon", stdout=out)
    assert "message(s) written" in out.getvalue()


def test_the_bell_counts_the_unread_and_the_list_marks_them_read(office, committed):
    with committed():
        dossier = received(office)
    client = _client(office.citizen)

    home = client.get("/").content.decode()
    assert 'href="/thong-bao/"' in home
    assert '<span class="bell-count">2<span class="sr-only"> chưa đọc</span></span>' in home

    page = client.get("/thong-bao/").content.decode()
    assert f"Hồ sơ {dossier.code} đã được tiếp nhận" in page
    assert f'href="/ho-so-cua-toi/{dossier.public_id}/"' in page
    assert page.count("Đánh dấu đã đọc<span") == 2

    first = _inapp(office.citizen, Event.RECEIVED).get()
    response = client.post("/thong-bao/", {"message": first.pk, "next": "/thong-bao/"})
    assert response.status_code == 302 and response["Location"] == "/thong-bao/"
    assert selectors.unread_count(office.citizen) == 1

    client.post("/thong-bao/", {"all": "1"})
    assert selectors.unread_count(office.citizen) == 0
    assert "bell-count" not in client.get("/thong-bao/").content.decode()


def test_nobody_marks_anothers_messages(office, committed):
    with committed():
        submitted(office)
    theirs = _inapp(office.citizen).first()

    _client(office.stranger).post("/thong-bao/", {"message": theirs.pk})
    _client(office.reception).post("/can-bo/thong-bao/", {"message": theirs.pk})

    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Client().get("/thong-bao/").status_code == 302  # to the login page


def test_officers_have_their_list_in_the_staff_pages(office, committed):
    with committed():
        dossier = submitted(office)
    client = _client(office.reception)

    assert client.get("/thong-bao/")["Location"] == "/can-bo/thong-bao/"
    page = client.get("/can-bo/thong-bao/").content.decode()
    assert f"Hồ sơ mới {dossier.code} chờ tiếp nhận" in page
    assert f'href="/can-bo/ho-so/{dossier.code}/"' in page
    assert '<span class="bell-count">1' in page
    assert _client(office.citizen).get("/can-bo/thong-bao/").status_code == 403


def test_the_staff_dossier_page_shows_each_messages_delivery(office, committed):
    with committed():
        dossier = received(office)
    email = Message.objects.get(event=Event.RECEIVED, channel=Channel.EMAIL)
    email.status, email.attempts, email.last_error = DeliveryStatus.FAILED, 2, "SMTPServerDisconnected: gone"
    email.next_attempt_at = email.created_at + datetime.timedelta(minutes=6)
    email.save()

    page = _client(office.reception).get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    section = page[page.index('id="notifications-title"') :]
    assert "Thư điện tử" in section and "an@example.vn" in section
    assert "Gửi lỗi, sẽ gửi lại" in section and "SMTPServerDisconnected: gone" in section
    assert "<td>2</td>" in section
    assert "Thông báo trên hệ thống" in section and office.citizen.username in section


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_inbox_page_reads_in_both_languages(office, committed, language):
    with committed():
        submitted(office)
    prefix = "" if language == "vi" else "/en"

    page = _client(office.citizen).get(f"{prefix}/thong-bao/")

    assert page.status_code == 200
    assert ("Đánh dấu tất cả đã đọc" if language == "vi" else "Mark all as read") in page.content.decode()
