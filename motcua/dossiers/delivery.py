"""How the applicant receives the result (hình thức nhận kết quả): in person at the one-stop unit,
by post (dịch vụ bưu chính công ích, Decision 45/2016/QĐ-TTg) or online (the signed electronic
result, downloaded in the applicant's account).

The choice is made at submission (the portal's form, the API, counter intake) and kept on the
dossier with the postal address; when the result is returned by post the one-stop officer records
the parcel's tracking number (``services.return_result``).

Which choices a dossier has, and the default:

- In person and by post: always.
- Online: only when the procedure issues its result electronically, which we read from its mode:
  a *toàn trình* procedure (``Mode.FULL_ONLINE``, Decree 42/2022: "result online or by post") has
  an electronic result, a *một phần* one may not; and only with an account to download it from
  (a walk-in applicant's dossier has none).
- The default is online where online is offered (the point of an end-to-end online procedure),
  in person otherwise: what the counter has always done, with no address to ask for.
"""

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from motcua.catalog.constants import Mode
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.constants import NATIONAL_CHANNEL, NATIONAL_RESULT_DELIVERY, ResultDelivery

# The error keys, named after the dossier's fields (and the inputs of the pages and the API).
CHOICE = "result_delivery"
ADDRESS = "delivery_address"
TRACKING = "tracking_number"

ADDRESS_MAX = 500
TRACKING_MAX = 40
# Vietnam Post's international (UPU S10, e.g. EB123456789VN) and domestic numbers, and other
# carriers': letters, digits and hyphens. Spaces typed for readability are dropped.
_TRACKING = re.compile(rf"^[A-Z0-9][A-Z0-9-]{{3,{TRACKING_MAX - 1}}}$")


def electronic_result(version: ProcedureVersion) -> bool:
    """Whether the procedure's result can be issued electronically (see the module's docstring)."""
    return version.mode == Mode.FULL_ONLINE


def choices_for(version: ProcedureVersion, *, has_account: bool) -> list[ResultDelivery]:
    """The ways a dossier of ``version`` may receive its result, in the order pages show them."""
    choices = [ResultDelivery.IN_PERSON, ResultDelivery.POST]
    if has_account and electronic_result(version):
        choices.append(ResultDelivery.ONLINE)
    return choices


def default_for(version: ProcedureVersion, *, has_account: bool) -> ResultDelivery:
    if ResultDelivery.ONLINE in choices_for(version, has_account=has_account):
        return ResultDelivery.ONLINE
    return ResultDelivery.IN_PERSON


@dataclass(frozen=True)
class Choice:
    """A cleaned choice: what to store, and what was wrong (error key → messages)."""

    delivery: ResultDelivery
    address: str
    errors: dict[str, list[str]]


def clean(
    version: ProcedureVersion,
    *,
    has_account: bool,
    delivery: str | None,
    address: str | None,
    current: str | None = None,
) -> Choice:
    """Check a choice. An empty ``delivery`` keeps ``current`` (or the default); a choice that is not
    offered is an error under ``result_delivery`` and keeps ``current``; by post, an address is
    required (an error under ``delivery_address``). The address is kept only for the post."""
    errors: dict[str, list[str]] = {}
    offered = choices_for(version, has_account=has_account)
    fallback = (
        ResultDelivery(current) if current in offered else default_for(version, has_account=has_account)
    )
    chosen = fallback
    value = (delivery or "").strip()
    if value:
        if value in ResultDelivery.values and ResultDelivery(value) in offered:
            chosen = ResultDelivery(value)
        elif value == ResultDelivery.ONLINE and not has_account:
            errors[CHOICE] = [
                _(
                    "Hình thức nhận kết quả: hồ sơ nộp trực tiếp không có tài khoản để nhận kết quả "
                    "trực tuyến; chọn nhận trực tiếp hoặc qua bưu chính."
                )
            ]
        elif value == ResultDelivery.ONLINE:
            errors[CHOICE] = [
                _(
                    "Hình thức nhận kết quả: thủ tục này không trả kết quả điện tử; chọn nhận trực "
                    "tiếp hoặc qua bưu chính."
                )
            ]
        else:
            errors[CHOICE] = [_("Hình thức nhận kết quả không hợp lệ.")]
    text = " ".join((address or "").split())
    if chosen != ResultDelivery.POST:
        text = ""
    elif not text:
        errors[ADDRESS] = [_("Nhập địa chỉ nhận kết quả qua bưu chính.")]
    elif len(text) > ADDRESS_MAX:
        errors[ADDRESS] = [_("Địa chỉ nhận kết quả dài quá %(max)s ký tự.") % {"max": ADDRESS_MAX}]
        text = text[:ADDRESS_MAX]
    return Choice(chosen, text, errors)


def complete_errors(dossier) -> dict[str, list[str]]:
    """What keeps the dossier's stored choice from being submitted (a draft keeps an invalid one)."""
    choice = clean(
        dossier.procedure_version,
        has_account=dossier.applicant_id is not None,
        delivery=dossier.result_delivery,
        address=dossier.delivery_address,
    )
    return choice.errors


def clean_tracking_number(value: str | None) -> str:
    """The postal tracking number (số hiệu bưu gửi) in capitals without spaces; raises ValueError
    with the message to show when it is missing or not one."""
    text = "".join((value or "").split()).upper()
    if not text:
        raise ValueError(_("Nhập số hiệu bưu gửi (mã vận đơn) khi trả kết quả qua dịch vụ bưu chính."))
    if not _TRACKING.match(text):
        raise ValueError(
            _(
                "Số hiệu bưu gửi gồm 4 đến %(max)s chữ cái không dấu, chữ số hoặc dấu gạch ngang, "
                "ví dụ EB123456789VN."
            )
            % {"max": TRACKING_MAX}
        )
    return text


def return_note(dossier) -> str:
    """What the result's return tells the applicant (ThongTinTra of the national portal)."""
    delivery = ResultDelivery(dossier.result_delivery)
    if delivery == ResultDelivery.POST:
        return _("Đã gửi kết quả qua dịch vụ bưu chính, số hiệu bưu gửi %(number)s, đến: %(address)s") % {
            "number": dossier.postal_tracking_number or "—",
            "address": dossier.delivery_address,
        }
    if delivery == ResultDelivery.ONLINE:
        return _("Kết quả điện tử (có chữ ký số) được trả trong tài khoản của người nộp.")
    return _("Đã trả kết quả trực tiếp tại bộ phận một cửa.")


def national_fields(dossier) -> dict:
    """The dossier's delivery in the national portal's shape (DongBoHoSoMC, INTEGRATIONS.md §1):
    ``HinhThuc``, ``KenhThucHien`` and, once returned, ``ThongTinTra``. The project has no sync
    adapter yet: the API's dossier answer carries these for it (and for whoever syncs). The text is
    Vietnamese whatever the language of the request, as the portal stores it."""
    with translation.override("vi"):
        note = return_note(dossier) if dossier.returned_at else ""
    return {
        "HinhThuc": NATIONAL_RESULT_DELIVERY[ResultDelivery(dossier.result_delivery)],
        "KenhThucHien": NATIONAL_CHANNEL.get(dossier.channel),
        "ThongTinTra": note,
    }
