from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_templates(sender, using="default", **kwargs) -> None:
    from motcua.notifications import services

    if using == "default":
        services.ensure_templates()


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    label = "notifications"
    verbose_name = _("Thông báo")

    def ready(self) -> None:
        from motcua.notifications import receivers  # noqa: F401  (connects to dossier events)

        # The admin lists every event's template from the start (made from the defaults).
        post_migrate.connect(_ensure_templates, sender=self)
