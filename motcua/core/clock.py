"""The time the services read: the real clock, or one a caller sets (the demo loader writes a year of
history by moving a clock through the past).

Explicit rather than patched: services and model defaults call ``clock.now()``; a caller that
needs another time runs its code inside ``clock.using(source)``.
"""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_source: ContextVar[Callable[[], datetime.datetime] | None] = ContextVar("motcua_clock", default=None)


def now() -> datetime.datetime:
    """The current instant (aware), from the clock in use."""
    source = _source.get()
    return source() if source is not None else timezone.now()


def localdate() -> datetime.date:
    return timezone.localdate(now())


@contextmanager
def using(source: Callable[[], datetime.datetime]) -> Iterator[None]:
    """Run the block with ``source`` as the clock (a callable returning aware datetimes)."""
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)
