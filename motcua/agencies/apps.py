from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "motcua.agencies"
    label = "agencies"
    verbose_name = _("Đơn vị hành chính và cơ quan")

    def ready(self) -> None:
        from motcua.agencies.models import AdministrativeUnit, Agency
        from motcua.core.refcache import clear_on_change

        clear_on_change(AdministrativeUnit, Agency)
