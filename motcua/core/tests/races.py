"""Real concurrent transactions for the race tests (PostgreSQL: SQLite serialises writers).

Mark such a test ``pytest.mark.postgres``: the root conftest skips it on another database."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def run_together(jobs: list[Callable[[], Any]]) -> list[tuple[str, Any]]:
    """Start every job at the same instant, each in its own thread and database connection; each
    outcome is ``("ok", result)`` or ``("error", exception)``, in the order of the jobs."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[tuple[str, Any]] = [("error", None)] * len(jobs)

    def run(i: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[i] = ("ok", job())
        except Exception as exc:  # the outcome is what the test inspects
            outcomes[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
