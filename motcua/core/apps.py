from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from motcua.core import checks, search  # noqa: F401  (registers the checks, SQLite functions)
