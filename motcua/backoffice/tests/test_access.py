"""Only staff open the staff pages, and only for their agencies' dossiers."""

import pytest

from motcua.dossiers.tests.factories import received, submitted


def _pages(dossier, attachment):
    ref = dossier.code
    return [
        "/can-bo/",
        "/can-bo/tiep-nhan/",
        "/can-bo/tiep-nhan/truc-tiep/",
        "/can-bo/tiep-nhan/truc-tiep/?procedure=1.001193",
        "/can-bo/ho-so/",
        f"/can-bo/ho-so/{ref}/",
        f"/can-bo/ho-so/{dossier.public_id}/",
        f"/can-bo/ho-so/{ref}/tep/{attachment.pk}/",
    ]


def test_a_citizen_gets_403_and_a_visitor_the_login_page(office, as_user, client):
    dossier = received(office)
    receipt = dossier.attachments.get(notice_form="01")

    citizen = as_user(office.citizen)  # the applicant of this very dossier
    for url in _pages(dossier, receipt):
        assert citizen.get(url).status_code == 403, url
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/?next="), url
    assert citizen.post(f"/can-bo/ho-so/{dossier.code}/tiep-nhan/", {"revision": 0}).status_code == 403


def test_an_officer_of_another_agency_gets_404_for_the_dossier(office, as_user):
    dossier = received(office)
    receipt = dossier.attachments.get(notice_form="01")
    outsider = as_user(office.outsider)

    assert outsider.get(f"/can-bo/ho-so/{dossier.code}/").status_code == 404
    assert outsider.get(f"/can-bo/ho-so/{dossier.public_id}/").status_code == 404
    assert outsider.get(f"/can-bo/ho-so/{dossier.code}/tep/{receipt.pk}/").status_code == 404
    response = outsider.post(f"/can-bo/ho-so/{dossier.code}/chuyen-buoc/", {"revision": dossier.revision})
    assert response.status_code == 404
    assert dossier.code not in outsider.get("/can-bo/ho-so/").content.decode()


def test_unknown_references_and_actions_are_404(office, as_user):
    dossier = submitted(office)
    reception = as_user(office.reception)

    assert reception.get("/can-bo/ho-so/000.01.01.H59-990101-9999/").status_code == 404
    assert reception.get("/can-bo/ho-so/00000000-0000-0000-0000-000000000000/").status_code == 404
    response = reception.post(f"/can-bo/ho-so/{dossier.public_id}/khong-co/", {"revision": 1})
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_dashboard_leads_to_the_inbox(office, as_user, method):
    response = getattr(as_user(office.specialist), method)("/can-bo/")

    assert response.status_code == 302 and response["Location"] == "/can-bo/ho-so/"
