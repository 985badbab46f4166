import datetime

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import create_procedure, publish_version


def make_procedure(
    code: str,
    name: str,
    *,
    agency: Agency,
    field: str = "Hộ tịch",
    level: str = "commune",
    mode: str = "full_online",
    publish: bool = True,
    effective_from: datetime.date | None = None,
    fee: int = 0,
) -> ProcedureVersion:
    draft = create_procedure(
        code,
        version={
            "name": name,
            "field": field,
            "level": level,
            "mode": mode,
            "processing_time": "3",
            "time_unit": "working_days",
            "result": "Giấy chứng nhận",
        },
        agencies=[agency],
        fees=[{"name": "Lệ phí", "amount": fee}] if fee else [],
        documents=[{"name": "Tờ khai theo mẫu", "form": "original", "quantity": 1}],
        form=[{"key": "full_name", "label": "Họ và tên", "kind": "text"}],
        steps=[
            {"name": "Tiếp nhận", "role": "reception", "share": "0.1"},
            {"name": "Thẩm định", "role": "specialist", "share": "0.6"},
            {"name": "Phê duyệt", "role": "leader", "share": "0.3"},
        ],
    )
    if publish:
        return publish_version(draft, effective_from=effective_from)
    return draft
