"""A dashboard as files: a workbook (xlsx, values only), CSV (the indicators) and a PDF report to the
level above (the national heading, the issuing agency, number and date line, tables, signature block).

Every number comes from one ``views_data.Dashboard``, the same the page shows. The files are in
Vietnamese, as a report sent upwards is (the caller builds the dashboard under ``translation.override``).
"""

import csv
import datetime
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from motcua.reports import scoring, selectors
from motcua.reports.views_data import Dashboard, issuer, kind_name

TITLE = "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
KINDS = {
    selectors.COUNT: "hồ sơ",
    selectors.PERCENT: "%",
    selectors.DAYS: "ngày",
    selectors.AVERAGE: "điểm",
}
INDICATOR_COLUMNS = [
    "Nhóm",
    "Mã",
    "Chỉ tiêu",
    "Tử số",
    "Mẫu số",
    "Giá trị",
    "Đơn vị tính",
    "Kỳ trước",
    "Thay đổi",
]
SCORE_COLUMNS = ["Nhóm", "Mã", "Thành phần", "Tử số", "Mẫu số", "Tỷ lệ", "Mục tiêu", "Điểm", "Tối đa"]
TREND_COLUMNS = [
    "Tháng",
    "Hồ sơ tiếp nhận",
    "Tiếp nhận trực tuyến",
    "Giải quyết đúng hạn",
    "Giải quyết quá hạn",
    "Tỷ lệ đúng hạn (%)",
]
FIELD_COLUMNS = [
    "Lĩnh vực",
    "Hồ sơ tiếp nhận",
    "Tỷ lệ trực tuyến (%)",
    "Giải quyết đúng hạn",
    "Giải quyết quá hạn",
    "Tỷ lệ đúng hạn (%)",
    "Đang quá hạn",
]
RANK_COLUMNS = ["Hạng", "Đơn vị", "Mã", "Điểm", "Hạng kỳ trước", "Điểm kỳ trước"]
TARGET_COLUMNS = ["Đơn vị", "Chỉ tiêu", "Mục tiêu", "Đạt được", "Tình trạng"]
# A cell a spreadsheet would read as a formula is written with a leading apostrophe (CSV).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def unit_label(figure: selectors.Figure) -> str:
    """What the figure counts or measures: procedures, dossiers, %, days, points."""
    if figure.group == "procedures" and figure.kind == selectors.COUNT:
        return "thủ tục"
    if figure.group == "satisfaction" and figure.kind == selectors.COUNT:
        return "lượt"
    return KINDS[figure.kind]


def indicator_rows(board: Dashboard) -> list[list[Any]]:
    """The indicators as table rows (values as numbers; None where there is nothing to show)."""
    names = {code: str(name) for code, name in selectors.GROUPS.items()}
    rows = []
    for row in board.rows:
        f = row.figure
        rows.append(
            [
                names.get(f.group, f.group),
                f.code,
                f.name,
                f.numerator,
                f.denominator,
                f.value,
                unit_label(f),
                row.previous.value if row.previous is not None else None,
                row.change,
            ]
        )
    return rows


DAY = Decimal(86400)


def score_rows(board: Dashboard) -> list[list[Any]]:
    """The score's groups and components; a component counted in seconds (2.2: the legal time against
    the time taken) is written in days, as the dashboard shows it, with "(ngày)" after its name."""
    in_seconds = {
        c.code
        for g in scoring.configuration(board.score.index, board.score.version).groups
        for c in g.components
        if c.numerator.endswith("_seconds")
    }
    rows: list[list[Any]] = []
    for group in board.score.groups:
        rows.append([group.name, group.code, "", None, None, None, None, group.points, group.max])
        for c in group.components:
            days = c.code in in_seconds
            rows.append(
                [
                    "",
                    c.code,
                    f"{c.name} (ngày)" if days else c.name,
                    (Decimal(c.numerator) / DAY).quantize(Decimal("0.1")) if days else c.numerator,
                    (Decimal(c.denominator) / DAY).quantize(Decimal("0.1")) if days else c.denominator,
                    c.ratio,
                    c.target,
                    c.points,
                    c.max,
                ]
            )
    rows.append(["Tổng điểm", "", "", None, None, None, None, board.score.total, board.score.max])
    return rows


def trend_rows(board: Dashboard) -> list[list[Any]]:
    return [
        [
            f"{p.period.start:%m/%Y}",
            p.value("received"),
            p.value("received_online"),
            p.value("done_on_time"),
            p.value("done_late"),
            p.value("on_time_share"),
        ]
        for p in board.trend
    ]


def field_rows(board: Dashboard) -> list[list[Any]]:
    result = []
    for field in board.fields:
        values = {f.code: f.value for f in field.figures}
        result.append(
            [
                field.name,
                values.get("received"),
                values.get("online_share"),
                values.get("done_on_time"),
                values.get("done_late"),
                values.get("on_time_share"),
                values.get("overdue_now"),
            ]
        )
    return result


def rank_rows(board: Dashboard) -> list[list[Any]]:
    return [
        [r.rank, r.unit.name, r.unit.key, r.total, r.previous_rank, r.previous_total] for r in board.ranking
    ]


def target_rows(board: Dashboard) -> list[list[Any]]:
    return [
        [t.unit.name, t.name, t.target, t.value, "Chưa đạt" if t.behind else "Đạt"] for t in board.targets
    ]


def heading_lines(board: Dashboard) -> list[tuple[str, str]]:
    who = issuer(board.unit)
    signer = " ".join(part for part in (who.signer_title, who.signer_name) if part)
    generated = timezone.localtime(board.generated_at)
    return [
        ("Đơn vị", f"{board.unit.name} ({board.unit.key})"),
        ("Kỳ báo cáo", f"{board.period.label}: {board.period.start:%d/%m/%Y} – {board.period.end:%d/%m/%Y}"),
        (
            "Kỳ so sánh",
            f"{board.previous_period.start:%d/%m/%Y} – {board.previous_period.end:%d/%m/%Y}",
        ),
        ("Lập lúc", f"{generated:%H:%M %d/%m/%Y}"),
        ("Người ký", signer or "……………………………………"),
    ]


def to_xlsx(board: Dashboard) -> bytes:
    """A workbook of values only (no formula): a heading block, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)

    def sheet(title: str, columns: list[str], rows: list[list[Any]], widths: list[int]):
        ws = workbook.create_sheet(title)
        for width, letter in zip(widths, "ABCDEFGHIJ", strict=False):
            ws.column_dimensions[letter].width = width

        def cell(value):
            c = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                c.data_type = "s"  # a name starting with "=" stays text, never a formula
            return c

        ws.append([cell(TITLE)])
        for label, value in heading_lines(board):
            ws.append([cell(label), cell(value)])
        ws.append([])
        ws.append([cell(c) for c in columns])
        for row in rows:
            ws.append([cell(v) for v in row])

    sheet("Chi so", INDICATOR_COLUMNS, indicator_rows(board), [18, 26, 44, 12, 12, 12, 10, 12, 12])
    sheet("Diem 766", SCORE_COLUMNS, score_rows(board), [24, 10, 52, 10, 10, 10, 10, 10, 10])
    sheet("Xu huong", TREND_COLUMNS, trend_rows(board), [12, 16, 18, 18, 18, 16])
    sheet("Linh vuc", FIELD_COLUMNS, field_rows(board), [40, 16, 16, 18, 18, 16, 14])
    sheet("Xep hang", RANK_COLUMNS, rank_rows(board), [8, 44, 16, 10, 14, 14])
    sheet("Chi tieu nam", TARGET_COLUMNS, target_rows(board), [40, 40, 12, 12, 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def to_csv(board: Dashboard) -> Iterator[str]:
    """The indicators as CSV lines, header first (numbers with a dot, as spreadsheets read them)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(["Đơn vị", "Từ ngày", "Đến ngày", *INDICATOR_COLUMNS])
    first = [board.unit.key, board.period.start.isoformat(), board.period.end.isoformat()]
    for row in indicator_rows(board):
        yield line([_csv_text(v) for v in first + row])


# -- PDF ---------------------------------------------------------------------------------------------

_BASE_URL = str(Path(__file__).resolve().parent)


def vn_number(value: Any, places: int | None = None) -> str:
    """1.234,5 as Vietnamese documents write numbers; '—' for None."""
    if value is None:
        return "—"
    if isinstance(value, int) and places is None:
        return f"{value:,}".replace(",", ".")
    number = Decimal(value)
    text = f"{number:,.{2 if places is None else places}f}"
    text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def _date_line(value: datetime.datetime) -> str:
    local = timezone.localtime(value)
    return f"ngày {local:%d} tháng {local:%m} năm {local:%Y}"


def to_pdf(board: Dashboard) -> bytes:
    """The report to the level above, A4 portrait."""
    who = issuer(board.unit)
    above = board.above[0].name if board.above else "Văn phòng Chính phủ"
    indicators = [
        {
            "name": r.figure.name,
            "value": vn_number(r.figure.value),
            "unit": unit_label(r.figure),
            "fraction": (
                f"{vn_number(r.figure.numerator)}/{vn_number(r.figure.denominator)}"
                if r.figure.denominator is not None
                else ""
            ),
            "previous": vn_number(r.previous.value) if r.previous is not None else "",
            "change": vn_number(r.change) if r.change is not None else "",
        }
        for r in board.rows
    ]
    groups = [
        (str(name), [i for i, r in zip(indicators, board.rows, strict=True) if r.figure.group == g])
        for g, name in selectors.GROUPS.items()
    ]
    context = {
        "title": TITLE,
        "agency": who.agency,
        "agency_parent": who.parent_name,
        "place": who.place,
        "issued_on": _date_line(board.generated_at),
        "board": board,
        "recipient": above,
        "groups": groups,
        "score_total": vn_number(board.score.total),
        "score_groups": [
            {"code": g.code, "name": g.name, "points": vn_number(g.points), "max": vn_number(g.max, 0)}
            for g in board.score.groups
        ],
        "my_rank": board.my_rank,
        "rank_of": len(board.ranking),
        "kind_name": kind_name(board.ranking_kind),
        "behind": [
            {"unit": t.unit.name, "name": t.name, "target": vn_number(t.target), "value": vn_number(t.value)}
            for t in board.behind
        ],
        "signer_title": (who.signer_title or "Thủ trưởng cơ quan").upper(),
        "signer_name": who.signer_name,
        "from_day": f"{board.period.start:%d/%m/%Y}",
        "to_day": f"{board.period.end:%d/%m/%Y}",
    }
    with translation.override("vi"):
        html = render_to_string("reports/report.pdf.html", context)
    return HTML(
        string=html, base_url=_BASE_URL, url_fetcher=URLFetcher(allowed_protocols={"data"})
    ).write_pdf()
