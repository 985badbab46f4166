"""The audit log: every service that changes something records it here, in its own transaction."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models

from motcua.core.models import AuditEntry

# What every entry written inside ``on_behalf_of`` carries besides its own data.
_context: ContextVar[dict[str, Any] | None] = ContextVar("motcua_audit_context", default=None)


@contextmanager
def on_behalf_of(**data: Any) -> Iterator[None]:
    """Add ``data`` to every entry recorded in the block: an API client acting in an officer's name
    (``client="cong-dvcqg"``) leaves its id in the entries the services write for that officer."""
    token = _context.set({**(_context.get() or {}), **data})
    try:
        yield
    finally:
        _context.reset(token)


def record(
    action: str, *, actor: Any = None, obj: models.Model | None = None, summary: str = "", **data: Any
) -> AuditEntry:
    """Append one audit entry. ``actor`` is a user or None for the system."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    context = _context.get()
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:400],
        data={**context, **data} if context else data,
    )
