from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    label = "documents"
    verbose_name = _("Văn bản đi, đến")

    def ready(self) -> None:
        from motcua.documents import rules  # noqa: F401  (registers the documents.* permissions)
