from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.integrations.constants import SyncState


class NationalSync(models.Model):
    """How far one dossier has reached the national portal (DVCQG).

    The sync sends the dossier's *current* state (a ``DongBoHoSoMC`` item, when it differs from the
    last one sent: ``payload_hash``) and then every action after ``last_action_id`` as a
    ``CapNhatTienDoHoSoMC`` item, in the order of the history. So whatever event triggered it, a sync
    sends everything not yet sent, once, in order; a failure leaves the row to the next attempt.
    """

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="national_sync", primary_key=True
    )
    state = models.CharField(_("trạng thái đồng bộ"), max_length=10, choices=SyncState.choices)
    # The portal holds the dossier (created once): later items are sent with isUpdating "True".
    created_on_portal = models.BooleanField(default=False)
    payload_hash = models.CharField(max_length=64, blank=True)
    last_action_id = models.BigIntegerField(default=0)
    synced_at = models.DateTimeField(_("đồng bộ lúc"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("số lần thử không thành công"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đồng bộ Cổng DVC quốc gia")
        verbose_name_plural = _("đồng bộ Cổng DVC quốc gia")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="national_sync_due_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.state}"
