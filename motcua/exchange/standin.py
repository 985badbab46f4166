"""A stand-in for the national document exchange backbone, run as its own process:
``manage.py exchange_standin --port 8793`` (``make demo`` starts it; the tests start it on a free
port). It speaks the contract of motcua.exchange.transports.backbone, keeps the packages in memory,
one delivery per recipient, and shows them on its page (``/``). Any system id is accepted with the
shared secret it was started with."""

import datetime
import html
import json
import threading
import urllib.parse
import uuid
from dataclasses import dataclass

from motcua.payments.standins import Start, page, read_body, respond_html, respond_json

MAX_BODY = 128 * 1024 * 1024


@dataclass
class Delivery:
    doc_id: str
    sender: str
    recipient: str
    message_type: str
    data: bytes
    created: str
    state: str = "pending"  # pending, done, fail
    note: str = ""


class Backbone:
    """The WSGI application."""

    def __init__(self, *, secret: str):
        self.secret = secret
        self.lock = threading.Lock()
        self.deliveries: dict[str, Delivery] = {}

    def __call__(self, environ: dict, start: Start) -> list[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "/")
        query = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
        if path == "/" and method == "GET":
            return self.overview(start)
        if environ.get("HTTP_SECRET", "") != self.secret or not environ.get("HTTP_SYSTEMID"):
            return respond_json(start, {"status": "FAIL", "message": "systemid/secret"}, "401 Unauthorized")
        if path == "/edocs" and method == "POST":
            return self.send(environ, start)
        if path == "/edocs" and method == "GET":
            return self.listing(query, start)
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "edocs" and method == "GET":
            return self.get(parts[1], query, start)
        if len(parts) == 3 and parts[0] == "edocs" and parts[2] == "status" and method == "POST":
            return self.update_status(parts[1], environ, start)
        return respond_json(start, {"status": "FAIL", "message": "not found"}, "404 Not Found")

    def send(self, environ: dict, start: Start) -> list[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY:
            return respond_json(start, {"status": "FAIL", "message": "too large"}, "413 Payload Too Large")
        data = read_body(environ)
        message_type = environ.get("HTTP_MESSAGETYPE", "")
        sender = environ.get("HTTP_FROM", "")
        recipients = [r.strip() for r in environ.get("HTTP_TO", "").split(",") if r.strip()]
        if message_type not in ("edoc", "status") or not sender or not recipients or not data:
            return respond_json(
                start,
                {"status": "FAIL", "message": "messagetype, from, to and a body are required"},
                "400 Bad Request",
            )
        created = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S")
        ids = []
        with self.lock:
            for recipient in recipients:
                doc_id = uuid.uuid4().hex
                self.deliveries[doc_id] = Delivery(doc_id, sender, recipient, message_type, data, created)
                ids.append(doc_id)
        return respond_json(start, {"status": "OK", "docId": ",".join(ids)})

    def listing(self, query: dict, start: Start) -> list[bytes]:
        wanted = {r for r in query.get("to", "").split(",") if r}
        message_type = query.get("messagetype", "")
        with self.lock:
            items = [
                {
                    "docId": d.doc_id,
                    "from": d.sender,
                    "to": d.recipient,
                    "messagetype": d.message_type,
                    "created": d.created,
                }
                for d in self.deliveries.values()
                if d.state == "pending"
                and d.recipient in wanted
                and (not message_type or d.message_type == message_type)
            ]
        return respond_json(start, {"status": "OK", "data": items})

    def get(self, doc_id: str, query: dict, start: Start) -> list[bytes]:
        with self.lock:
            delivery = self.deliveries.get(doc_id)
        if delivery is None or (query.get("to") and query["to"] != delivery.recipient):
            return respond_json(start, {"status": "FAIL", "message": "no such document"}, "404 Not Found")
        start("200 OK", [("Content-Type", "application/xml"), ("Content-Length", str(len(delivery.data)))])
        return [delivery.data]

    def update_status(self, doc_id: str, environ: dict, start: Start) -> list[bytes]:
        try:
            body = json.loads(read_body(environ) or b"{}")
        except ValueError:
            body = {}
        status = body.get("status") if isinstance(body, dict) else None
        with self.lock:
            delivery = self.deliveries.get(doc_id)
            if delivery is None or body.get("to") != delivery.recipient or status not in ("done", "fail"):
                return respond_json(start, {"status": "FAIL", "message": "no such document"}, "404 Not Found")
            delivery.state, delivery.note = status, str(body.get("note", ""))[:500]
        return respond_json(start, {"status": "OK"})

    def overview(self, start: Start) -> list[bytes]:
        with self.lock:
            rows = list(self.deliveries.values())
        lines = "".join(
            f"<tr><td>{html.escape(d.created)}</td><td>{html.escape(d.message_type)}</td>"
            f"<td>{html.escape(d.sender)}</td><td>{html.escape(d.recipient)}</td>"
            f"<td>{len(d.data):,}</td><td>{html.escape(d.state)}</td></tr>"
            for d in reversed(rows[-200:])
        )
        body = (
            "<table><caption>Gói tin trên trục (mới nhất trước)</caption><thead><tr>"
            '<th scope="col">Lúc (UTC)</th><th scope="col">Loại</th><th scope="col">Nơi gửi</th>'
            '<th scope="col">Nơi nhận</th><th scope="col">Byte</th><th scope="col">Tình trạng</th>'
            "</tr></thead>"
            f"<tbody>{lines}</tbody></table>"
        )
        return respond_html(start, page("Trục liên thông văn bản", body, brand="Trục liên thông (giả lập)"))
