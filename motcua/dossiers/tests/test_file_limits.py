"""Files per dossier: how many and how large (settings), and the name each is kept and served under."""

import io

import pytest

from motcua.dossiers import services
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.tests.factories import PDF, PNG, pdf
from motcua.dossiers.uploads import stored_name

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "extension", "stored"),
    [
        ("jpg.html", ".jpg", "jpg.jpg"),
        ("x.pdf.exe", ".pdf", "x.pdf"),
        ("Scan.PDF", ".pdf", "Scan.pdf"),
        ("ảnh chụp", ".png", "ảnh chụp.png"),
        ("../../etc/passwd", ".pdf", "etc_passwd.pdf"),
        ("a\u200bb\x07.pdf", ".pdf", "ab_.pdf"),
        ("", ".jpg", "tep.jpg"),
        ("d" * 400 + ".pdf", ".pdf", "d" * 251 + ".pdf"),
    ],
)
def test_a_file_is_named_by_the_type_of_its_content(name, extension, stored):
    assert stored_name(name, extension) == stored


def test_an_html_name_on_a_jpeg_is_kept_as_jpg(office):
    dossier = services.start_dossier(version=office.version, applicant=office.citizen)

    attachment = services.add_document(
        dossier, actor=office.citizen, upload=io.BytesIO(JPEG), name="jpg.html"
    )

    assert attachment.original_name == "jpg.jpg" and attachment.content_type == "image/jpeg"
    assert str(attachment.file.name).endswith(".jpg")


def test_a_dossier_holds_at_most_the_files_set(office, settings):
    settings.MOTCUA_DOSSIER_MAX_FILES = 2
    dossier = services.start_dossier(version=office.version, applicant=office.citizen)
    for name in ("a.pdf", "b.pdf"):
        services.add_document(dossier, actor=office.citizen, upload=pdf(), name=name)

    with pytest.raises(InvalidInput, match="tối đa") as refused:
        services.add_document(dossier, actor=office.citizen, upload=io.BytesIO(PNG), name="c.png")

    assert refused.value.errors["file"] and dossier.attachments.count() == 2


def test_a_dossier_holds_at_most_the_bytes_set(office, settings):
    settings.MOTCUA_DOSSIER_MAX_BYTES = len(PDF) * 2 + 10
    dossier = services.start_dossier(version=office.version, applicant=office.citizen)
    services.add_document(dossier, actor=office.citizen, upload=pdf(), name="a.pdf")
    services.add_document(dossier, actor=office.citizen, upload=pdf(), name="b.pdf")

    with pytest.raises(InvalidInput, match="dung lượng"):
        services.add_document(dossier, actor=office.citizen, upload=pdf(), name="c.pdf")


def test_counter_intake_counts_the_scans_against_the_limits(office, settings):
    settings.MOTCUA_DOSSIER_MAX_FILES = 1
    document = office.version.documents.first()

    with pytest.raises(InvalidInput) as refused:
        services.intake_at_counter(
            actor=office.reception,
            agency=office.agency,
            version=office.version,
            applicant={"name": "Nguyễn Văn An"},
            form_data={},
            scans=[(document, "a.pdf", pdf()), (None, "b.pdf", pdf())],
        )

    assert "scans" in refused.value.errors
