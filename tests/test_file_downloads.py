"""A dossier's files go out with the same headers from the portal, the staff pages and the API
(motcua.dossiers.downloads): the stored type, a name we choose (RFC 5987 for Vietnamese), nosniff and
no caching; a notice not rendered yet is rendered first."""

import pytest
from django.test import Client

from motcua.dossiers import services
from motcua.dossiers.constants import AttachmentKind
from motcua.dossiers.tests.conftest import office  # noqa: F401  (fixture)
from motcua.dossiers.tests.factories import GOOD_FORM, PNG, Office, pdf

pytestmark = pytest.mark.django_db

FACES = ["portal", "backoffice", "api"]
# "Giấy tờ khác", the catalogue's name of the optional document of the test procedure, in UTF-8.
OTHER_DOCUMENT = "Gi%E1%BA%A5y%20t%E1%BB%9D%20kh%C3%A1c"


def _client(face: str, o: Office) -> Client:
    from motcua.api.tests.test_dossiers_api import client_for  # a bearer token from /api/auth/token

    if face == "api":
        return client_for(o.citizen)
    client = Client()
    client.force_login(o.reception if face == "backoffice" else o.citizen)
    return client


def _url(face: str, dossier, attachment) -> str:
    return {
        "portal": f"/ho-so-cua-toi/{dossier.public_id}/tep/{attachment.pk}/",
        "backoffice": f"/can-bo/ho-so/{dossier.code}/tep/{attachment.pk}/",
        "api": f"/api/dossiers/{dossier.public_id}/files/{attachment.pk}",
    }[face]


def _received_with_a_photo(o: Office):
    """A received dossier whose optional document is a PNG uploaded as "../../ảnh <b>.html"."""
    dossier = services.start_dossier(version=o.version, applicant=o.citizen)
    services.save_draft(dossier, actor=o.citizen, form_data=GOOD_FORM)
    for document in o.version.documents.filter(required=True):
        services.add_document(dossier, actor=o.citizen, upload=pdf(), name="a.pdf", document=document)
    other = o.version.documents.get(required=False)
    photo = services.add_document(
        dossier, actor=o.citizen, upload=pdf(PNG), name="../../ảnh <b>.html", document=other
    )
    services.submit(dossier, actor=o.citizen, declaration=True)
    services.receive(dossier, actor=o.reception)
    return dossier, photo


@pytest.mark.parametrize("face", FACES)
def test_a_pending_receipt_is_rendered_and_sent_with_the_headers_of_every_face(face, office):  # noqa: F811
    dossier, _photo = _received_with_a_photo(office)
    receipt = dossier.attachments.get(kind=AttachmentKind.NOTICE, notice_form="01")
    assert receipt.pending

    response = _client(face, office).get(_url(face, dossier, receipt))

    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(content))
    disposition = "attachment" if face == "api" else "inline"  # the pages show a PDF in the browser
    name = f"mau-01-{dossier.code}.pdf"
    assert response["Content-Disposition"] == f"{disposition}; filename=\"{name}\"; filename*=UTF-8''{name}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    receipt.refresh_from_db()
    assert not receipt.pending and receipt.file.read() == content


@pytest.mark.parametrize("face", FACES)
def test_an_uploaded_image_is_downloaded_under_its_catalogue_name_from_every_face(face, office):  # noqa: F811
    dossier, photo = _received_with_a_photo(office)

    response = _client(face, office).get(_url(face, dossier, photo))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    # Never shown inline; the applicant's name (folders, markup, .html) is not what the browser saves.
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"Giay to khac.png\"; filename*=UTF-8''{OTHER_DOCUMENT}.png"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PNG


def test_the_api_gives_no_size_for_a_pending_file_until_it_is_rendered(office):  # noqa: F811
    from motcua.api.tests.test_dossiers_api import client_for

    dossier, _photo = _received_with_a_photo(office)
    citizen = client_for(office.citizen)

    def files() -> dict:
        listed = citizen.get(f"/api/dossiers/{dossier.public_id}").json()["attachments"]
        return {a["notice_form"] or a["name"]: a for a in listed}

    assert files()["01"]["size"] is None
    download = citizen.get(f"/api/dossiers/{dossier.public_id}/files/{files()['01']['id']}")
    assert files()["01"]["size"] == len(b"".join(download.streaming_content)) > 0
