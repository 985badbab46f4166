"""Time to render each notice (forms 01-05 and the result) as a PDF with WeasyPrint, in-process.

Builds an unsaved dossier like the notice tests do (no database needed) and renders each form
``--repeat`` times after one untimed render (fonts load once per process), then prints p50 and max.
This was a test with a loose time bound; timing belongs here, not in the suite.

    .venv/bin/python bench/notices_render.py

A benchmark, not a test: it exits 0.
"""

import argparse
import datetime
import statistics
import sys
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import common  # noqa: F401  (the repository on sys.path, Django's settings)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def make_dossier():
    from motcua.agencies.models import AdministrativeUnit, Agency
    from motcua.catalog.constants import TimeUnit
    from motcua.catalog.models import Procedure, ProcedureVersion
    from motcua.dossiers.constants import Channel
    from motcua.dossiers.models import Dossier

    unit = AdministrativeUnit(code="08", name="Tỉnh Tuyên Quang", type="province")
    agency = Agency(code="000.00.12.H59", name="Sở Tư pháp tỉnh Tuyên Quang", unit=unit, address="Số 1")
    version = ProcedureVersion(
        procedure=Procedure(code="1.001193"),
        number=1,
        name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        processing_time=Decimal("10"),
        time_unit=TimeUnit.WORKING_DAYS,
        result="Phiếu lý lịch tư pháp số 1",
    )
    return Dossier(
        code="000.00.12.H59-260312-0001",
        procedure_version=version,
        receiving_agency=agency,
        holder_agency=agency,
        applicant_name="Nguyễn Thị Hằng",
        applicant_identity="008190000123",
        channel=Channel.COUNTER,
        fee_due=200000,
        received_at=datetime.datetime(2026, 3, 12, 8, 30, tzinfo=VN),
        due_at=datetime.datetime(2026, 3, 26, 15, 30, tzinfo=VN),
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    import django

    django.setup()
    from motcua.dossiers import notices

    dossier = make_dossier()
    url = "https://dichvucong.example.vn/tra-cuu/000.00.12.H59-260312-0001"
    forms = {
        "01": {"documents": ["Tờ khai", "Bản chụp Căn cước"]},
        "02": {"items": ["Bản sao Giấy khai sinh"], "reasons": "Thiếu giấy tờ"},
        "03": {"reasons": "Không thuộc thẩm quyền giải quyết"},
        "04": {"reasons": "Chờ xác minh", "new_due_at": datetime.datetime(2026, 4, 2, 10, 0, tzinfo=VN)},
        "05": {"reasons": "Không nộp phí đúng hạn"},
    }
    renders = {
        f"form {form}": (lambda f=form, a=kwargs: notices.render_notice(f, dossier, lookup_url=url, **a))
        for form, kwargs in forms.items()
    }
    renders["result"] = lambda: notices.render_result(dossier, lookup_url=url)
    print("Notice rendering (WeasyPrint), in-process")
    for name, render in renders.items():
        render()  # untimed: fonts and templates load once
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            pdf = render()
            times.append((time.perf_counter() - started) * 1000)
        p50 = statistics.median(times)
        print(f"  {name:<7} p50 {p50:5.1f} ms, max {max(times):6.1f} ms, {len(pdf):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
