"""On PostgreSQL, the indexed search path gives the rows of the portable path, in the same order, and
motcua_fold in SQL is motcua.core.text.fold."""

import random
import unicodedata

import pytest
from django.db import connection

from motcua.accounts.constants import Role
from motcua.accounts.services import grant_role
from motcua.accounts.tests.factories import StaffFactory
from motcua.core.text import fold
from motcua.dossiers import search
from motcua.dossiers.constants import Status
from motcua.dossiers.search import DossierQuery
from motcua.dossiers.tests.test_search import at, dossier, second_procedure

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"


def test_motcua_fold_in_sql_is_core_text_fold():
    samples = [
        VIETNAMESE,
        VIETNAMESE.upper(),
        unicodedata.normalize("NFD", VIETNAMESE + VIETNAMESE.upper()),
        "  Nguyễn  ĐỨC-Thắng (bản chính), số 12/3\tngõ 4\n",
        "Công ty TNHH Chè Tân Trào",
        "ﬁ ＡＢ１ İstanbul Ærø ß Øst café naïve",
        "",
        "---",
        "☺ 123",
    ]
    with connection.cursor() as cursor:
        for text in samples:
            cursor.execute("SELECT motcua_fold(%s)", [text])
            assert cursor.fetchone()[0] == fold(text), text


def walk(ids, user, query, size) -> list[int]:
    """Every page of one path, as search() pages: ``size`` rows, then the cursor of the last one."""
    seen, cursor = [], None
    while True:
        found = ids(user, query, cursor, size + 1)
        seen += [pk for pk, _moment in found[:size]]
        if len(found) <= size:
            return seen
        cursor = (found[size - 1][1], found[size - 1][0])


@pytest.fixture
def province(office):
    """80 dossiers over two wards: every status, names with and without shared words, ties in time,
    dossiers held, decided or consulted by the other ward, two procedures."""
    rng = random.Random(3)
    marriage = second_procedure(office.agency)
    names = ["Nguyễn Văn An", "Nguyễn Thị Anh", "Trần Văn Bình", "Lê Thị Hồng Nhung", "Đặng Đức An"]
    wards = [office.agency, office.other_agency]
    for i in range(80):
        receiving = rng.choice(wards)
        status = rng.choice([s for s in Status if s != Status.DRAFT])
        moment = at(rng.randint(1, 28), rng.choice([8, 9, 23]), rng.choice([0, 30]))
        dossier(
            office,
            name=rng.choice(names),
            status=status,
            received=None if status == Status.SUBMITTED else moment,
            submitted=moment if status == Status.SUBMITTED else None,
            agency=receiving,
            holder=rng.choice(wards),
            deciding=rng.choice([None, *wards]),
            consulted=rng.choice([None, None, *wards]),
            identity=rng.choice(["", "008090000123", "008090000456"]),
            subject_identity=rng.choice(["", "", "0101234567"]),
            due=moment.replace(month=4) if i % 3 else None,
            finished=moment.replace(month=5) if i % 4 == 0 else None,
            version=marriage if i % 5 == 0 else None,
        )
    dossier(office, status=Status.DRAFT)
    return office


QUERIES = [
    DossierQuery(),
    DossierQuery(applicant="nguyen an"),
    DossierQuery(applicant="Thị"),
    DossierQuery(code="000.01.01.H59-2603"),
    DossierQuery(code="000.02"),
    DossierQuery(identity="008090000123"),
    DossierQuery(identity="0101234567"),
    DossierQuery(procedure="1.000894"),
    DossierQuery(status=Status.RETURNED),
    DossierQuery(holder_agency="000.02.01.H59"),
    DossierQuery(receiving_agency="000.01.01.H59", applicant="an"),
    DossierQuery(received_from=at(5).date(), received_to=at(20).date()),
    DossierQuery(submitted_from=at(10).date(), due_to=at(15, month=4).date()),
    DossierQuery(finished_from=at(1, month=5).date(), status=Status.PROCESSING),
]


@pytest.mark.parametrize("candidates", [10**9, 0])
def test_the_postgresql_path_gives_the_portable_rows_in_the_same_order(province, monkeypatch, candidates):
    office = province
    admin = StaffFactory()
    grant_role(admin, office.agency, Role.PROVINCE_ADMIN)
    both = StaffFactory()
    grant_role(both, office.agency, Role.SPECIALIST)
    grant_role(both, office.other_agency, Role.SPECIALIST)
    # Both ways: every query read whole then sorted, or every query walked newest first.
    monkeypatch.setattr(search, "CANDIDATES", candidates)
    for user in (office.specialist, office.outsider, both, admin):
        for query in QUERIES:
            for size in (2, 25):
                portable = walk(search._ids_portable, user, query, size)
                indexed = walk(search._ids_postgresql, user, query, size)
                assert indexed == portable, (user, query, size)
    # The data set is not trivial: the officers see different, partly overlapping sets.
    mine = walk(search._ids_portable, office.specialist, DossierQuery(), 100)
    theirs = walk(search._ids_portable, office.outsider, DossierQuery(), 100)
    assert 20 < len(mine) < 80 and 20 < len(theirs) < 80 and set(mine) & set(theirs)
