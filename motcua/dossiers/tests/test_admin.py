"""The dossier admin is read only and shows what the viewer may do, from the rule table."""

from django.contrib.auth.models import Permission
from django.test import Client

from motcua.accounts.models import AccessLogEntry
from motcua.dossiers.tests.factories import submitted


def _admin_client(user) -> Client:
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_dossier"))
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_shows_the_viewers_actions_and_changes_nothing(office):
    dossier = submitted(office)
    reception, specialist = _admin_client(office.reception), _admin_client(office.specialist)

    page = reception.get(f"/quan-tri/dossiers/dossier/{dossier.pk}/change/").content.decode()
    assert "Tiếp nhận hồ sơ" in page and "Từ chối tiếp nhận" in page
    assert 'name="_save"' not in page  # read only
    other = specialist.get(f"/quan-tri/dossiers/dossier/{dossier.pk}/change/").content.decode()
    assert "Tiếp nhận hồ sơ" not in other
    assert reception.post(f"/quan-tri/dossiers/dossier/{dossier.pk}/delete/").status_code == 403


def test_the_admin_lists_only_what_the_viewer_may_see(office):
    dossier = submitted(office)

    mine = _admin_client(office.reception).get("/quan-tri/dossiers/dossier/").content.decode()
    theirs = _admin_client(office.outsider).get("/quan-tri/dossiers/dossier/").content.decode()

    assert dossier.code in mine and dossier.code not in theirs


def test_what_the_admin_shows_of_dossiers_and_accounts_is_in_the_access_log(office):
    """An operator's reads through the admin are logged as an officer's are (issue 13 §5): the list
    with the codes it showed, each record opened, accounts with their identity numbers."""
    dossier = submitted(office)
    operator = office.reception
    browser = _admin_client(operator)
    operator.user_permissions.add(Permission.objects.get(codename="view_user"))

    assert browser.get("/quan-tri/dossiers/dossier/").status_code == 200
    assert browser.get(f"/quan-tri/dossiers/dossier/{dossier.pk}/change/").status_code == 200
    assert browser.get(f"/quan-tri/accounts/user/{office.citizen.pk}/change/").status_code == 200
    assert browser.get("/quan-tri/accounts/user/", {"q": office.citizen.identity_number}).status_code == 200

    rows = list(AccessLogEntry.objects.order_by("id"))
    assert [(r.purpose, r.object_type, r.count) for r in rows] == [
        ("admin:dossier:list", "dossier_list", 1),
        ("admin:dossier", "dossier", 1),
        ("admin:user", "user", 1),
        ("admin:user:list", "user_list", 1),
    ]
    assert all(r.user == operator and r.allowed for r in rows)
    assert rows[0].code_list == [dossier.code] and rows[1].code_list == [dossier.code]
    assert rows[1].identity_list == [office.citizen.identity_number]
    assert rows[2].code_list == [office.citizen.username]
    assert rows[2].identity_list == [office.citizen.identity_number] == rows[3].identity_list
