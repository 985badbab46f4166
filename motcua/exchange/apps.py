from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "motcua.exchange"
    label = "exchange"
    verbose_name = _("Liên thông văn bản điện tử")

    def ready(self) -> None:
        # The transport plugins register themselves; the receivers follow the documents' events.
        from motcua.exchange import receivers  # noqa: F401
        from motcua.exchange.transports import backbone, direct, local  # noqa: F401
