"""Work the task worker (``manage.py db_worker``) does for dossiers after a change has committed."""

from django.tasks import task

from motcua.dossiers.models import Attachment
from motcua.dossiers.services.base import render_pending


@task
def render_document(attachment_id: int) -> bool:
    """Render a pending generated document (a notice, the generated result) from its snapshot.

    Returns whether this run rendered it: False when a download rendered it first, or when the
    attachment is gone (its dossier deleted).
    """
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        return False
    return render_pending(attachment)
