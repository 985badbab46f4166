"""Codes of the edXML exchange (QCVN 102:2016) and of our records of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BusinessType(models.IntegerChoices):
    """TraceHeaderList/Bussiness/BussinessDocType: what a document package does to the receiver's copy."""

    NEW = 0, _("Văn bản mới")
    RECALL = 1, _("Thu hồi văn bản")
    UPDATE = 2, _("Cập nhật văn bản")
    REPLACE = 3, _("Thay thế văn bản")


class StatusCode(models.TextChoices):
    """Status messages the receiver sends back about a document (StatusCode, two digits)."""

    WAITING = "01", _("Chờ tiếp nhận")
    REFUSED = "02", _("Từ chối tiếp nhận")
    RECEIVED = "03", _("Đã tiếp nhận")
    ASSIGNED = "04", _("Đã phân công")
    PROCESSING = "05", _("Đang xử lý")
    DONE = "06", _("Đã hoàn thành")
    RECALLED = "13", _("Đã thu hồi")
    ACCEPTED = "15", _("Đồng ý thu hồi/cập nhật")
    DECLINED = "16", _("Từ chối thu hồi/cập nhật")


# The order in which a received document moves (a status is never sent twice, nor after a later one).
PROGRESS = (StatusCode.RECEIVED, StatusCode.ASSIGNED, StatusCode.PROCESSING, StatusCode.DONE)


class Direction(models.TextChoices):
    OUT = "out", _("Gửi đi")
    IN = "in", _("Nhận về")


class MessageType(models.TextChoices):
    """The backbone's message types: a document package or a status message."""

    EDOC = "edoc", _("Văn bản")
    STATUS = "status", _("Trạng thái")


class PackageState(models.TextChoices):
    """Where a package stands on our side. Outgoing: queued → sending → sent (or failed, retried, given up).
    Incoming: received (applied to a document) or refused (and why)."""

    QUEUED = "queued", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi, sẽ gửi lại")
    GIVEN_UP = "given_up", _("Đã ngừng gửi")
    RECEIVED = "received", _("Đã nhận")
    REFUSED = "refused", _("Bị từ chối")


class Transport(models.TextChoices):
    """How packages reach a peer (motcua.exchange.transports)."""

    DIRECT = "direct", _("Trực tiếp giữa hai hệ thống")
    BACKBONE = "backbone", _("Trục liên thông văn bản quốc gia")
    LOCAL = "local", _("Trong cùng hệ thống")
