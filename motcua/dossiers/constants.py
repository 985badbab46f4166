from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.IntegerChoices):
    """Dossier statuses as the national portal counts them (DOMAIN.md); 0 is our own draft."""

    DRAFT = 0, _("Bản nháp")
    SUBMITTED = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Được tiếp nhận")
    REFUSED = 3, _("Không được tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT = 5, _("Yêu cầu bổ sung giấy tờ")
    PAYMENT = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    READY = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


NATIONAL_STATUS = {
    Status.DRAFT: "draft",
    Status.SUBMITTED: "receiving",
    Status.RECEIVED: "new",
    Status.REFUSED: "denied",
    Status.PROCESSING: "processing",
    Status.SUPPLEMENT: "waiting",
    Status.PAYMENT: "paying",
    Status.WITHDRAWN: "cancelled",
    Status.STOPPED: "unresolved",
    Status.READY: "releasing",
    Status.RETURNED: "done",
}

# Statuses in which the dossier is with the administration and its deadline runs (a supplement
# request stops the clock; a ready dossier has its result).
OPEN_STATUSES = [Status.RECEIVED, Status.PROCESSING, Status.PAYMENT]
# Statuses in which nothing more happens.
FINAL_STATUSES = [Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED]


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Trực tiếp")
    POST = "post", _("Bưu chính")


class ResultDelivery(models.TextChoices):
    """How the applicant receives the result (hình thức nhận kết quả), chosen at submission
    (motcua.dossiers.delivery says which choices a dossier has and which is the default)."""

    IN_PERSON = "in_person", _("Nhận trực tiếp tại bộ phận một cửa")
    POST = "post", _("Nhận qua dịch vụ bưu chính công ích")
    ONLINE = "online", _("Nhận trực tuyến (tải kết quả điện tử trong tài khoản)")


# The national portal's codes (DongBoHoSoMC, INTEGRATIONS.md §1). ``HinhThuc``: how the result is
# returned; no public specification gives its values, so these are our reading (0 at the counter,
# 1 by post, 2 online): change them here only. ``KenhThucHien``: the submission channel (1 counter,
# 2 online, 3 post), as documented.
NATIONAL_RESULT_DELIVERY = {
    ResultDelivery.IN_PERSON: 0,
    ResultDelivery.POST: 1,
    ResultDelivery.ONLINE: 2,
}
NATIONAL_CHANNEL = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POST: 3}


class ActionType(models.TextChoices):
    SUBMIT = "submit", _("Nộp hồ sơ")
    RECEIVE = "receive", _("Tiếp nhận hồ sơ")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung hồ sơ")
    SUPPLEMENT = "supplement", _("Bổ sung hồ sơ")
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    FORWARD = "forward", _("Chuyển bước xử lý")
    SEND_BACK = "send_back", _("Trả lại bước trước")
    CONSULT = "consult", _("Xin ý kiến đơn vị khác")
    REPLY_CONSULTATION = "reply_consultation", _("Trả lời xin ý kiến")
    REQUEST_PAYMENT = "request_payment", _("Yêu cầu nộp phí, lệ phí")
    RECORD_PAYMENT = "record_payment", _("Ghi nhận đã nộp phí, lệ phí")
    APPROVE = "approve", _("Phê duyệt")
    ATTACH_RESULT = "attach_result", _("Đính kèm kết quả")
    MARK_READY = "mark_ready", _("Hoàn thành xử lý")
    RETURN_RESULT = "return_result", _("Trả kết quả")
    WITHDRAW = "withdraw", _("Rút hồ sơ")
    STOP = "stop", _("Dừng xử lý")
    APOLOGIZE = "apologize", _("Xin lỗi và hẹn lại ngày trả")


class Operation(models.TextChoices):
    """What people do to a dossier that is not a line of its history (rules.TRANSITIONS)."""

    EDIT = "edit", _("Sửa tờ khai, giấy tờ")
    DELETE_DRAFT = "delete_draft", _("Xóa bản nháp")
    ADD_SCAN = "add_scan", _("Thêm bản quét giấy tờ")
    CLAIM = "claim", _("Nhận hồ sơ mang số định danh của mình")


class ClockChange(models.TextChoices):
    """What a resubmission does to the deadline's clock (ProcedureVersion.supplement_restarts_clock)."""

    RESTARTED = "restarted", _("Tính lại thời hạn từ đầu")
    RESUMED = "resumed", _("Tiếp tục tính thời hạn")


class AttachmentKind(models.TextChoices):
    APPLICANT = "applicant", _("Giấy tờ do người nộp cung cấp")
    SCAN = "scan", _("Bản quét tại bộ phận một cửa")
    NOTICE = "notice", _("Phiếu, thông báo")
    RESULT = "result", _("Kết quả giải quyết")
    WORKING = "working", _("Tài liệu xử lý nội bộ")


class NoticeForm(models.TextChoices):
    """Forms of Circular 03/2025 Appendix I."""

    RECEIPT = "01", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    SUPPLEMENT = "02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    REFUSAL = "03", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    APOLOGY = "04", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    STOP = "05", _("Thông báo dừng xử lý hồ sơ")


class SignatureState(models.TextChoices):
    """Where a document the dossier issues stands with its digital signature (motcua.signing signs;
    dossiers only records it). Blank: a file nobody signs (the applicant's papers, internal files)."""

    UNSIGNED = "unsigned", _("Chưa ký số")
    PENDING = "pending", _("Đang chờ ký số")
    AWAITING_SIGNER = "awaiting_signer", _("Chờ người ký xác nhận")
    NO_CERTIFICATE = "no_certificate", _("Chưa có chứng thư số hợp lệ")
    FAILED = "failed", _("Ký số không thành công")
    SIGNED = "signed", _("Đã ký số")


class StepKind(models.TextChoices):
    PROCESS = "process", _("Bước xử lý")
    CONSULTATION = "consultation", _("Xin ý kiến")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Tiền mặt tại bộ phận một cửa")
    BANK_TRANSFER = "bank_transfer", _("Chuyển khoản")
    ONLINE = "online", _("Thanh toán trực tuyến")
