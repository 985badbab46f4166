"""Work the task worker (``manage.py db_worker``) does for signing."""

from django.tasks import task

from motcua.dossiers.models import Dossier
from motcua.signing import services
from motcua.signing.constants import RequestState
from motcua.signing.models import SigningRequest


@task
def sign_dossier_results(dossier_id: int) -> list[str]:
    """Sign (or start the remote signature of) the results of a dossier that became ready."""
    dossier = Dossier.objects.filter(pk=dossier_id).first()
    if dossier is None:
        return []
    return services.sign_results_of(dossier)


@task
def poll_signing_request(request_id: int) -> str:
    """Ask the remote-signing service whether the signer confirmed; asks again later while waiting
    (until the request expires)."""
    request = SigningRequest.objects.filter(pk=request_id).first()
    if request is None or request.attachment_id is None:  # an official document's: motcua.documents
        return ""
    state = services.poll_request(request)
    if state == RequestState.WAITING:
        services.schedule_poll(request)
    return state
