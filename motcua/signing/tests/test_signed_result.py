"""On approval the result is signed PAdES (SHA-256) by the approving leader, time-stamped (B-T), with a
visible block naming them beside the agency's seal; receipts and notices are signed by the agency. The
one-stop unit returns a result only once it is signed."""

import hashlib
import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.dossiers import rules
from motcua.dossiers import services as dossier_services
from motcua.dossiers.constants import ActionType, SignatureState, Status
from motcua.dossiers.errors import WrongState
from motcua.dossiers.models import Attachment
from motcua.dossiers.tests.factories import (
    PNG,
    pdf,
    procedure_without_approval,
    received,
    received_without_approval,
)
from motcua.signing import conf, pades, selectors, services, testca
from motcua.signing.models import IssuedDocument
from motcua.signing.tests.factories import approved, certificate_for
from motcua.signing.tests.fixtures import pdfsig_available

IN_CI = os.environ.get("CI", "").lower() == "true"
needs_pdfsig = pytest.mark.skipif(
    not pdfsig_available() and not IN_CI,
    reason="poppler's pdfsig and NSS's certutil needed (apt-get install poppler-utils libnss3-tools)",
)


@pytest.fixture
def signers(office, signing):
    """The office's leader and agency hold certificates of the session's CA; the agency has a seal."""
    services.set_seal(office.agency, testca.seal_png(office.agency.name))
    return certificate_for(signing, user=office.leader), certificate_for(signing, agency=office.agency)


def _approved(office, capture, **kwargs):
    with capture(execute=True):  # the commit: renders, the approval's event and its signing task
        return approved(office, **kwargs)


def _result(dossier) -> Attachment:
    [result] = selectors.current_results(dossier)
    return result


def _read(attachment: Attachment) -> bytes:
    attachment.refresh_from_db()
    with attachment.file.open("rb") as handle:
        return handle.read()


def _pdfsig(path, nss) -> str:
    run = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True)
    return run.stdout + run.stderr


def _flip_a_signed_byte(data: bytes) -> bytes:
    """One byte changed inside the first signed range (in the document's own bytes)."""
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)", data)
    assert match is not None
    position = int(match.group(2)) // 2
    tampered = bytearray(data)
    tampered[position] ^= 0x01
    return bytes(tampered)


def test_the_approved_result_is_signed_by_the_approving_leader_with_a_timestamp(
    office, signers, django_capture_on_commit_callbacks
):
    dossier = _approved(office, django_capture_on_commit_callbacks)
    result = _result(dossier)
    data = _read(result)

    assert result.signature_state == SignatureState.SIGNED
    assert result.signed_by == office.leader.full_name and result.signed_at is not None
    [report] = pades.verify(data, conf.trust_roots())
    assert report.intact and report.trusted and report.covers_whole_document
    assert report.signer == office.leader.full_name
    assert report.timestamped  # B-T: the TSA's token, whose time is the signing time shown
    # PAdES baseline, SHA-256; the signature is visible where the result keeps room for it, with the seal.
    reader = PdfFileReader(io.BytesIO(data))
    [signature] = reader.embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.md_algorithm == "sha256"
    widget = signature.sig_field
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    assert x2 - x1 > 150 and y2 - y1 > 60
    appearance = widget["/AP"]["/N"]
    assert any("/Img" in str(name) for name in appearance["/Resources"]["/XObject"])
    # The register knows it, as signed by the leader.
    registered = IssuedDocument.objects.get(sha256=result.sha256)
    assert registered.kind == "result" and registered.signer == office.leader.full_name
    assert registered.dossier == dossier and registered.attachment == result


def test_the_receipt_is_signed_by_the_agency_as_it_is_rendered(
    office, signers, django_capture_on_commit_callbacks
):
    dossier = _approved(office, django_capture_on_commit_callbacks)
    receipt = dossier.attachments.get(notice_form="01")
    data = _read(receipt)

    assert receipt.signature_state == SignatureState.SIGNED and receipt.signed_by == office.agency.name
    [report] = pades.verify(data, conf.trust_roots())
    assert report.intact and report.trusted and report.timestamped and report.signer == office.agency.name
    assert IssuedDocument.objects.get(sha256=receipt.sha256).kind == "receipt"


@needs_pdfsig
def test_pdfsig_validates_the_signed_result_and_receipt_against_the_demo_ca(
    office, signers, signing, tmp_path, django_capture_on_commit_callbacks
):
    dossier = _approved(office, django_capture_on_commit_callbacks)
    nss = signing.directory / "nss"
    for name, attachment in (
        ("result", _result(dossier)),
        ("receipt", dossier.attachments.get(notice_form="01")),
    ):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(_read(attachment))
        out = _pdfsig(path, nss)
        assert "Signature Validation: Signature is Valid." in out, out
        assert "Certificate Validation: Certificate is Trusted." in out, out
        assert "Signing Hash Algorithm: SHA-256" in out and "Total document signed" in out, out


@needs_pdfsig
def test_one_changed_byte_makes_pdfsig_and_pyhanko_report_the_result_invalid(
    office, signers, signing, tmp_path, django_capture_on_commit_callbacks
):
    dossier = _approved(office, django_capture_on_commit_callbacks)
    for attachment in (_result(dossier), dossier.attachments.get(notice_form="01")):
        tampered = _flip_a_signed_byte(_read(attachment))
        path = tmp_path / "tampered.pdf"
        path.write_bytes(tampered)

        assert "Signature Validation: Digest Mismatch." in _pdfsig(path, signing.directory / "nss")
        [report] = pades.verify(tampered, conf.trust_roots())
        assert not report.intact


def test_a_pdf_signed_by_another_ca_is_intact_but_not_trusted(office, signers):
    stranger_root = testca.make_root("Another CA")
    stranger = testca.issue(stranger_root, "Nobody we know")
    credential = pades.Credential(
        pades.load_certificate(stranger.der),
        (pades.load_certificate(stranger_root.der),),
        pades.load_private_key(stranger.key_der),
    )
    signed = pades.sign(_read_fixture_pdf(), credential)

    [report] = pades.verify(signed, conf.trust_roots())
    assert report.intact and not report.trusted


def _read_fixture_pdf() -> bytes:
    from motcua.dossiers import notices
    from motcua.dossiers.tests.test_notices import LOOKUP_URL, make_dossier

    return notices.render_result(make_dossier(), lookup_url=LOOKUP_URL)


def test_the_result_is_not_returned_before_it_is_signed(office, signing, django_capture_on_commit_callbacks):
    leader_certificate = certificate_for(signing, user=office.leader, added_at=None)
    services.revoke(leader_certificate, actor=None, reason="Mất thiết bị")
    dossier = _approved(office, django_capture_on_commit_callbacks)
    result = _result(dossier)

    # The approval went through; the result waits for a valid certificate and says why.
    assert dossier.status == Status.READY
    assert result.signature_state == SignatureState.NO_CERTIFICATE
    assert "thu hồi" in result.signature_note and "Kết quả sẽ được ký" in result.signature_note
    with pytest.raises(WrongState, match="Kết quả chưa được ký số"):
        dossier_services.return_result(dossier, actor=office.reception)
    verdict = rules.offer(office.reception, dossier)[ActionType.RETURN_RESULT]
    assert not verdict.allowed and verdict.reason == "Kết quả chưa được ký số."

    # A valid certificate arrives: the waiting result is signed, and it can be returned.
    with django_capture_on_commit_callbacks(execute=True):
        certificate_for(signing, user=office.leader)
    result.refresh_from_db()
    assert result.signature_state == SignatureState.SIGNED
    dossier_services.return_result(dossier, actor=office.reception)
    assert dossier.status == Status.RETURNED


def test_an_uploaded_result_is_signed_on_approval_and_its_file_replaced(
    office, signers, django_capture_on_commit_callbacks
):
    upload = pdf(_read_fixture_pdf())
    dossier = _approved(office, django_capture_on_commit_callbacks, upload=upload)
    result = _result(dossier)
    data = _read(result)

    assert result.signature_state == SignatureState.SIGNED
    assert data.startswith(upload.getvalue()[:8]) and len(data) > len(upload.getvalue())
    [report] = pades.verify(data, conf.trust_roots())
    assert report.intact and report.trusted and report.signer == office.leader.full_name
    # The unsigned upload is not kept beside it; only the signed version was given out.
    root = Path(result.file.storage.location)
    stored = {hashlib.sha256(p.read_bytes()).digest() for p in root.rglob("*") if p.is_file()}
    assert hashlib.sha256(upload.getvalue()).digest() not in stored
    assert hashlib.sha256(data).digest() in stored
    assert list(IssuedDocument.objects.filter(attachment=result).values_list("sha256", flat=True)) == [
        result.sha256
    ]


def test_an_uploaded_image_cannot_be_signed_and_the_page_says_why(
    office, signers, django_capture_on_commit_callbacks
):
    png = testca.seal_png("Ảnh chụp kết quả")
    assert png.startswith(PNG[:8])
    dossier = _approved(office, django_capture_on_commit_callbacks, upload=io.BytesIO(png))
    result = _result(dossier)
    assert result.signature_state == SignatureState.FAILED and "PDF" in result.signature_note


def test_a_result_rendered_after_the_approval_is_signed_as_it_is_rendered(office, signers):
    # No commit: the generated result is still pending when the dossier is approved (and the
    # approval's task has not run); the first render signs it.
    dossier = approved(office)
    result = _result(dossier)
    assert result.pending
    dossier_services.render_pending(result)

    assert result.signature_state == SignatureState.SIGNED
    [report] = pades.verify(_read(result), conf.trust_roots())
    assert report.intact and report.signer == office.leader.full_name


def test_a_result_rendered_before_the_approval_waits_for_it(
    office, signers, django_capture_on_commit_callbacks
):
    dossier = received(office)
    with django_capture_on_commit_callbacks(execute=True):
        result = dossier_services.attach_result(dossier, actor=office.specialist)
    result.refresh_from_db()
    assert result.signature_state == SignatureState.PENDING
    assert not pades.verify(_read(result), conf.trust_roots())  # rendered, not signed yet


def test_where_no_leader_approves_the_agency_signs_the_result(
    office, signers, django_capture_on_commit_callbacks
):
    version = procedure_without_approval(office)
    dossier = received_without_approval(office, version)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.attach_result(dossier, actor=office.specialist)
        dossier_services.mark_ready(dossier, actor=office.specialist)
    result = _result(dossier)

    assert result.signature_state == SignatureState.SIGNED and result.signed_by == office.agency.name
    [report] = pades.verify(_read(result), conf.trust_roots())
    assert report.signer == office.agency.name


def test_without_signing_configured_the_result_is_registered_unsigned_and_returned(
    office, settings, django_capture_on_commit_callbacks
):
    settings.MOTCUA_SIGNING_ENABLED = False
    dossier = _approved(office, django_capture_on_commit_callbacks)
    result = _result(dossier)

    assert result.signature_state == SignatureState.UNSIGNED
    assert IssuedDocument.objects.filter(sha256=result.sha256, signer="").exists()
    dossier_services.return_result(dossier, actor=office.reception)
    assert dossier.status == Status.RETURNED
