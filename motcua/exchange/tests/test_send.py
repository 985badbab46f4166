"""Sending packages: the outbox row is written with the change and delivered after the commit, a
failure waits for its next attempt and the last one is given up; through the backbone's stand-in a
package goes from one agency to another and is taken once."""

import datetime

import pytest
from django.db import transaction

from motcua.core import clock
from motcua.exchange import edxml, schema, services, signature
from motcua.exchange.constants import MessageType, PackageState, Transport
from motcua.exchange.models import Package, Peer
from motcua.exchange.tests import factories
from motcua.exchange.transports import plugin

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ours(document_types):
    return factories.local_agency()


def outgoing(ours, peer: Peer) -> Package:
    pkg = factories.package(sender=ours.code, to=peer.organ_id)
    data = services.seal(edxml.build_package(pkg), services.signing_key(ours.agency))
    with transaction.atomic():
        return services.queue(
            peer=peer,
            agency=ours.agency,
            data=data,
            message_type=MessageType.EDOC,
            edxml_document_id=pkg.header.document_id,
            code=str(pkg.header.code),
            subject=pkg.header.subject,
            business_type=0,
        )


def test_what_leaves_is_signed_with_the_agencys_certificate_and_valid(ours):
    peer = factories.remote_agency().extra["peer"]
    row = outgoing(ours, peer)
    data = bytes(row.raw)
    schema.validate(edxml.read_xml(data))
    signed = signature.verify(data, ours.pem)
    assert edxml.parse(signed).header.from_.organ_id == ours.code


def test_a_failed_delivery_waits_then_is_given_up(ours, settings):
    settings.MOTCUA_EXCHANGE_RETRY_MINUTES = [1, 5]
    # Nothing listens on port 9: the connection is refused at once.
    peer = factories.remote_agency(endpoint_url="http://127.0.0.1:9").extra["peer"]
    row = outgoing(ours, peer)  # the immediate task backend tried it after the commit
    row.refresh_from_db()
    assert (row.state, row.attempts) == (PackageState.FAILED, 1)
    assert "could not be reached" in row.last_error
    first = row.next_attempt_at
    assert services.deliver(row.pk, now=first - datetime.timedelta(seconds=1)) == PackageState.FAILED
    assert services.deliver(row.pk, now=first) == PackageState.FAILED
    assert services.deliver(row.pk, now=clock.now() + datetime.timedelta(hours=1)) == PackageState.GIVEN_UP
    row.refresh_from_db()
    assert row.attempts == 3 and row.next_attempt_at is None


def test_through_the_backbone_a_package_is_sent_listed_taken_once(ours, backbone):
    sender = factories.remote_agency("000.00.00.H02", transport=Transport.BACKBONE, endpoint_url="")
    # The other agency's system sends to us through the backbone.
    us_as_its_peer = Peer(organ_id=ours.code, name=ours.name, transport=Transport.BACKBONE)
    data = factories.signed(factories.package(sender=sender.code, to=ours.code), sender)
    reference = plugin(Transport.BACKBONE).send(us_as_its_peer, data, message_type="edoc", sender=sender.code)
    assert reference
    assert services.poll(transport=Transport.BACKBONE) == {"received": 1, "duplicate": 0, "refused": 0}
    row = Package.objects.get()
    assert bytes(row.raw) == data and row.remote_reference == reference
    # Acknowledged: not listed again.
    assert services.poll(transport=Transport.BACKBONE) == {"received": 0, "duplicate": 0, "refused": 0}


def test_through_the_backbone_a_bad_package_is_refused_and_acknowledged_as_failed(ours, backbone):
    stranger = factories.remote_agency("000.00.00.H09", "Cơ quan lạ", peer=False)
    us = Peer(organ_id=ours.code, name=ours.name, transport=Transport.BACKBONE)
    data = factories.signed(factories.package(sender=stranger.code, to=ours.code), stranger)
    plugin(Transport.BACKBONE).send(us, data, message_type="edoc", sender=stranger.code)
    assert services.poll(transport=Transport.BACKBONE)["refused"] == 1
    assert services.poll(transport=Transport.BACKBONE)["refused"] == 0
    assert not Package.objects.exists()


def test_our_package_goes_out_through_the_backbone(ours, backbone):
    peer = factories.remote_agency(transport=Transport.BACKBONE, endpoint_url="").extra["peer"]
    row = outgoing(ours, peer)
    row.refresh_from_db()
    assert row.state == PackageState.SENT, row.last_error
    assert row.remote_reference
    # It waits on the backbone for the other agency.
    items = list(plugin(Transport.BACKBONE).receive([peer.organ_id]))
    assert [i.data for i in items] == [bytes(row.raw)]
    assert items[0].sender == ours.code
