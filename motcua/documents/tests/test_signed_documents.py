"""With signing configured, the leader signs the draft (visible, with the agency's seal) and the
agency signs at issue, its stamp giving the number and date; pdfsig validates both signatures, the
register of issued documents knows the PDF and /xac-thuc/ says so."""

import subprocess

import pytest

from motcua.documents import services
from motcua.documents.constants import FileKind
from motcua.documents.tests.factories import approved, make_bureau, signed
from motcua.dossiers.errors import WrongState
from motcua.signing import conf, pades, testca
from motcua.signing import services as signing_services
from motcua.signing.models import IssuedDocument
from motcua.signing.tests.factories import certificate_for
from motcua.signing.tests.test_signed_result import needs_pdfsig


@pytest.fixture
def bureau(db, signing):
    """An agency whose leader and whose agency hold certificates of the session's CA, with a seal."""
    bureau = make_bureau()
    signing_services.set_seal(bureau.agency, testca.seal_png(bureau.agency.name))
    certificate_for(signing, user=bureau.leader)
    certificate_for(signing, agency=bureau.agency)
    return bureau


def _read(document, kind) -> bytes:
    with document.files.get(kind=kind).file.open("rb") as handle:
        return handle.read()


def test_the_leader_signs_and_the_agency_seals_at_issue(bureau):
    document = signed(bureau)
    [leader] = pades.verify(_read(document, FileKind.SIGNED), conf.trust_roots())
    assert leader.intact and leader.trusted and leader.signer == bureau.leader.full_name
    assert document.signed_digitally

    services.issue(document, actor=bureau.clerk)
    data = _read(document, FileKind.ISSUED)
    first, second = pades.verify(data, conf.trust_roots())
    assert first.intact and first.trusted and first.signer == bureau.leader.full_name
    assert second.intact and second.trusted and second.signer == bureau.agency.name
    assert second.covers_whole_document and first.timestamped
    registered = IssuedDocument.objects.get(sha256=document.files.get(kind=FileKind.ISSUED).sha256)
    assert registered.kind == "official_document" and registered.dossier is None
    assert document.notation in registered.reference


def test_a_leader_without_a_certificate_cannot_sign(db, signing, media):
    bureau = make_bureau()
    document = approved(bureau)
    with pytest.raises(WrongState, match="chứng thư số"):
        services.sign(document, actor=bureau.leader)


def test_the_verification_page_knows_the_issued_document(bureau, client):
    document = signed(bureau)
    services.issue(document, actor=bureau.clerk)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("vb.pdf", _read(document, FileKind.ISSUED), content_type="application/pdf")
    response = client.post("/xac-thuc/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert document.notation in page and "Văn bản hành chính" in page


@needs_pdfsig
def test_pdfsig_validates_both_signatures_of_the_issued_pdf(bureau, signing, tmp_path):
    document = signed(bureau)
    services.issue(document, actor=bureau.clerk)
    path = tmp_path / "van-ban.pdf"
    path.write_bytes(_read(document, FileKind.ISSUED))
    run = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{signing.directory / 'nss'}", str(path)], capture_output=True, text=True
    )
    out = run.stdout + run.stderr
    assert out.count("Signature Validation: Signature is Valid.") == 2, out
    assert out.count("Certificate Validation: Certificate is Trusted.") == 2, out
    assert "Signing Hash Algorithm: SHA-256" in out, out
