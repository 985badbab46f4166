"""A stand-in for the national identity's OpenID Connect provider (VNeID-style), a small WSGI
application run as its own process by ``manage.py identity_standin --port N`` (``make demo`` starts
it; the tests start it on a free port).

- ``GET /.well-known/openid-configuration``: the discovery document.
- ``GET /authorize``: the tester's page: who logs in (SoDinhDanh, HoVaTen, NgayThangNamSinh,
  LoaiTaiKhoan, level of assurance 1/2), and, for trying the relying party's checks, a fault to put in
  the ID token (another issuer, another audience, another nonce, already expired). ``POST`` sends the
  browser back to ``redirect_uri`` with a one-time code (or ``error=access_denied``).
- ``POST /token``: the code exchanged once, by the client it was issued to (client_secret_post or
  Basic), with the same redirect_uri and the PKCE verifier whose S256 is the challenge.
- ``GET /jwks``: its RSA public key (a new key pair at every start).
- ``GET /userinfo``: the claims, for a Bearer access token.
- ``GET /logout``: RP-initiated logout: ends the session (named by id_token_hint's sid, or the cookie)
  and sends the browser to post_logout_redirect_uri.

Everything is kept in memory. It accepts any http(s) redirect_uri of the configured client: it is for
tests and the demo only.
"""

import base64
import contextlib
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from motcua.accounts.identity.flow import code_challenge

Start = Callable[..., Any]
CODE_SECONDS = 120
TOKEN_SECONDS = 300
COOKIE = "standin_sid"
SUBJECTS = uuid.UUID("5f0d6f86-2c1e-4b0a-9d57-6a1f3c2b9e11")
FAULTS = {
    "": "Không (mã thông báo đúng)",
    "issuer": "Sai bên phát hành (iss)",
    "audience": "Sai đối tượng nhận (aud)",
    "nonce": "Sai nonce",
    "expired": "Đã hết hạn (exp)",
}
# Someone the demo does not know (the demo's "citizen", 008090000123, registered by password: logging in
# as that number would show the takeover rule, accounts.services.sign_in_with_identity).
DEFAULT_PERSON = {
    "SoDinhDanh": "008188004321",
    "HoVaTen": "Phạm Thu Trang",
    "NgayThangNamSinh": "19880412",
    "LoaiTaiKhoan": "1",
    "loAs": "2",
}


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str
    person: dict[str, str]
    fault: str
    sid: str
    expires: float


@dataclass
class Store:
    lock: threading.Lock = field(default_factory=threading.Lock)
    codes: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, tuple[dict[str, Any], float]] = field(default_factory=dict)
    # Open sessions: sid → the person's claims.
    sessions: dict[str, dict[str, str]] = field(default_factory=dict)


def _subject(number: str) -> str:
    return str(uuid.uuid5(SUBJECTS, number))


class IdentityStandin:
    def __init__(self, *, client_id: str, client_secret: str, issuer: str = ""):
        self.client_id = client_id
        self.client_secret = client_secret
        self.issuer = issuer.rstrip("/")
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self.store = Store()

    # -- dispatch -------------------------------------------------------------------------------

    def __call__(self, environ: dict, start: Start):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if path == "/.well-known/openid-configuration":
            return _json(start, self.discovery())
        if path == "/jwks":
            return _json(start, self.jwks())
        if path == "/authorize" and method == "GET":
            return self.authorize_page(environ, start, _query(environ))
        if path == "/authorize" and method == "POST":
            return self.authorize(environ, start, _form(environ))
        if path == "/token" and method == "POST":
            return self.token(environ, start, _form(environ))
        if path == "/userinfo":
            return self.userinfo(environ, start)
        if path == "/logout":
            return self.logout(environ, start, _query(environ))
        if path == "/":
            return _html(
                start,
                _page("Hệ thống định danh điện tử (giả lập)", "<p>Máy chủ OpenID Connect thử nghiệm.</p>"),
            )
        return _html(start, _page("Không tìm thấy", "<p>Không có trang này.</p>"), "404 Not Found")

    def discovery(self) -> dict[str, Any]:
        base = self.issuer
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "jwks_uri": f"{base}/jwks",
            "userinfo_endpoint": f"{base}/userinfo",
            "end_session_endpoint": f"{base}/logout",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "scopes_supported": ["openid"],
            "claims_supported": [
                "sub",
                "TechID",
                "SoDinhDanh",
                "HoVaTen",
                "NgayThangNamSinh",
                "LoaiTaiKhoan",
                "loAs",
                "loginIdp",
            ],
        }

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    # -- the login page ---------------------------------------------------------------------------

    def _request_error(self, q: dict[str, str]) -> str:
        if q.get("client_id") != self.client_id:
            return "client_id không đúng."
        if q.get("response_type") != "code":
            return "response_type phải là code."
        if not q.get("redirect_uri", "").startswith(("http://", "https://")):
            return "redirect_uri không hợp lệ."
        if "openid" not in q.get("scope", "").split():
            return "scope phải có openid."
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            return "Cần PKCE với code_challenge_method=S256."
        if not q.get("state") or not q.get("nonce"):
            return "Cần state và nonce."
        return ""

    def authorize_page(
        self, environ, start, q: dict[str, str], *, errors: dict[str, str] | None = None, person=None
    ):
        problem = self._request_error(q)
        if problem:
            return _html(
                start,
                _page("Yêu cầu đăng nhập không hợp lệ", f"<p>{html.escape(problem)}</p>"),
                "400 Bad Request",
            )
        sid = _cookie(environ)
        with self.store.lock:
            current = self.store.sessions.get(sid)
        person = person or current or DEFAULT_PERSON
        errors = errors or {}
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in q.items()
            if k
            in (
                "client_id",
                "redirect_uri",
                "scope",
                "state",
                "nonce",
                "code_challenge",
                "code_challenge_method",
                "response_type",
            )
        )
        summary = ""
        if errors:
            items = "".join(f'<li><a href="#{k}">{html.escape(v)}</a></li>' for k, v in errors.items())
            summary = (
                '<div class="errors" role="alert" tabindex="-1"><h2>Thông tin chưa đúng</h2>'
                f"<ul>{items}</ul></div>"
            )
        session_note = (
            f'<p class="note">Đang đăng nhập: {html.escape(current["HoVaTen"])} '
            f"({html.escape(current['SoDinhDanh'])}).</p>"
            if current
            else ""
        )

        def text(name: str, label: str, hint: str = "", **attrs: str) -> str:
            error = errors.get(name, "")
            described = f' aria-describedby="{name}-hint{" " + name + "-error" if error else ""}"'
            extra = "".join(f' {k}="{html.escape(v)}"' for k, v in attrs.items())
            return (
                f'<p><label for="{name}">{html.escape(label)}</label>'
                f'<span class="hint" id="{name}-hint">{html.escape(hint)}</span>'
                + (f'<span class="error" id="{name}-error">{html.escape(error)}</span>' if error else "")
                + f'<input id="{name}" name="{name}" value="{html.escape(person.get(name, ""))}"{described}'
                + (' aria-invalid="true"' if error else "")
                + f"{extra}></p>"
            )

        def radios(name: str, legend: str, options: dict[str, str]) -> str:
            chosen = person.get(name, next(iter(options)))
            inputs = "".join(
                f'<label class="choice"><input type="radio" name="{name}" value="{html.escape(v)}"'
                f"{' checked' if v == chosen else ''}> {html.escape(t)}</label>"
                for v, t in options.items()
            )
            return f"<fieldset><legend>{html.escape(legend)}</legend>{inputs}</fieldset>"

        chosen_fault = person.get("fault", "")
        faults = "".join(
            f'<option value="{k}"{" selected" if k == chosen_fault else ""}>{html.escape(v)}</option>'
            for k, v in FAULTS.items()
        )
        body = f"""{summary}{session_note}
<form method="post" action="/authorize" novalidate>
{hidden}
{text("SoDinhDanh", "Số định danh cá nhân", "12 chữ số", inputmode="numeric", autocomplete="off")}
{text("HoVaTen", "Họ và tên", "", autocomplete="name")}
{text("NgayThangNamSinh", "Ngày tháng năm sinh", "Dạng yyyyMMdd, ví dụ 19900215", inputmode="numeric")}
{radios("LoaiTaiKhoan", "Loại tài khoản", {"1": "Công dân", "2": "Tổ chức, doanh nghiệp"})}
{radios("loAs", "Mức độ định danh điện tử", {"1": "Mức 1", "2": "Mức 2"})}
<p><label for="fault">Lỗi đưa vào mã thông báo (để thử)</label>
<select id="fault" name="fault">{faults}</select></p>
<div class="buttons">
<button class="pay" type="submit" name="decision" value="allow">Đồng ý đăng nhập</button>
<button class="other" type="submit" name="decision" value="deny">Từ chối</button>
</div>
</form>
<p class="note">Trang giả lập hệ thống định danh điện tử để thử nghiệm; không dùng dữ liệu thật.</p>"""
        return _html(start, _page("Đăng nhập bằng tài khoản định danh điện tử", body))

    def authorize(self, environ, start, form: dict[str, str]):
        problem = self._request_error(form)
        if problem:
            return _html(
                start,
                _page("Yêu cầu đăng nhập không hợp lệ", f"<p>{html.escape(problem)}</p>"),
                "400 Bad Request",
            )
        redirect_uri, state = form["redirect_uri"], form["state"]
        if form.get("decision") == "deny":
            return _redirect(
                start,
                _with_query(
                    redirect_uri, error="access_denied", error_description="Người dùng từ chối", state=state
                ),
            )
        person = {k: form.get(k, "").strip() for k in DEFAULT_PERSON}
        person["fault"] = form.get("fault", "") if form.get("fault", "") in FAULTS else ""
        errors = {}
        if not (len(person["SoDinhDanh"]) == 12 and person["SoDinhDanh"].isdigit()):
            errors["SoDinhDanh"] = "Số định danh cá nhân phải gồm 12 chữ số."
        if not person["HoVaTen"]:
            errors["HoVaTen"] = "Nhập họ và tên."
        try:
            time.strptime(person["NgayThangNamSinh"], "%Y%m%d")
        except ValueError:
            errors["NgayThangNamSinh"] = "Ngày sinh phải có dạng yyyyMMdd."
        if person["LoaiTaiKhoan"] not in ("1", "2"):
            errors["LoaiTaiKhoan"] = "Chọn loại tài khoản."
        if person["loAs"] not in ("1", "2"):
            errors["loAs"] = "Chọn mức độ định danh."
        if errors:
            return self.authorize_page(environ, start, form, errors=errors, person=person)
        fault = person.pop("fault")
        sid = _cookie(environ)
        with self.store.lock:
            if sid not in self.store.sessions:
                sid = secrets.token_urlsafe(16)
            self.store.sessions[sid] = person
            code = secrets.token_urlsafe(32)
            self.store.codes[code] = Grant(
                client_id=form["client_id"],
                redirect_uri=redirect_uri,
                challenge=form["code_challenge"],
                nonce=form["nonce"],
                person=person,
                fault=fault,
                sid=sid,
                expires=time.time() + CODE_SECONDS,
            )
        cookie = f"{COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax"
        return _redirect(start, _with_query(redirect_uri, code=code, state=state), cookie=cookie)

    # -- the back channel ---------------------------------------------------------------------------

    def _client_ok(self, environ, form: dict[str, str]) -> bool:
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        header = environ.get("HTTP_AUTHORIZATION", "")
        if header.startswith("Basic "):
            try:
                decoded = base64.b64decode(header[6:]).decode()
                client_id, secret = (urllib.parse.unquote(p) for p in decoded.split(":", 1))
            except (ValueError, UnicodeDecodeError):
                return False
        return client_id == self.client_id and hmac.compare_digest(
            secret.encode(), self.client_secret.encode()
        )

    def token(self, environ, start, form: dict[str, str]):
        def refuse(error: str, description: str, status: str = "400 Bad Request"):
            return _json(start, {"error": error, "error_description": description}, status)

        if not self._client_ok(environ, form):
            return refuse("invalid_client", "Sai client_id hoặc client_secret.", "401 Unauthorized")
        if form.get("grant_type") != "authorization_code":
            return refuse("unsupported_grant_type", "Chỉ hỗ trợ authorization_code.")
        with self.store.lock:
            grant = self.store.codes.pop(form.get("code", ""), None)  # a code is used once
        if grant is None or grant.expires < time.time():
            return refuse("invalid_grant", "Mã xác thực (code) không đúng, đã dùng hoặc đã hết hạn.")
        if grant.client_id != self.client_id or form.get("redirect_uri") != grant.redirect_uri:
            return refuse("invalid_grant", "redirect_uri không khớp với yêu cầu đăng nhập.")
        verifier = form.get("code_verifier", "")
        if not verifier or not hmac.compare_digest(code_challenge(verifier), grant.challenge):
            return refuse("invalid_grant", "PKCE: code_verifier không khớp với code_challenge.")
        claims = self._claims(grant.person)
        access_token = secrets.token_urlsafe(32)
        with self.store.lock:
            self.store.tokens[access_token] = (claims, time.time() + TOKEN_SECONDS)
        return _json(
            start,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": TOKEN_SECONDS,
                "id_token": self._id_token(grant, claims),
            },
        )

    def _claims(self, person: dict[str, str]) -> dict[str, Any]:
        return {
            "sub": _subject(person["SoDinhDanh"]),
            "TechID": hashlib.sha256(person["SoDinhDanh"].encode()).hexdigest()[:16],
            "loginIdp": "VNeID",
            **person,
        }

    def _id_token(self, grant: Grant, claims: dict[str, Any]) -> str:
        now = int(time.time())
        payload = {
            **claims,
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "auth_time": now,
            "exp": now + TOKEN_SECONDS,
            "nonce": grant.nonce,
            "sid": grant.sid,
        }
        if grant.fault == "issuer":
            payload["iss"] = "https://sso.example.invalid/realms/citizen"
        elif grant.fault == "audience":
            payload["aud"] = "another-client"
        elif grant.fault == "nonce":
            payload["nonce"] = secrets.token_urlsafe(16)
        elif grant.fault == "expired":
            payload["iat"] = payload["auth_time"] = now - 3600
            payload["exp"] = now - 1800
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": self.kid})

    def userinfo(self, environ, start):
        header = environ.get("HTTP_AUTHORIZATION", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        with self.store.lock:
            found = self.store.tokens.get(token)
        if found is None or found[1] < time.time():
            start(
                "401 Unauthorized",
                [("WWW-Authenticate", 'Bearer error="invalid_token"'), ("Content-Length", "0")],
            )
            return [b""]
        return _json(start, found[0])

    def logout(self, environ, start, q: dict[str, str]):
        sid = _cookie(environ)
        hint = q.get("id_token_hint", "")
        if hint:
            with contextlib.suppress(jwt.InvalidTokenError):
                sid = jwt.decode(
                    hint,
                    self.key.public_key(),
                    algorithms=["RS256"],
                    options={"verify_aud": False, "verify_exp": False},
                ).get("sid", sid)
        with self.store.lock:
            self.store.sessions.pop(sid, None)
        expired = f"{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
        target = q.get("post_logout_redirect_uri", "")
        if target.startswith(("http://", "https://")):
            state = q.get("state", "")
            return _redirect(start, _with_query(target, state=state) if state else target, cookie=expired)
        return _html(
            start,
            _page("Đã đăng xuất", "<p>Ông/bà đã đăng xuất khỏi hệ thống định danh điện tử.</p>"),
            cookie=expired,
        )


# -- small HTTP helpers ---------------------------------------------------------------------------


def _read(environ: dict) -> str:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length).decode("utf-8", "replace") if length > 0 else ""


def _form(environ: dict) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(_read(environ)))


def _query(environ: dict) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))


def _cookie(environ: dict) -> str:
    jar = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    return jar[COOKIE].value if COOKIE in jar else ""


def _with_query(url: str, **values: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(values)}"


def _json(start: Start, value: dict, status: str = "200 OK"):
    body = json.dumps(value, ensure_ascii=False).encode()
    start(
        status,
        [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Cache-Control", "no-store"),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]


def _html(start: Start, body: str, status: str = "200 OK", *, cookie: str = ""):
    data = body.encode()
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data)))]
    if cookie:
        headers.append(("Set-Cookie", cookie))
    start(status, headers)
    return [data]


def _redirect(start: Start, url: str, *, cookie: str = ""):
    headers = [("Location", url), ("Content-Length", "0")]
    if cookie:
        headers.append(("Set-Cookie", cookie))
    start("303 See Other", headers)
    return [b""]


STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #1b1b1b; }
header { background: #8b1a1a; color: #fff; padding: 12px 16px; }
main { max-width: 560px; margin: 16px auto; background: #fff; padding: 16px; border-radius: 6px; }
label { display: block; font-weight: 600; }
label.choice { display: inline-block; font-weight: normal; margin-right: 16px; }
input, select { font: inherit; padding: 6px; width: 100%; box-sizing: border-box; }
label.choice input { width: auto; }
fieldset { border: 1px solid #d0d7de; margin: 0 0 12px; }
.hint { display: block; color: #4a4a4a; font-size: 0.9em; }
.error { display: block; color: #b00020; font-weight: 600; }
.errors { border: 3px solid #b00020; padding: 8px 12px; margin-bottom: 12px; }
.errors a { color: #b00020; }
.buttons { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 12px; }
button { font: inherit; padding: 10px 16px; border-radius: 4px; border: 2px solid #8b1a1a; cursor: pointer; }
button.pay { background: #8b1a1a; color: #fff; }
button.other { background: #fff; color: #8b1a1a; }
button:focus-visible, input:focus-visible, select:focus-visible {
  outline: 3px solid #b45309; outline-offset: 2px; }
.note { color: #4a4a4a; font-size: 0.9em; }
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        "<header>Hệ thống định danh điện tử (VNeID) · môi trường thử nghiệm</header>"
        f"<main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )
