"""The reports' indicators: per agency and period, documents issued, signed digitally, sent
electronically, and the shares."""

import datetime

from motcua.documents import selectors, services, signatures
from motcua.documents.tests.factories import days, issued


def test_issued_signed_and_sent_electronically_per_agency(bureau, peer):
    electronic = issued(bureau, to=[peer.agency])
    services.send(electronic, actor=bureau.clerk)
    paper = issued(bureau)
    services.send(paper, actor=bureau.clerk)
    issued(bureau)  # issued, not sent yet
    issued(peer)

    today = days(0)
    found = {i.agency_id: i for i in selectors.indicators(today, today)}
    mine = found[bureau.agency.pk]
    assert (mine.issued, mine.signed_digitally, mine.sent_electronically) == (3, 0, 1)
    assert mine.electronic_share == 1 / 3 and mine.signed_share == 0
    assert found[peer.agency.pk].issued == 1
    assert selectors.indicators_of(bureau.agency.pk, today + datetime.timedelta(days=1), days(9)).issued == 0
    assert not signatures.enabled()  # these documents were not signed digitally: signing is off here
