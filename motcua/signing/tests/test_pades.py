"""Where a visible signature goes, and documents signed more than once."""

from motcua.dossiers import documents, notices
from motcua.dossiers.tests.test_notices import LOOKUP_URL, make_dossier
from motcua.signing import pades, testca


def _credential(root, name):
    issued = testca.issue(root, name)
    return pades.Credential(
        pades.load_certificate(issued.der),
        (pades.load_certificate(root.der),),
        pades.load_private_key(issued.key_der),
    )


def test_the_box_is_where_the_result_reserves_it():
    snapshot = notices.prepare_result(make_dossier(), lookup_url=LOOKUP_URL, verify_url=LOOKUP_URL)
    document = notices.layout(snapshot)
    pdf = document.write_pdf()
    box = pades.anchor_box(pdf, documents.SIGNATURE_ANCHOR, documents.SIGNATURE_BOX_MM)

    assert box is not None and box.page == len(document.pages) - 1
    x1, y1, x2, y2 = box.rect
    assert round(x2 - x1) == round(documents.SIGNATURE_BOX_MM[0] * pades.MM)
    assert round(y2 - y1) == round(documents.SIGNATURE_BOX_MM[1] * pades.MM)
    # In the right half of the page, the signer's column (WeasyPrint: CSS px = 0.75 pt, origin top-left).
    left, _top = document.pages[box.page].anchors[documents.SIGNATURE_ANCHOR][:2]
    assert abs(x1 - left * 0.75) < 1 and x1 > 595 / 2 - 60


def test_a_pdf_without_the_anchor_gets_the_bottom_right_corner_of_its_last_page():
    pdf = notices.render_notice("01", make_dossier(), lookup_url=LOOKUP_URL, documents=[])
    assert pades.anchor_box(pdf, documents.SIGNATURE_ANCHOR, documents.SIGNATURE_BOX_MM) is None
    corner = pades.last_page_corner(pdf, documents.SIGNATURE_BOX_MM)
    x1, y1, x2, _y2 = corner.rect
    assert corner.page == -1 or corner.page >= 0
    assert x2 < 595.3 and y1 > 0 and x1 > 595.3 / 2


def test_a_document_signed_twice_keeps_both_signatures_valid():
    root = testca.make_root()
    pdf = notices.render_result(make_dossier(), lookup_url=LOOKUP_URL)
    once = pades.sign(pdf, _credential(root, "Người thứ nhất"))
    twice = pades.sign(once, _credential(root, "Người thứ hai"))

    first, second = pades.verify(twice, [pades.load_certificate(root.der)])
    assert (first.signer, second.signer) == ("Người thứ nhất", "Người thứ hai")
    assert first.intact and second.intact and second.covers_whole_document
    assert first.field_name != second.field_name


def test_an_encrypted_or_unreadable_pdf_cannot_be_signed():
    root = testca.make_root()
    import pytest

    with pytest.raises(pades.SignatureFailed):
        pades.sign(b"%PDF-1.7 not really", _credential(root, "Ai đó"))
    with pytest.raises(pades.SignatureFailed):
        pades.verify(b"not a pdf at all", [])
