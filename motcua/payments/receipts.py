"""The electronic receipt (biên lai thu phí, lệ phí điện tử) of a payment, as a PDF.

Made like the dossiers' notices (motcua.dossiers.notices), in two steps so that no PDF is laid out under
a lock: :func:`prepare` reads the payment at issuance into a snapshot (plain JSON: strings, formatted
dates, the lines paid for); :func:`render` lays the snapshot out with WeasyPrint and reads nothing else.
The template extends the notices' layout (national header, QR code to the public lookup); WeasyPrint may
fetch nothing but the ``data:`` URI of the QR code.
"""

import datetime
import json
import threading
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from motcua.dossiers.notices import format_date_line, format_datetime_vn, format_vnd, qr_png_data_uri

TEMPLATE = "payments/receipt.html"
TITLE = "BIÊN LAI THU PHÍ, LỆ PHÍ"
SUBTITLE = "(Biên lai điện tử)"
SNAPSHOT_VERSION = 1
# Unit name prefixes dropped to get the place name of the date line ("Tuyên Quang, ngày ...").
_PLACE_PREFIXES = ("Thành phố ", "Tỉnh ", "Đặc khu ", "Phường ", "Xã ", "Thị trấn ")
_BASE_URL = str(Path(__file__).resolve().parent)

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _three(number: int, full: bool) -> list[str]:
    """Words of 0–999; ``full`` when a higher group precedes (then "không trăm", "linh" are said)."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if full or hundreds:
                words.append("linh")
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, _DIGITS[units]))
    return words


def _below_billion(number: int, full: bool) -> list[str]:
    words: list[str] = []
    for value, scale in ((number // 10**6, "triệu"), (number // 1000 % 1000, "nghìn"), (number % 1000, "")):
        if value:
            words += _three(value, full or bool(words))
            if scale:
                words.append(scale)
    return words


def _read(number: int, full: bool = False) -> list[str]:
    billions, rest = divmod(number, 10**9)
    words: list[str] = []
    if billions:
        words += [*_read(billions, full), "tỷ"]
    if rest:
        words += _below_billion(rest, full or bool(words))
    return words


def amount_in_words(amount: int) -> str:
    """8000 → 'Tám nghìn đồng'; 1005000 → 'Một triệu không trăm linh năm nghìn đồng' (the "bằng chữ" line)."""
    if amount < 0:
        raise ValueError("An amount in words is never negative.")
    text = " ".join(_read(amount) or ["không"]) + " đồng"
    return text[0].upper() + text[1:]


def _place(agency) -> str:
    unit = agency.unit if agency.unit_id else None
    if unit is None:
        return ""
    name = unit.name
    for prefix in _PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def prepare(
    *,
    number: str,
    dossier,
    issued_at: datetime.datetime,
    amount: int,
    method: str,
    reference: str,
    charges: list[dict],
    collector: str,
    lookup_url: str,
) -> dict:
    """The snapshot of the receipt ``number`` for a payment of ``amount`` on ``dossier``.

    ``charges``: the lines paid for, each {"name", "count", "amount"} (already worded); ``method``: how
    it was paid, worded; ``collector``: who collected it (the officer, or the gateway)."""
    agency = dossier.receiving_agency
    parent = agency.parent if agency.parent_id else None
    version = dossier.procedure_version
    context = {
        "title": TITLE,
        "subtitle": SUBTITLE,
        "number": number,
        "agency": {"name": agency.name, "address": agency.address},
        "agency_parent": parent.name if parent is not None else "",
        "place": _place(agency),
        "issued_on": format_date_line(issued_at),
        "issued_at": format_datetime_vn(issued_at),
        "dossier": {"code": dossier.code or ""},
        "payer": {
            "name": dossier.applicant_name,
            "identity": dossier.applicant_identity,
            "address": dossier.applicant_address,
        },
        "procedure_name": version.name,
        "procedure_code": version.procedure.code,
        "charges": charges,
        "amount": format_vnd(amount),
        "amount_in_words": amount_in_words(amount),
        "method": method,
        "reference": reference,
        "collector": collector,
        "lookup_url": lookup_url,
    }
    return json.loads(json.dumps({"version": SNAPSHOT_VERSION, "document": "receipt", "context": context}))


_per_thread = threading.local()


def _fetcher() -> URLFetcher:
    if not hasattr(_per_thread, "fetcher"):
        _per_thread.fetcher = URLFetcher(allowed_protocols={"data"})
    return _per_thread.fetcher


def layout(snapshot: dict):
    """The laid-out WeasyPrint document of a receipt snapshot (tests read its text)."""
    context = dict(snapshot["context"])
    context["qr"] = qr_png_data_uri(context["lookup_url"]) if context.get("lookup_url") else ""
    with translation.override("vi"):
        html = render_to_string(TEMPLATE, context)
    return HTML(string=html, base_url=_BASE_URL, url_fetcher=_fetcher()).render()


def render(snapshot: dict) -> bytes:
    """The PDF bytes of a receipt snapshot: a pure function of it."""
    return layout(snapshot).write_pdf()
