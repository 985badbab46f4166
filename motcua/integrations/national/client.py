"""The national portal's adapter transport (INTEGRATIONS.md §1).

``POST {url}{auth}`` with ``{username, password}`` answers ``{session, error_code: 0}``; every later
call is ``POST {url}{integration}`` with ``{session, madonvi, service, ...}`` and answers
``{error_code, message, result}``, ``error_code`` 0 being success.

Session expiry: no public source says how the adapter signals it. Our reading, which the stand-in
speaks: ``error_code`` ``SESSION_EXPIRED`` (-2), or HTTP 401. The client then logs in again once and
repeats the call. The session is kept per process.
"""

import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

SESSION_EXPIRED = -2
# A create (isUpdating "False") for a dossier the portal already holds is answered with an error whose
# message says "đã tồn tại" (already exists): retried as an update.
ALREADY_EXISTS = "đã tồn tại"


class NationalPortalError(Exception):
    """The portal could not be reached or refused the call (``code`` its error_code, None if unreachable)."""

    def __init__(self, message: str, *, code: int | None = None):
        super().__init__(message)
        self.code = code

    @property
    def already_exists(self) -> bool:
        return self.code is not None and ALREADY_EXISTS in str(self).lower()


def configured() -> bool:
    return bool(getattr(settings, "MOTCUA_NATIONAL_PORTAL_URL", ""))


@dataclass
class NationalPortalClient:
    url: str
    username: str
    password: str
    madonvi: str
    auth_path: str = "/auth"
    integration_path: str = "/integration"
    timeout: float = 10.0
    session: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_settings(cls) -> "NationalPortalClient":
        url = settings.MOTCUA_NATIONAL_PORTAL_URL.rstrip("/")
        cached = _clients.get(url)
        if cached is not None and (cached.username, cached.madonvi) == (
            settings.MOTCUA_NATIONAL_PORTAL_USERNAME,
            settings.MOTCUA_NATIONAL_PORTAL_MADONVI,
        ):
            return cached
        client = cls(
            url=url,
            username=settings.MOTCUA_NATIONAL_PORTAL_USERNAME,
            password=settings.MOTCUA_NATIONAL_PORTAL_PASSWORD,
            madonvi=settings.MOTCUA_NATIONAL_PORTAL_MADONVI,
            auth_path=settings.MOTCUA_NATIONAL_PORTAL_AUTH_PATH,
            integration_path=settings.MOTCUA_NATIONAL_PORTAL_INTEGRATION_PATH,
            timeout=settings.MOTCUA_NATIONAL_PORTAL_TIMEOUT_SECONDS,
        )
        _clients[url] = client
        return client

    # -- transport ------------------------------------------------------------------------------------

    def _post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(  # noqa: S310  (the URL comes from the settings, http or https)
            self.url + path,
            data=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            raise NationalPortalError(f"national portal unreachable: {exc}") from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            raise NationalPortalError(f"national portal answered HTTP {status} without JSON") from None
        if not isinstance(answer, dict):
            raise NationalPortalError(f"national portal answered HTTP {status} with a non-object")
        return status, answer

    @staticmethod
    def _code(answer: dict[str, Any]) -> int | None:
        try:
            return int(answer.get("error_code"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None

    def login(self) -> str:
        status, answer = self._post(self.auth_path, {"username": self.username, "password": self.password})
        code = self._code(answer)
        if code != 0 or not answer.get("session"):
            raise NationalPortalError(
                f"login refused (HTTP {status}): {answer.get('message', '')}".strip(), code=code
            )
        self.session = str(answer["session"])
        return self.session

    def call(self, service: str, **fields: Any) -> dict[str, Any]:
        """Call ``service`` in the envelope; the whole answer when ``error_code`` is 0, else raise."""
        with self._lock:
            session = self.session or self.login()
        for attempt in (1, 2):
            body = {"session": session, "madonvi": self.madonvi, "service": service, **fields}
            status, answer = self._post(self.integration_path, body)
            code = self._code(answer)
            if (code == SESSION_EXPIRED or status == 401) and attempt == 1:
                with self._lock:
                    session = self.login()
                continue
            if code != 0:
                message = str(answer.get("message") or f"HTTP {status}")
                raise NationalPortalError(f"{service}: {message}", code=code)
            return answer
        raise NationalPortalError(f"{service}: session refused after a new login", code=SESSION_EXPIRED)

    # -- services -------------------------------------------------------------------------------------

    def sync_dossiers(self, items: list[dict[str, Any]], *, updating: bool) -> dict[str, Any]:
        return self.call("DongBoHoSoMC", isUpdating="True" if updating else "False", data=items)

    def update_progress(self, items: list[dict[str, Any]]) -> dict[str, Any]:
        return self.call("CapNhatTienDoHoSoMC", data=items)

    def look_up(self, code: str) -> list[dict[str, Any]]:
        """``TraCuuHoSo``: what the portal holds for the dossier (empty when nothing)."""
        return _listed(self.call("TraCuuHoSo", mahoso=code))

    # Sync in (docs/decisions/0013): the province pulls what was submitted on the portal for it.

    def submitted_dossiers(self, limit: int) -> list[dict[str, Any]]:
        """``LayDanhSachHoSoTuDVCQG``: dossiers submitted on the portal for this unit and not yet
        acknowledged, oldest first, at most ``limit``."""
        return _listed(self.call("LayDanhSachHoSoTuDVCQG", soluong=limit))

    def acknowledge(self, items: list[dict[str, str]]) -> dict[str, Any]:
        """``CapNhatDaNhanHoSo``: tell the portal which dossiers were taken (``KetQua`` "1") or kept
        aside (``KetQua`` "0" with ``GhiChu``): it lists them no more."""
        return self.call("CapNhatDaNhanHoSo", data=items)

    def download(self, url: str, *, limit: int) -> bytes:
        """A file of a submitted dossier (its ``DuongDanTaiTepTin``), at most ``limit`` + 1 bytes read
        (the upload check refuses the larger). Raises NationalPortalError: ``code`` None when the
        portal is unreachable, the HTTP status when it answered with an error."""
        if not url.startswith(("http://", "https://")):
            raise NationalPortalError(f"not a file address: {url[:200]}", code=400)
        request = urllib.request.Request(url, headers={"Accept": "*/*"}, method="GET")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.read(limit + 1)
        except urllib.error.HTTPError as exc:
            raise NationalPortalError(f"file {url[:200]}: HTTP {exc.code}", code=exc.code) from None
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            raise NationalPortalError(f"national portal unreachable: {exc}") from exc

    # The national catalogue of procedures.

    def procedures(self) -> list[dict[str, Any]]:
        """``LayDanhSachTTHC``: the procedures the portal publishes (``MATTHC``, ``TENTTHC``, ...)."""
        return _listed(self.call("LayDanhSachTTHC"))

    def procedure(self, code: str) -> dict[str, Any] | None:
        """``LayThuTuc`` (``maTTHC``): one procedure in full, None when the portal has none."""
        found = _listed(self.call("LayThuTuc", maTTHC=code))
        return found[0] if found and isinstance(found[0], dict) else None


def _listed(answer: dict[str, Any]) -> list[dict[str, Any]]:
    result = answer.get("result") or []
    return result if isinstance(result, list) else [result]


_clients: dict[str, NationalPortalClient] = {}
