from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LanguagePreference(models.Model):
    """The language an applicant reads: the one of the pages they last signed in on. Emails about
    their dossiers are written in it; without one, in Vietnamese."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    language = models.CharField(_("ngôn ngữ"), max_length=10, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ngôn ngữ nhận thông báo")
        verbose_name_plural = _("ngôn ngữ nhận thông báo")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"
