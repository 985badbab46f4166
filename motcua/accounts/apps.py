from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self) -> None:
        # The rule set of API clients and the access log (rules.add_rule / add_perm at import).
        from motcua.accounts import rules  # noqa: F401
