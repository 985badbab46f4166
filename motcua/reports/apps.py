from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    label = "reports"
    verbose_name = _("Báo cáo, chỉ số")

    def ready(self) -> None:
        # The aggregates follow the dossiers' events (delivered by the outbox relay).
        from motcua.catalog.models import Fee, RequiredDocument
        from motcua.core.refcache import clear_on_change
        from motcua.reports import receivers  # noqa: F401

        # The reports keep the catalogue's procedures per process (selectors._catalogue): a fee or a
        # paper changed clears it like a version does.
        clear_on_change(Fee, RequiredDocument)
