import datetime

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import create_procedure, publish_version

# Birth registration's online form and fees as the catalogue words them: registering is free, a copy of
# the certificate costs 8.000 đồng and only when asked for; plus a claimable fee to exercise exemptions.
BIRTH_FORM = [
    {"key": "child_full_name", "label": "Họ, chữ đệm và tên của trẻ", "kind": "text"},
    {"key": "copies", "label": "Số bản sao yêu cầu", "kind": "number", "required": False},
    {"key": "fee_exempt", "label": "Thuộc đối tượng được miễn", "kind": "choice", "choices": ["Không", "Có"]},
]
BIRTH_FEES = [
    {
        "name": "Lệ phí đăng ký khai sinh",
        "amount": 0,
        "description": "Miễn lệ phí đăng ký khai sinh đúng hạn.",
    },
    {
        "name": "Phí cấp bản sao Giấy khai sinh (nếu có yêu cầu)",
        "amount": 8000,
        "charging": "on_request",
        "unit": "bản sao",
        "quantity_field": "copies",
    },
]
# Birth registration's ways to submit as the national catalogue lists them (time and fees by channel).
BIRTH_CHANNELS = [
    {"channel": "online", "time": "1", "unit": "working_days", "fee_text": "Miễn phí"},
    {"channel": "post", "time": "1", "unit": "working_days", "fee_text": "Miễn phí"},
    {
        "channel": "counter",
        "time": None,
        "unit": "",
        "fee_text": "",
        "description": "Nộp tại Bộ phận Một cửa của Ủy ban nhân dân cấp xã.",
    },
]
VERIFICATION_FEE = {
    "name": "Phí xác minh",
    "amount": 50_000,
    "exemptions": "Người thuộc hộ nghèo.",
    "exemption_field": "fee_exempt",
}


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
    fees: list[dict] | None = None,
    form: list[dict] | None = None,
    channels: list[dict] | None = None,
) -> ProcedureVersion:
    """A procedure with one version (published unless ``publish=False``): one fee line of ``fee``
    đồng, or the given ``fees`` lines; a one-field form, or the given ``form`` fields; the given
    ``channels`` (ways to submit), none by default."""
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
        fees=fees if fees is not None else ([{"name": "Lệ phí", "amount": fee}] if fee else []),
        documents=[{"name": "Tờ khai theo mẫu", "form": "original", "quantity": 1}],
        form=form if form is not None else [{"key": "full_name", "label": "Họ và tên", "kind": "text"}],
        channels=channels or [],
        steps=[
            {"name": "Tiếp nhận", "role": "reception", "share": "0.1"},
            {"name": "Thẩm định", "role": "specialist", "share": "0.6"},
            {"name": "Phê duyệt", "role": "leader", "share": "0.3"},
        ],
    )
    if publish:
        return publish_version(draft, effective_from=effective_from)
    return draft
