from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    label = "reports"
    verbose_name = _("Báo cáo, chỉ số")

    def ready(self) -> None:
        # The aggregates follow the dossiers' events (delivered by the outbox relay).
        from motcua.reports import receivers  # noqa: F401
