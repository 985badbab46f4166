from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core import clock
from motcua.integrations.constants import InboundState, SyncState


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
    generation = models.BigIntegerField(default=0)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đồng bộ Cổng DVC quốc gia")
        verbose_name_plural = _("đồng bộ Cổng DVC quốc gia")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="national_sync_due_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.state}"


class InboundDossier(models.Model):
    """A dossier submitted on the national portal and taken into the province (sync in).

    One row per national code (``MaHoSo`` on the portal): taking the same dossier twice finds the row
    and creates nothing. ``taken``: the dossier waits in its agency's reception queue (``dossier``);
    ``failed``: the portal's dossier could not become one here (an unknown procedure or agency, a
    file refused), kept with the portal's item and the reason for staff to see and take again.
    ``acknowledged_at``: when the portal was told (``CapNhatDaNhanHoSo``); until then every poll
    tells it again.
    """

    national_code = models.CharField(_("mã hồ sơ trên Cổng DVC quốc gia"), max_length=64, unique=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="national_inbound",
    )
    state = models.CharField(_("tình trạng"), max_length=10, choices=InboundState.choices)
    reason = models.TextField(_("lý do"), blank=True)
    procedure_code = models.CharField(_("mã thủ tục"), max_length=40, blank=True)
    agency_code = models.CharField(_("mã đơn vị tiếp nhận"), max_length=40, blank=True)
    applicant_name = models.CharField(_("chủ hồ sơ"), max_length=255, blank=True)
    item = models.JSONField(_("dữ liệu từ Cổng"), default=dict)
    first_seen_at = models.DateTimeField(_("nhận lần đầu lúc"), default=clock.now)
    attempts = models.PositiveIntegerField(_("số lần nhận"), default=1)
    acknowledged_at = models.DateTimeField(_("đã báo Cổng lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ nhận từ Cổng DVC quốc gia")
        verbose_name_plural = _("hồ sơ nhận từ Cổng DVC quốc gia")
        ordering = ["-first_seen_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-first_seen_at"], name="inbound_state_idx"),
            models.Index(
                fields=["id"],
                name="inbound_unacknowledged_idx",
                condition=models.Q(acknowledged_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.national_code} · {self.state}"
