"""Choices of the documents app (Decree 30/2020/NĐ-CP on clerical work, công tác văn thư)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    OUTGOING = "out", _("Văn bản đi")
    INCOMING = "in", _("Văn bản đến")


class Status(models.TextChoices):
    """Outgoing: draft → in review → approved → signed → issued → sent. Incoming: received →
    registered → assigned → processing → answered → closed (or refused, recalled by the sender)."""

    DRAFT = "draft", _("Dự thảo")
    IN_REVIEW = "in_review", _("Đang xem xét")
    APPROVED = "approved", _("Đã duyệt, chờ ký")
    SIGNED = "signed", _("Đã ký, chờ phát hành")
    ISSUED = "issued", _("Đã phát hành")
    SENT = "sent", _("Đã gửi")
    RECEIVED = "received", _("Mới đến, chờ vào sổ")
    REGISTERED = "registered", _("Đã vào sổ, chờ phân công")
    ASSIGNED = "assigned", _("Đã phân công")
    PROCESSING = "processing", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Hoàn thành")
    REFUSED = "refused", _("Từ chối nhận")
    RECALLED = "recalled", _("Bị thu hồi")


OUTGOING_STATUSES = (
    Status.DRAFT,
    Status.IN_REVIEW,
    Status.APPROVED,
    Status.SIGNED,
    Status.ISSUED,
    Status.SENT,
)
INCOMING_STATUSES = (
    Status.RECEIVED,
    Status.REGISTERED,
    Status.ASSIGNED,
    Status.PROCESSING,
    Status.ANSWERED,
    Status.CLOSED,
    Status.REFUSED,
    Status.RECALLED,
)
# An incoming document still to be dealt with: its deadline counts (overdue when passed).
OPEN_INCOMING = (Status.RECEIVED, Status.REGISTERED, Status.ASSIGNED, Status.PROCESSING)


class ActionType(models.TextChoices):
    """A line of a document's history (DocumentAction)."""

    CREATE = "create", _("Tạo dự thảo")
    EDIT = "edit", _("Sửa dự thảo")
    SUBMIT_REVIEW = "submit_review", _("Trình xem xét")
    APPROVE_REVIEW = "approve_review", _("Đồng ý nội dung")
    RETURN_DRAFT = "return_draft", _("Trả lại để sửa")
    SIGN = "sign", _("Ký số")
    ISSUE = "issue", _("Phát hành (cấp số)")
    SEND = "send", _("Gửi văn bản")
    RECEIVE = "receive", _("Tiếp nhận văn bản đến")
    REGISTER = "register", _("Vào sổ văn bản đến")
    REFUSE = "refuse", _("Từ chối nhận")
    ASSIGN = "assign", _("Phân công xử lý")
    START_PROCESSING = "start_processing", _("Bắt đầu xử lý")
    ANSWER = "answer", _("Trả lời bằng văn bản")
    CLOSE = "close", _("Hoàn thành xử lý")
    RECALL = "recall", _("Thu hồi theo yêu cầu của nơi gửi")
    REMOTE_STATUS = "remote_status", _("Nơi nhận báo trạng thái")


class Urgency(models.TextChoices):
    """Mức độ khẩn (Decree 30, Appendix I: "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC")."""

    NORMAL = "normal", _("Thường")
    URGENT = "urgent", _("Khẩn")
    VERY_URGENT = "very_urgent", _("Thượng khẩn")
    FLASH = "flash", _("Hỏa tốc")


class Confidentiality(models.TextChoices):
    """Độ mật (Law on protection of state secrets 2018)."""

    NORMAL = "normal", _("Thường")
    CONFIDENTIAL = "confidential", _("Mật")
    SECRET = "secret", _("Tối mật")
    TOP_SECRET = "top_secret", _("Tuyệt mật")


class Channel(models.TextChoices):
    """How a recipient gets an outgoing document."""

    ELECTRONIC = "electronic", _("Điện tử (trục liên thông)")
    PAPER = "paper", _("Bản giấy")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    DELIVERED = "delivered", _("Nơi nhận đã nhận")
    FAILED = "failed", _("Gửi không thành công")


class ReviewDecision(models.TextChoices):
    PENDING = "pending", _("Chờ ý kiến")
    APPROVED = "approved", _("Đồng ý")
    RETURNED = "returned", _("Trả lại")
    SUPERSEDED = "superseded", _("Không còn hiệu lực")


class FileKind(models.TextChoices):
    BODY = "body", _("Tệp nội dung (dự thảo)")
    SCAN = "scan", _("Bản quét văn bản giấy")
    ATTACHMENT = "attachment", _("Tệp đính kèm")
    SIGNED = "signed", _("Bản đã ký")
    ISSUED = "issued", _("Bản phát hành")


# The edXML status codes (QCVN 102:2016, INTEGRATIONS.md §4) an incoming document's steps publish: the
# exchange app sends them back to the sender.
STATUS_CODES = {
    ActionType.REFUSE: "02",
    ActionType.REGISTER: "03",
    ActionType.ASSIGN: "04",
    ActionType.START_PROCESSING: "05",
    ActionType.CLOSE: "06",
}
