from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncState(models.TextChoices):
    """Where a dossier stands with the national portal (``national_sync.state`` in the API)."""

    PENDING = "pending", _("Đang chờ đồng bộ")
    SYNCED = "synced", _("Đã đồng bộ")
    FAILED = "failed", _("Đồng bộ không thành công, sẽ thử lại")
