"""The PDF of an official document in the layout of Decree 30/2020, Appendix I: the issuing agency
(with its parent) and the national motto side by side, the number and notation under the agency,
place and date under the motto, the urgency and secrecy marks, the type name and the summary (for a
công văn: "V/v …" under the number and "Kính gửi: …"), the body, then "Nơi nhận:" on the left and
the signature block on the right.

The leader signs a version without number and date (the clerk gives them at issue, as on paper):
the room for the leader's visible signature is the block ``SIGNATURE_ANCHOR``, the room for the
clerk's issue stamp (number, date, agency's seal; the agency's own signature) is ``ISSUE_ANCHOR``.
Where documents are not signed digitally the issued PDF is laid out again with its number and date.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from motcua.documents.constants import Channel, Confidentiality, FileKind, Urgency
from motcua.documents.models import OfficialDocument
from motcua.documents.numbering import format_number, notation_suffix

SIGNATURE_ANCHOR = "chu-ky-van-ban"
SIGNATURE_BOX_MM = (70, 26)
ISSUE_ANCHOR = "so-ngay-ban-hanh"
ISSUE_BOX_MM = (62, 16)

URGENCY_MARKS: dict[str, str] = {
    Urgency.URGENT: "KHẨN",
    Urgency.VERY_URGENT: "THƯỢNG KHẨN",
    Urgency.FLASH: "HỎA TỐC",
}
SECRECY_MARKS: dict[str, str] = {
    Confidentiality.CONFIDENTIAL: "MẬT",
    Confidentiality.SECRET: "TỐI MẬT",
    Confidentiality.TOP_SECRET: "TUYỆT MẬT",
}
_PLACE_PREFIXES = ("Tỉnh ", "Thành phố ", "Phường ", "Xã ", "Đặc khu ", "Thị trấn ")
_BASE_URL = str(Path(__file__).resolve().parent)
VERIFICATION_PATH = "/xac-thuc/"


def date_line(day: datetime.date | None) -> str:
    """'ngày 05 tháng 3 năm 2026' (Decree 30: days below 10 and the months 1 and 2 take a leading
    zero); blank slots before the date is known."""
    if day is None:
        blank = "\u00a0" * 8  # filled by the clerk's stamp at issue, as on paper
        return f"ngày {blank} tháng {blank} năm {timezone.localdate().year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_of(document: OfficialDocument) -> str:
    if document.place:
        return document.place
    unit = document.agency.unit
    name = unit.name if unit is not None else ""
    for prefix in _PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def verify_url() -> str:
    base = getattr(settings, "MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}{VERIFICATION_PATH}"


def context(document: OfficialDocument, *, with_number: bool, reserve_issue_box: bool) -> dict:
    agency = document.agency
    register = document.register
    kind = document.document_type
    recipients = [r.name for r in document.recipients.all()] if document.pk else []
    body_file = document.files.filter(kind=FileKind.BODY).first() if document.pk else None
    paragraphs = [p.strip() for p in (document.body or "").splitlines() if p.strip()]
    electronic = (
        [r.name for r in document.recipients.all() if r.channel == Channel.ELECTRONIC] if document.pk else []
    )
    abbreviation = register.agency_abbreviation if register is not None else _default_abbreviation(document)
    return {
        "agency_name": agency.name,
        "parent_name": agency.parent.name if agency.parent is not None else "",
        "number": format_number(document.number) if with_number and document.number else "",
        "notation_suffix": notation_suffix(kind.abbreviation, abbreviation, document.unit_abbreviation),
        "notation": document.notation if with_number else "",
        "place": place_of(document),
        "date_line": date_line(document.issued_on if with_number else None),
        "type_name": kind.name,
        "is_letter": not kind.abbreviation,
        "greeting": ", ".join(electronic or recipients[:3]),
        "summary": document.summary,
        "paragraphs": paragraphs,
        "attached_body": body_file.name if body_file is not None else "",
        "urgency_mark": URGENCY_MARKS.get(document.urgency, ""),
        "secrecy_mark": SECRECY_MARKS.get(document.confidentiality, ""),
        "recipients": recipients,
        "unit_abbreviation": document.unit_abbreviation,
        "signer_title": document.signer_title,
        "signer_name": document.signer_name,
        "signature_anchor": SIGNATURE_ANCHOR,
        "signature_box": {"width": SIGNATURE_BOX_MM[0], "height": SIGNATURE_BOX_MM[1]},
        "issue_anchor": ISSUE_ANCHOR,
        "issue_box": {"width": ISSUE_BOX_MM[0], "height": ISSUE_BOX_MM[1]},
        "reserve_issue_box": reserve_issue_box,
        "verify_url": verify_url(),
    }


def _default_abbreviation(document: OfficialDocument) -> str:
    from motcua.documents.selectors import register_for

    register = register_for(document.agency_id, document.direction)
    return register.agency_abbreviation if register is not None else ""


def layout(document: OfficialDocument, *, with_number: bool, reserve_issue_box: bool = False):
    with translation.override("vi"):
        html = render_to_string(
            "documents/pdf/document.html",
            context(document, with_number=with_number, reserve_issue_box=reserve_issue_box),
        )
    return HTML(string=html, base_url=_BASE_URL, url_fetcher=URLFetcher(allowed_protocols={"data"})).render()


def render(document: OfficialDocument, *, with_number: bool, reserve_issue_box: bool = False) -> bytes:
    return layout(document, with_number=with_number, reserve_issue_box=reserve_issue_box).write_pdf()
