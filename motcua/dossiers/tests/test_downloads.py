"""The name a file is offered under and its Content-Disposition (motcua.dossiers.downloads); the
headers of the three faces are tested in tests/test_file_downloads.py."""

import pytest

from motcua.catalog.models import RequiredDocument
from motcua.dossiers.downloads import MAX_NAME, content_disposition, download_name
from motcua.dossiers.models import Attachment


def _file(name: str, extension: str = ".pdf", document: RequiredDocument | None = None) -> Attachment:
    return Attachment(original_name=name, extension=extension, document=document)


@pytest.mark.parametrize(
    ("uploaded", "extension", "offered"),
    [
        ("mau-01-000.01.01.H59-260312-0001.pdf", ".pdf", "mau-01-000.01.01.H59-260312-0001.pdf"),
        ("Giấy khai sinh.pdf", ".pdf", "Giấy khai sinh.pdf"),
        ("C:\\Users\\An\\Giấy khai sinh.PDF", ".pdf", "Giấy khai sinh.pdf"),
        ("../../etc/passwd", ".png", "passwd.png"),
        ("trang-1.html", ".jpg", "trang-1.jpg"),  # the extension of the type checked from the content
        ("hoa\u202egnp.exe", ".png", "hoa gnp.png"),  # a right-to-left override would disguise it
        ('bao "cao"; x\r\ny.pdf', ".pdf", "bao cao x y.pdf"),
        (".htaccess", ".png", "htaccess.png"),
        ("...", ".pdf", "tep.pdf"),
        ("", ".png", "tep.png"),
    ],
)
def test_the_offered_name_keeps_no_folder_control_character_or_foreign_extension(
    uploaded, extension, offered
):
    assert download_name(_file(uploaded, extension)) == offered


def test_a_file_answering_a_catalogue_document_is_offered_under_the_catalogue_name():
    document = RequiredDocument(pk=7, name="Tờ khai đăng ký khai sinh (Mẫu TK/HT)")
    assert (
        download_name(_file("scan0001.jpg", ".jpg", document)) == "Tờ khai đăng ký khai sinh (Mẫu TK HT).jpg"
    )


def test_a_long_name_is_cut():
    name = download_name(_file("Giấy " * 60 + ".pdf"))
    assert name.endswith(".pdf") and len(name) <= MAX_NAME + len(".pdf") and not name[:-4].endswith(" ")


def test_content_disposition_gives_an_ascii_name_and_the_vietnamese_one():
    assert content_disposition("Đơn đề nghị.pdf", inline=False) == (
        'attachment; filename="Don de nghi.pdf"; '
        "filename*=UTF-8''%C4%90%C6%A1n%20%C4%91%E1%BB%81%20ngh%E1%BB%8B.pdf"
    )
    assert content_disposition("ket-qua.pdf", inline=True) == (
        "inline; filename=\"ket-qua.pdf\"; filename*=UTF-8''ket-qua.pdf"
    )
