"""Messages to applicants, sent by the task worker (django.tasks) after the change has committed.

Each message is in the applicant's language (``LanguagePreference``; Vietnamese when unknown), its
dates read dd/mm/yyyy (motcua/formats), and it links to the dossier's page and to the public lookup.
"""

from dataclasses import dataclass

from django.conf import settings
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.core import audit
from motcua.dossiers.constants import ActionType, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import TRANSITIONS
from motcua.notifications.mail import TextEmail
from motcua.notifications.models import LanguagePreference

# The message for a dossier that reached status 9 (đã xử lý xong), whichever action brought it
# there: the last approval, or marking it ready.
RESULT_READY = "result_ready"


@dataclass(frozen=True)
class Message:
    subject: Promise  # may use {code}
    news: Promise  # the sentence that says what happened


MESSAGES: dict[str, Message] = {
    ActionType.SUBMIT: Message(
        _("Đã nhận hồ sơ trực tuyến {code}"),
        _("Hồ sơ của ông/bà đã được gửi đến cơ quan tiếp nhận và đang chờ tiếp nhận."),
    ),
    ActionType.RECEIVE: Message(
        _("Hồ sơ {code} đã được tiếp nhận"),
        _("Hồ sơ của ông/bà đã được tiếp nhận và chuyển xử lý."),
    ),
    ActionType.REQUEST_SUPPLEMENT: Message(
        _("Hồ sơ {code}: yêu cầu bổ sung giấy tờ"),
        _("Hồ sơ cần bổ sung, hoàn thiện. Nội dung cần bổ sung ghi trên trang hồ sơ."),
    ),
    ActionType.REFUSE: Message(
        _("Hồ sơ {code} không được tiếp nhận"),
        _("Hồ sơ của ông/bà không được tiếp nhận. Lý do ghi trong phiếu từ chối trên trang hồ sơ."),
    ),
    ActionType.REQUEST_PAYMENT: Message(
        _("Hồ sơ {code}: yêu cầu nộp phí, lệ phí"),
        _("Ông/bà cần nộp phí, lệ phí để hồ sơ được tiếp tục xử lý."),
    ),
    RESULT_READY: Message(
        _("Hồ sơ {code} đã có kết quả"),
        _("Hồ sơ của ông/bà đã có kết quả, sẵn sàng trả cho ông/bà."),
    ),
    ActionType.RETURN_RESULT: Message(
        _("Hồ sơ {code} đã trả kết quả"),
        _("Kết quả giải quyết hồ sơ đã được trả cho ông/bà."),
    ),
    ActionType.STOP: Message(
        _("Hồ sơ {code} bị dừng xử lý"),
        _("Hồ sơ của ông/bà bị dừng xử lý. Lý do ghi trong thông báo trên trang hồ sơ."),
    ),
    ActionType.APOLOGIZE: Message(
        _("Hồ sơ {code}: thư xin lỗi và hẹn lại ngày trả kết quả"),
        _("Hồ sơ chưa giải quyết xong đúng hẹn. Cơ quan giải quyết xin lỗi và hẹn lại ngày trả kết quả."),
    ),
    ActionType.WITHDRAW: Message(
        _("Hồ sơ {code} đã được rút"),
        _("Hồ sơ của ông/bà đã được rút theo yêu cầu."),
    ),
}
NOTIFIED_ACTIONS = frozenset(MESSAGES) - {RESULT_READY}


def message_for(action: str, status: int | None) -> str | None:
    """Which message an event calls for, if any: the result is ready when an action leaves the dossier
    in status 9 from another status; otherwise the action's own message."""
    transition = TRANSITIONS.get(ActionType(action)) if action in ActionType.values else None
    if status == Status.READY and transition is not None and Status.READY not in transition.sources:
        return RESULT_READY
    return action if action in NOTIFIED_ACTIONS else None


def applicant_language(dossier: Dossier) -> str:
    if dossier.applicant_id is not None:
        preference = LanguagePreference.objects.filter(user_id=dossier.applicant_id).first()
        if preference is not None:
            return preference.language
    return settings.LANGUAGE_CODE


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _links(dossier: Dossier) -> dict[str, str]:
    """The dossier's page (for an applicant with an account) and its public lookup, in the active
    language (English pages live under /en/)."""
    public = settings.MOTCUA_PUBLIC_URL.rstrip("/")
    links = {"dossier_url": "", "lookup_url": ""}
    if dossier.applicant_id:
        links["dossier_url"] = public + reverse("portal:dossier", args=[dossier.public_id])
    if dossier.code:
        links["lookup_url"] = public + reverse("portal:lookup_code", args=[dossier.code])
    return links


@task
def notify_applicant(dossier_id: int, message: str) -> bool:
    """Email the applicant about a change of their dossier; ``message`` is a key of MESSAGES.
    Returns whether a message was sent."""
    dossier = (
        Dossier.objects.select_related("procedure_version", "receiving_agency").filter(pk=dossier_id).first()
    )
    if dossier is None or not dossier.applicant_email:
        return False
    text = MESSAGES[message]
    with translation.override(applicant_language(dossier)):
        subject = str(text.subject).format(code=dossier.code or "")
        body = render_to_string(
            "notifications/dossier_email.txt",
            {
                "dossier": dossier,
                "news": text.news,
                "fee_due": _vnd(dossier.fee_due) if message == ActionType.REQUEST_PAYMENT else "",
                "site_name": settings.MOTCUA_SITE_NAME,
                **_links(dossier),
            },
        )
    TextEmail(subject, body, None, [dossier.applicant_email]).send()
    audit.record("notification.email_sent", obj=dossier, summary=subject, message=message)
    return True
