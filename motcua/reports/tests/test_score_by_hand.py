"""The Decision 766 scores of two communes' committees for March 2026, worked out by hand from a small
fixed dataset (configuration d766 v2: motcua/reports/scoring/d766-v2.json), and their ranking; and
the same month scored again with v1 (1.2 counted dossiers with a public code, not those the national
portal holds): a rule change re-scores history, each version the same way every time.

Each component: full points when numerator ÷ denominator reaches the target, else ratio ÷ target ×
points, rounded half up to 0.01; no data (denominator 0) is full points, except satisfaction (zero).
"""

import datetime
import zoneinfo
from decimal import Decimal

import pytest

from motcua.agencies.constants import AgencyKind, UnitType
from motcua.agencies.tests.factories import AgencyFactory, UnitFactory
from motcua.catalog.services import create_procedure, publish_version
from motcua.dossiers.constants import AttachmentKind, SignatureState, Status
from motcua.dossiers.models import Attachment, Dossier
from motcua.integrations.constants import SyncState
from motcua.integrations.models import NationalSync
from motcua.payments.models import LedgerEntry
from motcua.reports import selectors
from motcua.reports.facts import rebuild
from motcua.reports.periods import Period
from motcua.reports.units import unit_from_key

pytestmark = pytest.mark.django_db
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = Period.month(2026, 3)


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=VN)


def procedure(code, *, mode, level, fee, complete, agencies):
    draft = create_procedure(
        code,
        version={
            "name": f"Thủ tục {code}",
            "field": "Hộ tịch",
            "level": "commune",
            "mode": mode,
            "legacy_level": level,
            "processing_time": "3",
            "result": "Giấy chứng nhận",
            "legal_basis": "Luật Hộ tịch 2014",
            "description": "Nộp hồ sơ, nhận kết quả.",
        },
        agencies=agencies,
        fees=[{"name": "Lệ phí", "amount": fee}] if fee else [],
        documents=[{"name": "Tờ khai", "form": "original", "quantity": 1}] if complete else [],
        steps=[{"name": "Giải quyết", "role": "specialist", "share": "1"}],
    )
    return publish_version(draft)


def dossier(
    version,
    agency,
    code,
    *,
    channel,
    received,
    due=None,
    finished=None,
    returned=None,
    status=None,
    fee=0,
    result=None,
    papers=False,
    paid_online=False,
    synced=True,
):
    d = Dossier.objects.create(
        procedure_version=version,
        applicant_name="Nguyễn Văn An",
        channel=channel,
        receiving_agency=agency,
        holder_agency=agency,
        code=code,
        status=status or (Status.RETURNED if returned else Status.PROCESSING),
        submitted_at=received,
        received_at=received,
        counted_from=received,
        due_at=due,
        original_due_at=due,
        finished_at=finished,
        returned_at=returned,
        closed_at=returned,
        fee_due=fee,
    )
    if papers:
        kind = AttachmentKind.APPLICANT if channel == "online" else AttachmentKind.SCAN
        Attachment.objects.create(
            dossier=d,
            kind=kind,
            original_name="to-khai.pdf",
            content_type="application/pdf",
            extension=".pdf",
        )
    if result is not None:
        Attachment.objects.create(
            dossier=d,
            kind=AttachmentKind.RESULT,
            original_name="ket-qua.pdf",
            content_type="application/pdf",
            extension=".pdf",
            signature_state=SignatureState.SIGNED if result == "signed" else SignatureState.UNSIGNED,
        )
    if synced:  # the national portal holds it (motcua.integrations)
        NationalSync.objects.create(
            dossier=d, state=SyncState.SYNCED, created_on_portal=True, synced_at=received
        )
    if paid_online:
        LedgerEntry.objects.create(dossier=d, kind="charge", label="Lệ phí", amount=fee)
        LedgerEntry.objects.create(dossier=d, kind="payment", label="Thanh toán", amount=fee, method="online")
    return d


@pytest.fixture
def communes(db):
    province = UnitFactory(code="08", name="Tỉnh Tuyên Quang", type=UnitType.PROVINCE)
    a = AgencyFactory(
        code="000.01.01.H59",
        name="UBND phường Minh Xuân",
        kind=AgencyKind.COMMUNE_COMMITTEE,
        unit=UnitFactory(code="02215", name="Phường Minh Xuân", parent=province),
    )
    b = AgencyFactory(
        code="000.02.01.H59",
        name="UBND phường Nông Tiến",
        kind=AgencyKind.COMMUNE_COMMITTEE,
        unit=UnitFactory(code="02212", name="Phường Nông Tiến", parent=province),
    )
    # P1 end-to-end online, fee 10,000 đ, complete; P2 partial at level 3, free, complete;
    # P3 partial at level 2 (not online), fee 5,000 đ, no papers listed (not complete): A only.
    p1 = procedure("1.000001", mode="full_online", level=4, fee=10000, complete=True, agencies=[a, b])
    p2 = procedure("1.000002", mode="partial", level=3, fee=0, complete=True, agencies=[a, b])
    p3 = procedure("1.000003", mode="partial", level=2, fee=5000, complete=False, agencies=[a])

    # A in March: a1 online P1 2 days for 4 allowed, signed result, paid online;
    dossier(
        p1,
        a,
        "A-1",
        channel="online",
        received=at(3, 2),
        due=at(3, 6),
        finished=at(3, 4),
        returned=at(3, 5),
        fee=10000,
        result="signed",
        papers=True,
        paid_online=True,
    )
    # a2 online P2 17 days for 7 allowed (late), unsigned result;
    dossier(
        p2,
        a,
        "A-2",
        channel="online",
        received=at(3, 3),
        due=at(3, 10),
        finished=at(3, 20),
        returned=at(3, 21),
        result="unsigned",
        papers=True,
    )
    # a3 counter P1 2 days for 3, paper result, scanned papers, paid in cash (no ledger line here);
    dossier(
        p1,
        a,
        "A-3",
        channel="counter",
        received=at(3, 10),
        due=at(3, 13),
        finished=at(3, 12),
        returned=at(3, 13),
        fee=10000,
        papers=True,
    )
    # a4 counter P3 in progress, owes 5,000 đ, not yet on the national portal.
    dossier(p3, a, "A-4", channel="counter", received=at(3, 15), due=at(3, 30), fee=5000, synced=False)
    # a5 in February only: online P1, 2 days for 3, unsigned result, not paid online.
    dossier(
        p1,
        a,
        "A-5",
        channel="online",
        received=at(2, 10),
        due=at(2, 13),
        finished=at(2, 12),
        returned=at(2, 13),
        fee=10000,
        result="unsigned",
        papers=True,
    )
    # a6 refused at reception in March: never received, counts in no score component.
    Dossier.objects.create(
        procedure_version=p2,
        applicant_name="Lê Thị Hoa",
        channel="online",
        receiving_agency=a,
        holder_agency=a,
        code="A-6",
        status=Status.REFUSED,
        submitted_at=at(3, 5),
        closed_at=at(3, 5, 15),
    )

    # B: b1 counter P2 received 31 March 23:30 local time (16:30 UTC), in progress, not yet on the
    # national portal;
    dossier(p2, b, "B-1", channel="counter", received=at(3, 31, 23, 30), due=at(4, 3), synced=False)
    # b2 online P1 received 1 April 00:10 local time (31 March 17:10 UTC): April's;
    dossier(p1, b, "B-2", channel="online", received=at(4, 1, 0, 10), due=at(4, 3), fee=10000, papers=True)
    # b3 online P1 received 1 March 00:05 local time (28 February UTC), result ready 9 h 55 min later
    # for 2 days allowed, signed, paid online.
    dossier(
        p1,
        b,
        "B-3",
        channel="online",
        received=at(3, 1, 0, 5),
        due=at(3, 3, 0, 5),
        finished=at(3, 1, 10, 0),
        returned=at(3, 2),
        fee=10000,
        result="signed",
        papers=True,
        paid_online=True,
    )
    rebuild()
    return a, b


def points(score) -> dict[str, Decimal]:
    return {c.code: c.points for g in score.groups for c in g.components}


def test_commune_a_by_hand(communes):
    s = selectors.score(unit_from_key("000.01.01.H59"), MARCH)
    p = points(s)
    # CKMB 1.1: complete procedures 2 (P1, P2) of 3: 2/3 < 100 % → 2/3 × 10 = 6.666… → 6.67.
    # CKMB 1.2: on the national portal a1, a2, a3 of 4 received (a1–a4): 3/4 × 8 = 6.00.
    assert (p["1.1"], p["1.2"], s.group("CKMB").points) == (
        Decimal("6.67"),
        Decimal("6.00"),
        Decimal("12.67"),
    )
    # TDGQ 2.1: done in March a1, a2, a3; on time a1, a3: 2/3 × 16 = 10.666… → 10.67.
    # TDGQ 2.2: legal time 4 + 7 + 3 = 14 days, taken 2 + 17 + 2 = 21 days: 14/21 × 4 = 2.666… → 2.67.
    assert (p["2.1"], p["2.2"], s.group("TDGQ").points) == (
        Decimal("10.67"),
        Decimal("2.67"),
        Decimal("13.34"),
    )
    # CLGQ 3.1: online procedures P1, P2 of 3: 0.666…/0.8 × 4 = 3.333… → 3.33.
    # CLGQ 3.2: online procedures with an online dossier in March: P1 (a1), P2 (a2): 2/2 → 4.
    # CLGQ 3.3: online dossiers a1, a2 of 4 received: 50 % = target → 4.
    assert (p["3.1"], p["3.2"], p["3.3"]) == (Decimal("3.33"), Decimal("4.00"), Decimal("4.00"))
    assert s.group("CLGQ").points == Decimal("11.33")
    # TTTT 3.5: fee-bearing procedures P1, P3, payable online P1 (P3 is not online): 1/2 × 4 = 2.00.
    # TTTT 3.6: fee-bearing dossiers received a1, a3, a4; paid online a1: (1/3)/0.5 × 6 = 4.00.
    assert (p["3.5"], p["3.6"], s.group("TTTT").points) == (Decimal("2.00"), Decimal("4.00"), Decimal("6.00"))
    # MDHL 5.1: no rating → 0 (no rating, no points).
    assert s.group("MDHL").points == Decimal("0.00")
    # MDSH 4.1: returned a1, a2, a3; with an electronic result a1, a2: 2/3 × 6 = 4.00.
    # MDSH 4.2: digitised a1, a2 (uploaded), a3 (scanned) of 4 received: 0.75/0.8 × 6 = 5.625 → 5.63.
    # MDSH 4.3: reused 0 of 4 → 0. MDSH 4.4: signed a1 of 2 electronic: 1/2 × 6 = 3.00.
    assert (p["4.1"], p["4.2"], p["4.3"], p["4.4"]) == (
        Decimal("4.00"),
        Decimal("5.63"),
        Decimal("0.00"),
        Decimal("3.00"),
    )
    assert s.group("MDSH").points == Decimal("12.63")
    # 12.67 + 13.34 + 11.33 + 6.00 + 0 + 12.63
    assert s.total == Decimal("55.97") and s.version == "2"
    assert [g.max for g in s.groups] == [18, 20, 12, 10, 18, 22]


def test_commune_b_by_hand_counts_local_days(communes):
    s = selectors.score(unit_from_key("000.02.01.H59"), MARCH)
    p = points(s)
    # Received in March (local time): b1 (31 March 23:30) and b3 (1 March 00:05); not b2 (1 April 00:10).
    figures = {f.code: f for f in selectors.indicators(unit_from_key("000.02.01.H59"), MARCH)}
    assert figures["received"].value == 2 and figures["received_online"].value == 1
    # CKMB: P1, P2 complete 2/2 → 10; on the national portal b3 of b1, b3: 1/2 × 8 = 4.
    assert s.group("CKMB").points == Decimal("14.00")
    # TDGQ: b3 on time 1/1 → 16; legal 2 days for 9 h 55 min taken (ratio 4.8) → 4.
    assert s.group("TDGQ").points == Decimal("20.00")
    # CLGQ: online procedures 2/2 → 4; used P1 of P1, P2: 50 % → 4; online dossiers 1/2: 50 % → 4.
    assert s.group("CLGQ").points == Decimal("12.00")
    # TTTT: payable online 1/1 → 4; b3 the only fee-bearing dossier (b1 is free), paid online → 6.
    assert s.group("TTTT").points == Decimal("10.00")
    # MDSH: electronic result 1/1 → 6; digitised b3 of 2: 0.5/0.8 × 6 = 3.75; reused 0; signed 1/1 → 6.
    assert (p["4.1"], p["4.2"], p["4.3"], p["4.4"]) == (
        Decimal("6.00"),
        Decimal("3.75"),
        Decimal("0.00"),
        Decimal("6.00"),
    )
    # 14 + 20 + 12 + 10 + 0 + 15.75
    assert s.total == Decimal("71.75")


def test_version_1_scores_the_same_month_its_own_way(communes):
    """v1's 1.2: dossiers given a code anyone can look up, 4 of 4 (A) and 2 of 2 (B) → 8 each."""
    a = selectors.score(unit_from_key("000.01.01.H59"), MARCH, version="1")
    b = selectors.score(unit_from_key("000.02.01.H59"), MARCH, version="1")
    assert (a.version, points(a)["1.2"], a.total) == ("1", Decimal("8.00"), Decimal("57.97"))
    assert (b.version, points(b)["1.2"], b.total) == ("1", Decimal("8.00"), Decimal("75.75"))
    # Scored again, the same.
    assert selectors.score(unit_from_key("000.01.01.H59"), MARCH, version="1") == a


def test_ranking_with_the_previous_month(communes):
    rows = selectors.ranking("commune_committee", MARCH)
    # February: B has no dossier: full points where there is no data, but 3.2 (online procedures
    # used) is 0 of 2 → 0, MDHL 0: 18 + 20 + (4 + 0 + 4) + 10 + 0 + 22 = 78.
    # A: a5 only (on the national portal): CKMB 6.67 + 8; TDGQ 16 + 4; CLGQ 3.33 + 4 (P1 used, 1 of
    # 2) + 4; TTTT 2 + 0 (not paid online); MDSH 6 + 6 + 0 + 0 (unsigned): 14.67 + 20 + 11.33 + 2 + 0
    # + 12 = 60.
    assert [(r.unit.key, r.total, r.rank, r.previous_total, r.previous_rank) for r in rows] == [
        ("000.02.01.H59", Decimal("71.75"), 1, Decimal("78.00"), 1),
        ("000.01.01.H59", Decimal("55.97"), 2, Decimal("60.00"), 2),
    ]
    evaluation = selectors.national_evaluation("commune_committee", MARCH)
    assert evaluation[0] == {
        "departmentCode": "000.01.01.H59",
        "departmentName": "UBND phường Minh Xuân",
        "score": 55.97,
        "totalReceived": 4,
        "totalOnTime": 2,
        "totalOverdue": 1,
    }


def test_the_province_rolls_up_both(communes):
    province = unit_from_key("dvhc-08")
    figures = {f.code: f for f in selectors.indicators(province, MARCH)}
    assert figures["received"].value == 6 and figures["done"].value == 4 and figures["refused"].value == 1
    assert figures["procedures_total"].value == 3
    commune = unit_from_key("dvhc-02215")
    assert {f.code: f.value for f in selectors.indicators(commune, MARCH)} == {
        f.code: f.value for f in selectors.indicators(unit_from_key("000.01.01.H59"), MARCH)
    }


def test_every_name_of_the_scoring_configurations_has_its_english(settings):
    import json
    from pathlib import Path

    import polib

    from motcua.reports import scoring

    catalogue = {
        e.msgid: e.msgstr
        for e in polib.pofile(str(Path(settings.BASE_DIR) / "motcua/locale/en/LC_MESSAGES/django.po"))
    }
    for path in Path(scoring.HERE).glob("*.json"):
        raw = json.loads(path.read_text(encoding="utf-8"))
        for group in raw["groups"]:
            for name in [group["name"], *(c["name"] for c in group["components"])]:
                assert catalogue.get(name), f"{path.name}: {name}"
