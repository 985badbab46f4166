import re

import pytest
from django.core import mail
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.constants import ActionType, AttachmentKind, Status
from motcua.dossiers.errors import Conflict, InvalidInput, NotAllowed, WrongState
from motcua.dossiers.models import Attachment
from motcua.dossiers.tests.factories import pdf, submitted


def test_receiving_gives_a_code_a_due_date_a_receipt_and_the_first_step(
    office, django_capture_on_commit_callbacks
):
    dossier = submitted(office)

    with django_capture_on_commit_callbacks(execute=True):  # the receipt's render task runs
        services.receive(dossier, actor=office.reception)

    today = timezone.localdate()
    assert re.fullmatch(rf"000\.01\.01\.H59-{today:%y%m%d}-0001", dossier.code)
    # The specialist has it now: in processing, as the national portal counts it.
    assert dossier.status == Status.PROCESSING and dossier.national_status == "processing"
    assert dossier.received_at is not None and dossier.due_at > dossier.received_at
    steps = list(dossier.steps.order_by("order"))
    assert [s.role for s in steps] == ["reception", "specialist", "leader"]
    assert steps[0].completed_at is not None and steps[0].assignee == office.reception
    assert dossier.current_step == steps[1]
    assert dossier.holder_agency == office.agency
    assert steps[-1].due_at == dossier.due_at  # the last step ends with the dossier
    assert steps[1].due_at < steps[2].due_at
    receipt = dossier.attachments.get(kind=AttachmentKind.NOTICE, notice_form="01")
    assert not receipt.pending and receipt.file.read(4) == b"%PDF" and receipt.size == receipt.file.size


def test_codes_are_given_at_submission_and_count_up_per_agency_and_day(office):
    first = submitted(office)
    second = submitted(office)
    elsewhere = submitted(office, agency=office.other_agency)
    codes = (first.code, second.code, elsewhere.code)

    services.receive(second, actor=office.reception)
    services.receive(first, actor=office.reception)
    services.receive(elsewhere, actor=office.outsider)

    assert (first.code, second.code, elsewhere.code) == codes  # reception keeps the code
    assert [first.code[-4:], second.code[-4:]] == ["0001", "0002"]
    assert elsewhere.code.startswith("000.02.01.H59-") and elsewhere.code.endswith("-0001")


def test_a_supplement_request_lists_everything_and_the_applicant_resubmits(office):
    dossier = submitted(office)

    services.request_supplement(
        dossier,
        actor=office.reception,
        items=["Giấy chứng sinh bản chính", "Tờ khai có chữ ký"],
        note="Bản chụp mờ",
    )

    assert dossier.status == Status.SUPPLEMENT and dossier.national_status == "waiting"
    action = dossier.actions.get(type=ActionType.REQUEST_SUPPLEMENT)
    assert action.data["items"] == ["Giấy chứng sinh bản chính", "Tờ khai có chữ ký"]
    assert dossier.attachments.filter(notice_form="02").count() == 1
    assert not dossier.pauses.exists()  # not received yet: no clock to stop

    document = office.version.documents.get(name="Giấy chứng sinh")
    services.add_document(
        dossier, actor=office.citizen, upload=pdf(), name="chung-sinh.pdf", document=document
    )
    services.resubmit(dossier, actor=office.citizen, note="Đã bổ sung")

    assert dossier.status == Status.SUBMITTED
    services.receive(dossier, actor=office.reception)
    assert dossier.status == Status.PROCESSING


def test_a_supplement_request_needs_items(office):
    dossier = submitted(office)

    with pytest.raises(InvalidInput):
        services.request_supplement(dossier, actor=office.reception, items=["", "  "])
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_refusal_with_reasons(office):
    dossier = submitted(office)

    with pytest.raises(InvalidInput):
        services.refuse(dossier, actor=office.reception, reasons="  ")
    services.refuse(dossier, actor=office.reception, reasons="Không thuộc thẩm quyền giải quyết")

    assert dossier.status == Status.REFUSED and dossier.national_status == "denied"
    assert dossier.attachments.filter(notice_form="03").exists()


def test_only_a_reception_officer_of_the_receiving_agency_receives(office):
    dossier = submitted(office)

    for officer in (office.outsider, office.specialist, office.citizen):
        with pytest.raises(NotAllowed):
            services.receive(dossier, actor=officer)
    code = dossier.code
    dossier.refresh_from_db()
    assert (dossier.status, dossier.code, dossier.revision, dossier.received_at) == (
        Status.SUBMITTED,
        code,
        2,
        None,
    )


def test_a_stale_revision_is_a_conflict_and_changes_nothing(office):
    dossier = submitted(office)
    seen = dossier.revision
    services.request_supplement(dossier, actor=office.reception, items=["Giấy chứng sinh"])
    dossier.status = Status.SUBMITTED  # what the second officer's page still shows

    with pytest.raises(Conflict, match="người khác"):
        services.receive(dossier, actor=office.reception, expected_revision=seen)


def test_wrong_transitions_are_refused_with_a_message(office):
    dossier = submitted(office)

    with pytest.raises(WrongState, match="Mới đăng ký"):
        services.return_result(dossier, actor=office.reception)
    with pytest.raises(WrongState):
        services.forward(dossier, actor=office.specialist)
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and dossier.actions.count() == 1


def test_counter_intake_receives_at_once(office):
    document = office.version.documents.filter(required=True)
    dossier = services.intake_at_counter(
        actor=office.reception,
        agency=office.agency,
        version=office.version,
        applicant={"name": "Lê Thị Hoa", "identity": "008190004321", "phone": "0912345678"},
        form_data={
            "child_name": "Lê Minh Anh",
            "birth_date": "2026-10-20",
            "sex": "Nữ",
            "parent_id": "008190004321",
        },
        scans=[(d, f"{d.pk}.pdf", pdf()) for d in document],
    )

    assert dossier.channel == "counter" and dossier.status == Status.PROCESSING and dossier.code
    assert dossier.attachments.filter(kind=AttachmentKind.SCAN).count() == 2
    assert [a.type for a in dossier.actions.order_by("id")] == [ActionType.SUBMIT, ActionType.RECEIVE]


def test_counter_intake_with_a_bad_form_saves_nothing(office):
    with pytest.raises(InvalidInput):
        services.intake_at_counter(
            actor=office.reception,
            agency=office.agency,
            version=office.version,
            applicant={"name": "Lê Thị Hoa"},
            form_data={"child_name": ""},
            scans=[],
        )
    assert not Attachment.objects.exists()


def test_the_applicant_is_emailed_the_code_after_reception(
    office, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = submitted(office)
    with django_capture_on_commit_callbacks(execute=True):
        services.receive(dossier, actor=office.reception)

    assert dossier.code in mail.outbox[-1].subject
    assert dossier.code in mail.outbox[-1].body


def test_counter_intake_reports_every_problem_at_once(office):
    import io as _io

    documents = list(office.version.documents.filter(required=True))
    with pytest.raises(InvalidInput) as exc:
        services.intake_at_counter(
            actor=office.reception,
            agency=office.agency,
            version=office.version,
            applicant={"name": "", "identity": "123"},
            form_data={"child_name": ""},
            scans=[(documents[0], "a.pdf", _io.BytesIO(b"not a pdf"))],
        )

    errors = exc.value.errors
    assert {
        "applicant_name",
        "applicant_identity",
        "child_name",
        f"doc-{documents[0].pk}",
        f"doc-{documents[1].pk}",
    } <= set(errors)
    assert "PDF" in errors[f"doc-{documents[0].pk}"][0] and "Thiếu" in errors[f"doc-{documents[1].pk}"][0]
