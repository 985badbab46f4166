from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "motcua.surveys"
    label = "surveys"
    verbose_name = _("Đánh giá mức độ hài lòng")

    def ready(self) -> None:
        # The permission "surveys.rate" registers itself with django-rules.
        from motcua.surveys import rules  # noqa: F401
