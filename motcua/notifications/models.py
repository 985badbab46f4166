from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core import clock
from motcua.notifications.constants import Channel, DeliveryStatus, Event


class LanguagePreference(models.Model):
    """The language someone reads: the one of the pages they last signed in on. Messages about
    their dossiers (and an officer's in-app messages) are written in it; without one, in Vietnamese."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    language = models.CharField(_("ngôn ngữ"), max_length=10, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ngôn ngữ nhận thông báo")
        verbose_name_plural = _("ngôn ngữ nhận thông báo")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class Template(models.Model):
    """The texts of one event's messages in one language, per channel, edited by administrators.

    Each text is a Django template rendered with the dossier's fields (motcua.notifications.rendering
    lists them); a blank text means the channel is not used for this event. A text that fails to
    render is replaced by the default and the failure logged: a message is never held up by it."""

    event = models.CharField(_("sự kiện"), max_length=30, choices=Event.choices)
    language = models.CharField(_("ngôn ngữ"), max_length=10, choices=settings.LANGUAGES)
    email_subject = models.CharField(_("tiêu đề thư điện tử"), max_length=255, blank=True)
    email_body = models.TextField(_("nội dung thư điện tử"), blank=True)
    sms_text = models.TextField(_("nội dung tin nhắn SMS"), blank=True)
    inapp_title = models.CharField(_("tiêu đề thông báo trên hệ thống"), max_length=255, blank=True)
    inapp_text = models.TextField(_("nội dung thông báo trên hệ thống"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=clock.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        ordering = ["event", "language"]
        constraints = [
            models.UniqueConstraint(fields=["event", "language"], name="notification_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} ({self.language})"


class Message(models.Model):
    """One outgoing message on one channel to one recipient, with its delivery state.

    Email and SMS are sent by the task worker, retried with a backoff (motcua.notifications.services);
    an in-app message is the recipient's inbox line (sent when written; ``read_at`` once read).
    ``key`` makes each message once: the event, the dossier's action, the channel and the recipient."""

    key = models.CharField(max_length=200, unique=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    event = models.CharField(_("sự kiện"), max_length=30, choices=Event.choices)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận (tài khoản)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    recipient = models.CharField(_("người nhận"), max_length=255)
    language = models.CharField(_("ngôn ngữ"), max_length=10, default="vi")
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    from_default = models.BooleanField(
        _("dùng mẫu mặc định"),
        default=False,
        help_text=_("Mẫu đã sửa không hiển thị được nên đã dùng nội dung mặc định."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    provider_reference = models.CharField(_("mã của nhà cung cấp"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=clock.now)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    read_at = models.DateTimeField(_("đọc lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=clock.now)

    class Meta:
        verbose_name = _("thông báo đã gửi")
        verbose_name_plural = _("thông báo đã gửi")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "channel", "read_at"], name="notification_inbox_idx"),
            models.Index(fields=["dossier", "created_at"], name="notification_dossier_idx"),
            models.Index(
                fields=["next_attempt_at"],
                name="notification_retry_idx",
                condition=models.Q(status="failed"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject or self.body[:40]}"

    @property
    def unread(self) -> bool:
        return self.channel == Channel.INAPP and self.read_at is None
