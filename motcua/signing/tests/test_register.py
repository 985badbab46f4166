"""Every document the system gives out is registered by its SHA-256: the notices as they are rendered,
the result when it is issued (signed, or as it is where signing is not configured)."""

import hashlib

from motcua.dossiers import services as dossier_services
from motcua.dossiers.constants import SignatureState
from motcua.signing import selectors, services
from motcua.signing.models import IssuedDocument
from motcua.signing.tests.factories import approved, certificate_for
from motcua.signing.tests.test_signed_result import _read


def test_every_issued_document_is_registered_with_its_kind_signer_and_time(
    office, signing, django_capture_on_commit_callbacks
):
    certificate_for(signing, user=office.leader)
    certificate_for(signing, agency=office.agency)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = approved(office)
    with django_capture_on_commit_callbacks(execute=True):  # returned once signed
        dossier_services.return_result(dossier, actor=office.reception)

    issued = {a.pk: a for a in selectors.issued_attachments(dossier)}
    registered = IssuedDocument.objects.filter(dossier=dossier)
    assert {r.attachment_id for r in registered} == set(issued)
    for entry in registered:
        attachment = issued[entry.attachment_id]
        assert entry.sha256 == attachment.sha256 == hashlib.sha256(_read(attachment)).hexdigest()
        assert entry.signer == attachment.signed_by and entry.signed_at == attachment.signed_at
        assert entry.size == attachment.size
    assert sorted(registered.values_list("kind", flat=True)) == ["receipt", "result"]
    assert selectors.registered(issued[max(issued)].sha256).kind == "result"


def test_registering_the_same_bytes_twice_keeps_one_entry(
    office, signing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = approved(office)
    receipt = dossier.attachments.get(notice_form="01")
    data = _read(receipt)
    first = services.register(receipt, data)
    again = services.register(receipt, data)
    assert first.pk == again.pk and IssuedDocument.objects.filter(sha256=first.sha256).count() == 1


def test_an_agency_without_a_certificate_issues_its_receipt_unsigned_and_registered(
    office, signing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = approved(office)
    receipt = dossier.attachments.get(notice_form="01")
    assert receipt.signature_state == SignatureState.NO_CERTIFICATE
    assert office.agency.name in receipt.signature_note
    assert IssuedDocument.objects.get(sha256=receipt.sha256).signer == ""


def test_a_finisher_failure_never_stops_the_document(
    office, signing, settings, django_capture_on_commit_callbacks
):
    certificate_for(signing, agency=office.agency)
    settings.MOTCUA_SIGNING_KEY = "not-the-key-it-was-stored-with"  # the key cannot be decrypted
    with django_capture_on_commit_callbacks(execute=True):
        dossier = approved(office)
    receipt = dossier.attachments.get(notice_form="01")
    assert receipt.signature_state == SignatureState.FAILED and _read(receipt).startswith(b"%PDF")
