from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.constants import Status


class PaymentStatus(models.TextChoices):
    """Where an online payment stands. Created: recorded here, not yet at the gateway; pending: the
    applicant was sent to the gateway; then the gateway's confirmation makes it paid, failed or
    cancelled (by the payer). A paid payment given back is refunded."""

    CREATED = "created", _("Mới tạo")
    PENDING = "pending", _("Đang chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    CANCELLED = "cancelled", _("Đã hủy")
    REFUNDED = "refunded", _("Đã hoàn trả")


# A payment in these statuses has taken the payer's money.
MONEY_TAKEN = frozenset({PaymentStatus.PAID, PaymentStatus.REFUNDED})
# Still waiting for the gateway's word.
OPEN = frozenset({PaymentStatus.CREATED, PaymentStatus.PENDING})


class EntryKind(models.TextChoices):
    """A line of a dossier's fee ledger (sổ theo dõi phí, lệ phí). The balance owed is charges − waivers −
    payments + refunds: derived from the lines, never stored."""

    CHARGE = "charge", _("Khoản phải nộp")
    WAIVER = "waiver", _("Không phải nộp")
    PAYMENT = "payment", _("Đã nộp")
    REFUND = "refund", _("Hoàn trả")


# How each kind moves what the applicant owes.
SIGN = {EntryKind.CHARGE: 1, EntryKind.WAIVER: -1, EntryKind.PAYMENT: -1, EntryKind.REFUND: 1}


class EventSource(models.TextChoices):
    """What changed an online payment (its history, PaymentEvent)."""

    START = "start", _("Khởi tạo giao dịch")
    GATEWAY = "gateway", _("Thông báo của cổng thanh toán")
    RETURN = "return", _("Người nộp trở về từ cổng thanh toán")
    RECONCILE = "reconcile", _("Đối soát")
    SUPERSEDED = "superseded", _("Thay bằng giao dịch hoặc khoản nộp khác")
    REFUND = "refund", _("Hoàn trả")


class Outcome(models.TextChoices):
    """What became of a confirmation (the gateway's notice of a payment's result); each gateway
    answers it in its own codes (VNPay's RspCode 00, 02, 01, 04, 97, 99)."""

    CONFIRMED = "confirmed", _("Đã ghi nhận")
    ALREADY_CONFIRMED = "already_confirmed", _("Đã ghi nhận trước đó")
    NOT_FOUND = "not_found", _("Không có giao dịch")
    INVALID_AMOUNT = "invalid_amount", _("Số tiền không khớp")
    FORGED = "forged", _("Sai mã kiểm tra")
    MALFORMED = "malformed", _("Thông báo không đúng định dạng")


# A paid dossier closed in these statuses gets its money back (its fees are no longer owed). A dossier
# whose processing was stopped (status 8) keeps them: the appraisal took place.
REFUND_STATUSES = frozenset({Status.REFUSED, Status.WITHDRAWN})
