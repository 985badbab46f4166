"""The audit log: every service that changes something records it here, in its own transaction."""

from typing import Any

from django.db import models

from motcua.core.models import AuditEntry


def record(
    action: str, *, actor: Any = None, obj: models.Model | None = None, summary: str = "", **data: Any
) -> AuditEntry:
    """Append one audit entry. ``actor`` is a user or None for the system."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:400],
        data=data,
    )
