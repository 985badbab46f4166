"""The leader signs an official document with a certificate held by the remote-signing service (VNPT
SmartCA-style), against its stand-in running as its own process: the hash goes out, the document
waits for the leader's confirmation on the stand-in's page (as on their phone), the poll completes
the signature (same visible block as with a key kept here) or, refused or expired, puts the document
back to be signed with the reason. The agency's seal at issue stays a key kept here."""

import datetime
import subprocess

import pytest

from motcua.core.models import AuditEntry
from motcua.documents import rules, selectors, services
from motcua.documents.constants import ActionType, FileKind, Status
from motcua.documents.tests.factories import approved, make_bureau
from motcua.dossiers.errors import WrongState
from motcua.signing import conf, pades, testca
from motcua.signing import services as signing_services
from motcua.signing.constants import Provider, RequestState
from motcua.signing.models import Certificate, SigningRequest
from motcua.signing.tests.factories import certificate_for
from motcua.signing.tests.fixtures import REMOTE_USER
from motcua.signing.tests.test_remote_signing import _answer_on_the_phone
from motcua.signing.tests.test_signed_result import needs_pdfsig


@pytest.fixture
def bureau(db, remote_signing, signing):
    """An agency whose leader's certificate is held by the remote signer; the agency's own is kept here."""
    bureau = make_bureau()
    signing_services.set_seal(bureau.agency, testca.seal_png(bureau.agency.name))
    certificate_for(signing, agency=bureau.agency)
    signing_services.add_remote_certificate(user=bureau.leader, remote_user_id=REMOTE_USER)
    return bureau


def _waiting(bureau):
    document = approved(bureau)
    services.sign(document, actor=bureau.leader)
    assert document.status == Status.AWAITING_SIGNATURE
    request = selectors.waiting_signature(document)
    assert request is not None and request.provider_reference  # the service answered with its code
    return document, request


def _read(document, kind) -> bytes:
    with document.files.get(kind=kind).file.open("rb") as handle:
        return handle.read()


def _history(document) -> list[tuple[str, str]]:
    return [(a.type, a.status_after) for a in document.actions.order_by("at", "id")]


def test_the_leader_confirms_on_the_remote_signer_and_the_document_is_signed_then_sealed(
    bureau, remote_signing
):
    document, request = _waiting(bureau)
    assert not document.files.filter(kind=FileKind.SIGNED).exists()
    assert services.poll_signature(request) == RequestState.WAITING  # not confirmed yet
    document.refresh_from_db()
    assert document.status == Status.AWAITING_SIGNATURE

    assert "Đã ký" in _answer_on_the_phone(remote_signing.url, request.transaction_id, "xac-nhan")
    assert services.poll_signature(request) == RequestState.SIGNED
    document.refresh_from_db()
    assert document.status == Status.SIGNED and document.signed_digitally
    assert _history(document)[-2:] == [
        (ActionType.SIGN, Status.AWAITING_SIGNATURE),
        (ActionType.SIGNATURE_CONFIRMED, Status.SIGNED),
    ]
    signed_file = document.files.get(kind=FileKind.SIGNED)
    assert signed_file.signed_by == bureau.leader.full_name
    [leader] = pades.verify(_read(document, FileKind.SIGNED), conf.trust_roots())
    assert leader.intact and leader.trusted and leader.timestamped and leader.covers_whole_document
    assert leader.signer == "Lãnh Đạo Từ Xa"  # the certificate the service holds
    assert (
        AuditEntry.objects.filter(action="document.signature_confirmed", object_id=str(document.pk)).count()
        == 1
    )

    # The clerk issues it with the agency's seal, kept here, as with a local signature.
    services.issue(document, actor=bureau.clerk)
    first, second = pades.verify(_read(document, FileKind.ISSUED), conf.trust_roots())
    assert first.intact and first.trusted and first.signer == "Lãnh Đạo Từ Xa"
    assert second.intact and second.trusted and second.signer == bureau.agency.name
    assert second.covers_whole_document


@needs_pdfsig
def test_pdfsig_validates_the_remotely_signed_and_sealed_document(bureau, remote_signing, signing, tmp_path):
    document, request = _waiting(bureau)
    _answer_on_the_phone(remote_signing.url, request.transaction_id, "xac-nhan")
    assert services.poll_signature(request) == RequestState.SIGNED
    document.refresh_from_db()
    services.issue(document, actor=bureau.clerk)
    for kind, count in ((FileKind.SIGNED, 1), (FileKind.ISSUED, 2)):
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(_read(document, kind))
        run = subprocess.run(
            ["pdfsig", "-nssdir", f"sql:{signing.directory / 'nss'}", str(path)],
            capture_output=True,
            text=True,
        )
        out = run.stdout + run.stderr
        assert out.count("Signature Validation: Signature is Valid.") == count, out
        assert out.count("Certificate Validation: Certificate is Trusted.") == count, out
        assert "Signing Hash Algorithm: SHA-256" in out, out


def test_a_refusal_puts_the_document_back_to_be_signed_with_the_reason(bureau, remote_signing):
    document, request = _waiting(bureau)
    _answer_on_the_phone(remote_signing.url, request.transaction_id, "tu-choi")
    assert services.poll_signature(request) == RequestState.REFUSED
    document.refresh_from_db()
    assert document.status == Status.APPROVED and document.signer is None
    assert not document.files.filter(kind=FileKind.SIGNED).exists()
    last = document.actions.order_by("-at", "-id").first()
    assert last.type == ActionType.SIGNATURE_FAILED and last.actor is None
    assert "từ chối" in last.note and "có thể ký lại" in last.note
    assert AuditEntry.objects.filter(action="document.signature_failed", object_id=str(document.pk)).exists()

    # Signed again: a new request, confirmed this time; the leader checks from the page's action.
    assert rules.may(bureau.leader, ActionType.SIGN, document)
    services.sign(document, actor=bureau.leader)
    again = selectors.waiting_signature(document)
    assert again is not None and again.pk != request.pk
    _answer_on_the_phone(remote_signing.url, again.transaction_id, "xac-nhan")
    assert services.check_signature(document, actor=bureau.leader) == RequestState.SIGNED
    assert document.status == Status.SIGNED


def test_a_request_nobody_answers_expires_and_the_document_can_be_signed_again(bureau):
    document, request = _waiting(bureau)
    later = request.expires_at + datetime.timedelta(seconds=1)
    assert services.poll_signature(request, now=later) == RequestState.EXPIRED
    document.refresh_from_db()
    assert document.status == Status.APPROVED
    last = document.actions.order_by("-at", "-id").first()
    assert last.type == ActionType.SIGNATURE_FAILED and "hết hạn" in last.note
    assert selectors.last_signature_request(document).state == RequestState.EXPIRED
    assert rules.may(bureau.leader, ActionType.SIGN, document)


def test_while_the_request_waits_nothing_else_is_offered_or_accepted(bureau):
    document, _request = _waiting(bureau)
    offered = rules.offer(bureau.leader, document)
    assert ActionType.SIGN not in offered and ActionType.RETURN_DRAFT not in offered
    assert offered[ActionType.CHECK_SIGNATURE].allowed
    assert list(rules.allowed(bureau.clerk, document)) == [ActionType.CHECK_SIGNATURE]
    assert rules.allowed(bureau.specialist, document) == []
    with pytest.raises(WrongState, match="Chờ xác nhận ký trên ứng dụng ký số"):
        services.sign(document, actor=bureau.leader)
    with pytest.raises(WrongState):
        services.return_draft(document, actor=bureau.leader, note="Sửa lại")
    with pytest.raises(WrongState):
        services.issue(document, actor=bureau.clerk)
    assert SigningRequest.objects.filter(document=document).count() == 1
    document.refresh_from_db()
    assert document.status == Status.AWAITING_SIGNATURE


def test_a_service_that_cannot_be_reached_leaves_the_document_to_be_signed_with_the_reason(bureau, settings):
    settings.MOTCUA_SIGNING_REMOTE_URL = "http://127.0.0.1:9"  # nothing listens there
    document = approved(bureau)
    with pytest.raises(WrongState, match="Không gửi được yêu cầu ký số từ xa"):
        services.sign(document, actor=bureau.leader)
    document.refresh_from_db()
    assert document.status == Status.APPROVED
    request = selectors.last_signature_request(document)
    assert request.state == RequestState.FAILED and request.finished_at is not None
    assert [t for t, _s in _history(document)][-2:] == [ActionType.SIGN, ActionType.SIGNATURE_FAILED]


def test_an_agency_seal_held_remotely_is_refused_at_issue_with_a_clear_reason(bureau, remote_signing):
    document, request = _waiting(bureau)
    _answer_on_the_phone(remote_signing.url, request.transaction_id, "xac-nhan")
    services.poll_signature(request)
    document.refresh_from_db()
    remote = Certificate.objects.get(user=bureau.leader, provider=Provider.SMARTCA)
    remote.pk, remote.user, remote.agency, remote.fingerprint = None, None, bureau.agency, "f" * 64
    remote.save()  # the agency's newest certificate is now a remote one

    verdict = rules.offer(bureau.clerk, document)[ActionType.ISSUE]
    assert not verdict.allowed and "khóa lưu tại hệ thống" in verdict.reason
    with pytest.raises(WrongState, match="khóa lưu tại hệ thống"):
        services.issue(document, actor=bureau.clerk)


def test_the_page_shows_the_waiting_signature_and_checks_it_now(bureau, remote_signing, client):
    document, request = _waiting(bureau)
    client.force_login(bureau.leader)
    page = client.get(f"/can-bo/van-ban/{document.pk}/").content.decode()
    assert "Chờ xác nhận ký trên ứng dụng ký số" in page and request.provider_reference in page
    assert "Kiểm tra xác nhận ký số" in page and 'action-ky-so"' not in page

    _answer_on_the_phone(remote_signing.url, request.transaction_id, "xac-nhan")
    response = client.post(
        f"/can-bo/van-ban/{document.pk}/kiem-tra-ky-so/", {"kiem-tra-ky-so-revision": document.revision}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.SIGNED
    page = client.get(f"/can-bo/van-ban/{document.pk}/").content.decode()
    assert "Đã ký, chờ phát hành" in page and "Đã ký số" in page


def test_a_leader_without_a_remote_request_has_nothing_to_check(db, signing, media):
    bureau = make_bureau()
    document = approved(bureau)
    with pytest.raises(WrongState):
        services.check_signature(document, actor=bureau.leader)


def test_the_worker_polls_backing_off_until_the_leader_confirms(
    bureau, remote_signing, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from motcua.documents.tasks import poll_document_signature

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MOTCUA_SIGNING_REMOTE_POLL_SECONDS = 5
    with django_capture_on_commit_callbacks(execute=True):
        document, request = _waiting(bureau)
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == poll_document_signature.module_path
    assert queued.args_kwargs["args"] == [request.pk, 1]
    first_delay = (queued.run_after - request.created_at).total_seconds()

    # Still waiting: the worker asks again, later than the first time.
    queued.delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert poll_document_signature.call(request.pk, 1) == RequestState.WAITING
    [again] = DBTaskResult.objects.all()
    assert again.args_kwargs["args"] == [request.pk, 2]
    assert 4 <= first_delay <= 6
    assert 9 <= (again.run_after - timezone_now()).total_seconds() <= 11

    again.delete()
    _answer_on_the_phone(remote_signing.url, request.transaction_id, "xac-nhan")
    with django_capture_on_commit_callbacks(execute=True):
        assert poll_document_signature.call(request.pk, 2) == RequestState.SIGNED
    assert not DBTaskResult.objects.exists()
    document.refresh_from_db()
    assert document.status == Status.SIGNED


def timezone_now():
    from motcua.core import clock

    return clock.now()
