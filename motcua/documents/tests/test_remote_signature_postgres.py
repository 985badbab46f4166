"""Two polls of the same confirmed remote signature at the same instant (the task worker and the
leader's "check now"): both ask the service, one records; the document is signed once (PostgreSQL)."""

import pytest

from motcua.core.models import AuditEntry
from motcua.core.tests.races import run_together
from motcua.documents import selectors, services
from motcua.documents.constants import ActionType, FileKind, Status
from motcua.documents.models import OfficialDocument
from motcua.documents.tests.factories import approved, make_bureau
from motcua.signing import services as signing_services
from motcua.signing import testca
from motcua.signing.constants import RequestState
from motcua.signing.models import SigningRequest
from motcua.signing.tests.factories import certificate_for
from motcua.signing.tests.fixtures import REMOTE_USER
from motcua.signing.tests.test_remote_signing import _answer_on_the_phone

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_polls_at_once_record_the_signature_once(signing, remote_signing, media):
    bureau = make_bureau()
    signing_services.set_seal(bureau.agency, testca.seal_png(bureau.agency.name))
    certificate_for(signing, agency=bureau.agency)
    signing_services.add_remote_certificate(user=bureau.leader, remote_user_id=REMOTE_USER)
    document = approved(bureau)
    services.sign(document, actor=bureau.leader)
    request = selectors.waiting_signature(document)
    assert request is not None
    _answer_on_the_phone(remote_signing.url, request.transaction_id, "xac-nhan")

    outcomes = run_together(
        [
            lambda: services.poll_signature(SigningRequest.objects.get(pk=request.pk)),
            lambda: services.check_signature(
                OfficialDocument.objects.get(pk=document.pk), actor=bureau.leader
            ),
        ]
    )

    assert [o for o in outcomes if o[0] == "error"] == [], outcomes
    assert RequestState.SIGNED in [o[1] for o in outcomes]
    document.refresh_from_db()
    assert document.status == Status.SIGNED
    assert document.actions.filter(type=ActionType.SIGNATURE_CONFIRMED).count() == 1
    assert document.files.filter(kind=FileKind.SIGNED).count() == 1
    assert (
        AuditEntry.objects.filter(action="document.signature_confirmed", object_id=str(document.pk)).count()
        == 1
    )
    request.refresh_from_db()
    assert request.state == RequestState.SIGNED
