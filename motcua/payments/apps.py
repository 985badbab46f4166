from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = _("Thanh toán phí, lệ phí")

    def ready(self) -> None:
        # The gateway plugins register themselves; the receivers follow the dossiers' events.
        from motcua.payments import checks, receivers  # noqa: F401
        from motcua.payments.gateways import national, vnpay  # noqa: F401
