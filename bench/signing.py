"""Signatures and verifications per second (motcua.signing.pades), on one core and on all of them.

What is timed is what the task worker does for each issued document once its PDF is rendered:

- ``B-B``: a notice signed invisibly by the agency (PAdES baseline B, SHA-256, RSA-2048);
- ``B-B visible``: a result signed by a leader, with the visible block (seal and text) in its box;
- ``B-T visible``: the same with a time-stamp from the local RFC 3161 authority, which runs as its own
  process on the same machine (``manage.py signing_tsa``), over HTTP;
- ``verify``: a B-T signed result verified against the trusted root (intact, trusted, time-stamp).

Each is run for ``--seconds`` in one process, then in ``--workers`` processes at once (default: the
machine's cores). A test CA is made in a temporary folder; no database is needed.

    .venv/bin/python bench/signing.py [--seconds 10] [--workers 2]

A benchmark, not a test: it prints figures and exits 0.
"""

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common  # noqa: F401  (the repository on sys.path, Django's settings)

REPO = Path(__file__).resolve().parent.parent

_state: dict = {}


def _prepare(directory: Path, tsa_url: str) -> None:
    """Per process: the PDFs, the credential, the appearance (made once, outside the timing)."""
    import django

    django.setup()
    from notices_render import make_dossier

    from motcua.dossiers import documents, notices
    from motcua.signing import demo, pades, testca

    material = demo.ensure_authorities(directory)
    leader = _state.get("leader") or testca.issue(material.root, "Phạm Thị Dung", organization="Sở Tư pháp")
    _state["leader"] = leader
    dossier = make_dossier()
    url = "https://dichvucong.example.vn/xac-thuc/ABCDEFGHJKMNPQRS"
    notice = notices.render_notice("01", dossier, lookup_url=url, verify_url=url, documents=["Tờ khai"])
    result = notices.render_result(dossier, lookup_url=url, verify_url=url)
    credential = pades.Credential(
        pades.load_certificate(leader.der),
        (pades.load_certificate(material.root.der),),
        pades.load_private_key(leader.key_der),
    )
    box = pades.anchor_box(result, documents.SIGNATURE_ANCHOR, documents.SIGNATURE_BOX_MM)
    appearance = pades.Appearance(
        ("Ký bởi: Phạm Thị Dung", "Sở Tư pháp tỉnh Tuyên Quang", "Ngày ký: 12/03/2026 10:30"),
        testca.seal_png("Sở Tư pháp tỉnh Tuyên Quang"),
    )
    roots = [pades.load_certificate(material.root.der)]
    signed = pades.sign(result, credential, box=box, appearance=appearance, timestamp_url=tsa_url)
    _state["operations"] = {
        "B-B": lambda: pades.sign(notice, credential),
        "B-B visible": lambda: pades.sign(result, credential, box=box, appearance=appearance),
        "B-T visible": lambda: pades.sign(
            result, credential, box=box, appearance=appearance, timestamp_url=tsa_url
        ),
        "verify": lambda: _verified(pades.verify(signed, roots)),
    }
    for operation in _state["operations"].values():
        operation()  # untimed: imports, fonts, caches


def _verified(reports) -> None:
    assert reports and all(r.intact and r.trusted for r in reports), reports


def _run(args: tuple[str, float, str, str]) -> tuple[int, float]:
    """How many ``name`` operations in ``seconds`` of wall time, and the CPU seconds this process used."""
    name, seconds, directory, tsa_url = args
    if "operations" not in _state:
        _prepare(Path(directory), tsa_url)
    operation = _state["operations"][name]
    done, deadline, cpu = 0, time.perf_counter() + seconds, time.process_time()
    while time.perf_counter() < deadline:
        operation()
        done += 1
    return done, time.process_time() - cpu


def _start_tsa(directory: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "DJANGO_DEBUG": "1", "MOTCUA_VAR_DIR": str(directory / "var")}
    process = subprocess.Popen(
        [sys.executable, str(REPO / "manage.py"), "signing_tsa", "--port", "0", "--dir", str(directory)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "Listening on " in line:
            return process, line.split("Listening on ", 1)[1].strip()
    raise RuntimeError("the time-stamp authority did not start")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="motcua-bench-signing-") as folder:
        directory = Path(folder)
        import django

        django.setup()
        from motcua.signing import demo

        demo.ensure_authorities(directory)
        tsa, tsa_url = _start_tsa(directory)
        try:
            _prepare(directory, tsa_url)
            print(f"Signing on {os.cpu_count()} cores, {args.seconds:.0f} s per figure (RSA-2048, SHA-256)")
            print(f"  load average before: {os.getloadavg()[0]:.2f}")
            workers = f"{args.workers} processes"
            print(f"  {'operation':<12} {'1 process':>12} {'per CPU-second':>15} {workers:>14}")
            context = multiprocessing.get_context("fork")
            with context.Pool(args.workers) as pool:
                pool.map(_run, [("verify", 0.1, folder, tsa_url)] * args.workers)  # warm every worker
                for name in _state["operations"]:
                    done, cpu = _run((name, args.seconds, folder, tsa_url))
                    counts = pool.map(_run, [(name, args.seconds, folder, tsa_url)] * args.workers)
                    many = sum(n for n, _cpu in counts) / args.seconds
                    print(f"  {name:<12} {done / args.seconds:8.1f} /s {done / cpu:11.1f} /s {many:10.1f} /s")
            print(f"  load average after: {os.getloadavg()[0]:.2f}")
        finally:
            tsa.terminate()
            tsa.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
