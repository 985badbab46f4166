"""Acceptance, end to end: two deployments (two server processes, two databases), each with one
agency and the other as its peer. A document drafted, signed and issued in one arrives in the other,
is registered, assigned, processed, answered and closed, and the sender sees the status messages 03,
04, 05, 06 in that order; a recall is accepted (15, then 13); an update and then a replacement are
accepted by the receiver's clerk (15 each). The same through the backbone's stand-in.

Every step runs in the deployment it belongs to (motcua.exchange.tests.deployment, in a ``manage.py shell``
of that deployment kept open for its steps); the test waits for each condition with a deadline, never for
a fixed time."""

import os
import secrets
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from motcua.core.tests.processes import REPO, Shell, free_port
from motcua.exchange.tests.conftest import BackboneStandin
from motcua.signing import testca

# The two deployments run on their own SQLite databases whatever the suite's database is: the test runs
# once, in the SQLite pass of .ci/run, not again in its PostgreSQL pass (it takes minutes).
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the two deployments use their own SQLite databases: run in the SQLite pass",
)

DEADLINE = 60


class Deployment:
    def __init__(self, name: str, directory: Path, backbone_url: str):
        self.name = name
        self.directory = directory / name
        self.directory.mkdir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database = self.directory / "db.sqlite3"
        self.env = {
            **os.environ,
            "DJANGO_DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "MOTCUA_VAR_DIR": str(self.directory / "var"),
            "MOTCUA_EXCHANGE_BACKBONE_URL": backbone_url,
            "MOTCUA_EXCHANGE_BACKBONE_SECRET": "two-deployments",
            "MOTCUA_EXCHANGE_BACKBONE_SYSTEM_ID": name,
            "PYTHONUNBUFFERED": "1",
        }
        # Tasks and events run in the process that commits (the test settings under PYTEST_VERSION).
        self.env["PYTEST_VERSION"] = os.environ.get("PYTEST_VERSION", "1")
        self.processes: list[subprocess.Popen] = []
        self.shell: Shell | None = None

    def manage(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            [sys.executable, str(REPO / "manage.py"), *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise AssertionError(f"{self.name}: manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def copy_database_to(self, other: "Deployment") -> None:
        with (
            closing(sqlite3.connect(self.database)) as source,
            closing(sqlite3.connect(other.database)) as target,
        ):
            source.backup(target)

    def step(self, step_name: str, /, **args) -> dict:
        """Run a step of motcua.exchange.tests.deployment in this deployment (one shell for them all)."""
        if self.shell is None:
            self.shell = Shell("motcua.exchange.tests.deployment", env=dict(self.env))
        return self.shell.call(step_name, args)

    def start(self, *args: str) -> None:
        log = open(self.directory / f"{args[0]}.log", "w")  # noqa: SIM115  (closed with the process)
        process = subprocess.Popen(
            [sys.executable, str(REPO / "manage.py"), *args],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process.log = log  # type: ignore[attr-defined]
        self.processes.append(process)

    def serve(self) -> None:
        self.start("runserver", "--noreload", f"127.0.0.1:{self.port}")
        wait_for(lambda: _answers(self.url + "/api/docs"), f"{self.name} to serve")

    def stop(self) -> None:
        if self.shell is not None:
            self.shell.stop()
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
            process.log.close()  # type: ignore[attr-defined]


def _answers(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def wait_for(condition, what: str, deadline: float = DEADLINE):
    end = time.monotonic() + deadline
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.3)


@pytest.fixture(scope="module")
def deployments(tmp_path_factory):
    directory = tmp_path_factory.mktemp("deployments")
    backbone = BackboneStandin("two-deployments")
    root = testca.make_root()
    a = Deployment("a", directory, backbone.url)
    b = Deployment("b", directory, backbone.url)
    agencies = {
        "a": ("000.00.00.H41", "Ủy ban nhân dân tỉnh Sông Hồng", "Tỉnh Sông Hồng"),
        "b": ("000.00.00.H42", "Ủy ban nhân dân tỉnh Cửu Long", "Tỉnh Cửu Long"),
    }
    material = {}
    for key, (code, name, _place) in agencies.items():
        issued = testca.issue(root, name, organization=name)
        password = secrets.token_urlsafe(8)
        p12 = directory / f"{key}.p12"
        p12.write_bytes(testca.pkcs12_bytes(issued, [root], password, friendly_name=name))
        pem = directory / f"{key}.pem"
        pem.write_bytes(issued.pem)
        material[key] = (p12, password, pem)
    try:
        # Both start from a freshly migrated database: b's is a copy of a's (one migrate, not two).
        a.manage("migrate", "--no-input")
        a.copy_database_to(b)
        for me, other in ((a, b), (b, a)):
            code, name, place = agencies[me.name]
            peer_code, peer_name, _ = agencies[other.name]
            p12, password, _pem = material[me.name]
            me.step(
                "seed",
                code=code,
                name=name,
                place=place,
                p12=str(p12),
                password=password,
                peer_code=peer_code,
                peer_name=peer_name,
                peer_pem=str(material[other.name][2]),
                peer_url=other.url,
            )
        for deployment in (a, b):
            deployment.serve()
        yield a, b, agencies
    finally:
        a.stop()
        b.stop()
        backbone.stop()


def exchange_round(a: Deployment, b: Deployment, agencies: dict, summary: str) -> None:
    sent = a.step("issue_and_send", to=agencies["b"][0], summary=summary)
    assert sent["exchange_id"].startswith(agencies["a"][0] + ",")
    arrived = wait_for(
        lambda: b.step("incoming", summary=summary)["documents"], "the document to arrive in b"
    )
    assert len(arrived) == 1 and arrived[0]["notation"] == sent["notation"]
    b.step("handle", id=arrived[0]["id"])
    view = wait_for(
        lambda: (v := a.step("sender_view", id=sent["id"]))["codes"] == ["03", "04", "05", "06"] and v,
        "the sender to see 03, 04, 05, 06",
    )
    assert view["history"] == ["sent", "03", "04", "05", "06"]
    assert view["recipient"] == {"state": "delivered", "status_code": "06"}
    assert view["packages"] == ["sent"]

    second = a.step("issue_and_send", to=agencies["b"][0], summary=summary + " (thu hồi)")
    wait_for(lambda: b.step("incoming", summary=summary + " (thu hồi)")["documents"], "the second document")
    a.step("recall", id=second["id"], reason="Ban hành nhầm")
    view = wait_for(
        lambda: (v := a.step("sender_view", id=second["id"]))["codes"] == ["15", "13"] and v,
        "the recall to be accepted",
    )
    assert view["recipient"]["status_code"] == "13"
    recalled = b.step("incoming", summary=summary + " (thu hồi)")["documents"]
    assert [d["status"] for d in recalled] == ["recalled"]

    # An update, accepted by the receiver's clerk: the new summary applied there, 15 back.
    third = a.step("issue_and_send", to=agencies["b"][0], summary=summary + " (cập nhật)")
    there = wait_for(
        lambda: b.step("incoming", summary=summary + " (cập nhật)")["documents"], "the third document"
    )[0]
    a.step("update", id=third["id"], summary=summary + " (đã cập nhật)", reason="Sửa trích yếu")
    pending = wait_for(lambda: b.step("amendments", id=there["id"])["pending"], "the update to arrive")
    assert [(p["kind"], p["reason"]) for p in pending] == [("update", "Sửa trích yếu")]
    assert b.step("decide", id=there["id"], accept=True)["summary"] == summary + " (đã cập nhật)"
    view = wait_for(
        lambda: (v := a.step("sender_view", id=third["id"]))["codes"] == ["15"] and v,
        "the update to be accepted",
    )
    assert view["recipient"]["status_code"] == "15"

    # A replacement, accepted: the old document marked replaced, the new one goes on (03).
    replacement = a.step("replace", id=third["id"], reason="Sai thẩm quyền ký")
    pending = wait_for(lambda: b.step("amendments", id=there["id"])["pending"], "the replacement to arrive")
    assert [p["kind"] for p in pending] == ["replace"]
    assert b.step("decide", id=there["id"], accept=True)["status"] == "replaced"
    wait_for(
        lambda: a.step("sender_view", id=third["id"])["codes"] == ["15", "15"],
        "the replacement to be accepted",
    )
    arrived = b.step("incoming", summary=summary + " (đã cập nhật)")["documents"]
    assert [(d["status"], d["notation"]) for d in arrived] == [
        ("replaced", third["notation"]),
        ("received", replacement["notation"]),
    ]


def test_two_deployments_exchange_directly(deployments):
    a, b, agencies = deployments
    exchange_round(a, b, agencies, "Về việc phối hợp kiểm tra liên tỉnh")


def test_two_deployments_exchange_through_the_backbone(deployments):
    a, b, agencies = deployments
    for deployment in (a, b):
        deployment.step("use_transport", transport="backbone")
        deployment.start("exchange_poll", "--forever", "--interval", "0.3")
    exchange_round(a, b, agencies, "Về việc phối hợp qua trục liên thông")
