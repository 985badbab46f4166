"""The default texts of every event's messages: what a template holds until an administrator edits it,
and what replaces an edited text that fails to render.

Each text is a Django template over the fields of motcua.notifications.rendering (``{{ code }}``...).
The Vietnamese is the msgid; the English comes from the catalogue, so the defaults of both languages
are made here, under ``translation.override``.
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.notifications.constants import Event


@dataclass(frozen=True)
class Texts:
    """One event's texts (lazy): a blank one means the channel is not used for the event."""

    subject: Promise | str = ""  # the email's subject, and the in-app title
    news: Promise | str = ""  # the sentence that says what happened (email and in-app)
    sms: Promise | str = ""
    inapp_extra: str = ""  # a template line added to the in-app text
    officer: bool = False  # in-app only


APPOINTMENT_LINE = "{% if appointment_at %} " + "{HEN}" + ": {{ appointment_at }}.{% endif %}"

TEXTS: dict[str, Texts] = {
    Event.SUBMITTED: Texts(
        _("Đã nhận hồ sơ trực tuyến {{ code }}"),
        _("Hồ sơ của ông/bà đã được gửi đến cơ quan tiếp nhận và đang chờ tiếp nhận."),
        _("Hồ sơ {{ code }} đã gửi đến {{ agency }}, đang chờ tiếp nhận. Tra cứu: {{ lookup_url }}"),
    ),
    Event.RECEIVED: Texts(
        _("Hồ sơ {{ code }} đã được tiếp nhận"),
        _("Hồ sơ của ông/bà đã được tiếp nhận và chuyển xử lý."),
        _(
            "Hồ sơ {{ code }} đã được tiếp nhận. Hẹn trả kết quả ngày {{ appointment }}. "
            "Tra cứu: {{ lookup_url }}"
        ),
        inapp_extra=APPOINTMENT_LINE,
    ),
    Event.SUPPLEMENT_REQUESTED: Texts(
        _("Hồ sơ {{ code }}: yêu cầu bổ sung giấy tờ"),
        _("Hồ sơ cần bổ sung, hoàn thiện. Nội dung cần bổ sung ghi trên trang hồ sơ."),
        _("Hồ sơ {{ code }} cần bổ sung: {{ supplement|truncatechars:120 }}. Xem: {{ lookup_url }}"),
        inapp_extra="{% if supplement %} {{ supplement }}{% endif %}",
    ),
    Event.REFUSED: Texts(
        _("Hồ sơ {{ code }} không được tiếp nhận"),
        _("Hồ sơ của ông/bà không được tiếp nhận. Lý do ghi trong phiếu từ chối trên trang hồ sơ."),
        _("Hồ sơ {{ code }} không được tiếp nhận. Lý do: {{ reason|truncatechars:120 }}"),
    ),
    Event.PAYMENT_REQUESTED: Texts(
        _("Hồ sơ {{ code }}: yêu cầu nộp phí, lệ phí"),
        _("Ông/bà cần nộp phí, lệ phí để hồ sơ được tiếp tục xử lý."),
        _("Hồ sơ {{ code }}: đề nghị nộp phí, lệ phí {{ fee_due }} đồng. Xem: {{ lookup_url }}"),
    ),
    Event.PAID: Texts(
        _("Hồ sơ {{ code }}: đã nhận phí, lệ phí"),
        _("Cơ quan đã nhận phí, lệ phí của hồ sơ; hồ sơ được tiếp tục xử lý."),
        _("Hồ sơ {{ code }}: đã nhận phí, lệ phí {{ amount_paid }} đồng. Cảm ơn ông/bà."),
    ),
    Event.RESULT_READY: Texts(
        _("Hồ sơ {{ code }} đã có kết quả"),
        _("Hồ sơ của ông/bà đã có kết quả, sẵn sàng trả cho ông/bà."),
        _("Hồ sơ {{ code }} đã có kết quả. Mời ông/bà nhận kết quả. Tra cứu: {{ lookup_url }}"),
    ),
    Event.APOLOGY: Texts(
        _("Hồ sơ {{ code }}: thư xin lỗi và hẹn lại ngày trả kết quả"),
        _("Hồ sơ chưa giải quyết xong đúng hẹn. Cơ quan giải quyết xin lỗi và hẹn lại ngày trả kết quả."),
        _(
            "Hồ sơ {{ code }} chưa giải quyết xong đúng hẹn. Cơ quan xin lỗi ông/bà và hẹn trả kết quả "
            "ngày {{ appointment }}."
        ),
        inapp_extra=APPOINTMENT_LINE,
    ),
    Event.RETURNED: Texts(
        _("Hồ sơ {{ code }} đã trả kết quả"),
        _("Kết quả giải quyết hồ sơ đã được trả cho ông/bà."),
        _("Hồ sơ {{ code }} đã trả kết quả. Cảm ơn ông/bà đã sử dụng dịch vụ."),
    ),
    Event.STOPPED: Texts(
        _("Hồ sơ {{ code }} bị dừng xử lý"),
        _("Hồ sơ của ông/bà bị dừng xử lý. Lý do ghi trong thông báo trên trang hồ sơ."),
        _("Hồ sơ {{ code }} bị dừng xử lý. Lý do: {{ reason|truncatechars:120 }}"),
    ),
    Event.WITHDRAWN: Texts(
        _("Hồ sơ {{ code }} đã được rút"),
        _("Hồ sơ của ông/bà đã được rút theo yêu cầu."),
        _("Hồ sơ {{ code }} đã được rút theo yêu cầu của ông/bà."),
    ),
    Event.OFFICER_SUBMITTED: Texts(
        _("Hồ sơ mới {{ code }} chờ tiếp nhận"),
        _("{{ applicant }} nộp hồ sơ thủ tục {{ procedure }}."),
        officer=True,
    ),
    Event.OFFICER_ASSIGNED: Texts(
        _("Hồ sơ {{ code }} được chuyển đến ông/bà"),
        _("Thủ tục {{ procedure }}."),
        inapp_extra=APPOINTMENT_LINE,
        officer=True,
    ),
    Event.OFFICER_SUPPLEMENTED: Texts(
        _("Hồ sơ {{ code }} đã được bổ sung"),
        _("{{ applicant }} đã bổ sung, hoàn thiện hồ sơ theo yêu cầu."),
        officer=True,
    ),
    Event.OFFICER_PAID: Texts(
        _("Hồ sơ {{ code }} đã nộp phí, lệ phí"),
        _("Đã nhận {{ amount_paid }} đồng của {{ applicant }}."),
        officer=True,
    ),
    Event.OFFICER_DUE_SOON: Texts(
        _("Hồ sơ {{ code }} sắp đến hạn"),
        _("Hạn trả kết quả {{ appointment_at }}; hồ sơ đang ở {{ holder_agency }}."),
        officer=True,
    ),
}


def _email_body(texts: Texts) -> str:
    """The email of an applicant's event: greeting, news, the dossier's details, links."""
    amount = str(_("%(amount)s đồng")) % {"amount": "{{ fee_due }}"}
    return (
        f"{_('Kính gửi {{ applicant }},')}\n"
        f"\n"
        f"{texts.news}{{% if supplement %}}\n"
        f"{_('Nội dung cần bổ sung')}: {{{{ supplement }}}}{{% endif %}}{{% if reason %}}\n"
        f"{_('Lý do')}: {{{{ reason }}}}{{% endif %}}\n"
        f"\n"
        f"{_('Mã hồ sơ')}: {{{{ code|default:'—' }}}}\n"
        f"{_('Thủ tục')}: {{{{ procedure }}}}\n"
        f"{_('Trạng thái')}: {{{{ status }}}}\n"
        f"{_('Nơi tiếp nhận')}: {{{{ agency }}}}{{% if appointment_at %}}\n"
        f"{_('Hẹn trả kết quả')}: {{{{ appointment_at }}}}{{% endif %}}{{% if fee_due %}}\n"
        f"{_('Phí, lệ phí phải nộp')}: {amount}{{% endif %}}\n"
        f"{{% if dossier_url %}}\n"
        f"{_('Xem hồ sơ (sau khi đăng nhập)')}: {{{{ dossier_url }}}}{{% endif %}}{{% if lookup_url %}}\n"
        f"{_('Tra cứu tình trạng hồ sơ')}: {{{{ lookup_url }}}}{{% endif %}}\n"
        f"\n"
        f"{_('Đây là thư tự động, xin đừng trả lời thư này.')}\n"
        f"{{{{ site_name }}}}\n"
    )


def default_texts(event: str, language: str) -> dict[str, str]:
    """The default fields of the Template of ``event`` in ``language``."""
    texts = TEXTS[Event(event)]
    with translation.override(language):
        extra = texts.inapp_extra.replace("{HEN}", str(_("Hẹn trả kết quả")))
        inapp = {"inapp_title": str(texts.subject), "inapp_text": str(texts.news) + extra}
        if texts.officer:
            return {"email_subject": "", "email_body": "", "sms_text": "", **inapp}
        return {
            "email_subject": str(texts.subject),
            "email_body": _email_body(texts),
            "sms_text": str(texts.sms),
            **inapp,
        }
