"""Work the task worker (``manage.py db_worker``) does for official documents."""

from django.tasks import task

from motcua.documents import services
from motcua.signing.constants import RequestState
from motcua.signing.models import SigningRequest


@task
def poll_document_signature(request_id: int, attempt: int = 1) -> str:
    """Ask the remote-signing service whether the leader confirmed the signature of a document; asks
    again later, backing off, while the request waits (until it expires)."""
    request = SigningRequest.objects.filter(pk=request_id, document__isnull=False).first()
    if request is None:
        return ""
    state = services.poll_signature(request)
    if state == RequestState.WAITING:
        services.schedule_poll(request, attempt)
    return state
