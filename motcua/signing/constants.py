from django.db import models
from django.utils.translation import gettext_lazy as _


class Provider(models.TextChoices):
    """Who holds a certificate's private key: we do (encrypted, in the database), or a remote-signing
    service that asks the signer to confirm (in the shape of VNPT SmartCA, INTEGRATIONS.md §3)."""

    LOCAL = "local", _("Khóa lưu tại hệ thống (PKCS#12)")
    SMARTCA = "smartca", _("Ký số từ xa (SmartCA)")


class RequestState(models.TextChoices):
    """A remote signature in progress."""

    WAITING = "waiting", _("Chờ người ký xác nhận")
    SIGNED = "signed", _("Đã ký")
    REFUSED = "refused", _("Người ký từ chối")
    EXPIRED = "expired", _("Hết thời gian chờ")
    FAILED = "failed", _("Lỗi")
    CANCELLED = "cancelled", _("Đã hủy")


FINAL_REQUEST_STATES = (
    RequestState.SIGNED,
    RequestState.REFUSED,
    RequestState.EXPIRED,
    RequestState.FAILED,
    RequestState.CANCELLED,
)


class DocumentKind(models.TextChoices):
    """What an issued document is (the API's ``kind``)."""

    RECEIPT = "receipt", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    SUPPLEMENT_REQUEST = "supplement_request", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    REFUSAL = "refusal", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    APOLOGY = "apology", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    STOP = "stop", _("Thông báo dừng xử lý hồ sơ")
    RESULT = "result", _("Kết quả giải quyết")
    PAYMENT_RECEIPT = "payment_receipt", _("Biên lai thu phí, lệ phí")
    OFFICIAL_DOCUMENT = "official_document", _("Văn bản hành chính")
