from django.utils.functional import SimpleLazyObject

from motcua.notifications import selectors


def inbox(request):
    """The bell's unread count, asked only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user))}
