"""Rendering the administrators' texts: Django's template language over a restricted context.

The texts are rendered by an engine of their own, with Django's built-in tags and filters only (no
``{% load %}`` of other libraries, no template loaders: ``{% include %}`` fails), without HTML
escaping (emails and SMS are plain text; the in-app text is escaped when a page shows it). The
context is a dict of strings made from the dossier (``FIELDS``), never a model: a text cannot reach
further than those values. A text that fails to render gives way to the default and the failure is
logged (``render_texts``): a broken edit never holds up a message.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError
from django.template import Template as DjangoTemplate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.constants import ActionType
from motcua.dossiers.models import Action, Dossier
from motcua.notifications.constants import Event

logger = logging.getLogger(__name__)

ENGINE = Engine(debug=False, loaders=[], libraries={}, autoescape=False, string_if_invalid="")

# The fields a text may use, with what they hold (shown in the admin's help text).
FIELDS: list[tuple[str, object]] = [
    ("code", _("mã hồ sơ")),
    ("procedure", _("tên thủ tục")),
    ("procedure_code", _("mã thủ tục")),
    ("applicant", _("họ tên người nộp")),
    ("agency", _("nơi tiếp nhận hồ sơ")),
    ("holder_agency", _("đơn vị đang xử lý")),
    ("status", _("trạng thái hồ sơ")),
    ("appointment", _("ngày hẹn trả kết quả, dd/mm/yyyy")),
    ("appointment_at", _("giờ và ngày hẹn trả kết quả, HH:MM dd/mm/yyyy")),
    ("previous_appointment", _("ngày hẹn trước thư xin lỗi, dd/mm/yyyy")),
    ("fee_due", _("phí, lệ phí phải nộp, bằng đồng (ví dụ 158.000)")),
    ("amount_paid", _("số tiền vừa nộp, bằng đồng")),
    ("supplement", _("nội dung cần bổ sung")),
    ("reason", _("lý do (từ chối, dừng xử lý, xin lỗi, rút hồ sơ)")),
    ("dossier_url", _("địa chỉ trang hồ sơ (người nộp có tài khoản; cán bộ: trang xử lý)")),
    ("lookup_url", _("địa chỉ tra cứu hồ sơ")),
    ("site_name", _("tên cổng dịch vụ công")),
]
FIELD_NAMES = [name for name, _label in FIELDS]

# What the admin renders an edited text with, to refuse one that does not render.
SAMPLE = {
    "code": "000.00.08.H59-261201-0001",
    "procedure": "Đăng ký khai sinh",
    "procedure_code": "1.001193",
    "applicant": "Nguyễn Văn An",
    "agency": "Ủy ban nhân dân phường Minh Xuân",
    "holder_agency": "Ủy ban nhân dân phường Minh Xuân",
    "status": "Đang xử lý",
    "appointment": "05/12/2026",
    "appointment_at": "16:30 05/12/2026",
    "previous_appointment": "03/12/2026",
    "fee_due": "158.000",
    "amount_paid": "158.000",
    "supplement": "Bản sao giấy chứng sinh",
    "reason": "Thiếu giấy tờ",
    "dossier_url": "https://dichvucong.example.vn/ho-so-cua-toi/…/",
    "lookup_url": "https://dichvucong.example.vn/tra-cuu/000.00.08.H59-261201-0001",
    "site_name": "Cổng dịch vụ công",
}

# The actions whose note is the "reason" of the message.
REASON_ACTIONS = {ActionType.REFUSE, ActionType.STOP, ActionType.APOLOGIZE, ActionType.WITHDRAW}


class RenderError(Exception):
    """A text that does not compile or render."""


def render(source: str, context: dict[str, str]) -> str:
    """Render ``source`` with ``context``; RenderError if it cannot."""
    try:
        return DjangoTemplate(source, engine=ENGINE).render(Context(context, autoescape=False)).strip()
    except TemplateSyntaxError as exc:
        raise RenderError(str(exc)) from exc
    except Exception as exc:  # a filter given the wrong kind of value, an include without loaders...
        raise RenderError(f"{type(exc).__name__}: {exc}") from exc


def check(source: str) -> None:
    """Raise RenderError if ``source`` does not render with the sample dossier."""
    render(source, SAMPLE)


@dataclass(frozen=True)
class Rendered:
    texts: dict[str, str]
    from_default: bool


def render_texts(
    stored: dict[str, str], defaults: dict[str, str], context: dict[str, str], *, label: str = ""
) -> Rendered:
    """Render each stored text (blank stays blank: the channel is not used); one that fails is
    rendered from its default instead, and the failure logged."""
    texts, fell_back = {}, False
    for name, source in stored.items():
        if not source.strip():
            texts[name] = ""
            continue
        try:
            texts[name] = render(source, context)
        except RenderError as exc:
            logger.warning("notification template %s %s failed (%s); using the default", label, name, exc)
            try:
                texts[name] = render(defaults.get(name, ""), context)
            except RenderError:  # never expected of a default; the message goes without this text
                logger.exception("the default of notification template %s %s failed", label, name)
                texts[name] = ""
            fell_back = True
    return Rendered(texts, fell_back)


def _vnd(amount: int | None) -> str:
    return f"{int(amount):,}".replace(",", ".") if amount else ""


def _date(value, pattern: str) -> str:
    return timezone.localtime(value).strftime(pattern) if value else ""


def _public(path: str) -> str:
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + path


def fields(
    dossier: Dossier, event: str, *, officer: bool = False, action: Action | None = None
) -> dict[str, str]:
    """The context of a message about ``dossier``: strings only, in the active language (call it under
    ``translation.override``). ``action`` is the history line the event is about (its note and data
    give the supplement, the reason, the amounts)."""
    version = dossier.procedure_version
    values = {
        "code": dossier.code or "",
        "procedure": version.name,
        "procedure_code": version.procedure.code,
        "applicant": dossier.applicant_name,
        "agency": dossier.receiving_agency.name,
        "holder_agency": dossier.holder_agency.name,
        "status": dossier.status_label,
        "appointment": _date(dossier.due_at, "%d/%m/%Y"),
        "appointment_at": _date(dossier.due_at, "%H:%M %d/%m/%Y"),
        "previous_appointment": "",
        "fee_due": "",
        "amount_paid": "",
        "supplement": "",
        "reason": "",
        "dossier_url": "",
        "lookup_url": _public(reverse("portal:lookup_code", args=[dossier.code])) if dossier.code else "",
        "site_name": settings.MOTCUA_SITE_NAME,
    }
    if officer:
        values["dossier_url"] = _public(
            reverse("backoffice:dossier", args=[dossier.code or dossier.public_id])
        )
    elif dossier.applicant_id:
        values["dossier_url"] = _public(reverse("portal:dossier", args=[dossier.public_id]))
    data = action.data if action is not None else {}
    if event == Event.PAYMENT_REQUESTED:
        values["fee_due"] = _vnd(data.get("amount") or dossier.fee_due)
    if event in (Event.PAID, Event.OFFICER_PAID):
        values["amount_paid"] = _vnd(data.get("amount"))
    if event == Event.SUPPLEMENT_REQUESTED and action is not None:
        items = [str(item) for item in data.get("items", [])]
        values["supplement"] = "; ".join(items + ([action.note] if action.note else []))
    if action is not None and action.type in REASON_ACTIONS:
        values["reason"] = action.note
    if event == Event.APOLOGY and data.get("previous_due_at"):
        previous = timezone.datetime.fromisoformat(data["previous_due_at"])
        values["previous_appointment"] = _date(previous, "%d/%m/%Y")
    return values
