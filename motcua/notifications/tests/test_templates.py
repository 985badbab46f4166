"""Administrators edit each event's texts (per channel and language) in the admin; the next message
uses the edit; a text that does not render is refused by the admin, and one that fails when a
message is written gives way to the default (logged), never holding the message up."""

import logging

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from motcua.accounts.tests.factories import StaffFactory
from motcua.core.models import AuditEntry
from motcua.dossiers.tests.factories import received, submitted
from motcua.notifications import defaults, rendering, services
from motcua.notifications.constants import Channel, Event
from motcua.notifications.models import LanguagePreference, Message, Template


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(StaffFactory(is_staff=True, is_superuser=True))
    return client


def _form(row: Template, **changes) -> dict[str, str]:
    data = {name: getattr(row, name) for name in services.TEXT_FIELDS}
    data.update(changes)
    return data


def test_every_event_has_a_template_in_every_language(db):
    Template.objects.all().delete()

    assert services.ensure_templates() == len(Event.values) * len(settings.LANGUAGES)
    assert services.ensure_templates() == 0
    english = Template.objects.get(event=Event.RECEIVED, language="en")
    assert english.email_subject == "Dossier {{ code }} has been received"
    assert Template.objects.get(event=Event.OFFICER_SUBMITTED, language="vi").email_body == ""


def test_an_administrators_edit_changes_the_next_message(office, admin_client, mailoutbox, committed):
    row = services.template(Event.RECEIVED, "vi")
    response = admin_client.post(
        f"/quan-tri/notifications/template/{row.pk}/change/",
        _form(row, email_subject="[{{ agency }}] {{ code }}: hẹn trả {{ appointment }}"),
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="notifications.template_changed").count() == 1

    with committed():
        dossier = received(office)

    due = timezone.localtime(dossier.due_at)
    assert (
        mailoutbox[-1].subject == f"[Ủy ban nhân dân phường Minh Xuân] {dossier.code}: hẹn trả {due:%d/%m/%Y}"
    )


def test_the_admin_lists_the_fields_and_refuses_a_text_that_does_not_render(admin_client):
    row = services.template(Event.SUBMITTED, "vi")
    page = admin_client.get(f"/quan-tri/notifications/template/{row.pk}/change/").content.decode()
    for name in rendering.FIELD_NAMES:
        assert f"<code>{{{{ {name} }}}}</code>" in page
    assert "ngày hẹn trả kết quả, dd/mm/yyyy" in page

    response = admin_client.post(
        f"/quan-tri/notifications/template/{row.pk}/change/",
        _form(row, sms_text="Hồ sơ {% if code %}{{ code }}", inapp_text="{% load static %}x"),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"sms_text", "inapp_text"}
    assert "Mẫu không hiển thị được" in errors["sms_text"][0]
    row.refresh_from_db()
    assert row.sms_text == defaults.default_texts(Event.SUBMITTED, "vi")["sms_text"]


def test_a_text_that_fails_when_written_gives_way_to_the_default(office, mailoutbox, committed, caplog):
    Template.objects.filter(event=Event.SUBMITTED, language="vi").delete()
    Template.objects.create(
        event=Event.SUBMITTED,
        language="vi",
        **{**defaults.default_texts(Event.SUBMITTED, "vi"), "email_subject": "{% include 'x.txt' %}"},
    )

    with caplog.at_level(logging.WARNING, logger="motcua.notifications.rendering"), committed():
        dossier = submitted(office)

    assert mailoutbox[-1].subject == f"Đã nhận hồ sơ trực tuyến {dossier.code}"
    email = Message.objects.get(channel=Channel.EMAIL)
    assert email.from_default is True
    assert "submitted/vi email_subject failed" in caplog.text


def test_a_blank_channel_is_not_used(office, mailoutbox, committed):
    Template.objects.filter(event=Event.SUBMITTED).update(email_subject="", email_body="")

    with committed():
        submitted(office)

    assert mailoutbox == []
    assert Message.objects.filter(event=Event.SUBMITTED, channel=Channel.INAPP).exists()


def test_the_applicants_language_chooses_the_template(office, mailoutbox, committed):
    LanguagePreference.objects.create(user=office.citizen, language="en")
    Template.objects.filter(event=Event.SUBMITTED, language="en").update(email_subject="Thanks: {{ code }}")

    with committed():
        dossier = submitted(office)

    assert mailoutbox[-1].subject == f"Thanks: {dossier.code}"
    assert mailoutbox[-1].body.startswith("Dear Nguyễn Văn An,")


def test_the_texts_reach_only_the_dossiers_fields():
    context = {**rendering.SAMPLE, "code": "<b>A</b>"}

    assert rendering.render(
        "{{ code }} {{ dossier.applicant.password }}{{ settings.SECRET_KEY }}", context
    ) == (
        "<b>A</b>"  # plain text: no escaping; nothing but the fields
    )
    with pytest.raises(rendering.RenderError):
        rendering.render("{% load static %}{% static 'x' %}", context)
    with pytest.raises(rendering.RenderError):
        rendering.render("{% include 'portal/base.html' %}", context)


def test_an_administrator_resets_a_template_to_the_default(admin_client):
    row = services.template(Event.RETURNED, "vi")
    row.sms_text = "Khác"
    row.save()

    admin_client.post(
        "/quan-tri/notifications/template/",
        {"action": "reset_to_default", "_selected_action": [row.pk]},
    )

    row.refresh_from_db()
    assert row.sms_text == defaults.default_texts(Event.RETURNED, "vi")["sms_text"]
