import pytest
from django.db import connection

from motcua.catalog.selectors import search_procedures
from motcua.catalog.tests.factories import make_procedure
from motcua.core.search import similarity, strict_word_similarity
from motcua.core.text import fold

# Real names from the national catalogue that compete with 'Đăng ký khai sinh'.
BIRTH_AND_NEIGHBOURS = {
    "1.001193": "Đăng ký khai sinh",
    "1.004884": "Đăng ký lại khai sinh",
    "1.003583": "Đăng ký khai sinh lưu động",
    "2.000528": "Đăng ký khai sinh có yếu tố nước ngoài",
    "1.000689": "Đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con",
    "1.004772": "Đăng ký khai sinh cho người đã có hồ sơ, giấy tờ cá nhân",
    "1.000656": "Đăng ký khai tử",
    "1.000894": "Đăng ký kết hôn",
    "2.000635": "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
    "1.001612": "Đăng ký thành lập hộ kinh doanh",
    "2.000986": "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, "
    "cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
}


@pytest.fixture
def catalogue(agency):
    for code, name in BIRTH_AND_NEIGHBOURS.items():
        make_procedure(
            code,
            name,
            agency=agency,
            field="Thành lập và hoạt động của hộ kinh doanh" if code == "1.001612" else "Hộ tịch",
            mode="partial" if code == "2.000528" else "full_online",
        )


def names(q, **filters):
    return [v.name for v in search_procedures(q, **filters)]


def test_fold_removes_case_diacritics_and_punctuation():
    assert fold("Đăng ký KHAI SINH, lưu động!") == "dang ky khai sinh luu dong"


@pytest.mark.parametrize(
    "query",
    [
        "dang ky khai sinh",
        "Đăng ký khai sinh",
        "dang ki khai sinh",
        "ĐĂNG KÝ KHAI SINH",
        "  dang   ky khai  sinh ",
    ],
)
@pytest.mark.django_db
def test_birth_registration_comes_first(catalogue, query):
    found = names(query)

    assert found[0] == "Đăng ký khai sinh"
    assert "Đăng ký thành lập hộ kinh doanh" not in found


@pytest.mark.django_db
def test_a_part_of_a_name_finds_every_procedure_containing_it(catalogue):
    found = names("khai sinh")

    assert set(found) >= {n for n in BIRTH_AND_NEIGHBOURS.values() if "khai sinh" in n.lower()}
    assert found[0] == "Đăng ký khai sinh"
    assert "Đăng ký kết hôn" not in found


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("dnag ky khai snih", "Đăng ký khai sinh"),  # two transposed letters
        ("dang ky khai si", "Đăng ký khai sinh"),  # still typing the last word
        ("ket hon", "Đăng ký kết hôn"),
        ("KẾT HÔN", "Đăng ký kết hôn"),
        ("ho kinh doanh", "Đăng ký thành lập hộ kinh doanh"),
        ("dang ky khaisinh", "Đăng ký khai sinh"),  # no word matches: trigram similarity takes over
    ],
)
@pytest.mark.django_db
def test_typos_and_partial_words(catalogue, query, first):
    assert names(query)[0] == first


@pytest.mark.django_db
def test_the_phrase_at_the_start_beats_the_same_words_further_in(catalogue):
    found = names("dang ki khai sinh")

    assert found.index("Đăng ký khai sinh") < found.index(BIRTH_AND_NEIGHBOURS["2.000986"])
    assert found.index("Đăng ký khai sinh lưu động") < found.index("Đăng ký lại khai sinh")


@pytest.mark.django_db
def test_a_national_code_finds_its_procedure(catalogue):
    assert names("1.001193") == ["Đăng ký khai sinh"]
    expected = {name for code, name in BIRTH_AND_NEIGHBOURS.items() if code.startswith("2.000")}
    assert set(names("2.000")) == expected


@pytest.mark.django_db
def test_filters_combine_with_the_query(catalogue):
    assert names("khai sinh", mode="partial") == ["Đăng ký khai sinh có yếu tố nước ngoài"]
    assert names("", field="thanh-lap-va-hoat-dong-cua-ho-kinh-doanh") == ["Đăng ký thành lập hộ kinh doanh"]
    assert names("nothing like this at all") == []


@pytest.mark.django_db
def test_drafts_are_not_found(agency):
    make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, publish=False)

    assert names("khai sinh") == []


PAIRS = [
    ("dang ky khai sinh", "dang ky khai sinh luu dong"),
    ("dang ki khai sinh", "dang ky lai khai sinh"),
    ("word", "two words"),
    ("giay phep xay dung", "cap giay phep xay dung nha o rieng le"),
    ("khai tu", "dang ky khai sinh"),
]


@pytest.mark.parametrize(("query", "target"), PAIRS)
@pytest.mark.django_db
def test_python_similarity_agrees_with_the_database(query, target):
    """On PostgreSQL this compares with pg_trgm itself; on SQLite, with the registered functions."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            "SELECT similarity(%s, %s), strict_word_similarity(%s, %s)", [query, target, query, target]
        )
        db_similarity, db_strict = cursor.fetchone()

    assert similarity(query, target) == pytest.approx(db_similarity, abs=1e-6)
    assert strict_word_similarity(query, target) == pytest.approx(db_strict, abs=1e-6)


def test_pg_trgm_documented_examples():
    # From the PostgreSQL documentation of pg_trgm.
    assert strict_word_similarity("word", "two words") == pytest.approx(0.571429, abs=1e-6)
    assert similarity("word", "word") == 1.0
