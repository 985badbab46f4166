"""A local stand-in for an SMS gateway, run as its own process by ``manage.py sms_standin --port N``
(``make demo`` starts it; the tests start it on a free port).

It speaks both shapes of motcua.notifications.sms.brandname (``POST /api/sms/send`` and
``POST /SendSms``), keeps the messages in memory and shows them on a page, the demo's "phone"
(``GET /``, newest first, ``?receiver=84…`` for one number; it refreshes itself). For tests:
``GET /messages.json`` lists what it received; ``POST /control`` with ``{"fail_next": N}`` makes the
next N messages fail with code 99 (a gateway's system error), as a real gateway sometimes does.
A request id seen before is answered as the first time and not recorded twice.
"""

import base64
import datetime
import html
import itertools
import re
import threading
from dataclasses import asdict, dataclass
from typing import Any

from motcua.payments.standins import not_found, page, read_json, read_query, respond_html, respond_json

RECEIVER = re.compile(r"^84[35789]\d{8}$")
MAX_CONTENT = 640


@dataclass
class Received:
    id: str
    at: str
    receiver: str
    sender: str
    content: str
    request_id: str


class SmsStandin:
    """The WSGI application."""

    def __init__(self, *, brandname: str, username: str, password: str):
        self.brandname = brandname
        self.credentials = (username, password)
        self.lock = threading.Lock()
        self.messages: list[Received] = []
        self.by_request: dict[str, Received] = {}
        self.fail_next = 0
        self.ids = itertools.count(1)

    def __call__(self, environ: dict, start) -> list[bytes]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
        if method == "POST" and path == "/api/sms/send":
            return respond_json(start, self.brandname_send(environ))
        if method == "POST" and path == "/SendSms":
            return respond_json(start, self.lgsp_send(environ))
        if method == "POST" and path == "/control":
            body = read_json(environ) or {}
            with self.lock:
                self.fail_next = max(0, int(body.get("fail_next", 0)))
                return respond_json(start, {"fail_next": self.fail_next})
        if method == "GET" and path == "/messages.json":
            receiver = read_query(environ).get("receiver", "")
            return respond_json(start, {"messages": [asdict(m) for m in self.listed(receiver)]})
        if method == "GET" and path == "/":
            return respond_html(start, self.phone(read_query(environ).get("receiver", "")))
        return not_found(start)

    def _authorised(self, environ: dict) -> bool:
        header = environ.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _colon, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return (user, password) == self.credentials

    def _take(self, receiver: str, sender: str, content: str, request_id: str) -> tuple[str, str, str]:
        """Record a message: (code, message, our id)."""
        if not RECEIVER.match(receiver):
            return "01", "receiver must be 84 followed by a mobile number", ""
        if not content.strip() or len(content) > MAX_CONTENT:
            return "02", f"content must have 1 to {MAX_CONTENT} characters", ""
        with self.lock:
            if request_id and request_id in self.by_request:
                return "00", "success (repeated request)", self.by_request[request_id].id
            if self.fail_next > 0:
                self.fail_next -= 1
                return "99", "system busy, try again later", ""
            message = Received(
                id=f"SMS{next(self.ids):06d}",
                at=datetime.datetime.now().strftime("%H:%M:%S %d/%m/%Y"),
                receiver=receiver,
                sender=sender,
                content=content,
                request_id=request_id,
            )
            self.messages.append(message)
            if request_id:
                self.by_request[request_id] = message
        return "00", "success", message.id

    def brandname_send(self, environ: dict) -> dict[str, Any]:
        body = read_json(environ)
        if not self._authorised(environ):
            return {"code": "03", "message": "authentication failed"}
        if body is None:
            return {"code": "02", "message": "a JSON object is expected"}
        if str(body.get("brandname", "")) != self.brandname:
            return {"code": "04", "message": f"brandname not registered (expected {self.brandname})"}
        request_id = str(body.get("request_id", ""))
        code, message, ident = self._take(
            str(body.get("receiver", "")), self.brandname, str(body.get("content", "")), request_id
        )
        return {"code": code, "message": message, "request_id": request_id, "message_id": ident}

    def lgsp_send(self, environ: dict) -> dict[str, Any]:
        body = read_json(environ) or {}
        code, message, ident = self._take(
            str(body.get("receiver", "")), str(body.get("sender", "")), str(body.get("content", "")), ""
        )
        return {"result": "SUCCESSFUL" if code == "00" else "FAILED", "message": message, "id": ident}

    def listed(self, receiver: str = "") -> list[Received]:
        with self.lock:
            found = [m for m in self.messages if not receiver or m.receiver == receiver]
        return list(reversed(found))

    def phone(self, receiver: str) -> str:
        messages = self.listed(receiver)
        rows = "".join(
            f"<li><p class='meta'><strong>{html.escape(m.sender)}</strong> → +{html.escape(m.receiver)}"
            f" · {html.escape(m.at)}</p><p>{html.escape(m.content)}</p></li>"
            for m in messages
        )
        numbers = sorted({m.receiver for m in self.listed()})
        options = "".join(
            f'<option value="{html.escape(n)}"{" selected" if n == receiver else ""}>'
            f"+{html.escape(n)}</option>"
            for n in numbers
        )
        body = f"""
<form method="get"><label for="receiver">Số điện thoại</label>
<select id="receiver" name="receiver"><option value="">Tất cả</option>{options}</select>
<button class="other" type="submit">Xem</button></form>
<p class="note">{len(messages)} tin nhắn. Trang tự tải lại sau 5 giây.</p>
<ol class="sms" reversed>{rows or "<li>Chưa có tin nhắn nào.</li>"}</ol>
<style>.sms{{list-style:none;padding:0}}.sms li{{background:#e8f0fe;border-radius:12px;padding:8px 12px;
margin:8px 0}}.sms p{{margin:0}}.meta{{font-size:.85em;color:#4a4a4a}}</style>
"""
        return page(
            "Điện thoại thử nghiệm: tin nhắn SMS", body, brand=f"SMS brandname {self.brandname}"
        ).replace("<head>", '<head><meta http-equiv="refresh" content="5">', 1)
