"""Reads of the notifications app."""

from django.db.models import QuerySet

from motcua.notifications.constants import Channel
from motcua.notifications.models import Message


def inbox(user) -> QuerySet[Message]:
    """``user``'s in-app messages, newest first."""
    return (
        Message.objects.filter(user=user, channel=Channel.INAPP)
        .select_related("dossier")
        .order_by("-created_at", "-id")
    )


def unread_count(user) -> int:
    return Message.objects.filter(user=user, channel=Channel.INAPP, read_at__isnull=True).count()


def of_dossier(dossier) -> QuerySet[Message]:
    """Every message about ``dossier`` (the staff page's table), oldest first."""
    return Message.objects.filter(dossier=dossier).order_by("created_at", "id")
