"""Payment confirmations per second through the HTTP IPN endpoint, on PostgreSQL.

Prepares ``--count`` dossiers waiting for their fees (status 6, through the real services: submitted in
one go for procedure 1.014632, received, payment requested) each with an online payment started through
the VNPay-style gateway (pending; its start needs no call to the gateway). Then starts granian on
127.0.0.1 (bench/common.py, as production runs it) and has ``--clients`` concurrent clients (threads,
keep-alive connections) send each payment's signed confirmation once, as the gateway does:
``GET /thanh-toan/ipn/vnpay/?vnp_...``. Each confirmation checks the HMAC-SHA512, locks the dossier and
the payment, marks it paid with its event, writes the ledger line, records the payment on the dossier
(its action, audit row and outbox event: status 6 → 4) and the receipt's snapshot and render task.

Then the same confirmations again: every one is a replay, answered "02" without a change. Then (with
``--same``) ``--same`` identical confirmations of one more payment sent all at once: one is applied.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_payments_bench \
        .venv/bin/python bench/payments_confirm.py

The dossiers are left in the database (a benchmark database); the next run makes new ones.
A benchmark, not a test: it exits 0 whether or not the answers were right (2 on a wrong database).
"""

import argparse
import http.client
import json
import os
import tempfile
import threading
import time

from common import AppServer, load_average, percentile, prepare_database, setup_django

PROCEDURE = "1.014632"
# DEBUG is off (bench/common.py): a gateway is offered only with its secret; the server inherits it.
os.environ.setdefault("MOTCUA_VNPAY_SECRET", "bench-only-vnpay-secret")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1000, help="payments to confirm")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (and connections)")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per server process")
    parser.add_argument("--same", type=int, default=20, help="identical confirmations sent at once (0: none)")
    return parser.parse_args()


def form(i: int, unit: str) -> dict:
    return {
        "applicant_full_name": f"Nguyễn Văn Bench {i}",
        "applicant_id_number": f"0{10**10 + i:011d}",
        "applicant_address": {"unit": unit, "detail": f"Số {i % 300 + 1}, tổ {i % 20 + 1}"},
        "confirmation_case": "Điều kiện về nhà ở (chưa có nhà ở thuộc sở hữu)",
        "household_member_count": "3",
    }


def prepare_payments(count: int) -> list[str]:
    """``count`` pending VNPay payments of dossiers in status 6; their signed confirmations (query
    strings)."""
    from common import ensure_citizens
    from django.conf import settings
    from django.utils import timezone

    from motcua.accounts.constants import AccountKind, Role
    from motcua.accounts.models import Membership, User
    from motcua.accounts.services import grant_role
    from motcua.agencies.models import AdministrativeUnit
    from motcua.catalog.selectors import current_version
    from motcua.dossiers import events, rules, services
    from motcua.dossiers.constants import ActionType
    from motcua.dossiers.models import Dossier
    from motcua.payments import services as payment_services
    from motcua.payments.gateways import vnpay

    version = current_version(PROCEDURE)
    reception = User.objects.get(username="reception")
    officers: dict = {}
    reception_at = set(
        Membership.objects.filter(user=reception, role=Role.RECEPTION).values_list("agency_id", flat=True)
    )
    agency = next(a for a in services.receiving_agencies(version) if a.pk in reception_at)
    unit = (
        AdministrativeUnit.objects.current().filter(parent__code=settings.MOTCUA_PROVINCE_CODE).first().code
    )
    citizens = list(User.objects.filter(username__in=ensure_citizens(50)))
    queries = []
    started = time.perf_counter()
    with events.muted():  # no emails for benchmark dossiers
        for i in range(count):
            citizen = citizens[i % len(citizens)]
            dossier = services.submit_new(
                version=version,
                applicant=citizen,
                form_data=form(i, unit),
                declaration=True,
                receiving_agency=agency,
            )
            services.receive(dossier, actor=reception)
            dossier = Dossier.objects.get(pk=dossier.pk)
            key = (dossier.holder_agency_id, dossier.current_step_id and dossier.current_step.role)
            if key not in officers:  # a benchmark specialist of the unit that processes it
                officer, _new = User.objects.get_or_create(
                    username=f"bench.specialist{dossier.holder_agency_id}",
                    defaults={"kind": AccountKind.STAFF, "full_name": "Chuyên viên đo hiệu năng"},
                )
                grant_role(officer, dossier.holder_agency, Role.SPECIALIST)
                assert rules.may(officer, ActionType.REQUEST_PAYMENT, dossier)
                officers[key] = officer
            services.request_payment(dossier, actor=officers[key], amount=25_000 + i % 7 * 1000)
            payment = payment_services.start_payment(
                dossier, actor=citizen, gateway="vnpay", return_url="http://127.0.0.1/thanh-toan/ve/vnpay/"
            )
            params = {
                "vnp_Amount": str(payment.amount * 100),
                "vnp_BankCode": "NCB",
                "vnp_CardType": "ATM",
                "vnp_OrderInfo": f"Nop phi ho so {dossier.code}",
                "vnp_PayDate": vnpay.stamp(timezone.now()),
                "vnp_ResponseCode": "00",
                "vnp_TmnCode": settings.MOTCUA_VNPAY_TMN_CODE,
                "vnp_TransactionNo": str(20_000_000 + payment.pk),
                "vnp_TransactionStatus": "00",
                "vnp_TxnRef": payment.reference,
            }
            queries.append(vnpay.signed_query(params, settings.MOTCUA_VNPAY_SECRET))
            if (i + 1) % 100 == 0:
                print(f"  prepared {i + 1}/{count} in {time.perf_counter() - started:.1f} s", flush=True)
    return queries


class Run:
    def __init__(self, queries: list[str]):
        self.queries = list(queries)
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.answers: dict[str, int] = {}
        self.errors: list[str] = []

    def take(self) -> str | None:
        with self.lock:
            return self.queries.pop() if self.queries else None


def client(run: Run, port: int, barrier: threading.Barrier | None = None) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        while (query := run.take()) is not None:
            if barrier is not None:
                barrier.wait()
            started = time.perf_counter()
            try:
                conn.request("GET", f"/thanh-toan/ipn/vnpay/?{query}")
                response = conn.getresponse()
                body = response.read()
                code = json.loads(body)["RspCode"] if response.status == 200 else f"HTTP {response.status}"
            except (OSError, http.client.HTTPException, ValueError) as exc:
                code = f"{type(exc).__name__}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - started
            with run.lock:
                run.latencies.append(elapsed)
                run.answers[code] = run.answers.get(code, 0) + 1
    finally:
        conn.close()


def measure(name: str, queries: list[str], port: int, clients: int, *, together: bool = False) -> None:
    run = Run(queries)
    barrier = threading.Barrier(clients) if together else None
    threads = [threading.Thread(target=client, args=(run, port, barrier)) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    values = sorted(v * 1000 for v in run.latencies)
    print(
        f"{name:34} {len(values):5} in {seconds:6.2f} s = {len(values) / seconds:7.1f}/s   "
        f"p50 {percentile(values, 50):6.1f} ms  p95 {percentile(values, 95):6.1f} ms  "
        f"max {values[-1] if values else 0:6.1f} ms   answers {dict(sorted(run.answers.items()))}"
    )


def check(count: int) -> None:
    from motcua.dossiers.constants import ActionType
    from motcua.dossiers.models import Action
    from motcua.payments.constants import EntryKind, PaymentStatus
    from motcua.payments.models import GatewayPayment, LedgerEntry

    recent = GatewayPayment.objects.order_by("-id")[: count + 1]
    ids = list(recent.values_list("pk", flat=True))
    paid = GatewayPayment.objects.filter(pk__in=ids, status=PaymentStatus.PAID).count()
    lines = LedgerEntry.objects.filter(gateway_payment_id__in=ids, kind=EntryKind.PAYMENT).count()
    dossiers = GatewayPayment.objects.filter(pk__in=ids).values("dossier_id")
    recorded = Action.objects.filter(dossier_id__in=dossiers, type=ActionType.RECORD_PAYMENT).count()
    print(
        f"check: {paid} paid, {lines} ledger payment lines, {recorded} 'record payment' actions "
        f"(of {len(ids)})"
    )


def main() -> None:
    args = parse_args()
    connection = setup_django()
    from common import database_description

    print(f"database: {database_description()}")
    prepare_database()
    total = args.count + (1 if args.same else 0)
    print(f"preparing {total} dossiers waiting for their fees, each with a pending online payment ...")
    queries = prepare_payments(total)
    same = queries.pop() if args.same else None
    connection.close()

    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as var_dir:
        server = AppServer(
            workers=args.workers, threads=args.threads, var_dir=var_dir, ready_path="/thu-tuc/"
        )
        try:
            print(f"server: {server.description}; clients: {args.clients}; load {load_average()}")
            warm = queries[: min(40, len(queries) // 10)]
            measure("warm-up (first confirmations)", warm, server.port, args.clients)
            rest = queries[len(warm) :]
            measure("confirmations (applied)", rest, server.port, args.clients)
            measure("replays (already confirmed)", queries, server.port, args.clients)
            if same is not None:
                measure(
                    f"{args.same} identical at once",
                    [same] * args.same,
                    server.port,
                    args.same,
                    together=True,
                )
        finally:
            server.stop()
    check(total)
    print(f"load after: {load_average()}")


if __name__ == "__main__":
    main()
