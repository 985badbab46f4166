from django.core.management import call_command

from motcua.documents.constants import INCOMING_STATUSES, OUTGOING_STATUSES, Status
from motcua.documents.models import OfficialDocument


def test_the_demo_has_documents_in_every_state_for_two_agencies(db):
    import io

    call_command("load_demo", "--dossiers=0", stdout=io.StringIO())
    documents = OfficialDocument.objects.all()
    assert documents.values("agency").distinct().count() == 2
    statuses = set(documents.values_list("status", flat=True))
    # Refused, recalled and replaced come only from another agency's exchange (the demo's live
    # exchange between its two agencies shows them: README).
    # A document awaiting its signer's confirmation needs a live request to the remote signer (the
    # ward's vice-chair makes one from the demo's approved plan).
    wanted = (set(OUTGOING_STATUSES) - {Status.AWAITING_SIGNATURE}) | set(INCOMING_STATUSES) - {
        Status.REFUSED,
        Status.RECALLED,
        Status.REPLACED,
    }
    assert wanted <= statuses
    assert documents.overdue().exists()
    plan = documents.get(status=Status.APPROVED, agency__code="000.01.01.H59")
    assert plan.signer_name == "Vũ Minh Hải"  # the vice-chair, who signs with the remote signer
    issued = documents.filter(status=Status.SENT).first()
    assert issued.notation.endswith(("/STP-VP", "/UBND-VP"))  # công văn: agency-unit
    count = documents.count()
    call_command("load_demo", "--dossiers=0", stdout=io.StringIO())
    assert OfficialDocument.objects.count() == count
