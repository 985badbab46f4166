"""The national catalogue the stand-in portal serves (``LayDanhSachTTHC``, ``LayThuTuc``).

It reads the published procedures of ``procedures-national.jsonl.gz`` (the shared data of the project,
one JSON object per line: code, name, field, levels, channels, the texts of each section; its
README describes them) and answers in the portal's shape, as the provincial adapters read it
(VietOpenCPS ``syncServiceInfo``): ``MATTHC``, ``TENTTHC``, ``LINHVUCTHUCHIEN`` [{MALINHVUC,
TENLINHVUC}], ``CAPTHUCHIEN``, ``MOTADOITUONGTHUCHIEN``, ``CACHTHUCTHUCHIEN`` [{KENH 1 counter,
2 online, 3 post; THOIGIAN [{THOIGIANGIAIQUYET, DONVITINH, MOTA, PHILEPHI [{MAPHILEPHI, SOTIEN, DONVI,
MOTA}]}]}], ``TRINHTUTHUCHIEN`` [{TRUONGHOP, TRINHTU [{TENTRINHTU}]}], ``THANHPHANHOSO``
[{TRUONGHOP, GIAYTO [{MAGIAYTO, TENGIAYTO, TENMAUDON, URL}]}], ``YEUCAU``, ``CANCUPHAPLY``
[{SOVANBAN, TENVANBAN}], ``KETQUATHUCHIEN`` [{MAKETQUA, TENKETQUA}], ``COQUANTHUCHIEN`` [{MADONVI,
TENDONVI}], ``TRANGTHAI`` (1 published). A province handles the procedures of ``Cấp tỉnh`` and
``Cấp xã``: only those are served.
"""

import gzip
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

PROVINCE_LEVELS = {"Cấp tỉnh", "Cấp xã"}
CHANNEL_CODES = {"counter": 1, "online": 2, "post": 3}
UNITS = {"Ngày làm việc": "Ngày làm việc", "Ngày": "Ngày", "Giờ": "Giờ"}

DEFAULT_PATH = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "procedures-national.jsonl.gz"


def field_code(name: str) -> str:
    """A code for a field (lĩnh vực) the source names only: its name without marks, in capitals."""
    folded = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in folded if unicodedata.category(c) != "Mn")
    return re.sub(r"[^A-Z0-9]+", "_", plain.upper()).strip("_")[:40]


def load(path: Path | str | None) -> dict[str, dict[str, Any]]:
    """The province-level procedures of the file, by code, in the portal's shape (empty without a file)."""
    source = Path(path) if path else DEFAULT_PATH
    if not source.exists():
        return {}
    opener = gzip.open if source.suffix == ".gz" else open
    procedures: dict[str, dict[str, Any]] = {}
    with opener(source, "rt", encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            if PROVINCE_LEVELS & set(record.get("levels") or []) and record.get("code"):
                procedures[str(record["code"])] = detail(record)
    return procedures


def _text(record: dict[str, Any], key: str) -> str:
    return str(record.get(key) or "").strip()


def detail(record: dict[str, Any]) -> dict[str, Any]:
    """One source record as the portal's ``LayThuTuc`` item."""
    field = _text(record, "field")
    channels = []
    for channel in record.get("channels") or []:
        kind = CHANNEL_CODES.get(str(channel.get("channel")))
        if kind is None:
            continue
        value = channel.get("time_value")
        channels.append(
            {
                "KENH": kind,
                "THOIGIAN": [
                    {
                        "THOIGIANGIAIQUYET": value if value is not None else "",
                        "DONVITINH": UNITS.get(str(channel.get("time_unit") or ""), ""),
                        "MOTA": str(channel.get("description") or ""),
                        "PHILEPHI": [
                            {
                                "MAPHILEPHI": "",
                                "SOTIEN": "",
                                "DONVI": "",
                                "MOTA": str(channel.get("fee_text") or ""),
                            }
                        ],
                    }
                ],
            }
        )
    return {
        "MATTHC": str(record["code"]),
        "TENTTHC": _text(record, "name"),
        "MACOQUANCONGBO": _text(record, "ministry_catalogue"),
        "QUYETDINHCONGBO": _text(record, "decision"),
        "LOAITTHC": _text(record, "kind"),
        "CAPTHUCHIEN": list(record.get("levels") or []),
        "LINHVUCTHUCHIEN": [{"MALINHVUC": field_code(field), "TENLINHVUC": field}] if field else [],
        "MOTADOITUONGTHUCHIEN": _text(record, "applicants"),
        "COQUANTHUCHIEN": [{"MADONVI": "", "TENDONVI": _text(record, "implementing_agencies")}],
        "CACHTHUCTHUCHIEN": channels,
        "TRINHTUTHUCHIEN": [{"TRUONGHOP": "", "TRINHTU": [{"TENTRINHTU": _text(record, "steps_text")}]}],
        "THANHPHANHOSO": [
            {
                "TRUONGHOP": "",
                "GIAYTO": [
                    {"MAGIAYTO": "", "TENGIAYTO": _text(record, "documents_text"), "TENMAUDON": "", "URL": ""}
                ],
            }
        ],
        "YEUCAU": _text(record, "conditions_text"),
        "CANCUPHAPLY": [{"SOVANBAN": "", "TENVANBAN": _text(record, "legal_basis_text")}],
        "KETQUATHUCHIEN": [{"MAKETQUA": "", "TENKETQUA": _text(record, "result_text")}],
        "TRANGTHAI": 1,
        "URL": _text(record, "source_url"),
    }


def summary(procedure: dict[str, Any]) -> dict[str, Any]:
    """A ``LayDanhSachTTHC`` item."""
    fields = procedure.get("LINHVUCTHUCHIEN") or [{}]
    return {
        "MATTHC": procedure["MATTHC"],
        "TENTTHC": procedure["TENTTHC"],
        "MALINHVUC": fields[0].get("MALINHVUC", ""),
        "TENLINHVUC": fields[0].get("TENLINHVUC", ""),
        "CAPTHUCHIEN": procedure.get("CAPTHUCHIEN", []),
        "TRANGTHAI": procedure.get("TRANGTHAI", 1),
    }
