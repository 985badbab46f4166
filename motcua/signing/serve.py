"""A small threaded HTTP server for the stand-in processes (the time-stamp authority, the remote
signer): the standard library's WSGI server, one thread per request, bound to loopback by default.

It prints ``Listening on http://HOST:PORT/`` once it accepts connections (with ``--port 0`` the port
the system chose), which the test fixtures read to know where to connect.
"""

import sys
from collections.abc import Callable
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # the demo's console stays readable
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


def serve(app: Callable, *, host: str, port: int, name: str, verbose: bool = False) -> None:
    server = make_server(host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler)
    server.verbose = verbose  # type: ignore[attr-defined]
    bound = server.server_address[1]
    print(f"{name}: Listening on http://{host}:{bound}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        sys.stdout.flush()
