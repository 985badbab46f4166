"""A stand-in for a remote-signing service in the shape of VNPT SmartCA (motcua.signing.smartca gives
the protocol), run as its own process: ``manage.py signing_standin --port 8791``.

It holds each remote signer's key and certificate under ``<dir>/remote/<user_id>/`` (``key.pem``,
``cert.pem``, ``chain.pem``; ``manage.py signing_demo_ca`` makes them for the demo). A signature
request waits, as on the signer's phone, until someone confirms or refuses it on the stand-in's page
(``/``: the requests waiting; ``/giao-dich/<id>``: one, with "Xác nhận ký" and "Từ chối"). Confirmed,
it signs the hash it was sent (RSA PKCS#1 v1.5 over the SHA-256 digest) and the status answer carries
the signature value. A request not answered within ``expires_in`` seconds expires.
"""

import base64
import datetime
import html
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from motcua.signing import smartca

MAX_BODY = 64 * 1024
_STATUS_PATH = re.compile(r"^/v1/signatures/sign/([A-Za-z0-9._-]{1,64})/status$")
_PAGE_PATH = re.compile(r"^/giao-dich/([A-Za-z0-9._-]{1,64})(?:/(xac-nhan|tu-choi))?$")
USER_ID = re.compile(r"^[A-Za-z0-9._@-]{1,100}$")


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


@dataclass
class Transaction:
    transaction_id: str
    tran_code: str
    user_id: str
    description: str
    doc_id: str
    digest: bytes
    created_at: datetime.datetime
    expires_at: datetime.datetime
    state: str = smartca.PENDING
    signature: bytes | None = None
    answered_at: datetime.datetime | None = None

    def current_state(self, now: datetime.datetime) -> str:
        if self.state == smartca.PENDING and now >= self.expires_at:
            return smartca.EXPIRED
        return self.state


@dataclass
class Keystore:
    """The signers' keys, read from ``<dir>/remote/<user_id>/``."""

    root: Path
    _cache: dict[str, tuple] = field(default_factory=dict)

    def load(self, user_id: str):
        if not USER_ID.match(user_id):
            return None
        if user_id not in self._cache:
            folder = self.root / "remote" / user_id
            try:
                key = serialization.load_pem_private_key((folder / "key.pem").read_bytes(), password=None)
                certificate = x509.load_pem_x509_certificate((folder / "cert.pem").read_bytes())
                chain_path = folder / "chain.pem"
                chain = (
                    x509.load_pem_x509_certificates(chain_path.read_bytes()) if chain_path.exists() else []
                )
            except (OSError, ValueError):
                return None
            self._cache[user_id] = (key, certificate, chain)
        return self._cache[user_id]


class StandIn:
    def __init__(self, directory: Path, *, sp_id: str, sp_password: str, expires_in: int = 300):
        self.keystore = Keystore(Path(directory))
        self.sp_id = sp_id
        self.sp_password = sp_password
        self.expires_in = expires_in
        self.transactions: dict[str, Transaction] = {}
        self.lock = threading.Lock()

    # -- the protocol ------------------------------------------------------------------------------------

    def _authorised(self, body: dict) -> bool:
        return body.get("sp_id") == self.sp_id and body.get("sp_password") == self.sp_password

    def get_certificate(self, body: dict) -> tuple[int, dict]:
        user_id = str(body.get("user_id") or "")
        found = self.keystore.load(user_id)
        if found is None:
            return 404, {"code": 4, "message": f"Không tìm thấy người dùng {user_id}.", "content": None}
        _key, certificate, chain = found
        der = certificate.public_bytes(serialization.Encoding.DER)
        chain_der = [c.public_bytes(serialization.Encoding.DER) for c in chain]
        item = {
            "cert_id": uuid.uuid5(uuid.NAMESPACE_OID, certificate.fingerprint(hashes.SHA256()).hex()).hex,
            "cert_status": "Đang hoạt động",
            "serial_number": format(certificate.serial_number, "x"),
            "cert_subject": certificate.subject.rfc4514_string(),
            "cert_valid_from": smartca.format_date(certificate.not_valid_before_utc),
            "cert_valid_to": smartca.format_date(certificate.not_valid_after_utc),
            "cert_data": base64.b64encode(der).decode(),
            "chain_data": {
                "ca_cert": base64.b64encode(chain_der[0]).decode() if chain_der else None,
                "root_cert": base64.b64encode(chain_der[-1]).decode() if len(chain_der) > 1 else None,
            },
        }
        return 200, {"code": 0, "message": "success", "content": {"user_certificates": [item]}}

    def sign(self, body: dict) -> tuple[int, dict]:
        user_id = str(body.get("user_id") or "")
        if self.keystore.load(user_id) is None:
            return 404, {"code": 4, "message": f"Không tìm thấy người dùng {user_id}.", "content": None}
        files = body.get("sign_files")
        if not isinstance(files, list) or len(files) != 1 or not isinstance(files[0], dict):
            return 400, {"code": 2, "message": "sign_files: gửi đúng một tệp.", "content": None}
        item = files[0]
        try:
            digest = bytes.fromhex(str(item.get("data_to_be_signed", "")))
        except ValueError:
            digest = b""
        if len(digest) != 32 or item.get("sign_type") != "hash":
            return 400, {
                "code": 2,
                "message": "data_to_be_signed: một giá trị băm SHA-256 dạng hex (sign_type hash).",
                "content": None,
            }
        transaction_id = str(body.get("transaction_id") or uuid.uuid4().hex)[:64]
        now = _now()
        with self.lock:
            if transaction_id in self.transactions:
                return 409, {"code": 3, "message": "transaction_id đã được dùng.", "content": None}
            transaction = Transaction(
                transaction_id=transaction_id,
                tran_code=uuid.uuid4().hex[:12].upper(),
                user_id=user_id,
                description=str(body.get("transaction_desc") or "")[:500],
                doc_id=str(item.get("doc_id") or "")[:100],
                digest=digest,
                created_at=now,
                expires_at=now + datetime.timedelta(seconds=self.expires_in),
            )
            self.transactions[transaction_id] = transaction
        content = {
            "transaction_id": transaction_id,
            "tran_code": transaction.tran_code,
            "expired_in": self.expires_in,
        }
        return 200, {"code": 0, "message": "success", "content": content}

    def status(self, transaction_id: str) -> tuple[int, dict]:
        with self.lock:
            transaction = self.transactions.get(transaction_id)
        if transaction is None:
            return 404, {"code": 5, "message": "Không tìm thấy giao dịch.", "content": None}
        state = transaction.current_state(_now())
        signatures = None
        if state == smartca.CONFIRMED and transaction.signature is not None:
            signatures = [
                {
                    "doc_id": transaction.doc_id,
                    "signature_value": base64.b64encode(transaction.signature).decode(),
                    "timestamp_signature": None,
                }
            ]
        content = {
            "transaction_id": transaction_id,
            "tran_code": transaction.tran_code,
            "tran_status": state,
            "signatures": signatures,
        }
        return 200, {"code": 0, "message": "success", "content": content}

    def answer(self, transaction_id: str, confirm: bool) -> str:
        """The signer confirms or refuses on their phone; returns the state it leaves."""
        with self.lock:
            transaction = self.transactions.get(transaction_id)
            if transaction is None:
                return ""
            now = _now()
            if transaction.current_state(now) != smartca.PENDING:
                return transaction.current_state(now)
            if confirm:
                key, _certificate, _chain = self.keystore.load(transaction.user_id)
                assert isinstance(key, rsa.RSAPrivateKey)
                transaction.signature = key.sign(
                    transaction.digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256())
                )
                transaction.state = smartca.CONFIRMED
            else:
                transaction.state = smartca.REJECTED
            transaction.answered_at = now
            return transaction.state

    # -- WSGI --------------------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        if path.startswith("/v1/"):
            return self._api(environ, start_response, method, path)
        return self._pages(environ, start_response, method, path)

    def _read(self, environ) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        return environ["wsgi.input"].read(min(max(length, 0), MAX_BODY)) if length else b""

    def _json(self, start_response, status: int, body: dict):
        data = json.dumps(body, ensure_ascii=False).encode()
        reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 409: "Conflict"}
        start_response(
            f"{status} {reason.get(status, 'Error')}",
            [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))],
        )
        return [data]

    def _api(self, environ, start_response, method: str, path: str):
        if method != "POST":
            return self._json(start_response, 400, {"code": 1, "message": "POST only.", "content": None})
        try:
            body = json.loads(self._read(environ) or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return self._json(
                start_response, 400, {"code": 2, "message": "JSON body expected.", "content": None}
            )
        if not self._authorised(body):
            return self._json(
                start_response,
                401,
                {"code": 1, "message": "sp_id hoặc sp_password không đúng.", "content": None},
            )
        if path == "/v1/credentials/get_certificate":
            return self._json(start_response, *self.get_certificate(body))
        if path == "/v1/signatures/sign":
            return self._json(start_response, *self.sign(body))
        match = _STATUS_PATH.match(path)
        if match:
            return self._json(start_response, *self.status(match.group(1)))
        return self._json(
            start_response, 404, {"code": 6, "message": "Không có dịch vụ này.", "content": None}
        )

    def _pages(self, environ, start_response, method: str, path: str):
        if path == "/" and method == "GET":
            return self._html(start_response, "200 OK", self._list_page())
        match = _PAGE_PATH.match(path)
        if match is None:
            return self._html(
                start_response, "404 Not Found", _page("Không tìm thấy", "<p>Không có trang này.</p>")
            )
        transaction_id, verb = match.groups()
        with self.lock:
            transaction = self.transactions.get(transaction_id)
        if transaction is None:
            return self._html(
                start_response, "404 Not Found", _page("Không tìm thấy", "<p>Không có giao dịch này.</p>")
            )
        if verb and method == "POST":
            self.answer(transaction_id, confirm=verb == "xac-nhan")
            start_response("303 See Other", [("Location", f"/giao-dich/{transaction_id}")])
            return [b""]
        return self._html(start_response, "200 OK", self._transaction_page(transaction))

    def _html(self, start_response, status: str, body: str):
        data = body.encode("utf-8")
        start_response(
            status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data)))]
        )
        return [data]

    def _list_page(self) -> str:
        now = _now()
        with self.lock:
            rows = sorted(self.transactions.values(), key=lambda t: t.created_at, reverse=True)
        items = "".join(
            f'<li><a href="/giao-dich/{html.escape(t.transaction_id)}">'
            f"{html.escape(t.description or t.doc_id)}</a>"
            f" — {html.escape(t.user_id)} — {STATE_LABELS[t.current_state(now)]}</li>"
            for t in rows
        )
        body = f"<ul>{items}</ul>" if items else "<p>Chưa có yêu cầu ký nào.</p>"
        return _page("Yêu cầu ký số từ xa", body)

    def _transaction_page(self, t: Transaction) -> str:
        state = t.current_state(_now())
        actions = ""
        if state == smartca.PENDING:
            actions = (
                f'<form method="post" action="/giao-dich/{html.escape(t.transaction_id)}/xac-nhan">'
                '<button type="submit">Xác nhận ký</button></form>'
                f'<form method="post" action="/giao-dich/{html.escape(t.transaction_id)}/tu-choi">'
                '<button type="submit" class="secondary">Từ chối</button></form>'
            )
        body = (
            "<dl>"
            f"<dt>Nội dung</dt><dd>{html.escape(t.description)}</dd>"
            f"<dt>Người ký</dt><dd>{html.escape(t.user_id)}</dd>"
            f"<dt>Mã giao dịch</dt><dd>{html.escape(t.tran_code)}</dd>"
            f"<dt>Giá trị băm</dt><dd><code>{t.digest.hex()}</code></dd>"
            f'<dt>Trạng thái</dt><dd id="trang-thai">{STATE_LABELS[state]}</dd>'
            "</dl>"
            f'<div class="actions">{actions}</div><p><a href="/">Tất cả yêu cầu</a></p>'
        )
        return _page("Xác nhận yêu cầu ký số", body)


STATE_LABELS = {
    smartca.PENDING: "Chờ xác nhận",
    smartca.CONFIRMED: "Đã ký",
    smartca.REJECTED: "Đã từ chối",
    smartca.EXPIRED: "Đã hết hạn",
}


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} – SmartCA (giả lập)</title>"
        "<style>body{font-family:sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;color:#111}"
        "dt{font-weight:bold;margin-top:.5rem}dd{margin:0;overflow-wrap:anywhere}"
        ".actions{display:flex;gap:1rem;margin:1rem 0}button{font-size:1rem;padding:.6rem 1.2rem;"
        "background:#0b5394;color:#fff;border:0;border-radius:4px}button.secondary{background:#8b1a1a}"
        "a{color:#0b5394}</style></head><body>"
        "<header><p>Dịch vụ ký số từ xa — bản giả lập để thử nghiệm</p></header>"
        f"<main><h1>{html.escape(title)}</h1>"
        f"{body}</main></body></html>"
    )
