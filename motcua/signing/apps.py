from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "motcua.signing"
    label = "signing"
    verbose_name = _("Chữ ký số")

    def ready(self) -> None:
        from motcua.dossiers import documents
        from motcua.signing import conf, finishers, receivers  # noqa: F401  (receivers: dossier events)

        documents.register_finisher(finishers.finish_issued_document)
        documents.require_signed_results(conf.enabled)
