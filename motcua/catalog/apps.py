from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = _("Danh mục thủ tục hành chính")

    def ready(self) -> None:
        from motcua.catalog import rules  # noqa: F401  (registers the catalogue's permissions)
        from motcua.catalog.models import Procedure, ProcedureVersion
        from motcua.core.refcache import clear_on_change

        clear_on_change(Procedure, ProcedureVersion)
