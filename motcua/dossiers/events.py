"""Domain events of dossiers, delivered after the change has committed.

Apps above dossiers (notifications, later the national-portal sync and reports) subscribe to
``dossier_changed``; dossiers never import them. Its arguments: dossier_id (int), action (an
ActionType value, or one of the events below), status (int), data (dict; an action's event names
its history line, ``action_id``).

The services call ``publish`` inside the transaction of the change. How the event reaches the
subscribers is the setting ``MOTCUA_EVENT_DELIVERY``:

- ``"outbox"`` (the default; a transactional outbox): ``publish`` writes an OutboxEvent row in the
  same transaction, so an event exists exactly when its change does, and the request does nothing
  more. ``manage.py relay_events``, a process beside the task worker, takes committed rows in id
  order, a batch at a time (``FOR UPDATE SKIP LOCKED`` on PostgreSQL: several relays may run), sends
  the signal for each in the relay's transaction and deletes the row in it. Subscribers that write
  to the same database (a django-tasks-db task, say) therefore commit together with the removal of
  the event: delivered once. A subscriber that raises keeps its row for a later attempt, backing off,
  until ``MAX_ATTEMPTS``; other events go on. Order is by id per relay, not across several relays,
  and an event that failed is overtaken by the later ones.
- ``"on_commit"`` (the tests; a single process without a relay): the signal is sent in the
  process, right after the commit (``transaction.on_commit``); nothing is written.

docs/decisions/0005-event-outbox.md says why (the cost of a task row per request).
"""

import datetime
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from motcua.dossiers.models import OutboxEvent

logger = logging.getLogger(__name__)

dossier_changed = Signal()

# Events that are not actions of the history, published by the apps above (their names, for the
# subscribers): a result's digital signature completed (motcua.signing; data: the attachment); the
# applicant's satisfaction rating given or changed (motcua.surveys; the reports count it); the
# national portal holding the dossier (motcua.integrations).
RESULT_SIGNED = "result_signed"
RATED = "rated"
# The national portal holds the dossier for the first time (motcua.integrations; the reports count it).
NATIONAL_SYNCED = "national_synced"

OUTBOX = "outbox"
ON_COMMIT = "on_commit"
# Waits of 2, 4, 8 ... seconds, then an hour at most: about 7 hours of attempts before an operator is
# needed (the admin lists the events left with their last error).
MAX_ATTEMPTS = 16
MAX_BACKOFF = datetime.timedelta(hours=1)

_muted: ContextVar[bool] = ContextVar("motcua_events_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Changes made in the block publish no event (the demo loader writes months of history that
    must not e-mail anyone). Explicit, so that nothing needs patching."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def delivery() -> str:
    return getattr(settings, "MOTCUA_EVENT_DELIVERY", OUTBOX)


def publish(dossier_id: int, action: str, status: int, data: dict | None = None) -> None:
    """Called by the services inside the transaction of the change."""
    if _muted.get():
        return
    event = outbox_row(action, status, data)
    if event is None:
        kwargs = {"dossier_id": dossier_id, "action": action, "status": status, "data": data or {}}
        transaction.on_commit(lambda: dossier_changed.send(sender="dossiers", **kwargs))
    else:
        event.dossier_id = dossier_id
        event.save(force_insert=True)


def outbox_row(action: str, status: int, data: dict | None = None) -> OutboxEvent | None:
    """The unsaved outbox row of an event, for a service that writes it in its own statement (and
    sets ``dossier_id`` there); None when events are delivered in-process or muted: call ``publish``
    then (which does nothing when muted)."""
    if delivery() != OUTBOX or _muted.get():
        return None
    now = timezone.now()
    return OutboxEvent(action=action, status=status, data=data or {}, created_at=now, available_at=now)


def relay(batch: int = 100) -> int:
    """Deliver up to ``batch`` committed events that are due, in one transaction; how many were taken.

    Each event is sent inside a savepoint: a subscriber that raises undoes only its own writes, and
    the row stays with one more attempt, due again after an exponential backoff."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(available_at__lte=now, attempts__lt=MAX_ATTEMPTS)
            .order_by("id")[:batch]
        )
        delivered = []
        for row in rows:
            try:
                with transaction.atomic():
                    dossier_changed.send(
                        sender="dossiers",
                        dossier_id=row.dossier_id,
                        action=row.action,
                        status=row.status,
                        data=row.data,
                    )
            except Exception as exc:  # a subscriber's failure must not stop the others
                logger.exception("event %s (%s of dossier %s) failed", row.pk, row.action, row.dossier_id)
                row.attempts += 1
                row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                row.available_at = now + min(datetime.timedelta(seconds=2**row.attempts), MAX_BACKOFF)
                row.save(update_fields=["attempts", "last_error", "available_at"])
            else:
                delivered.append(row.pk)
        if delivered:
            OutboxEvent.objects.filter(pk__in=delivered).delete()
    return len(rows)


def relay_forever(
    *, interval: float = 1.0, batch: int = 100, running: Callable[[], bool] = lambda: True
) -> None:
    """``relay`` in a loop: at once while full batches come, else every ``interval`` seconds. A
    database error (a restart, a lock timeout) is logged and the loop goes on after ``interval``:
    nothing was delivered in the failed transaction, so nothing is lost."""
    while running():
        close_old_connections()
        try:
            taken = relay(batch)
        except DatabaseError:
            logger.exception("relaying dossier events failed; trying again in %s s", interval)
            connection.close()
            taken = 0
        if taken < batch and running():
            time.sleep(interval)
