"""Files of a dossier go out only to those who may see it, with safe headers."""

from motcua.dossiers import services
from motcua.dossiers.tests.factories import GOOD_FORM, PNG, pdf, received


def test_the_agency_downloads_the_receipt_inline(office, as_user):
    dossier = received(office)
    receipt = dossier.attachments.get(notice_form="01")

    response = as_user(office.reception).get(f"/can-bo/ho-so/{dossier.code}/tep/{receipt.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_image_is_downloaded_as_an_attachment(office, as_user):
    dossier = services.start_dossier(version=office.version, applicant=office.citizen)
    services.save_draft(dossier, actor=office.citizen, form_data=GOOD_FORM)
    for document in office.version.documents.filter(required=True):
        services.add_document(dossier, actor=office.citizen, upload=pdf(), name="a.pdf", document=document)
    other = office.version.documents.get(required=False)
    photo = services.add_document(
        dossier, actor=office.citizen, upload=pdf(PNG), name="anh.png", document=other
    )
    services.submit(dossier, actor=office.citizen, declaration=True)

    response = as_user(office.specialist).get(f"/can-bo/ho-so/{dossier.public_id}/tep/{photo.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    # Offered under the catalogue's name of the document it answers, with the checked type's extension.
    assert 'filename="Giay to khac.png"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_strangers_and_other_dossiers_get_404(office, as_user):
    dossier = received(office)
    other = received(office)
    receipt = dossier.attachments.get(notice_form="01")

    assert as_user(office.stranger).get(f"/can-bo/ho-so/{dossier.code}/tep/{receipt.pk}/").status_code == 404
    assert as_user(office.outsider).get(f"/can-bo/ho-so/{dossier.code}/tep/{receipt.pk}/").status_code == 404
    # a file id of one dossier under another dossier's address
    assert as_user(office.reception).get(f"/can-bo/ho-so/{other.code}/tep/{receipt.pk}/").status_code == 404
