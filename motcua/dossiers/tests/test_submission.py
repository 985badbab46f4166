import io

import pytest
from django.core import mail

from motcua.dossiers import services
from motcua.dossiers.constants import ActionType, Status
from motcua.dossiers.errors import InvalidInput, NotAllowed, WrongState
from motcua.dossiers.tests.factories import GOOD_FORM, PDF, PNG, pdf, submitted


def test_a_draft_keeps_what_was_typed_even_with_errors(office):
    dossier = services.start_dossier(version=office.version, applicant=office.citizen)

    errors = services.save_draft(
        dossier,
        actor=office.citizen,
        form_data={"child_name": "Nguyễn Minh Khôi", "birth_date": "01/11/2026", "parent_id": "123"},
    )

    assert set(errors) == {"birth_date", "parent_id"}
    assert "12" in errors["parent_id"][0]
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT
    assert dossier.form_data == {
        "child_name": "Nguyễn Minh Khôi",
        "birth_date": "01/11/2026",
        "parent_id": "123",
    }


def test_submission_needs_the_form_the_documents_and_the_declaration(office):
    dossier = services.start_dossier(version=office.version, applicant=office.citizen)
    services.save_draft(dossier, actor=office.citizen, form_data={"child_name": "Khôi"})

    with pytest.raises(InvalidInput) as no_declaration:
        services.submit(dossier, actor=office.citizen, declaration=False)
    with pytest.raises(InvalidInput) as incomplete:
        services.submit(dossier, actor=office.citizen, declaration=True)

    assert "declaration" in no_declaration.value.errors
    assert {"birth_date", "sex", "parent_id", "documents"} <= set(incomplete.value.errors)
    assert len(incomplete.value.errors["documents"]) == 2  # every missing document, at once
    dossier.refresh_from_db()
    # the draft was saved once, nothing was submitted
    assert (dossier.status, dossier.revision, dossier.actions.count()) == (Status.DRAFT, 1, 0)


def test_a_complete_dossier_is_submitted_and_the_applicant_told(
    office, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        dossier = submitted(office)
    assert mail.outbox == []  # nothing is sent before the transaction commits
    with django_capture_on_commit_callbacks(execute=True):  # the commit, and the messages' own
        for callback in callbacks:
            callback()

    assert dossier.status == Status.SUBMITTED
    assert dossier.national_status == "receiving"
    assert dossier.submitted_at is not None and dossier.code.startswith("000.01.01.H59-")
    assert dossier.procedure_version == office.version
    assert [a.type for a in dossier.actions.all()] == [ActionType.SUBMIT]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an@example.vn"]
    assert "Đăng ký khai sinh" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text, not a document", "PDF, JPG"),
        (b"MZ\x90\x00" + b"\x00" * 100, "PDF, JPG"),  # a Windows executable renamed .pdf
        (b"", "rỗng"),
    ],
)
def test_files_are_checked_by_content(office, content, message):
    dossier = services.start_dossier(version=office.version, applicant=office.citizen)

    with pytest.raises(Exception, match=message):
        services.add_document(dossier, actor=office.citizen, upload=io.BytesIO(content), name="to-khai.pdf")

    assert not dossier.attachments.exists()


def test_files_over_the_size_limit_are_refused(office, settings):
    settings.MOTCUA_UPLOAD_MAX_BYTES = 1024
    dossier = services.start_dossier(version=office.version, applicant=office.citizen)

    with pytest.raises(Exception, match="quá lớn"):
        services.add_document(dossier, actor=office.citizen, upload=pdf(PDF + b"0" * 2048), name="big.pdf")


def test_a_new_file_for_a_document_replaces_the_old_one(office):
    dossier = services.start_dossier(version=office.version, applicant=office.citizen)
    document = office.version.documents.first()
    first = services.add_document(
        dossier, actor=office.citizen, upload=pdf(), name="a.pdf", document=document
    )
    second = services.add_document(
        dossier, actor=office.citizen, upload=io.BytesIO(PNG), name="b.png", document=document
    )

    first.refresh_from_db()
    assert first.superseded and not second.superseded
    assert second.content_type == "image/png" and second.extension == ".png"
    assert second.file.name.startswith("dossiers/") and "b.png" not in second.file.name.split("/")[-1][:-4]


def test_only_the_applicant_touches_their_draft(office):
    dossier = services.start_dossier(version=office.version, applicant=office.citizen)

    with pytest.raises(NotAllowed):
        services.save_draft(dossier, actor=office.stranger, form_data=GOOD_FORM)
    with pytest.raises(NotAllowed):
        services.add_document(dossier, actor=office.stranger, upload=pdf(), name="x.pdf")
    with pytest.raises(NotAllowed):
        services.submit(dossier, actor=office.stranger, declaration=True)


def test_a_submitted_form_can_no_longer_be_edited(office):
    dossier = submitted(office)

    with pytest.raises(WrongState):
        services.save_draft(dossier, actor=office.citizen, form_data={"child_name": "Khác"})


def test_applying_on_behalf_records_both(office):
    dossier = services.start_dossier(
        version=office.version,
        applicant=office.citizen,
        subject={"name": "Nguyễn Minh Khôi", "identity": "", "relation": "Cha"},
    )

    assert (dossier.applicant_name, dossier.subject_name, dossier.subject_relation) == (
        "Nguyễn Văn An",
        "Nguyễn Minh Khôi",
        "Cha",
    )


def test_the_receiving_agency_must_receive_this_procedure(office):
    from motcua.agencies.tests.factories import AgencyFactory

    with pytest.raises(InvalidInput):
        services.start_dossier(
            version=office.version, applicant=office.citizen, receiving_agency=AgencyFactory()
        )


def test_withdrawal_before_the_result(office):
    dossier = submitted(office)

    services.withdraw(dossier, actor=office.citizen, reason="Nộp nhầm thủ tục")

    assert dossier.status == Status.WITHDRAWN and dossier.national_status == "cancelled"
    with pytest.raises(WrongState):
        services.receive(dossier, actor=office.reception)


def test_submitting_in_one_go_writes_the_dossier_its_action_and_the_audit_row(office):
    from motcua.core.models import AuditEntry

    office.version.documents.update(required=False)
    dossier = services.submit_new(
        version=office.version,
        applicant=office.citizen,
        form_data=GOOD_FORM,
        declaration=True,
        subject={"name": "Nguyễn Minh Khôi", "relation": "Cha"},
    )

    saved = type(dossier).objects.get(pk=dossier.pk)
    assert (saved.status, saved.revision, saved.subject_name, saved.fee_due) == (
        Status.SUBMITTED,
        1,
        "Nguyễn Minh Khôi",
        8000,
    )
    assert saved.form_data["child_name"] == "Nguyễn Minh Khôi"
    action = saved.actions.get()
    assert (action.type, action.actor, action.status_after) == (ActionType.SUBMIT, office.citizen, 1)
    # no receiving agency given: the procedure's first, on the dossier and on its first action
    assert saved.receiving_agency is not None and action.agency == saved.receiving_agency
    entry = AuditEntry.objects.get(action="dossier.submit", object_id=str(saved.pk))
    assert entry.actor == office.citizen and entry.object_type == "dossiers.dossier"


def test_submitting_in_one_go_refuses_an_incomplete_dossier_and_saves_nothing(office):
    with pytest.raises(InvalidInput) as exc:
        services.submit_new(version=office.version, applicant=office.citizen, form_data={}, declaration=False)

    assert {"child_name", "documents", "declaration"} <= set(exc.value.errors)
    assert not type(office.citizen).objects.get(pk=office.citizen.pk).dossiers.exists()


def test_after_a_change_the_dossier_keeps_what_answers_show_without_more_queries(
    office, django_assert_num_queries
):
    dossier = submitted(office)  # services.submit re-read it

    with django_assert_num_queries(0):
        shown = (
            dossier.procedure_version.procedure.code,
            dossier.procedure_version.name,
            dossier.receiving_agency.name,
            dossier.holder_agency.name,
        )
    assert shown[0] == office.version.procedure.code and shown[2] == office.agency.name


def test_what_is_submitted_carries_the_applicants_details_as_the_account_has_them(office):
    office.citizen.phone, office.citizen.address = "0912000111", "Số 1 đường Cũ"
    office.citizen.save()
    draft = services.start_dossier(version=office.version, applicant=office.citizen, another=True)
    # The applicant corrects their account while the draft waits (the draft shows the account's details).
    office.citizen.phone, office.citizen.address = "0912000222", "Số 5 ngõ 12, phường Minh Xuân"
    office.citizen.save()
    services.save_draft(draft, actor=office.citizen, form_data={})

    assert (draft.applicant_phone, draft.applicant_address) == ("0912000222", "Số 5 ngõ 12, phường Minh Xuân")
    dossier = submitted(office)
    assert dossier.applicant_address == "Số 5 ngõ 12, phường Minh Xuân"
