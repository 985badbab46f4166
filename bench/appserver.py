"""The application served over HTTP for the benchmarks: granian (WSGI) on 127.0.0.1, started and
stopped by the script, the way production runs it (docs/decisions/0004)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """``granian --interface wsgi motcua.wsgi:application`` with ``workers`` processes of ``threads``
    threads each, ready when ``ready_path`` answers 200."""

    def __init__(self, *, workers: int, threads: int, var_dir: str, ready_path: str, port: int = 0):
        self.port = port or free_port()
        env = {**os.environ, "DJANGO_DEBUG": "0", "MOTCUA_VAR_DIR": var_dir, "MOTCUA_LOG_LEVEL": "WARNING"}
        self.log = open(Path(var_dir) / "granian.log", "w")  # noqa: SIM115
        command = [
            str(Path(sys.executable).parent / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--log-level",
            "warning",
            "--no-access-log",
            "motcua.wsgi:application",
        ]
        self.description = " ".join(["granian", *command[1:]])
        self.process = subprocess.Popen(command, cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{ready_path}", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"granian did not start; see {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
