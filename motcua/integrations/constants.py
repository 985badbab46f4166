from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncState(models.TextChoices):
    """Where a dossier stands with the national portal (``national_sync.state`` in the API)."""

    PENDING = "pending", _("Đang chờ đồng bộ")
    SYNCED = "synced", _("Đã đồng bộ")
    FAILED = "failed", _("Đồng bộ không thành công, sẽ thử lại")


class InboundState(models.TextChoices):
    """What became of a dossier submitted on the national portal and taken by the province."""

    TAKEN = "taken", _("Đã nhận vào hàng chờ tiếp nhận")
    FAILED = "failed", _("Chưa nhận được, cần xử lý")
