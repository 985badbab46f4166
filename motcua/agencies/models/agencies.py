from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.constants import AgencyKind
from motcua.agencies.validators import validate_agency_code


class AgencyQuerySet(models.QuerySet):
    def active(self) -> "AgencyQuerySet":
        return self.filter(is_active=True)


class Agency(models.Model):
    """A state agency (cơ quan): a department, the service centre, a commune people's committee...

    Agencies form their own tree (``parent``), independent of the unit tree; ``unit`` is the
    administrative unit the agency serves.
    """

    code = models.CharField(
        _("mã định danh"),
        max_length=35,
        unique=True,
        validators=[validate_agency_code],
        help_text=_("Theo Quyết định 20/2020/QĐ-TTg, ví dụ 000.00.00.H29."),
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=80, blank=True)
    kind = models.CharField(_("loại cơ quan"), max_length=30, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    unit = models.ForeignKey(
        "agencies.AdministrativeUnit",
        verbose_name=_("địa bàn phục vụ"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    receives_dossiers = models.BooleanField(
        _("tiếp nhận hồ sơ (bộ phận một cửa)"),
        default=False,
        help_text=_("Cơ quan có bộ phận tiếp nhận và trả kết quả."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    # Printed on the notices (forms 01, 02, 04 of Circular 03/2025 Appendix I).
    opening_hours = models.CharField(
        _("giờ làm việc"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Sáng 7:30–11:30, chiều 13:00–17:00, thứ Hai đến thứ Sáu."),
    )
    head_title = models.CharField(
        _("chức vụ người đứng đầu"),
        max_length=120,
        blank=True,
        help_text=_("Ví dụ: Giám đốc, Chủ tịch; ký phiếu xin lỗi và hẹn lại ngày trả kết quả."),
    )
    head_name = models.CharField(_("họ tên người đứng đầu"), max_length=120, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The identifier is upper case by definition; refuse anything else rather than guess.
        validate_agency_code(self.code)
        super().save(*args, **kwargs)
