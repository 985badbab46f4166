from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """A local change to the national calendar: an extra day off decided by the province (or by one
    agency), or a day worked that would otherwise be off (a local make-up day).

    Without an agency it applies province-wide; an agency's own override wins over the province's.
    """

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
        help_text=_("Để trống: áp dụng cho toàn tỉnh."),
    )
    date = models.DateField(_("ngày"))
    is_working_day = models.BooleanField(
        _("là ngày làm việc"),
        default=False,
        help_text=_("Chọn nếu là ngày làm việc (làm bù); bỏ chọn nếu là ngày nghỉ."),
    )
    note = models.CharField(
        _("lý do"), max_length=255, help_text=_("Lý do và văn bản quyết định, hiển thị khi giải thích hạn.")
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù của địa phương")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù của địa phương")
        ordering = ["-date", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "date"], name="calendar_override_agency_date"),
            # NULL agencies are distinct in the constraint above, so province-wide days need their own.
            models.UniqueConstraint(
                fields=["date"], condition=Q(agency__isnull=True), name="calendar_override_province_date"
            ),
        ]

    def __str__(self) -> str:
        kind = _("làm việc") if self.is_working_day else _("nghỉ")
        return f"{self.date:%d/%m/%Y} {kind}: {self.note}"
