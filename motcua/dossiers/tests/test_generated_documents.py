"""Notices and the generated result are stored with the snapshot of what they print at issuance; their
PDF is rendered after the commit (a task) or by the first download, once, and is the same either way."""

import hashlib

import pytest

from motcua.core.tests.races import run_together
from motcua.dossiers import documents, notices, services
from motcua.dossiers.constants import ActionType, AttachmentKind
from motcua.dossiers.downloads import attachment_response
from motcua.dossiers.models import Action, Dossier
from motcua.dossiers.tasks import render_document
from motcua.dossiers.tests.factories import make_office, pdf, received, submitted


def _receipt(dossier: Dossier):
    return dossier.attachments.get(kind=AttachmentKind.NOTICE, notice_form="01")


def test_a_notice_is_stored_pending_with_its_snapshot_and_rendered_after_the_commit(
    office, django_capture_on_commit_callbacks
):
    dossier = submitted(office)

    with django_capture_on_commit_callbacks() as callbacks:
        services.receive(dossier, actor=office.reception)
    receipt = _receipt(dossier)

    assert receipt.pending and not receipt.file and receipt.size is None and receipt.sha256 == ""
    assert receipt.snapshot["document"] == "notice" and receipt.snapshot["form"] == "01"
    printed = receipt.snapshot["context"]
    assert printed["dossier"]["code"] == dossier.code
    assert printed["lookup_url"] == services.lookup_url(dossier)
    # The address of its verification page, with the code the document keeps (QR printed on it).
    assert printed["verify_url"] == documents.verification_url(receipt.verification_code)
    assert len(receipt.verification_code) == 16 and receipt.signature_state == "unsigned"
    assert printed["due_at"] == notices.format_datetime_vn(dossier.due_at)
    assert printed["officer_name"] == office.reception.full_name

    for callback in callbacks:  # the commit: the render task runs (tests run tasks at once)
        callback()
    receipt.refresh_from_db()
    content = receipt.file.read()
    assert not receipt.pending and content.startswith(b"%PDF")
    assert receipt.size == len(content) and receipt.sha256 == hashlib.sha256(content).hexdigest()


def test_the_pdf_rendered_later_is_the_one_rendered_at_issuance(office):
    dossier = submitted(office)
    services.receive(dossier, actor=office.reception)  # no commit here: the receipt stays pending
    receipt = _receipt(dossier)
    received_at = Action.objects.get(dossier=dossier, type=ActionType.RECEIVE).at
    at_once = notices.render_notice(
        "01",
        Dossier.objects.get(pk=dossier.pk),
        lookup_url=services.lookup_url(dossier),
        verify_url=documents.verification_url(receipt.verification_code),
        officer_name=office.reception.full_name,
        issued_at=received_at,
    )

    # The dossier moves on and changes before anyone renders the receipt.
    services.forward(dossier, actor=office.specialist, note="Hợp lệ")
    Dossier.objects.filter(pk=dossier.pk).update(applicant_name="Tên đã sửa", due_at=None)
    assert services.render_pending(receipt) is True

    assert receipt.file.read() == at_once
    assert notices.render(receipt.snapshot) == at_once
    assert receipt.snapshot["context"]["dossier"]["applicant_name"] != "Tên đã sửa"


def test_a_download_renders_a_pending_notice_and_nobody_renders_it_again(office):
    receipt = _receipt(received(office))
    assert receipt.pending

    response = attachment_response(receipt, inline=True)
    content = b"".join(response.streaming_content)

    receipt.refresh_from_db()
    assert content.startswith(b"%PDF") and receipt.size == len(content)
    stored = receipt.file.name
    assert render_document.call(receipt.pk) is False  # the task queued at issuance finds it done
    assert services.render_pending(receipt) is False
    receipt.refresh_from_db()
    assert receipt.file.name == stored


def test_every_notice_and_the_generated_result_are_pending_an_uploaded_result_is_not(office):
    dossier = received(office)
    services.forward(dossier, actor=office.specialist)
    generated = services.attach_result(dossier, actor=office.leader)
    uploaded = services.attach_result(dossier, actor=office.leader, upload=pdf(), name="kq.pdf")

    assert generated.pending and generated.snapshot["document"] == "result"
    assert generated.snapshot["context"]["result_text"] == office.version.result
    assert not uploaded.pending and uploaded.snapshot is None and uploaded.size
    services.render_pending(generated)
    assert generated.file.read(4) == b"%PDF"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_download_racing_the_task_renders_once(media):
    office = make_office()
    dossier = submitted(office)
    with services.renders_collected() as ids:  # not rendered at the commit
        services.receive(dossier, actor=office.reception)
    receipt = _receipt(dossier)
    assert ids == [receipt.pk] and receipt.pending

    files_before = set(media.rglob("*.pdf"))

    def download() -> bytes:
        return b"".join(attachment_response(receipt, inline=True).streaming_content)

    outcomes = run_together([lambda: render_document.call(receipt.pk)] * 4 + [download])

    assert [o[0] for o in outcomes] == ["ok"] * 5, outcomes
    assert sum(o[1] is True for o in outcomes[:4]) <= 1
    assert len(set(media.rglob("*.pdf")) - files_before) == 1  # one PDF written, by one of them
    receipt.refresh_from_db()
    assert outcomes[4][1] == receipt.file.read()
