from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    label = "integrations"
    verbose_name = _("Kết nối hệ thống quốc gia")

    def ready(self) -> None:
        from motcua.integrations import receivers, rules  # noqa: F401  (dossier events; permissions)
