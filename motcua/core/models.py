from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core import clock


class AuditEntry(models.Model):
    """One line of the append-only audit log: who did what to which object, and when."""

    at = models.DateTimeField(_("thời điểm"), default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("hành động"), max_length=80, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=80, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=80, blank=True)
    summary = models.CharField(_("tóm tắt"), max_length=400, blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)

    class Meta:
        verbose_name = _("nhật ký hệ thống")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)


class RateCounter(models.Model):
    """Requests counted in one window of a rate limit (motcua.core.ratelimit)."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    window_index = models.BigIntegerField()
    expires_at = models.BigIntegerField(db_index=True)
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window_index"], name="ratecounter_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}: {self.hits}"
