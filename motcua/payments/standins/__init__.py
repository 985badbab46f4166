"""Local stand-ins for the payment gateways: each a small WSGI application speaking its gateway's protocol
over HTTP, run as its own process by ``manage.py payment_standin --gateway <name> --port N`` (``make demo``
starts both; the tests start them on free ports).

A stand-in keeps its payments in memory. It shows the payer a page where a tester pays, makes the payment
fail or cancels it; then, like the real gateway, it sends the confirmation to our IPN address (server to
server) and sends the browser back to our return address. A tick box leaves the confirmation unsent: the
"missed confirmation" that reconciliation (``manage.py reconcile_payments``) must find. It answers status
queries from what it holds.
"""

import html
import json
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

Start = Callable[[str, list[tuple[str, str]]], Any]


@dataclass
class Order:
    """A payment as the gateway holds it."""

    reference: str
    amount: int
    description: str
    return_url: str = ""
    status: str = "pending"  # pending, paid, failed, cancelled
    transaction_no: str = ""
    paid_at: str = ""
    bank_code: str = ""
    notified: str = ""  # the IPN's answer, or why it was not sent
    extra: dict[str, Any] = field(default_factory=dict)


class Store:
    """The stand-in's payments, by reference and by the token of their payment page."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.orders: dict[str, Order] = {}
        self.tokens: dict[str, str] = {}
        self.sequence = 10_000_000

    def add(self, order: Order, token: str = "") -> Order:
        with self.lock:
            existing = self.orders.get(order.reference)
            if existing is not None:
                return existing
            self.orders[order.reference] = order
            if token:
                self.tokens[token] = order.reference
            return order

    def by_token(self, token: str) -> Order | None:
        with self.lock:
            reference = self.tokens.get(token)
            return self.orders.get(reference) if reference else None

    def get(self, reference: str) -> Order | None:
        with self.lock:
            return self.orders.get(reference)

    def next_transaction(self) -> str:
        with self.lock:
            self.sequence += 1
            return str(self.sequence)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(app: Callable, host: str, port: int, *, quiet: bool = False):
    """A threaded WSGI server for ``app`` (call ``serve_forever()`` on it)."""
    handler = _QuietHandler if quiet else WSGIRequestHandler
    return make_server(host, port, app, server_class=_Server, handler_class=handler)


def read_body(environ: dict) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def read_form(environ: dict) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(read_body(environ).decode("utf-8", "replace")))


def read_query(environ: dict) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))


def read_json(environ: dict) -> dict[str, Any] | None:
    try:
        value = json.loads(read_body(environ) or b"null")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def respond_json(start: Start, value: dict, status: str = "200 OK") -> list[bytes]:
    body = json.dumps(value, ensure_ascii=False).encode()
    start(status, [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def respond_html(start: Start, body: str, status: str = "200 OK") -> list[bytes]:
    data = body.encode()
    start(status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]


def redirect(start: Start, url: str) -> list[bytes]:
    start("303 See Other", [("Location", url), ("Content-Length", "0")])
    return [b""]


def not_found(start: Start) -> list[bytes]:
    return respond_html(start, page("Không tìm thấy", "<p>Không có trang này.</p>"), "404 Not Found")


STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #1b1b1b; }
header { background: #0b3a6e; color: #fff; padding: 12px 16px; }
main { max-width: 560px; margin: 16px auto; background: #fff; padding: 16px; border-radius: 6px; }
table { border-collapse: collapse; width: 100%; margin-bottom: 16px; }
th, td { text-align: left; padding: 6px 4px; border-bottom: 1px solid #d0d7de; vertical-align: top; }
.amount { font-size: 1.4em; font-weight: bold; }
.buttons { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 12px; }
button { font: inherit; padding: 10px 16px; border-radius: 4px; border: 2px solid #0b3a6e; cursor: pointer; }
button.pay { background: #0b3a6e; color: #fff; }
button.other { background: #fff; color: #0b3a6e; }
button:focus-visible { outline: 3px solid #b45309; outline-offset: 2px; }
.note { color: #4a4a4a; font-size: 0.9em; }
"""


def page(title: str, body: str, *, brand: str = "") -> str:
    """An HTML page of the stand-in (``body`` is already escaped by the caller)."""
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<header>{html.escape(brand or 'Cổng thanh toán')} · môi trường thử nghiệm</header>"
        f"<main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )


def payment_page(
    order: Order, action: str, *, brand: str, merchant: str, hidden: Iterable[tuple[str, str]]
) -> str:
    """The payer's page: what is paid, and the tester's three choices."""
    amount = f"{order.amount:,}".replace(",", ".") + " đ"
    fields = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in hidden
    )
    if order.status != "pending":
        body = (
            f"<p>Giao dịch <strong>{html.escape(order.reference)}</strong> đã được xử lý "
            f"({html.escape(order.status)}).</p>"
        )
        return page("Giao dịch đã xử lý", body, brand=brand)
    body = f"""
<table>
<tr><th scope="row">Đơn vị nhận</th><td>{html.escape(merchant)}</td></tr>
<tr><th scope="row">Nội dung</th><td>{html.escape(order.description)}</td></tr>
<tr><th scope="row">Mã tham chiếu</th><td>{html.escape(order.reference)}</td></tr>
<tr><th scope="row">Số tiền</th><td class="amount">{html.escape(amount)}</td></tr>
</table>
<form method="post" action="{html.escape(action)}">
{fields}
<p><input type="checkbox" id="skip_ipn" name="skip_ipn" value="1">
<label for="skip_ipn">Không gửi thông báo kết quả (IPN) cho đơn vị: mô phỏng một xác nhận bị lỡ,
để thử đối soát</label></p>
<div class="buttons">
<button class="pay" type="submit" name="result" value="pay">Thanh toán</button>
<button class="other" type="submit" name="result" value="fail">Giao dịch không thành công</button>
<button class="other" type="submit" name="result" value="cancel">Hủy giao dịch</button>
</div>
</form>
<p class="note">Trang giả lập cổng thanh toán để thử nghiệm; không có tiền thật nào được chuyển.</p>
"""
    return page("Thanh toán phí, lệ phí", body, brand=brand)


def notify(url: str, *, query: str = "", body: dict | None = None, timeout: float = 10) -> str:
    """Send a confirmation to the merchant's IPN address: GET with ``query``, or POST ``body`` as JSON.
    Returns the answer's text, or why there is none."""
    if body is not None:
        request = urllib.request.Request(  # noqa: S310  (the address is the merchant's, from the command line)
            url,
            data=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
    else:
        request = urllib.request.Request(f"{url}?{query}" if query else url)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.read().decode("utf-8", "replace")[:500]
    except OSError as exc:
        return f"not delivered: {exc}"
