"""A local stand-in for the national public-service portal's adapter (INTEGRATIONS.md §1), run as its own
process by ``manage.py national_standin --port N`` (``make demo`` starts it; the tests start it on a free
port).

It speaks the same transport: ``POST /auth`` ``{username, password}`` → ``{session, error_code: 0}``;
``POST /integration`` ``{session, madonvi, service, ...}`` → ``{error_code, message, result}``, and
answers ``DongBoHoSoMC`` (a create of a code it holds: "Mã hồ sơ … đã tồn tại"; an update of one it
lacks: "không tồn tại"), ``CapNhatTienDoHoSoMC`` and ``TraCuuHoSo``. It checks what a real adapter
refuses: the session, the unit, the required fields, the dates (``yyyyMMddHHmmss``), TrangThaiHoSo
1–10. What it receives is kept in an SQLite file (``--data``; a temporary one by default), so a
restart loses nothing. ``GET /`` lists the dossiers it holds with their status history;
``GET /hoso.json[?mahoso=]`` the same as JSON, for tests. ``POST /control`` ``{"expire_sessions":
true}`` ends every session (the adapter must log in again), ``{"fail_next": N}`` answers the next N
calls with a system error (-1), ``{"reset": true}`` forgets everything held (tests).

Sync in (docs/decisions/0013): a citizen submits a dossier on the portal, on the page
``/nop-ho-so`` (a form with one or two files) or by ``POST /api/nop-ho-so`` (JSON, files in
base64); the portal gives it its code (``DVCQG-yyMMdd-NNNNN``), holds it (status 1) and lists it to
the province by ``LayDanhSachHoSoTuDVCQG`` (``soluong``) until the province acknowledges it with
``CapNhatDaNhanHoSo`` (``data``: [{MaHoSo, KetQua "1" taken | "0" not, MaHoSoTiepNhan, GhiChu}]). The
files are served at their ``DuongDanTaiTepTin`` (``/tep/<token>``). ``GET /nop-ho-so.json`` lists the
submissions with what the province answered. ``{"fail_files": true}`` on ``/control`` answers every
file with HTTP 404, ``{"forget_answers": true}`` lists every submission again (tests).

The national catalogue: ``LayDanhSachTTHC`` and ``LayThuTuc`` (``maTTHC``) serve the province-level
procedures of ``--catalogue`` (motcua.integrations.national.standin_catalogue).

Error codes (our choice; no public source lists them): -1 system error, -2 session invalid or expired,
1 unknown service, 2 invalid data, 3 already exists, 4 not found, 5 login refused.
"""

import base64
import datetime
import html
import json
import re
import secrets
import sqlite3
import threading
import zoneinfo
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from motcua.integrations.national import standin_catalogue
from motcua.payments.standins import (
    not_found,
    page,
    read_body,
    read_json,
    read_query,
    redirect,
    respond_html,
    respond_json,
)

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MAX_FILES = 10

DATE = re.compile(r"^\d{14}$")
DOSSIER_DATES = ["NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy", "NgayTuChoi"]
PROGRESS_DATES = ["ThoiDiemXuLy", "NgayBatDau", "NgayKetThucTheoQuyDinh"]
REQUIRED = ["MaHoSo", "MaTTHC", "TrangThaiHoSo", "ChuHoSo", "NgayNopHoSo"]
STATUSES = {str(n) for n in range(1, 11)}

SCHEMA = """
CREATE TABLE IF NOT EXISTS dossier (
    code TEXT PRIMARY KEY, item TEXT NOT NULL, created_at TEXT, updated_at TEXT,
    updates INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS progress (
    id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL, item TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submission (
    code TEXT PRIMARY KEY, seq INTEGER NOT NULL, item TEXT NOT NULL, created_at TEXT NOT NULL,
    answer TEXT, answered_at TEXT
);
CREATE TABLE IF NOT EXISTS file (
    token TEXT PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL, content_type TEXT NOT NULL,
    content BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS call (
    id INTEGER PRIMARY KEY AUTOINCREMENT, service TEXT NOT NULL, body TEXT NOT NULL,
    error_code INTEGER NOT NULL
);
"""


class Refused(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


class NationalPortalStandin:
    """The WSGI application."""

    def __init__(
        self,
        *,
        username: str,
        password: str,
        madonvi: str,
        database: str,
        catalogue: dict[str, dict[str, Any]] | None = None,
    ):
        self.credentials = (username, password)
        self.madonvi = madonvi
        self.catalogue = catalogue or {}
        self.lock = threading.Lock()
        self.sessions: set[str] = set()
        self.fail_next = 0
        self.fail_files = False
        self.db = sqlite3.connect(database, check_same_thread=False, isolation_level=None)
        # Each statement commits on its own: WAL without a sync per commit keeps a stand-in from
        # spending its time in fsync (a crash of the machine may lose the last calls; a test's does not).
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def __call__(self, environ: dict, start) -> list[bytes]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
        base = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', 'localhost')}"
        if method == "POST" and path == "/auth":
            return respond_json(start, self.login(read_json(environ) or {}))
        if method == "POST" and path == "/integration":
            return respond_json(start, self.integration(read_json(environ) or {}, base=base))
        if method == "POST" and path == "/control":
            return respond_json(start, self.control(read_json(environ) or {}))
        if method == "GET" and path == "/hoso.json":
            return respond_json(start, {"dossiers": self.held(read_query(environ).get("mahoso", ""))})
        if method == "GET" and path == "/nop-ho-so.json":
            return respond_json(start, {"submissions": self.submissions()})
        if method == "POST" and path == "/api/nop-ho-so":
            try:
                code = self.submit_json(read_json(environ) or {})
            except Refused as exc:
                return respond_json(start, {"error_code": exc.code, "message": str(exc)}, "400 Bad Request")
            return respond_json(start, {"error_code": 0, "message": "Thành công", "MaHoSo": code})
        if path == "/nop-ho-so" and method in ("GET", "POST"):
            return self.submission_page(environ, start)
        if method == "GET" and path.startswith("/tep/"):
            return self.serve_file(path.removeprefix("/tep/"), start)
        if method == "GET" and path == "/":
            return respond_html(start, self.page(read_query(environ).get("nop", "")))
        return not_found(start)

    # -- protocol ---------------------------------------------------------------------------------------

    def login(self, body: dict[str, Any]) -> dict[str, Any]:
        if (str(body.get("username", "")), str(body.get("password", ""))) != self.credentials:
            return {"error_code": 5, "message": "Tên đăng nhập hoặc mật khẩu không đúng"}
        session = secrets.token_hex(16)
        with self.lock:
            self.sessions.add(session)
        return {"error_code": 0, "message": "Thành công", "session": session}

    def control(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            if body.get("expire_sessions"):
                self.sessions.clear()
            if body.get("reset"):
                self.db.executescript(
                    "DELETE FROM dossier; DELETE FROM progress; DELETE FROM call;"
                    " DELETE FROM submission; DELETE FROM file;"
                )
            if "fail_next" in body:
                self.fail_next = max(0, int(body["fail_next"]))
            if body.get("forget_answers"):
                self.db.execute("UPDATE submission SET answer = NULL, answered_at = NULL")
            if "fail_files" in body:
                self.fail_files = bool(body["fail_files"])
            return {"fail_next": self.fail_next, "sessions": len(self.sessions)}

    def integration(self, body: dict[str, Any], *, base: str = "") -> dict[str, Any]:
        service = str(body.get("service", ""))
        try:
            with self.lock:
                if str(body.get("session", "")) not in self.sessions:
                    raise Refused(-2, "Phiên làm việc không hợp lệ hoặc đã hết hạn")
                if str(body.get("madonvi", "")) != self.madonvi:
                    raise Refused(2, f"Mã đơn vị không hợp lệ (madonvi: {body.get('madonvi', '')})")
                if self.fail_next > 0:
                    self.fail_next -= 1
                    raise Refused(-1, "Lỗi hệ thống, vui lòng thử lại sau")
                handler = {
                    "DongBoHoSoMC": self.sync_dossiers,
                    "CapNhatTienDoHoSoMC": self.update_progress,
                    "TraCuuHoSo": self.look_up,
                    "LayDanhSachHoSoTuDVCQG": lambda b: self.list_submitted(b, base),
                    "CapNhatDaNhanHoSo": self.acknowledge,
                    "LayDanhSachTTHC": self.list_procedures,
                    "LayThuTuc": self.procedure,
                }.get(service)
                if handler is None:
                    raise Refused(1, f"Dịch vụ không được hỗ trợ: {service}")
                result = handler(body)
                answer: dict[str, Any] = {"error_code": 0, "message": "Thành công", "result": result}
        except Refused as exc:
            answer = {"error_code": exc.code, "message": str(exc), "result": []}
        with self.lock:  # one connection shared by the server's threads
            self.db.execute(
                "INSERT INTO call (service, body, error_code) VALUES (?, ?, ?)",
                (service, json.dumps(body, ensure_ascii=False), answer["error_code"]),
            )
        return answer

    @staticmethod
    def _items(body: dict[str, Any]) -> list[dict[str, Any]]:
        data = body.get("data")
        if not isinstance(data, list) or not data or not all(isinstance(i, dict) for i in data):
            raise Refused(2, "data phải là danh sách hồ sơ")
        return data

    @staticmethod
    def _check_dates(item: dict[str, Any], names: list[str]) -> None:
        for name in names:
            value = item.get(name, "")
            if value not in ("", None) and not DATE.match(str(value)):
                raise Refused(2, f"{name} phải có dạng yyyyMMddHHmmss: {value}")

    def sync_dossiers(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        updating = str(body.get("isUpdating", "")).strip()
        if updating not in ("True", "False"):
            raise Refused(2, 'isUpdating phải là "True" hoặc "False"')
        items = self._items(body)
        for item in items:
            missing = [name for name in REQUIRED if not str(item.get(name, "")).strip()]
            if missing:
                raise Refused(2, "Thiếu trường bắt buộc: " + ", ".join(missing))
            if str(item["TrangThaiHoSo"]) not in STATUSES:
                raise Refused(2, f"TrangThaiHoSo không hợp lệ: {item['TrangThaiHoSo']}")
            self._check_dates(item, DOSSIER_DATES)
            for field in [
                "TaiLieuNop",
                "DanhSachLePhi",
                "DanhSachHoSoBoSung",
                "DanhSachGiayToKetQua",
                "DinhDanhCHS",
            ]:
                if not isinstance(item.get(field, []), list):
                    raise Refused(2, f"{field} phải là danh sách")
            exists = self._get(str(item["MaHoSo"])) is not None
            if updating == "False" and exists:
                raise Refused(3, f"Mã hồ sơ {item['MaHoSo']} đã tồn tại")
            if updating == "True" and not exists:
                raise Refused(4, f"Mã hồ sơ {item['MaHoSo']} không tồn tại")
        for item in items:
            text = json.dumps(item, ensure_ascii=False)
            if updating == "True":
                self.db.execute(
                    "UPDATE dossier SET item = ?, updated_at = datetime('now'), updates = updates + 1"
                    " WHERE code = ?",
                    (text, item["MaHoSo"]),
                )
            else:
                self.db.execute(
                    "INSERT INTO dossier (code, item, created_at, updated_at)"
                    " VALUES (?, ?, datetime('now'), datetime('now'))",
                    (item["MaHoSo"], text),
                )
        return [{"MaHoSo": item["MaHoSo"]} for item in items]

    def update_progress(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        items = self._items(body)
        for item in items:
            if self._get(str(item.get("MaHoSo", ""))) is None:
                raise Refused(4, f"Mã hồ sơ {item.get('MaHoSo', '')} không tồn tại")
            if str(item.get("TrangThai", "")) not in STATUSES:
                raise Refused(2, f"TrangThai không hợp lệ: {item.get('TrangThai', '')}")
            if not str(item.get("ThoiDiemXuLy", "")).strip():
                raise Refused(2, "Thiếu trường bắt buộc: ThoiDiemXuLy")
            self._check_dates(item, PROGRESS_DATES)
        for item in items:
            self.db.execute(
                "INSERT INTO progress (code, item) VALUES (?, ?)",
                (item["MaHoSo"], json.dumps(item, ensure_ascii=False)),
            )
        return [{"MaHoSo": item["MaHoSo"]} for item in items]

    def look_up(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        code = str(body.get("mahoso", "")).strip()
        if not code:
            raise Refused(2, "Thiếu mahoso")
        item = self._get(code)
        return [item] if item is not None else []

    # -- sync in: dossiers submitted here, taken by the province --------------------------------------

    def list_submitted(self, body: dict[str, Any], base: str) -> list[dict[str, Any]]:
        try:
            limit = max(1, min(int(body.get("soluong") or 50), 500))
        except (TypeError, ValueError):
            raise Refused(2, "soluong phải là số") from None
        rows = self.db.execute(
            "SELECT item FROM submission WHERE answered_at IS NULL ORDER BY seq LIMIT ?", (limit,)
        ).fetchall()
        items = []
        for (text,) in rows:
            item = json.loads(text)
            for entry in item.get("TaiLieuNop", []):
                entry["DuongDanTaiTepTin"] = f"{base}/tep/{entry.pop('_token')}"
            items.append(item)
        return items

    def acknowledge(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        results = []
        for item in self._items(body):
            code = str(item.get("MaHoSo", ""))
            if str(item.get("KetQua", "")) not in ("0", "1"):
                raise Refused(2, f'KetQua phải là "1" hoặc "0" (MaHoSo {code})')
            found = self.db.execute(
                "UPDATE submission SET answer = ?, answered_at = datetime('now') WHERE code = ?",
                (json.dumps(item, ensure_ascii=False), code),
            ).rowcount
            results.append({"MaHoSo": code, "KetQua": "Thành công" if found else "Không tồn tại"})
        return results

    def submit_json(self, body: dict[str, Any]) -> str:
        """A dossier submitted through the API: the fields of the form, files in base64."""
        files = []
        documents = body.get("TaiLieuNop") or []
        if not isinstance(documents, list) or len(documents) > MAX_FILES:
            raise Refused(2, f"TaiLieuNop phải là danh sách tối đa {MAX_FILES} tệp")
        for entry in documents:
            if not isinstance(entry, dict):
                raise Refused(2, "Mỗi tệp của TaiLieuNop phải là một đối tượng")
            try:
                content = base64.b64decode(str(entry.get("NoiDung", "")), validate=True)
            except ValueError:
                raise Refused(
                    2, f"NoiDung của tệp {entry.get('TenTepDinhKem', '')} không phải base64"
                ) from None
            files.append((entry, content))
        fields = {k: v for k, v in body.items() if k != "TaiLieuNop"}
        return self.submit(fields, files)

    def submit(self, fields: dict[str, Any], files: list[tuple[dict[str, Any], bytes]]) -> str:
        """Hold a citizen's dossier (status 1) and list it to the province; its code."""
        missing = [name for name in ("MaTTHC", "ChuHoSo") if not str(fields.get(name, "")).strip()]
        if missing:
            raise Refused(2, "Thiếu trường bắt buộc: " + ", ".join(missing))
        form = fields.get("DuLieuToKhai") or {}
        if isinstance(form, str):
            try:
                form = json.loads(form) if form.strip() else {}
            except ValueError:
                raise Refused(2, "DuLieuToKhai phải là JSON") from None
        if not isinstance(form, dict):
            raise Refused(2, "DuLieuToKhai phải là một đối tượng JSON")
        now = datetime.datetime.now(VIETNAM)
        procedure = self.catalogue.get(str(fields["MaTTHC"]).strip(), {})
        identity = str(fields.get("SoDinhDanh", "")).strip()
        with self.lock:
            seq = (self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM submission").fetchone()[0] or 0) + 1
            code = f"DVCQG-{now:%y%m%d}-{seq:05d}"
            documents = []
            for index, (entry, content) in enumerate(files, start=1):
                token = secrets.token_hex(16)
                name = str(entry.get("TenTepDinhKem") or f"tep-{index}")
                self.db.execute(
                    "INSERT INTO file (token, code, name, content_type, content) VALUES (?, ?, ?, ?, ?)",
                    (token, code, name, str(entry.get("LoaiTep") or "application/octet-stream"), content),
                )
                documents.append(
                    {
                        "TepDinhKemId": f"{code}-{index}",
                        "TenTepDinhKem": name,
                        "IsDeleted": "False",
                        "MaThanhPhanHoSo": str(entry.get("MaThanhPhanHoSo", "")),
                        "TenThanhPhanHoSo": str(entry.get("TenThanhPhanHoSo", "")),
                        "DuocSoHoa": "1",
                        "_token": token,
                    }
                )
            item = {
                "MaHoSo": code,
                "MaTTHC": str(fields["MaTTHC"]).strip(),
                "TenTTHC": str(procedure.get("TENTTHC", "")),
                "MaDonViTiepNhan": str(fields.get("MaDonViTiepNhan", "")).strip(),
                "ChuHoSo": str(fields["ChuHoSo"]).strip(),
                "LoaiDoiTuong": str(fields.get("LoaiDoiTuong") or ("1" if len(identity) in (0, 12) else "2")),
                "DinhDanhCHS": [{"LoaiDinhDanh": "1" if len(identity) == 12 else "2", "SoDinhDanh": identity}]
                if identity
                else [],
                "SoDienThoai": str(fields.get("SoDienThoai", "")).strip(),
                "Email": str(fields.get("Email", "")).strip(),
                "DiaChiChuHoSo": str(fields.get("DiaChiChuHoSo", "")).strip(),
                "TrichYeuHoSo": str(fields.get("TrichYeuHoSo", "")).strip(),
                "NgayNopHoSo": now.strftime("%Y%m%d%H%M%S"),
                "TrangThaiHoSo": "1",
                "KenhThucHien": "2",
                "HinhThuc": str(fields.get("HinhThuc", "0") or "0"),
                "DiaChiNhanKetQua": str(fields.get("DiaChiNhanKetQua", "")).strip(),
                "DuLieuToKhai": form,
                "TaiLieuNop": documents,
            }
            self.db.execute(
                "INSERT INTO submission (code, seq, item, created_at) VALUES (?, ?, ?, datetime('now'))",
                (code, seq, json.dumps(item, ensure_ascii=False)),
            )
            held = {k: v for k, v in item.items() if k not in ("DuLieuToKhai", "MaDonViTiepNhan")}
            held["TaiLieuNop"] = [{k: v for k, v in d.items() if k != "_token"} for d in documents]
            self.db.execute(
                "INSERT INTO dossier (code, item, created_at, updated_at)"
                " VALUES (?, ?, datetime('now'), datetime('now'))",
                (code, json.dumps(held, ensure_ascii=False)),
            )
        return code

    def serve_file(self, token: str, start) -> list[bytes]:
        row = None
        if not self.fail_files:
            with self.lock:
                row = self.db.execute(
                    "SELECT content, content_type FROM file WHERE token = ?", (token,)
                ).fetchone()
        if row is None:
            return not_found(start)
        content, content_type = row
        start("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(content)))])
        return [bytes(content)]

    def submissions(self) -> list[dict[str, Any]]:
        with self.lock:
            rows = self.db.execute("SELECT item, answer, answered_at FROM submission ORDER BY seq").fetchall()
        return [
            {"item": json.loads(item), "answer": json.loads(answer) if answer else None, "answered_at": at}
            for item, answer, at in rows
        ]

    def submission_page(self, environ: dict, start) -> list[bytes]:
        error = ""
        if environ["REQUEST_METHOD"] == "POST":
            try:
                fields, files = _multipart(environ)
                code = self.submit(fields, files)
            except Refused as exc:
                error = str(exc)
            else:
                return redirect(start, f"/?nop={code}")
        catalogue_note = (
            f"<p class='note'>Danh mục của Cổng có {len(self.catalogue)} thủ tục cấp tỉnh, cấp xã.</p>"
            if self.catalogue
            else ""
        )
        spec = [
            ("MaTTHC", "Mã thủ tục (MaTTHC), ví dụ 1.001193", True),
            ("MaDonViTiepNhan", "Mã định danh cơ quan tiếp nhận (để trống: cơ quan đầu tiên)", False),
            ("ChuHoSo", "Họ tên chủ hồ sơ", True),
            ("SoDinhDanh", "Số định danh cá nhân (12 số) hoặc mã số thuế", False),
            ("SoDienThoai", "Số điện thoại", False),
            ("Email", "Thư điện tử", False),
            ("DiaChiChuHoSo", "Địa chỉ", False),
            ("TrichYeuHoSo", "Trích yếu", False),
        ]
        inputs = "".join(
            f"<p><label for='{name}'>{html.escape(label)}</label><br>"
            f"<input id='{name}' name='{name}'{' required' if required else ''} size='40'></p>"
            for name, label, required in spec
        )
        body = (
            (f"<p role='alert'><strong>{html.escape(error)}</strong></p>" if error else "")
            + catalogue_note
            + "<form method='post' enctype='multipart/form-data'>"
            + inputs
            + "<p><label for='DuLieuToKhai'>Tờ khai (JSON, không bắt buộc)</label><br>"
            "<textarea id='DuLieuToKhai' name='DuLieuToKhai' rows='3' cols='40'></textarea></p>"
            "<p><label for='tep1'>Tệp đính kèm 1 (PDF, JPG, PNG)</label><br>"
            "<input type='file' id='tep1' name='tep1'></p>"
            "<p><label for='tep2'>Tệp đính kèm 2</label><br><input type='file' id='tep2' name='tep2'></p>"
            "<div class='buttons'><button class='pay' type='submit'>Nộp hồ sơ</button></div></form>"
            "<p><a href='/'>Về danh sách hồ sơ</a></p>"
        )
        return respond_html(start, page("Nộp hồ sơ trực tuyến", body, brand="Cổng Dịch vụ công quốc gia"))

    # -- the national catalogue -------------------------------------------------------------------------

    def list_procedures(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        return [standin_catalogue.summary(p) for p in self.catalogue.values()]

    def procedure(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        code = str(body.get("maTTHC", "")).strip()
        if not code:
            raise Refused(2, "Thiếu maTTHC")
        found = self.catalogue.get(code)
        return [found] if found is not None else []

    # -- what it holds ----------------------------------------------------------------------------------

    def _get(self, code: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT item FROM dossier WHERE code = ?", (code,)).fetchone()
        return json.loads(row[0]) if row else None

    def held(self, code: str = "") -> list[dict[str, Any]]:
        query = "SELECT code, item, updates FROM dossier"
        args: tuple = ()
        if code:
            query, args = query + " WHERE code = ?", (code,)
        dossiers = []
        with self.lock:
            for row_code, item, updates in self.db.execute(query + " ORDER BY code", args).fetchall():
                progress = [
                    json.loads(p)
                    for (p,) in self.db.execute(
                        "SELECT item FROM progress WHERE code = ? ORDER BY id", (row_code,)
                    ).fetchall()
                ]
                dossiers.append({"item": json.loads(item), "updates": updates, "progress": progress})
        return dossiers

    def page(self, submitted: str = "") -> str:
        parts = []
        if submitted:
            parts.append(
                f"<p role='status'><strong>Đã nộp hồ sơ {html.escape(submitted)};"
                " tỉnh sẽ nhận hồ sơ.</strong></p>"
            )
        parts.append(
            "<p><a href='/nop-ho-so'>Nộp hồ sơ trực tuyến</a> (công dân nộp trên Cổng, tỉnh nhận về)</p>"
        )
        submissions = self.submissions()
        if submissions:
            parts.append(
                "<table><caption>Hồ sơ nộp trên Cổng</caption><thead><tr><th scope='col'>Mã hồ sơ</th>"
                "<th scope='col'>Thủ tục</th><th scope='col'>Chủ hồ sơ</th><th scope='col'>Tỉnh nhận</th>"
                "</tr></thead><tbody>"
            )
            for entry in submissions:
                item, answer = entry["item"], entry["answer"] or {}
                if not answer:
                    state = "Chờ tỉnh nhận"
                elif answer.get("KetQua") == "1":
                    state = "Đã nhận, mã tại tỉnh " + str(answer.get("MaHoSoTiepNhan", ""))
                else:
                    state = "Chưa tiếp nhận được: " + str(answer.get("GhiChu", ""))
                parts.append(
                    "<tr>"
                    + "".join(
                        f"<td>{html.escape(str(v))}</td>"
                        for v in (item["MaHoSo"], item["MaTTHC"], item["ChuHoSo"], state)
                    )
                    + "</tr>"
                )
            parts.append("</tbody></table>")
        parts.append(
            "<p>Hồ sơ đồng bộ từ hệ thống một cửa của tỉnh (đơn vị " + html.escape(self.madonvi) + ").</p>"
        )
        dossiers = self.held()
        if not dossiers:
            parts.append("<p>Chưa có hồ sơ nào.</p>")
        for entry in dossiers:
            item = entry["item"]
            parts.append(
                f"<h2>{html.escape(str(item.get('MaHoSo', '')))}</h2>"
                f"<p>{html.escape(str(item.get('TenTTHC', '')))}"
                f" · {html.escape(str(item.get('ChuHoSo', '')))}"
                f" · Trạng thái {html.escape(str(item.get('TrangThaiHoSo', '')))}"
                f" · Hẹn trả {html.escape(str(item.get('NgayHenTra', '')))}</p>"
                "<table><caption>Tiến độ xử lý</caption><thead><tr><th scope='col'>Thời điểm</th>"
                "<th scope='col'>Người xử lý</th><th scope='col'>Nội dung</th><th scope='col'>Trạng thái</th>"
                "</tr></thead><tbody>"
            )
            for step in entry["progress"]:
                parts.append(
                    "<tr>"
                    + "".join(
                        f"<td>{html.escape(str(step.get(k, '')))}</td>"
                        for k in ("ThoiDiemXuLy", "NguoiXuLy", "NoiDungXuLy", "TrangThai")
                    )
                    + "</tr>"
                )
            parts.append("</tbody></table>")
        return page("Hồ sơ đồng bộ", "".join(parts), brand="Cổng Dịch vụ công quốc gia")


def _multipart(environ: dict) -> tuple[dict[str, str], list[tuple[dict[str, Any], bytes]]]:
    """The fields and the non-empty files of a multipart/form-data body."""
    content_type = environ.get("CONTENT_TYPE", "")
    if not content_type.startswith("multipart/form-data"):
        raise Refused(2, "Biểu mẫu phải gửi dạng multipart/form-data")
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + read_body(environ)
    )
    fields: dict[str, str] = {}
    files: list[tuple[dict[str, Any], bytes]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        payload = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            if payload:
                files.append(({"TenTepDinhKem": filename, "LoaiTep": part.get_content_type()}, payload))
        elif isinstance(name, str):
            fields[name] = payload.decode("utf-8", "replace")
    if len(files) > MAX_FILES:
        raise Refused(2, f"Tối đa {MAX_FILES} tệp")
    return fields, files
