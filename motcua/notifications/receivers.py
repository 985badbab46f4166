from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from motcua.dossiers.events import dossier_changed
from motcua.notifications import services
from motcua.notifications.models import LanguagePreference
from motcua.notifications.tasks import dispatch


@receiver(dossier_changed)
def on_dossier_changed(
    sender, dossier_id: int, action: str, status: int | None = None, data: dict | None = None, **kwargs
) -> None:
    """Queue the messages' writing, one task per event. Delivered by the outbox relay, this runs in the
    relay's transaction: with the database task queue, the task rows commit together with the removal
    of the event (never in the transaction of the action itself)."""
    action_id = (data or {}).get("action_id")
    for event in services.events_for(action, status):
        dispatch.enqueue(dossier_id, event, action, action_id if isinstance(action_id, int) else None)


@receiver(user_logged_in)
def remember_language(sender, request, user, **kwargs) -> None:
    """The language of the pages someone signs in on is the one their messages are written in."""
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    if language not in dict(settings.LANGUAGES) or user.pk is None:
        return
    LanguagePreference.objects.update_or_create(user_id=user.pk, defaults={"language": language})
