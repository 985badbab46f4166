from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class Mode(models.TextChoices):
    """Since Decree 42/2022: end-to-end online or partially online."""

    FULL_ONLINE = "full_online", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")


class AssuranceLevel(models.IntegerChoices):
    """The level of electronic identification (mức độ định danh điện tử, Decree 69/2024) an applicant's
    account must have been verified at to submit online."""

    ANY = 0, _("Không yêu cầu")
    LEVEL_1 = 1, _("Định danh điện tử mức 1")
    LEVEL_2 = 2, _("Định danh điện tử mức 2")


class LegacyLevel(models.IntegerChoices):
    """Levels of Decree 43/2011, still used in reports."""

    LEVEL_2 = 2, _("Mức độ 2")
    LEVEL_3 = 3, _("Mức độ 3")
    LEVEL_4 = 4, _("Mức độ 4")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    WORKING_HOURS = "working_hours", _("giờ làm việc")


class SubmissionChannel(models.TextChoices):
    """How an applicant may submit (hình thức nộp), as the national catalogue lists them."""

    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Dịch vụ bưu chính")
    COUNTER = "counter", _("Trực tiếp")


class DocumentForm(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")
    CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
    ORIGINAL_OR_COPY = "original_or_copy", _("Bản chính hoặc bản sao")


class FieldKind(models.TextChoices):
    TEXT = "text", _("Văn bản ngắn")
    TEXTAREA = "textarea", _("Văn bản dài")
    NUMBER = "number", _("Số")
    DATE = "date", _("Ngày")
    CHOICE = "choice", _("Lựa chọn")
    IDENTITY_NUMBER = "identity_number", _("Số định danh cá nhân")
    ADDRESS = "address", _("Địa chỉ (chọn đơn vị hành chính)")
    EMAIL = "email", _("Thư điện tử")
    PHONE = "phone", _("Số điện thoại")
    FILE = "file", _("Tệp đính kèm")


class DateRule(models.TextChoices):
    """What a date field of the online form may be, counted from the day the applicant fills it in
    (motcua.dossiers.form_data). Every date is also refused when more than DATE_SPAN_YEARS away."""

    ANY = "", _("Không giới hạn")
    PAST = "past", _("Không sau ngày hôm nay (ngày sinh, ngày cấp, ngày đã xảy ra)")
    FUTURE = "future", _("Không trước ngày hôm nay (ngày hẹn, ngày bắt đầu, ngày kết thúc)")


# A date further than this from today, either way, is a typing mistake (a year 1026 or 9026).
DATE_SPAN_YEARS = 150


class FeeCharging(models.TextChoices):
    """How a fee line (phí, lệ phí) is charged on a dossier; see motcua.catalog.fees."""

    ALWAYS = "always", _("Thu một lần cho mỗi hồ sơ")
    PER_UNIT = "per_unit", _("Thu theo số lượng khai trên tờ khai")
    ON_REQUEST = "on_request", _("Chỉ thu khi người nộp yêu cầu, theo số lượng yêu cầu")


# A yes/no question of the online form is a choice field with exactly these two options; the
# answer YES claims a fee exemption (Fee.exemption_field).
YES = "Có"
NO = "Không"
YES_NO_CHOICES = (YES, NO)

# The most units of one fee line a dossier is charged for (e.g. copies); more is counted as this.
MAX_FEE_QUANTITY = 100


# The step is handled by whichever agency received the dossier.
RECEIVING_AGENCY = None
