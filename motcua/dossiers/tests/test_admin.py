"""The dossier admin is read only and shows what the viewer may do, from the rule table."""

from django.contrib.auth.models import Permission
from django.test import Client

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
