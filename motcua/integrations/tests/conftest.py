"""The dossiers' test office, and the national portal's stand-in run as its own process (with a small
national catalogue in the shape of the project's shared data)."""

import base64
import gzip
import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from motcua.core.tests.processes import ManagedProcess
from motcua.dossiers.tests.conftest import office  # noqa: F401  (re-exported fixture)
from motcua.integrations.national import client as client_module


class NationalPortal(ManagedProcess):
    """``manage.py national_standin --port 0`` in a subprocess, spoken to over HTTP. ``stop`` and
    ``start`` again keep its SQLite file and its port: an outage, then the portal back."""

    def __init__(self, data: Path, catalogue: Path | None = None) -> None:
        self.data = data
        self.catalogue = catalogue
        extra = ("--catalogue", str(catalogue)) if catalogue is not None else ()
        super().__init__("national_standin", "--quiet", "--data", str(data), *extra)

    def _get(self, path: str) -> bytes:
        with urllib.request.urlopen(f"{self.url}{path}", timeout=5) as response:
            return response.read()

    def dossiers(self, code: str = "") -> list[dict]:
        return json.loads(self._get(f"/hoso.json?mahoso={code}" if code else "/hoso.json"))["dossiers"]

    def dossier(self, code: str) -> dict:
        (found,) = self.dossiers(code)
        return found

    def page(self) -> str:
        return self._get("/").decode()

    def _post(self, path: str, fields: dict) -> dict:
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=json.dumps(fields, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return json.loads(exc.read())

    def control(self, **fields) -> dict:
        return self._post("/control", fields)

    def submit(self, *, files: list[tuple[str, bytes, str]] = (), **fields) -> str:
        """A citizen submits a dossier on the portal (``files``: name, content, MaThanhPhanHoSo);
        its national code."""
        documents = [
            {"TenTepDinhKem": name, "NoiDung": base64.b64encode(content).decode(), "MaThanhPhanHoSo": part}
            for name, content, part in files
        ]
        answer = self._post("/api/nop-ho-so", {**fields, "TaiLieuNop": documents})
        assert answer["error_code"] == 0, answer
        return answer["MaHoSo"]

    def submissions(self) -> dict[str, dict]:
        """What was submitted here, by national code, with the province's answer."""
        found = json.loads(self._get("/nop-ho-so.json"))["submissions"]
        return {entry["item"]["MaHoSo"]: entry for entry in found}


# Records in the shape of ../shared/data/procedures-national.jsonl.gz (its README): the test office's
# procedure as the national catalogue publishes it (another name, one working day online), a
# province procedure the office lacks, and a ministry-level one a province does not handle.
CATALOGUE = [
    {
        "code": "1.001193",
        "name": "Thủ tục đăng ký khai sinh",
        "ministry_catalogue": "bo-tu-phap",
        "decision": "163/QĐ-BTP",
        "levels": ["Cấp xã"],
        "kind": "TTHC được luật giao quy định chi tiết",
        "field": "Hộ tịch",
        "applicants": "Công dân Việt Nam",
        "implementing_agencies": "Ủy ban nhân dân cấp xã",
        "channels": [
            {"channel": "online", "time_value": 1.0, "time_unit": "Ngày làm việc", "fee_text": "Miễn phí"},
            {"channel": "counter", "time_value": 1.0, "time_unit": "Ngày làm việc", "fee_text": "Miễn phí"},
        ],
        "steps_text": "Nộp hồ sơ; tiếp nhận; thẩm tra; trả kết quả.",
        "documents_text": "Tờ khai đăng ký khai sinh; Giấy chứng sinh.",
        "legal_basis_text": "Luật Hộ tịch số 60/2014/QH13",
        "conditions_text": "",
        "result_text": "Giấy khai sinh",
        "source_url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193",
    },
    {
        "code": "2.000528",
        "name": "Thủ tục chứng thực bản sao từ bản chính",
        "ministry_catalogue": "bo-tu-phap",
        "decision": "1329/QĐ-BTP",
        "levels": ["Cấp xã", "Cấp tỉnh"],
        "kind": "TTHC không được luật giao",
        "field": "Chứng thực",
        "applicants": "Cá nhân, tổ chức",
        "implementing_agencies": "Ủy ban nhân dân cấp xã",
        "channels": [
            {"channel": "counter", "time_value": 1.0, "time_unit": "Ngày", "fee_text": "2.000 đồng/trang"}
        ],
        "steps_text": "Nộp bản chính và bản sao; chứng thực.",
        "documents_text": "Bản chính giấy tờ; bản sao cần chứng thực.",
        "legal_basis_text": "Nghị định số 23/2015/NĐ-CP",
        "conditions_text": "",
        "result_text": "Bản sao được chứng thực",
        "source_url": "",
    },
    {
        "code": "1.009999",
        "name": "Thủ tục cấp giấy phép ở cấp bộ",
        "levels": ["Cấp bộ"],
        "field": "Khác",
        "channels": [],
    },
]


@pytest.fixture(scope="session")
def national_catalogue(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("national-catalogue") / "procedures-national.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for record in CATALOGUE:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="session")
def national_standin(tmp_path_factory, national_catalogue):
    portal = NationalPortal(tmp_path_factory.mktemp("national") / "portal.sqlite3", national_catalogue)
    yield portal
    portal.stop()


@pytest.fixture
def national_portal(national_standin, settings):
    """The sync on, to the session's stand-in (running, no failures pending, a fresh session)."""
    if national_standin.process is None:
        national_standin.start()
    national_standin.control(fail_next=0, fail_files=False, reset=True)
    settings.MOTCUA_NATIONAL_PORTAL_URL = national_standin.url
    client_module._clients.clear()
    yield national_standin
    client_module._clients.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block's after-commit work (the events, then the sync's tasks) as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
