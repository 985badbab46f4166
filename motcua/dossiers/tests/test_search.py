"""The staff search (motcua.dossiers.search): scope, every filter, order and keyset pages.

These run on the database of the run: SQLite takes the portable path, PostgreSQL (.ci/run's second pass)
the indexed one; test_search_postgres.py compares the two on the same rows.
"""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest

from motcua.accounts.constants import Role
from motcua.accounts.services import grant_role
from motcua.accounts.tests.factories import StaffFactory
from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import create_procedure, publish_version
from motcua.dossiers.constants import Status, StepKind
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Dossier, Step
from motcua.dossiers.search import DossierQuery, decode_cursor, encode_cursor, search
from motcua.dossiers.tests.factories import Office

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------------------------
# Rows with chosen moments (the search reads; it does not act). Also used by the page and API tests.

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_numbers = itertools.count(1)


def at(day: int, hour: int = 9, minute: int = 0, month: int = 3) -> datetime.datetime:
    """A moment of 2026 in Vietnam's time."""
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=VN)


def second_procedure(agency: Agency) -> ProcedureVersion:
    draft = create_procedure(
        "1.000894",
        version={
            "name": "Đăng ký kết hôn",
            "field": "Hộ tịch",
            "level": "commune",
            "mode": "full_online",
            "processing_time": "5",
            "time_unit": "working_days",
            "result": "Giấy chứng nhận kết hôn",
        },
        agencies=[agency],
        steps=[{"name": "Tiếp nhận hồ sơ", "role": "reception", "share": "1"}],
    )
    return publish_version(draft)


def dossier(
    office: Office,
    *,
    name: str = "Nguyễn Văn An",
    status: int = Status.PROCESSING,
    received: datetime.datetime | None = None,
    submitted: datetime.datetime | None = None,
    agency: Agency | None = None,
    holder: Agency | None = None,
    deciding: Agency | None = None,
    identity: str = "",
    subject_identity: str = "",
    due: datetime.datetime | None = None,
    finished: datetime.datetime | None = None,
    version: ProcedureVersion | None = None,
    consulted: Agency | None = None,
) -> Dossier:
    """A dossier received (and coded) at ``received``, or only submitted at ``submitted``."""
    agency = agency or office.agency
    if received is None and submitted is None and status != Status.DRAFT:
        received = at(12)
    code = None
    if received is not None:
        code = f"{agency.code}-{received.astimezone(VN):%y%m%d}-{next(_numbers):04d}"
        submitted = submitted or received - datetime.timedelta(hours=1)
    created = (submitted or at(1)) - datetime.timedelta(minutes=5)
    row = Dossier.objects.create(
        code=code,
        procedure_version=version or office.version,
        applicant=office.citizen,
        applicant_name=name,
        applicant_identity=identity,
        subject_identity=subject_identity,
        receiving_agency=agency,
        holder_agency=holder or agency,
        deciding_agency=deciding,
        status=status,
        created_at=created,
        submitted_at=submitted,
        received_at=received,
        due_at=due,
        finished_at=finished,
    )
    if consulted is not None:
        Step.objects.create(
            dossier=row,
            order=9,
            kind=StepKind.CONSULTATION,
            name="Xin ý kiến",
            agency=consulted,
            role=Role.SPECIALIST,
        )
    return row


# ---------------------------------------------------------------------------------------------


def codes(user, query=DossierQuery(), size=100) -> list[str | None]:
    return [d.code for d in search(user, query, size=size).rows]


def every_page(user, query=DossierQuery(), size=2) -> list[int]:
    ids, after = [], None
    while True:
        page = search(user, query, after=after, size=size)
        ids += [d.pk for d in page.rows]
        if page.next_cursor is None:
            return ids
        after = page.next_cursor


def test_an_officer_finds_every_status_but_drafts_newest_first(office):
    rows = [dossier(office, status=s, received=at(1 + s)) for s in Status if s not in (0, 1)]
    waiting = dossier(office, status=Status.SUBMITTED, submitted=at(20))
    dossier(office, status=Status.DRAFT)

    found = search(office.specialist, DossierQuery()).rows

    assert [d.pk for d in found] == [waiting.pk, *[d.pk for d in reversed(rows)]]


def test_the_scope_is_what_the_officer_may_open(office):
    other = office.other_agency
    received_here = dossier(office, received=at(10))
    held_here = dossier(office, agency=other, holder=office.agency, received=at(9))
    decided_here = dossier(office, agency=other, holder=other, deciding=office.agency, received=at(8))
    consulted_here = dossier(office, agency=other, holder=other, consulted=office.agency, received=at(7))
    elsewhere = dossier(office, agency=other, received=at(6))

    assert [d.pk for d in search(office.specialist, DossierQuery()).rows] == [
        received_here.pk,
        held_here.pk,
        decided_here.pk,
        consulted_here.pk,
    ]
    # The other ward's officer sees what their ward received or holds, not the rest.
    assert [d.pk for d in search(office.outsider, DossierQuery()).rows] == [
        held_here.pk,
        decided_here.pk,
        consulted_here.pk,
        elsewhere.pk,
    ]
    # A citizen never searches, not even their own dossiers.
    assert search(office.citizen, DossierQuery()).rows == []


def test_a_province_administrator_sees_every_agency(office):
    admin = StaffFactory()
    grant_role(admin, office.agency, Role.PROVINCE_ADMIN)
    here = dossier(office, received=at(10))
    there = dossier(office, agency=office.other_agency, received=at(11))
    dossier(office, agency=office.other_agency, status=Status.DRAFT)

    assert [d.pk for d in search(admin, DossierQuery()).rows] == [there.pk, here.pk]


def test_code_exact_or_its_beginning(office):
    first = dossier(office, received=at(12))
    second = dossier(office, received=at(13))

    assert codes(office.specialist, DossierQuery(code=first.code)) == [first.code]
    assert codes(office.specialist, DossierQuery(code=f" {first.code.lower()} ")) == [first.code]
    assert codes(office.specialist, DossierQuery(code="000.01.01.H59-2603")) == [second.code, first.code]
    assert codes(office.specialist, DossierQuery(code="000.01.01.H59-260313")) == [second.code]
    assert codes(office.specialist, DossierQuery(code="000.01.01.H59_2603")) == []  # _ is no wildcard


def test_applicant_name_whole_words_without_diacritics(office):
    an = dossier(office, name="Nguyễn Văn An", received=at(12))
    anh = dossier(office, name="Trần Thị Anh", received=at(13))
    duc = dossier(office, name="ĐẶNG  Đức-Thắng", received=at(14))

    def names(text):
        return [d.pk for d in search(office.specialist, DossierQuery(applicant=text)).rows]

    assert names("nguyen van an") == [an.pk]
    assert names("An Nguyễn") == [an.pk]  # any order
    assert names("an") == [an.pk]  # a whole word: not Anh
    assert names("anh") == [anh.pk]
    assert names("dang duc thang") == [duc.pk]  # Đ, upper case, punctuation
    assert names("nguyen thang") == []
    assert names("  ") == names("") == [duc.pk, anh.pk, an.pk]


def test_identity_number_of_the_applicant_or_the_subject(office):
    applicant = dossier(office, identity="008090000123", received=at(12))
    subject = dossier(office, subject_identity="008090000123", received=at(13))
    dossier(office, identity="008090000999", received=at(14))

    found = search(office.specialist, DossierQuery(identity=" 008090000123")).rows

    assert [d.pk for d in found] == [subject.pk, applicant.pk]


def test_procedure_status_and_agencies(office):
    marriage = second_procedure(office.agency)
    birth = dossier(office, received=at(12))
    wedding = dossier(office, version=marriage, status=Status.RETURNED, received=at(13))
    held_elsewhere = dossier(office, holder=office.other_agency, received=at(14))

    assert codes(office.specialist, DossierQuery(procedure="1.000894")) == [wedding.code]
    assert codes(office.specialist, DossierQuery(procedure="9.999999")) == []
    assert codes(office.specialist, DossierQuery(status=Status.RETURNED)) == [wedding.code]
    assert codes(office.specialist, DossierQuery(holder_agency="000.02.01.h59")) == [held_elsewhere.code]
    assert codes(office.specialist, DossierQuery(receiving_agency="000.01.01.H59")) == [
        held_elsewhere.code,
        wedding.code,
        birth.code,
    ]
    assert codes(office.specialist, DossierQuery(receiving_agency="000.09.09.H59")) == []


@pytest.mark.parametrize("name", ["submitted", "received", "due", "finished"])
def test_date_ranges_take_whole_local_days(office, name):
    # Just after midnight and just before midnight in Vietnam, 7 hours ahead of UTC.
    moments = {day: at(day, 0, 5) if day % 2 else at(day, 23, 55) for day in (10, 11, 12, 13)}
    rows = {
        day: dossier(office, received=moment - datetime.timedelta(hours=1)) for day, moment in moments.items()
    }
    for day, row in rows.items():
        Dossier.objects.filter(pk=row.pk).update(**{f"{name}_at": moments[day]})
    query = DossierQuery(
        **{f"{name}_from": datetime.date(2026, 3, 11), f"{name}_to": datetime.date(2026, 3, 12)}
    )

    found = {d.pk for d in search(office.specialist, query).rows}

    assert found == {rows[11].pk, rows[12].pk}
    only_from = DossierQuery(**{f"{name}_from": datetime.date(2026, 3, 13)})
    assert {d.pk for d in search(office.specialist, only_from).rows} == {rows[13].pk}


def test_keyset_pages_walk_ties_without_gaps_or_repeats(office):
    same = at(12)
    rows = [dossier(office, received=same) for _ in range(5)] + [dossier(office, received=at(11))]
    rows += [dossier(office, status=Status.SUBMITTED, submitted=same) for _ in range(2)]

    walked = every_page(office.specialist, size=2)

    tied = sorted((d.pk for d in rows if d.received_at == same or d.submitted_at == same), reverse=True)
    assert walked == [*tied, rows[5].pk]


def test_a_page_says_whether_it_is_the_first(office):
    for day in (10, 11, 12):
        dossier(office, received=at(day))
    first = search(office.specialist, DossierQuery(), size=2)
    last = search(office.specialist, DossierQuery(), after=first.next_cursor, size=2)

    assert not first.has_previous and first.next_cursor
    assert last.has_previous and last.next_cursor is None and len(last.rows) == 1


@pytest.mark.parametrize("after", ["garbage", "2026-03-12T09:00:00_x", "2026-03-12T09:00:00_5", "none_5"])
def test_a_mangled_cursor_is_invalid_input_on_after(office, after):
    with pytest.raises(InvalidInput) as raised:
        search(office.specialist, DossierQuery(), after=after)
    assert set(raised.value.errors) == {"after"}


def test_cursor_round_trip():
    moment = at(12)
    assert decode_cursor(encode_cursor(moment, 42)) == (moment, 42)


def test_a_query_with_errors_names_its_fields(office):
    query = DossierQuery(
        status=0, received_from=datetime.date(2026, 3, 2), received_to=datetime.date(2026, 3, 1)
    )
    assert set(query.errors()) == {"status", "received_to"}
    with pytest.raises(InvalidInput) as raised:
        search(office.specialist, query)
    assert set(raised.value.errors) == {"status", "received_to"}
    assert (
        DossierQuery(status=10, due_from=datetime.date(2026, 3, 1), due_to=datetime.date(2026, 3, 1)).errors()
        == {}
    )
