"""Deploy checks: a site must not take payments with the demo secrets of the stand-ins."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

DEMO_SECRETS = {
    "national": ("MOTCUA_NATIONAL_PAYMENT_SECRET", "demo-national-secret"),
    "vnpay": ("MOTCUA_VNPAY_SECRET", "demo-vnpay-secret"),
}


@register(Tags.security, deploy=True)
def payment_secrets_are_not_the_demo_ones(app_configs, **kwargs):
    warnings = []
    for gateway in getattr(settings, "MOTCUA_PAYMENT_GATEWAYS", []):
        setting, demo = DEMO_SECRETS.get(gateway, ("", None))
        if demo is not None and getattr(settings, setting, "") == demo:
            warnings.append(
                Warning(
                    f"{setting} is the demo secret of the local stand-in: anyone could forge {gateway} "
                    "payment confirmations. Set the secret the gateway gave this site.",
                    id="motcua.W101",
                )
            )
    return warnings
