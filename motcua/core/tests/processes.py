"""Stand-ins and servers run as their own processes in tests, exactly as ``make demo`` runs them.

``ManagedProcess("sms_standin", "--quiet")`` runs ``manage.py sms_standin --port 0 --quiet`` and waits
for its "Listening on URL" line; with ``port=free_port()`` it passes that port and waits until the port
accepts connections (for the commands that need their address before they start). Either way the
process's output is read until it ends (so a talkative stand-in never blocks on a full pipe) and its
last lines are quoted when it fails to start. ``stop()`` ends it; ``start()`` again runs it on the same
port (an outage, then the service back).
"""

import collections
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
LISTENING = "Listening on "
READY_TIMEOUT = 60


def free_port() -> int:
    """A port free on the loopback interface now (the OS picks it, so tests running at once differ)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage_env(**overrides: str | None) -> dict[str, str]:
    """The environment of a ``manage.py`` child: this one, DEBUG on, output unbuffered, and not under
    pytest (so it runs with the settings ``make demo`` uses) unless ``PYTEST_VERSION`` is given; an
    override of None removes the variable."""
    env: dict[str, str | None] = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "PYTHONUNBUFFERED": "1",
        "PYTEST_VERSION": None,
        **overrides,
    }
    return {key: value for key, value in env.items() if value is not None}


class ManagedProcess:
    """``manage.py <command> [args] --port N`` in a subprocess; ``url`` once it serves."""

    def __init__(
        self,
        command: str,
        *args: str,
        port: int = 0,
        host: str = "127.0.0.1",
        env: dict[str, str | None] | None = None,
        timeout: float = READY_TIMEOUT,
    ) -> None:
        self.command = command
        self.args = args
        self.port = port
        self.host = host
        self.env = manage_env(**(env or {}))
        self.timeout = timeout
        self.url = ""
        self.process: subprocess.Popen | None = None
        self.output: collections.deque[str] = collections.deque(maxlen=200)
        self.start()

    def start(self) -> None:
        """Run the command and wait until it serves (its "Listening on" line, or its port open)."""
        self.output.clear()
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "manage.py"), self.command, *self.args, "--port", str(self.port)],
            cwd=REPO,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, args=(self.process, lines), daemon=True).start()
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.port:
                if self._accepts():
                    self.url = f"http://{self.host}:{self.port}"
                    return
                wait = 0.1
            else:
                wait = max(0.0, deadline - time.monotonic())
            try:
                line = lines.get(timeout=wait)
            except queue.Empty:
                continue
            if line is None:  # the process ended before it served
                self.process.wait()
                raise RuntimeError(f"{self.command} exited before it served:\n{self.log()}")
            if not self.port and LISTENING in line:
                self.url = line.split(LISTENING, 1)[1].strip()
                self.port = int(self.url.rsplit(":", 1)[1].split("/", 1)[0])
                return
        self.stop()
        raise RuntimeError(f"{self.command} did not serve within {self.timeout:.0f} s:\n{self.log()}")

    def _read(self, process: subprocess.Popen, lines: queue.Queue) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.output.append(line)
            lines.put(line)
        process.stdout.close()
        lines.put(None)

    def _accepts(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def log(self) -> str:
        return "".join(self.output)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """End the process (terminate, then kill after 10 s); its port is kept for ``start()``."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


class Shell:
    """``manage.py shell`` kept open in an environment (another deployment's database and files), running
    ``module.step(name, args)`` for each ``call``: one Django start for all the steps of a test instead
    of one per step. Before each step the process drops its database connections and reference caches,
    as a new process would start; the step prints ``RESULT {json}``, which ``call`` returns."""

    def __init__(self, module: str, env: dict[str, str | None] | None = None, timeout: float = 300) -> None:
        self.module = module
        self.timeout = timeout
        self.output: collections.deque[str] = collections.deque(maxlen=200)
        self.code = f"import {__name__}; {__name__}.serve_steps({module!r})"
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "manage.py"), "shell", "-c", self.code],
            cwd=REPO,
            env=manage_env(**(env or {})),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def call(self, name: str, args: dict) -> dict:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"step": name, "args": args}) + "\n")
        self.process.stdin.flush()
        deadline = time.monotonic() + self.timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                raise AssertionError(f"step {name}: the shell ended:\n{''.join(self.output)}")
            if line.startswith("RESULT "):
                return json.loads(line[len("RESULT ") :])
            if line.startswith(STEP_FAILED):
                raise AssertionError(f"step {name} failed:\n{''.join(self.output)}")
        raise AssertionError(f"step {name}: no result within {self.timeout:.0f} s:\n{''.join(self.output)}")

    def stop(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()  # the loop ends at the end of its input
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


STEP_FAILED = "STEP FAILED"


def serve_steps(module: str) -> None:
    """The loop ``Shell`` runs in the child: one JSON request a line on standard input."""
    import importlib
    import traceback

    from django.db import connections

    from motcua.core.refcache import clear_all

    steps = importlib.import_module(module)
    for line in sys.stdin:
        request = json.loads(line)
        connections.close_all()
        clear_all()
        try:
            steps.step(request["step"], request["args"])
        except Exception:
            traceback.print_exc(file=sys.stdout)
            print(STEP_FAILED, flush=True)
