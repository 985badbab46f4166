from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What a message is about. The first group goes to the applicant (email, SMS, in-app); the
    second to officers, in the application only."""

    SUBMITTED = "submitted", _("Đã nộp hồ sơ trực tuyến")
    RECEIVED = "received", _("Đã tiếp nhận, hẹn trả kết quả")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    REFUSED = "refused", _("Không được tiếp nhận")
    PAYMENT_REQUESTED = "payment_requested", _("Yêu cầu nộp phí, lệ phí")
    PAID = "paid", _("Đã nộp phí, lệ phí")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    APOLOGY = "apology", _("Quá hạn: thư xin lỗi và hẹn lại")
    RETURNED = "returned", _("Đã trả kết quả")
    STOPPED = "stopped", _("Dừng xử lý")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")

    OFFICER_SUBMITTED = "officer_submitted", _("Cán bộ: hồ sơ mới chờ tiếp nhận")
    OFFICER_ASSIGNED = "officer_assigned", _("Cán bộ: hồ sơ được chuyển đến")
    OFFICER_SUPPLEMENTED = "officer_supplemented", _("Cán bộ: người nộp đã bổ sung hồ sơ")
    OFFICER_PAID = "officer_paid", _("Cán bộ: người nộp đã nộp phí, lệ phí")
    OFFICER_DUE_SOON = "officer_due_soon", _("Cán bộ: hồ sơ sắp đến hạn")


OFFICER_EVENTS = frozenset(
    {
        Event.OFFICER_SUBMITTED,
        Event.OFFICER_ASSIGNED,
        Event.OFFICER_SUPPLEMENTED,
        Event.OFFICER_PAID,
        Event.OFFICER_DUE_SOON,
    }
)


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    INAPP = "inapp", _("Thông báo trên hệ thống")


class DeliveryStatus(models.TextChoices):
    """Where an outgoing message stands: queued until the first attempt; failed while attempts remain
    (the next one is due at ``next_attempt_at``); given up after the last; an in-app message is sent
    when it is written."""

    QUEUED = "queued", _("Đang chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi, sẽ gửi lại")
    GIVEN_UP = "given_up", _("Không gửi được")
