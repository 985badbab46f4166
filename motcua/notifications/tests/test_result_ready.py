""" "Result ready" goes out when the result can be taken: without signing, on the approval that makes
the dossier ready; with signing, once its results are signed (signing publishes ``result_signed``),
however long the signature waits, and once."""

from motcua.dossiers.constants import SignatureState, Status
from motcua.notifications.constants import Channel, Event
from motcua.notifications.models import Message
from motcua.signing import selectors as signing_selectors
from motcua.signing.tests.factories import approved, certificate_for


def _result_ready(dossier):
    return Message.objects.filter(dossier=dossier, event=Event.RESULT_READY)


def test_with_signing_the_result_is_announced_once_it_is_signed(office, signing, committed, mailoutbox):
    certificate_for(signing, user=office.leader)

    with committed():
        dossier = approved(office)

    [result] = signing_selectors.current_results(dossier)
    assert dossier.status == Status.READY and result.signature_state == SignatureState.SIGNED
    assert [m.subject for m in mailoutbox].count(f"Hồ sơ {dossier.code} đã có kết quả") == 1
    assert set(_result_ready(dossier).values_list("channel", flat=True)) == {Channel.EMAIL, Channel.INAPP}


def test_a_result_waiting_for_its_signature_is_announced_when_signed(office, signing, committed, mailoutbox):
    with committed():  # the leader has no certificate yet: the result waits
        dossier = approved(office)

    [result] = signing_selectors.current_results(dossier)
    assert result.signature_state == SignatureState.NO_CERTIFICATE
    assert not _result_ready(dossier).exists()

    with committed():  # a certificate is added: the waiting result is signed, then announced
        certificate_for(signing, user=office.leader)

    result.refresh_from_db()
    assert result.signature_state == SignatureState.SIGNED
    assert _result_ready(dossier).filter(channel=Channel.EMAIL).count() == 1
    assert mailoutbox[-1].subject == f"Hồ sơ {dossier.code} đã có kết quả"
