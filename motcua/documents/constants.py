"""Choices of the documents app (Decree 30/2020/NĐ-CP on clerical work, công tác văn thư)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    OUTGOING = "out", _("Văn bản đi")
    INCOMING = "in", _("Văn bản đến")


class Status(models.TextChoices):
    """Outgoing: draft → in review → approved → signed → issued → sent (approved → awaiting the
    signer's confirmation → signed, with a remote certificate; back to approved if it is refused or
    expires). Incoming: received →
    registered → assigned → processing → answered → closed (or refused, recalled by the sender)."""

    DRAFT = "draft", _("Dự thảo")
    IN_REVIEW = "in_review", _("Đang xem xét")
    APPROVED = "approved", _("Đã duyệt, chờ ký")
    # The leader's certificate is held by a remote-signing service: the request waits for the
    # leader's confirmation on their phone (motcua.documents.services.sign, poll_signature).
    AWAITING_SIGNATURE = "awaiting_signature", _("Chờ xác nhận ký trên ứng dụng ký số")
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
    REPLACED = "replaced", _("Đã được thay thế")


OUTGOING_STATUSES = (
    Status.DRAFT,
    Status.IN_REVIEW,
    Status.APPROVED,
    Status.AWAITING_SIGNATURE,
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
    Status.REPLACED,
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
    # A remote signature: the leader's page asks the service now; the answer (by the page or the
    # task worker's poll) completes the signature or puts the document back to be signed.
    CHECK_SIGNATURE = "check_signature", _("Kiểm tra xác nhận ký số")
    SIGNATURE_CONFIRMED = "signature_confirmed", _("Người ký đã xác nhận ký trên ứng dụng ký số")
    SIGNATURE_FAILED = "signature_failed", _("Ký số từ xa không thành công")
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
    # The sender changes a document it sent electronically (edXML business types 1, 2, 3).
    RECALL_SENT = "recall_sent", _("Thu hồi văn bản đã gửi")
    UPDATE_SENT = "update_sent", _("Cập nhật thông tin văn bản đã gửi")
    REPLACE_SENT = "replace_sent", _("Soạn văn bản thay thế")
    # The receiver's side of an update or a replacement: asked by the sender, accepted or refused.
    AMENDMENT_ASKED = "amendment_asked", _("Nơi gửi đề nghị cập nhật, thay thế")
    ACCEPT_AMENDMENT = "accept_amendment", _("Đồng ý cập nhật, thay thế")
    REFUSE_AMENDMENT = "refuse_amendment", _("Từ chối cập nhật, thay thế")


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


class AmendmentKind(models.TextChoices):
    """What the sender of an incoming document asks (edXML BussinessDocType 2 and 3)."""

    UPDATE = "update", _("Cập nhật thông tin văn bản")
    REPLACE = "replace", _("Thay thế bằng văn bản mới")


class AmendmentState(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    ACCEPTED = "accepted", _("Đã đồng ý")
    REFUSED = "refused", _("Đã từ chối")
    SUPERSEDED = "superseded", _("Có đề nghị mới hơn")


# What an update may change in a document already issued and sent (its signed text stays as it is).
AMENDABLE_FIELDS = ("summary", "urgency", "due_on")

# The edXML status codes (QCVN 102:2016, INTEGRATIONS.md §4) an incoming document's steps publish: the
# exchange app sends them back to the sender.
STATUS_CODES = {
    ActionType.REFUSE: "02",
    ActionType.REGISTER: "03",
    ActionType.ASSIGN: "04",
    ActionType.START_PROCESSING: "05",
    ActionType.CLOSE: "06",
    ActionType.ACCEPT_AMENDMENT: "15",
    ActionType.REFUSE_AMENDMENT: "16",
}

# What the recipients' status codes mean, for the sender's page.
REMOTE_STATUS_LABELS = {
    "01": _("Chờ tiếp nhận"),
    "02": _("Từ chối tiếp nhận"),
    "03": _("Đã tiếp nhận"),
    "04": _("Đã phân công"),
    "05": _("Đang xử lý"),
    "06": _("Đã hoàn thành"),
    "13": _("Đã thu hồi"),
    "15": _("Đồng ý thu hồi/cập nhật"),
    "16": _("Từ chối thu hồi/cập nhật"),
}
