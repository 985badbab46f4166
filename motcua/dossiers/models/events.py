from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core import clock


class OutboxEvent(models.Model):
    """A dossier event waiting to be delivered to the subscribers of ``dossier_changed``.

    Written by the services in the transaction of the change (motcua.dossiers.events) and deleted by
    ``manage.py relay_events`` once delivered: the table only holds what is still to deliver, and
    the events that failed (``attempts``, ``last_error``) until they are delivered or given up.
    """

    dossier_id = models.BigIntegerField()
    action = models.CharField(max_length=30)
    status = models.PositiveSmallIntegerField()
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    available_at = models.DateTimeField(default=clock.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("sự kiện chờ chuyển")
        verbose_name_plural = _("sự kiện chờ chuyển")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.action} #{self.dossier_id}"
