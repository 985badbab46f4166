"""The personal-data access log from the staff pages (issue 13 §5): the officer's reads write their rows,
and the supervisor's page /can-bo/nhat-ky-truy-cap/ searches them; a plain officer cannot open it."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from motcua.accounts import clients
from motcua.accounts.constants import AccessChannel, ClientScope, Role
from motcua.accounts.models import AccessLogEntry
from motcua.accounts.services import grant_role
from motcua.accounts.tests.factories import StaffFactory
from motcua.backoffice.tests.pages import check_page
from motcua.dossiers.tests.factories import received, submitted

pytestmark = pytest.mark.django_db

URL = "/can-bo/nhat-ky-truy-cap/"


@pytest.fixture
def supervisor(office):
    """An inspector: a member of staff whose group holds the access log's view permission."""
    user = StaffFactory(full_name="Thanh tra viên", username="thanhtra")
    group = Group.objects.create(name="Thanh tra")
    group.permissions.add(Permission.objects.get(codename="view_accesslogentry"))
    user.groups.add(group)
    return user


def test_the_officers_pages_write_one_row_per_read(office, as_user):
    dossier = received(office)
    browser = as_user(office.reception)

    browser.get(f"/can-bo/ho-so/{dossier.code}/")
    browser.get("/can-bo/ho-so/")
    browser.get("/can-bo/tra-cuu-ho-so/")
    file = dossier.attachments.first()
    browser.get(f"/can-bo/ho-so/{dossier.code}/tep/{file.pk}/")
    browser.get("/can-bo/ho-so/000.01.01.H59-000101-9999/")  # not theirs (nor anyone's): refused

    rows = list(AccessLogEntry.objects.order_by("id"))
    assert [(r.purpose, r.object_type, r.allowed) for r in rows] == [
        ("backoffice:dossier", "dossier", True),
        ("backoffice:inbox", "dossier_list", True),
        ("backoffice:search", "dossier_list", True),
        (f"backoffice:download:{file.pk}", "attachment", True),
        ("backoffice:dossier", "dossier", False),
    ]
    assert all(r.user == office.reception and r.channel == AccessChannel.PAGE for r in rows)
    assert rows[0].code_list == [dossier.code] and rows[0].identity_list == [office.citizen.identity_number]
    assert rows[0].address == "127.0.0.1"
    assert rows[-1].code_list == ["000.01.01.H59-000101-9999"]


def test_the_applicants_own_pages_are_not_logged(office, as_user):
    dossier = received(office)
    as_user(office.citizen).get(f"/ho-so-cua-toi/{dossier.code}/")
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("who", ["reception", "leader", "citizen"])
def test_a_plain_officer_cannot_open_the_log(office, as_user, who):
    response = as_user(getattr(office, who)).get(URL)
    assert response.status_code == 403
    assert URL not in as_user(office.reception).get("/can-bo/ho-so/").content.decode()


def test_a_province_administrator_and_an_inspector_open_it(office, as_user, supervisor):
    admin = StaffFactory(full_name="Quản trị tỉnh")
    grant_role(admin, office.agency, Role.PROVINCE_ADMIN)
    for user in (admin, supervisor):
        response = as_user(user).get(URL)
        html = response.content.decode()
        assert response.status_code == 200
        check_page(html)
        assert 'aria-current="page">Nhật ký truy cập</a>' in html  # in the menu, for them only


def test_the_supervisor_searches_by_person_officer_client_code_and_dates(office, as_user, supervisor):
    ours = received(office)
    theirs = submitted(office, agency=office.other_agency)
    as_user(office.reception).get(f"/can-bo/ho-so/{ours.code}/")
    as_user(office.outsider).get(f"/can-bo/ho-so/{theirs.code}/")
    new = clients.create_client(
        name="Báo cáo", client_id="bao-cao", scopes=[ClientScope.CATALOGUE_READ], agencies=[office.agency]
    )
    token = clients.issue_token("bao-cao", new.secret)[0]
    from django.test import Client

    Client(headers={"Authorization": f"Bearer {token}"}).get(
        f"/api/dossiers/{ours.code}"
    )  # refused: no scope
    old = AccessLogEntry.objects.create(
        at=timezone.now() - datetime.timedelta(days=40),
        user=office.reception,
        channel=AccessChannel.PAGE,
        purpose="backoffice:dossier",
        object_type="dossier",
        codes=f" {ours.code} ",
        count=1,
    )
    browser = as_user(supervisor)

    def found(**params) -> list[int]:
        response = browser.get(URL, params)
        assert response.status_code == 200
        return [r.pk for r in response.context["rows"]]

    everything = found()
    assert len(everything) == 4 and everything[-1] == old.pk  # newest first
    assert found(officer=office.reception.username) == [
        r.pk for r in AccessLogEntry.objects.filter(user=office.reception).order_by("-at", "-id")
    ]
    assert len(found(code=ours.code)) == 3  # the officer's read, the client's refusal, the old one
    assert found(code=theirs.code) == [AccessLogEntry.objects.get(user=office.outsider).pk]
    assert len(found(identity=office.citizen.identity_number)) == 2  # reads that showed the person's data
    refused = found(client="bao-cao")
    assert len(refused) == 1 and found(refused_only="on") == refused
    today = timezone.localdate().isoformat()
    assert old.pk not in found(day_from=today, day_to=today)
    assert found(day_to=(timezone.localdate() - datetime.timedelta(days=30)).isoformat()) == [old.pk]

    bad = browser.get(URL, {"day_from": today, "day_to": "2000-01-01"})
    assert bad.status_code == 200 and "Đến ngày phải sau Từ ngày." in bad.content.decode()


def test_the_log_pages_and_exports(office, as_user, supervisor, monkeypatch):
    from motcua.backoffice import access_log_views

    dossier = received(office)
    for _ in range(3):
        as_user(office.reception).get(f"/can-bo/ho-so/{dossier.code}/")
    monkeypatch.setattr(access_log_views, "PAGE_SIZE", 2)
    browser = as_user(supervisor)

    first = browser.get(URL)
    cursor = first.context["page"]["next_cursor"]
    second = browser.get(URL, {"after": cursor})

    assert len(first.context["rows"]) == 2 and len(second.context["rows"]) == 1
    assert second.context["page"]["next_cursor"] is None
    export = browser.get("/can-bo/nhat-ky-truy-cap/tai-ve.csv", {"officer": office.reception.username})
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert len(lines) == 4 and dossier.code in lines[1] and office.reception.username in lines[1]
    assert as_user(office.reception).get("/can-bo/nhat-ky-truy-cap/tai-ve.csv").status_code == 403


def test_the_retention_command_deletes_old_rows_only(office):
    from django.core.management import call_command

    for age in (10, 400):
        AccessLogEntry.objects.create(
            at=timezone.now() - datetime.timedelta(days=age),
            channel=AccessChannel.PAGE,
            purpose="backoffice:dossier",
            object_type="dossier",
        )
    call_command("prune_access_log", days=365)
    assert list(AccessLogEntry.objects.values_list("purpose", flat=True)) == ["backoffice:dossier"]
    assert AccessLogEntry.objects.get().at > timezone.now() - datetime.timedelta(days=11)
