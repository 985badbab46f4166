"""The PDF forms of Circular 03/2025 Appendix I and a simple result document.

Forms 01–05 are notices to the applicant and the result document is what the procedure issues; each
is made in two steps so that a service never lays out a PDF while it holds a dossier's lock:

- *prepare* (:func:`prepare_notice`, :func:`prepare_result`) reads the dossier at issuance into a
  snapshot: a plain, JSON-serialisable dict of everything the document prints (strings, dates already
  formatted, the address the QR code encodes, the fee lines...). The service stores it with the
  attachment.
- *render* (:func:`render`) lays the snapshot out and returns the PDF bytes. It reads nothing else,
  so the same snapshot gives the same bytes whenever it is rendered.

Form 06, the process control slip, is printed on demand from the dossier's history
(:func:`render_control_slip`, rows from motcua.dossiers.control_slip); form 07 is the register of a
reception unit (:func:`render_register`, lines from motcua.dossiers.register). Neither is stored.

The templates live in ``dossiers/templates/dossiers/notices/``; every value coming from a person goes
through Django's autoescaping, and WeasyPrint may fetch nothing but the ``data:`` URIs we embed
(the QR code), so a document can never pull a file or a URL into the PDF.

Dates are printed in Vietnam's time, in the administrative style: "15 giờ 30 phút, ngày 12/03/2026".
"""

import base64
import datetime
import io
import json
import logging
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import qrcode
from django.template.loader import render_to_string
from django.utils import timezone, translation
from qrcode.constants import ERROR_CORRECT_M
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from motcua.catalog import fees
from motcua.dossiers import control_slip, documents, register
from motcua.dossiers.constants import AttachmentKind, NoticeForm, ResultDelivery

# Where a Vietnamese administrative document is dated, whatever time zone is active.
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# The caption printed at the top right of every notice. Sample wording: check it against the
# circular in force and change it here only.
FORM_CAPTION = "Mẫu số {number} – Thông tư 03/2025"

TEMPLATE_DIR = "dossiers/notices"
TEMPLATES = {
    NoticeForm.RECEIPT: f"{TEMPLATE_DIR}/form_01.html",
    NoticeForm.SUPPLEMENT: f"{TEMPLATE_DIR}/form_02.html",
    NoticeForm.REFUSAL: f"{TEMPLATE_DIR}/form_03.html",
    NoticeForm.APOLOGY: f"{TEMPLATE_DIR}/form_04.html",
    NoticeForm.STOP: f"{TEMPLATE_DIR}/form_05.html",
}
CONTROL_SLIP_TEMPLATE = f"{TEMPLATE_DIR}/form_06.html"
REGISTER_TEMPLATE = f"{TEMPLATE_DIR}/form_07.html"
RESULT_TEMPLATE = f"{TEMPLATE_DIR}/result.html"
CONTROL_SLIP_TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
RESULT_TITLE = "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
RESULT_SIGNER_TITLE = "NGƯỜI CÓ THẨM QUYỀN"

# The title of the signature block of each form.
SIGNER_TITLES = {
    NoticeForm.RECEIPT: "NGƯỜI TIẾP NHẬN HỒ SƠ",
    NoticeForm.SUPPLEMENT: "NGƯỜI HƯỚNG DẪN",
    NoticeForm.REFUSAL: "NGƯỜI TIẾP NHẬN HỒ SƠ",
    NoticeForm.APOLOGY: "THỦ TRƯỞNG CƠ QUAN",  # when the agency has no head's title on record
    NoticeForm.STOP: "ĐẠI DIỆN CƠ QUAN",
}
# Form 04 is an outgoing document: "Số: …/PXL" (the symbol is sample wording: change it here only).
# Without a number the clerk fills in the dotted line when registering it.
APOLOGY_SYMBOL = "PXL"
APOLOGY_RECIPIENTS = ["Như trên", "Lưu: VT"]
# Files of the applicant not tied to a catalogue document are counted, never named (the applicant chose
# their names).
OTHER_DOCUMENTS = "Giấy tờ khác kèm theo ({count} tệp)"

# Attachments that are documents the applicant handed in (listed on the receipt).
RECEIVED_KINDS = (AttachmentKind.APPLICANT, AttachmentKind.SCAN)

# Unit name prefixes dropped to get the place name of the date line ("Tuyên Quang, ngày ...").
_PLACE_PREFIXES = ("Thành phố ", "Tỉnh ", "Đặc khu ", "Phường ", "Xã ", "Thị trấn ")

_BASE_URL = str(Path(__file__).resolve().parent)

# WeasyPrint logs seven INFO lines per PDF ("Step 1 - Fetching and parsing HTML"...); keep them out of
# the logs unless LOGGING sets a level for this logger.
_progress_logger = logging.getLogger("weasyprint.progress")
if _progress_logger.level == logging.NOTSET:
    _progress_logger.setLevel(logging.WARNING)


# -- formatting -------------------------------------------------------------------------------------------


def _local(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(value):
        return value  # Taken as already in Vietnam's time.
    return timezone.localtime(value, VN_TZ)


def format_datetime_vn(value: datetime.datetime | None) -> str:
    """'15 giờ 30 phút, ngày 12/03/2026' in Vietnam's time; '' for None."""
    if value is None:
        return ""
    local = _local(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def format_date_line(value: datetime.datetime) -> str:
    """'ngày 12 tháng 03 năm 2026', as on the place-and-date line of a document."""
    local = _local(value)
    return f"ngày {local:%d} tháng {local:%m} năm {local:%Y}"


def format_vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _day_and_time(value: datetime.datetime | None) -> tuple[str, str]:
    """('12/03/2026', '08:30') in Vietnam's time; ('', '') for None (the register's narrow columns)."""
    if value is None:
        return "", ""
    local = _local(value)
    return f"{local:%d/%m/%Y}", f"{local:%H:%M}"


def qr_png_data_uri(text: str) -> str:
    """A PNG QR code of ``text`` as a ``data:`` URI, for an ``<img>`` in the notice."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=6, border=2)
    qr.add_data(text)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# -- reading the dossier ----------------------------------------------------------------------------------


def received_documents(dossier) -> list[str]:
    """The documents received: applicant files and scans that are not superseded.

    The catalogue's name of each document, once, in upload order; files tied to no catalogue document
    are counted in one last line, "Giấy tờ khác kèm theo (n tệp)". An unsaved dossier has none.
    Uses a prefetched ``attachments``.
    """
    if dossier.pk is None:
        return []
    names: list[str] = []
    others = 0
    attachments = sorted(dossier.attachments.all(), key=lambda a: (a.uploaded_at, a.pk or 0))
    for attachment in attachments:
        if attachment.kind not in RECEIVED_KINDS or attachment.superseded:
            continue
        document = _related(attachment, "document")
        if document is None:
            others += 1
        elif document.name not in names:
            names.append(document.name)
    if others:
        names.append(OTHER_DOCUMENTS.format(count=others))
    return names


def _related(obj, field: str):
    """``obj.<field>`` if set (saved, or assigned on an unsaved instance), else None; never raises."""
    descriptor = getattr(type(obj), field)
    if getattr(obj, descriptor.field.attname) is None and not descriptor.is_cached(obj):
        return None
    return getattr(obj, field)


def _place(agency) -> str:
    unit = _related(agency, "unit")
    if unit is None:
        return ""
    name = unit.name
    for prefix in _PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _issuer(dossier):
    """The agency that decides the dossier (cơ quan chủ trì giải quyết); the receiving one until set."""
    return _related(dossier, "deciding_agency") or dossier.receiving_agency


def _parent_name(agency) -> str:
    parent = _related(agency, "parent")
    return parent.name if parent is not None else ""


def _processing_time(version) -> str:
    if version.processing_time is None:
        return ""
    return version.processing_time_label


def _collection(dossier, agency) -> str:
    """Where and how the result is received, as the applicant chose (motcua.dossiers.delivery)."""
    if dossier.result_delivery == ResultDelivery.POST:
        return f"Qua dịch vụ bưu chính công ích, gửi đến: {dossier.delivery_address}"
    if dossier.result_delivery == ResultDelivery.ONLINE:
        return (
            "Trực tuyến: tải kết quả điện tử có chữ ký số trong tài khoản của người nộp trên Cổng "
            "dịch vụ công (tra cứu bằng mã hồ sơ hoặc mã QR dưới đây)"
        )
    return f"Trực tiếp tại Bộ phận Một cửa – {agency.name}" + (
        f", {agency.address}" if agency.address else ""
    )


def _fee_context(dossier, version) -> dict:
    """The charge lines of the catalogue for the dossier's form, and their total; without lines (no
    fee in the catalogue, or an unsaved version) the amount the dossier records, if any."""
    lines = fees.charges(version, dossier.form_data) if version.pk else []
    if not lines:
        return {"fee": format_vnd(dossier.fee_due) if dossier.fee_due else "", "fee_lines": []}
    printed = []
    for line in lines:
        if line.claimed:
            due = "Miễn (theo đề nghị của người nộp)"
        elif line.exempt:
            due = "Miễn phí"
        else:
            due = format_vnd(line.amount)
        count = f"{line.quantity} {line.unit}".strip()
        if line.by_quantity and line.unit_amount:
            due = f"{count} × {format_vnd(line.unit_amount)} = {due}"  # 2 bản sao × 8.000 đồng = ...
        elif line.by_quantity:
            due = f"{count}: {due}"
        printed.append({"name": str(line.name), "due": due, "note": str(line.note or "")})
    return {"fee": format_vnd(fees.total(lines)), "fee_lines": printed}


def _agency_fields(agency) -> dict:
    """What a document prints of an agency."""
    return {
        "name": agency.name,
        "address": agency.address,
        "phone": agency.phone,
        "email": agency.email,
        "opening_hours": agency.opening_hours,
    }


def _dossier_fields(dossier) -> dict:
    """What a document prints of the dossier itself (dates already formatted)."""
    return {
        "code": dossier.code or "",
        "channel": str(dossier.channel),
        "result_delivery": str(dossier.result_delivery),
        "applicant_name": dossier.applicant_name,
        "applicant_identity": dossier.applicant_identity,
        "applicant_phone": dossier.applicant_phone,
        "applicant_email": dossier.applicant_email,
        "applicant_address": dossier.applicant_address,
        "subject_name": dossier.subject_name,
        "subject_identity": dossier.subject_identity,
        "subject_relation": dossier.subject_relation,
        "submitted_at": format_datetime_vn(dossier.submitted_at),
        "received_at": format_datetime_vn(dossier.received_at),
        "receiving_agency": {"name": dossier.receiving_agency.name},
    }


def _context(dossier, *, lookup_url: str, officer_name: str, issued_at, verify_url: str = "") -> dict:
    """The values every form prints, as plain strings, lists and dicts (call under Vietnamese)."""
    agency = dossier.receiving_agency
    version = dossier.procedure_version
    issued_at = issued_at or timezone.now()
    return {
        "dossier": _dossier_fields(dossier),
        "agency": _agency_fields(agency),
        "agency_parent": _parent_name(agency),
        "procedure_name": version.name,
        "procedure_code": version.procedure.code,
        "processing_time": str(_processing_time(version)),
        **_fee_context(dossier, version),
        "channel": str(dossier.get_channel_display()),
        "place": _place(agency),
        "issued_on": format_date_line(issued_at),
        "submitted_at": format_datetime_vn(dossier.submitted_at),
        "received_at": format_datetime_vn(dossier.received_at),
        "due_at": format_datetime_vn(dossier.due_at),
        "collection": _collection(dossier, agency),
        "officer_name": officer_name,
        "sign_hint": "(Ký và ghi rõ họ tên)",
        "lookup_url": lookup_url,
        "verify_url": verify_url,
    }


def _as_issuer(context: dict, agency) -> dict:
    """The header of a document issued by ``agency`` (not necessarily the receiving one)."""
    context.update(agency=_agency_fields(agency), agency_parent=_parent_name(agency), place=_place(agency))
    return context


# -- rendering --------------------------------------------------------------------------------------------


_per_thread = threading.local()

# What a snapshot lays out: its ``document`` and, for a notice, its ``form``.
NOTICE = "notice"
RESULT = "result"
# Bumped when a snapshot's shape changes, so that an old pending one can be told apart.
SNAPSHOT_VERSION = 1


def _fetcher() -> URLFetcher:
    # One per thread: building one sets up an SSL context (~25 ms); only data: URIs are allowed.
    if not hasattr(_per_thread, "fetcher"):
        _per_thread.fetcher = URLFetcher(allowed_protocols={"data"})
    return _per_thread.fetcher


def _document(template: str, context: dict):
    """The laid-out WeasyPrint document (``.write_pdf()`` gives the bytes; tests read its text)."""
    with translation.override("vi"):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=_BASE_URL, url_fetcher=_fetcher()).render()


def _snapshot(document: str, context: dict, **extra: str) -> dict:
    """The snapshot, exactly as it reads back from a JSON column (raises TypeError if a value is not
    plain data), so that rendering it now or after a round trip through the database is the same."""
    return json.loads(
        json.dumps({"version": SNAPSHOT_VERSION, "document": document, **extra, "context": context})
    )


def layout(snapshot: dict):
    """Lay out a snapshot made by :func:`prepare_notice` or :func:`prepare_result`."""
    context = dict(snapshot["context"])
    lookup_url = context.get("lookup_url", "")
    context["qr"] = qr_png_data_uri(lookup_url) if lookup_url else ""
    verify_url = context.get("verify_url", "")
    context["verify_qr"] = qr_png_data_uri(verify_url) if verify_url else ""
    context["signature_anchor"] = documents.SIGNATURE_ANCHOR
    context["signature_box"] = {
        "width": documents.SIGNATURE_BOX_MM[0],
        "height": documents.SIGNATURE_BOX_MM[1],
    }
    if snapshot["document"] == NOTICE:
        template = TEMPLATES[NoticeForm(snapshot["form"])]
    elif snapshot["document"] == RESULT:
        template = RESULT_TEMPLATE
    else:
        raise ValueError(f"Unknown document in snapshot: {snapshot['document']!r}")
    return _document(template, context)


def render(snapshot: dict) -> bytes:
    """The PDF bytes of a snapshot: a pure function of it (no database, no clock)."""
    return layout(snapshot).write_pdf()


def prepare_notice(
    form: str,
    dossier,
    *,
    lookup_url: str,
    verify_url: str = "",
    items: list[str] | None = None,
    reasons: str = "",
    new_due_at: datetime.datetime | None = None,
    officer_name: str = "",
    issued_at: datetime.datetime | None = None,
    documents: list[str] | None = None,
    number: str = "",
    register_entry: register.RegisterEntry | None = None,
) -> dict:
    """The snapshot of notice ``form`` ("01".."05", a :class:`NoticeForm` value) for ``dossier``.

    - 01 receipt and appointment: lists ``documents`` (default: :func:`received_documents`) and the
      dossier's entry in the register, form 07 (default: :func:`register.entry_for`).
    - 02 request to supplement: ``items`` (at least one), ``reasons``.
    - 03 refusal and 05 stop notice: ``reasons`` (required).
    - 04 apology: the original appointment (``original_due_at`` or ``due_at``), ``reasons`` and
      ``new_due_at`` (default: the dossier's ``due_at`` once it differs from ``original_due_at``);
      issued by the deciding agency and signed by its head; ``number`` is its "Số" (dotted if empty).

    ``lookup_url`` is printed and encoded in the QR code, ``verify_url`` (the document's public
    verification page) printed; ``issued_at`` defaults to now.
    Raises ValueError when a form lacks what it must say.
    """
    form = NoticeForm(form)
    items = [item.strip() for item in (items or []) if item and item.strip()]
    reasons = reasons.strip()
    if form == NoticeForm.SUPPLEMENT and not items:
        raise ValueError("Form 02 lists every missing item: give at least one.")
    if form in (NoticeForm.REFUSAL, NoticeForm.STOP) and not reasons:
        raise ValueError(f"Form {form.value} must give the reasons.")
    original_due_at = dossier.original_due_at or dossier.due_at
    if form == NoticeForm.APOLOGY and new_due_at is None:
        # After the service moved the appointment, the dossier itself holds the new one.
        if dossier.original_due_at and dossier.due_at and dossier.due_at != dossier.original_due_at:
            new_due_at = dossier.due_at
        else:
            raise ValueError("Form 04 needs the new appointment (new_due_at).")

    with translation.override("vi"):
        context = _context(
            dossier,
            lookup_url=lookup_url,
            verify_url=verify_url,
            officer_name=officer_name,
            issued_at=issued_at,
        )
        context.update(
            form=form.value,
            title=str(form.label).upper(),
            caption=FORM_CAPTION.format(number=form.value),
            signer_title=SIGNER_TITLES[form],
            items=items,
            reasons=reasons,
            documents=received_documents(dossier) if documents is None else list(documents),
            original_due_at=format_datetime_vn(original_due_at),
            new_due_at=format_datetime_vn(new_due_at),
        )
        if form == NoticeForm.RECEIPT:
            entry = register_entry or register.entry_for(dossier)
            context["register"] = {"volume": entry.volume, "number": entry.number} if entry else None
        if form == NoticeForm.APOLOGY:
            issuer = _issuer(dossier)
            _as_issuer(context, issuer)
            context.update(
                number=number.strip() or f"……/{APOLOGY_SYMBOL}",
                signer_title=(issuer.head_title or SIGNER_TITLES[form]).upper(),
                signer_name=issuer.head_name,
                sign_hint="(Ký, ghi rõ họ tên và đóng dấu)",
                recipients=APOLOGY_RECIPIENTS,
            )
    return _snapshot(NOTICE, context, form=form.value)


def prepare_result(
    dossier, *, lookup_url: str, verify_url: str = "", officer_name: str = "", issued_at=None
) -> dict:
    """The snapshot of the result document: the procedure's result, the dossier code, the applicant,
    the QR code of its verification page (``verify_url``; the lookup's without one).

    The signature block names nobody: it keeps an empty box (``documents.SIGNATURE_ANCHOR``) where
    the approving leader's digital signature is drawn when the result is signed (motcua.signing).
    ``officer_name``, who prepared the result, is recorded in the snapshot but not printed."""
    with translation.override("vi"):
        context = _context(
            dossier,
            lookup_url=lookup_url,
            verify_url=verify_url,
            officer_name=officer_name,
            issued_at=issued_at,
        )
        context.update(
            title=RESULT_TITLE,
            result_text=dossier.procedure_version.result,
            signer_title=RESULT_SIGNER_TITLE,
            sign_hint="(Chữ ký số và con dấu)",
        )
    return _snapshot(RESULT, context)


def notice_document(form: str, dossier, **kwargs):
    """Lay out a notice (see :func:`prepare_notice` for the arguments)."""
    return layout(prepare_notice(form, dossier, **kwargs))


def render_notice(form: str, dossier, **kwargs) -> bytes:
    """The PDF of notice ``form`` for ``dossier`` at once (see :func:`prepare_notice`)."""
    return render(prepare_notice(form, dossier, **kwargs))


def control_slip_document(dossier, *, rows=None, printed_at=None):
    """Lay out form 06; see :func:`render_control_slip`."""
    printed_at = printed_at or timezone.now()
    steps = list(dossier.steps.select_related("agency")) if dossier.pk is not None else []
    context = _context(dossier, lookup_url="", officer_name="", issued_at=printed_at)
    context.update(
        title=CONTROL_SLIP_TITLE,
        caption=FORM_CAPTION.format(number="06"),
        deciding_agency=_issuer(dossier).name,
        coordinating=control_slip.coordinating_agencies(dossier, steps),
        rows=[
            {
                "handover": row,
                "at": format_datetime_vn(row.at),
            }
            for row in (control_slip.handovers(dossier) if rows is None else rows)
        ],
        printed_at=format_datetime_vn(printed_at),
    )
    return _document(CONTROL_SLIP_TEMPLATE, context)


def render_control_slip(dossier, *, rows=None, printed_at=None) -> bytes:
    """Form 06, the process control slip of ``dossier``: one row per hand-over so far (default:
    :func:`control_slip.handovers`), printed now. Not stored: it changes as the dossier moves."""
    return control_slip_document(dossier, rows=rows, printed_at=printed_at).write_pdf()


def register_document(heading: register.Heading, rows):
    """Lay out form 07; see :func:`render_register`."""
    agency = heading.agency
    context = {
        "title": register.TITLE,
        "caption": FORM_CAPTION.format(number="07"),
        "agency": agency,
        "agency_parent": _parent_name(agency),
        "place": _place(agency),
        "issued_on": format_date_line(heading.printed_at),
        "heading": heading,
        "columns": register.COLUMNS,
        "rows": [
            {
                "row": row,
                "received_at": _day_and_time(row.received_at),
                "due_at": _day_and_time(row.due_at),
                "transferred_at": _day_and_time(row.transferred_at),
                "finished_at": _day_and_time(row.finished_at),
                "returned_at": _day_and_time(row.returned_at),
            }
            for row in rows
        ],
    }
    return _document(REGISTER_TEMPLATE, context)


def render_register(heading: register.Heading, rows) -> bytes:
    """Form 07, the register of ``heading.agency`` for ``heading.period``: landscape A4, one line per
    dossier received (rows from :func:`register.register_rows`)."""
    return register_document(heading, rows).write_pdf()


def result_document(dossier, *, lookup_url: str, **kwargs):
    """Lay out the result document; see :func:`prepare_result`."""
    return layout(prepare_result(dossier, lookup_url=lookup_url, **kwargs))


def render_result(dossier, *, lookup_url: str, **kwargs) -> bytes:
    """The PDF of the result document at once; see :func:`prepare_result`."""
    return render(prepare_result(dossier, lookup_url=lookup_url, **kwargs))
