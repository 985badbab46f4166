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

Error codes (our choice; no public source lists them): -1 system error, -2 session invalid or expired,
1 unknown service, 2 invalid data, 3 already exists, 4 not found, 5 login refused.
"""

import html
import json
import re
import secrets
import sqlite3
import threading
from typing import Any

from motcua.payments.standins import not_found, page, read_json, read_query, respond_html, respond_json

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

    def __init__(self, *, username: str, password: str, madonvi: str, database: str):
        self.credentials = (username, password)
        self.madonvi = madonvi
        self.lock = threading.Lock()
        self.sessions: set[str] = set()
        self.fail_next = 0
        self.db = sqlite3.connect(database, check_same_thread=False, isolation_level=None)
        self.db.executescript(SCHEMA)

    def __call__(self, environ: dict, start) -> list[bytes]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
        if method == "POST" and path == "/auth":
            return respond_json(start, self.login(read_json(environ) or {}))
        if method == "POST" and path == "/integration":
            return respond_json(start, self.integration(read_json(environ) or {}))
        if method == "POST" and path == "/control":
            return respond_json(start, self.control(read_json(environ) or {}))
        if method == "GET" and path == "/hoso.json":
            return respond_json(start, {"dossiers": self.held(read_query(environ).get("mahoso", ""))})
        if method == "GET" and path == "/":
            return respond_html(start, self.page())
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
                self.db.executescript("DELETE FROM dossier; DELETE FROM progress; DELETE FROM call;")
            if "fail_next" in body:
                self.fail_next = max(0, int(body["fail_next"]))
            return {"fail_next": self.fail_next, "sessions": len(self.sessions)}

    def integration(self, body: dict[str, Any]) -> dict[str, Any]:
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

    def page(self) -> str:
        parts = [
            "<p>Hồ sơ đồng bộ từ hệ thống một cửa của tỉnh (đơn vị " + html.escape(self.madonvi) + ").</p>"
        ]
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
