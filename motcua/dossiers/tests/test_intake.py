"""Dossiers entered for an applicant without an account, at the counter or from another portal: the
same checks of the applicant and the files, the same dossier, action and audit row (services.intake)."""

import io

import pytest

from motcua.core.models import AuditEntry
from motcua.dossiers import services
from motcua.dossiers.constants import ActionType, AttachmentKind, Channel, Status
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Attachment, Dossier
from motcua.dossiers.services.external import submit_from_portal
from motcua.dossiers.tests.factories import PDF

FORM = {"child_name": "Lê Minh Anh", "birth_date": "2026-10-20", "sex": "Nữ", "parent_id": "008190004321"}
PORTAL = "Cổng Dịch vụ công quốc gia"


def at_counter(office, applicant, scans=None):
    documents = office.version.documents.filter(required=True)
    return services.intake_at_counter(
        actor=office.reception,
        agency=office.agency,
        version=office.version,
        applicant=applicant,
        form_data=FORM,
        scans=scans if scans is not None else [(d, f"{d.pk}.pdf", io.BytesIO(PDF)) for d in documents],
    )


def from_portal(office, applicant, files=None):
    documents = office.version.documents.filter(required=True)
    return submit_from_portal(
        version=office.version,
        agency=office.agency,
        applicant=applicant,
        form_data=FORM,
        files=files if files is not None else [(d, f"{d.pk}.pdf", io.BytesIO(PDF)) for d in documents],
        portal=PORTAL,
        reference="G22.99-261202-0001",
    )


def test_both_create_the_dossier_submitted_with_its_files_linked_to_the_submission(office):
    applicant = {"name": "  Lê Thị Hoa ", "identity": "008190004321", "phone": "0912345678"}
    walk_in = at_counter(office, applicant)
    online = from_portal(office, applicant)

    for dossier, channel, kind in (
        (walk_in, Channel.COUNTER, AttachmentKind.SCAN),
        (online, Channel.ONLINE, AttachmentKind.APPLICANT),
    ):
        submission = dossier.actions.get(type=ActionType.SUBMIT)
        files = list(dossier.attachments.filter(kind=kind))
        assert (dossier.channel, dossier.applicant, dossier.applicant_name) == (channel, None, "Lê Thị Hoa")
        assert dossier.applicant_identity == "008190004321" and dossier.code
        assert len(files) == 2 and {f.action_id for f in files} == {submission.pk}
        assert submission.data["files"] == sorted(f.pk for f in files)
        assert submission.data["code"] == dossier.code and submission.data["channel"] == channel
        assert AuditEntry.objects.filter(object_id=str(dossier.pk), action="dossier.submit").count() == 1
    # The counter receives at once; the portal's dossier waits in the reception queue.
    assert walk_in.status == Status.PROCESSING and online.status == Status.SUBMITTED
    assert online.actions.get().data["reference"] == "G22.99-261202-0001"
    assert walk_in.code != online.code


def test_another_portal_may_identify_the_applicant_by_other_papers_the_counter_may_not(office):
    passport = {"name": "Lê Thị Hoa", "identity": "C1234567"}

    assert from_portal(office, passport).applicant_identity == "C1234567"
    with pytest.raises(InvalidInput) as refused:
        at_counter(office, passport)
    assert set(refused.value.errors) == {"applicant_identity"}


@pytest.mark.parametrize("face", [at_counter, from_portal])
def test_a_twelve_character_number_not_all_digits_and_a_missing_name_are_refused_by_both(office, face):
    with pytest.raises(InvalidInput) as refused:
        face(office, {"name": " ", "identity": "00819000432X"})

    assert {"applicant_name", "applicant_identity"} <= set(refused.value.errors)
    assert not Dossier.objects.exists() and not Attachment.objects.exists()


def test_a_refused_file_is_named_by_its_document_at_the_counter_and_its_position_from_a_portal(office):
    documents = list(office.version.documents.filter(required=True))
    bad = [(documents[0], "a.pdf", io.BytesIO(PDF)), (documents[1], "b.pdf", io.BytesIO(b"not a pdf"))]

    with pytest.raises(InvalidInput) as counter:
        at_counter(office, {"name": "Lê Thị Hoa"}, scans=bad)
    with pytest.raises(InvalidInput) as portal:
        from_portal(office, {"name": "Lê Thị Hoa"}, files=bad)

    assert set(counter.value.errors) == {f"doc-{documents[1].pk}"}
    assert set(portal.value.errors) == {"file-2"}
    assert "PDF" in portal.value.errors["file-2"][0]
    assert not Dossier.objects.exists() and not Attachment.objects.exists()
