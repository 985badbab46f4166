"""Reference data read on every request (agencies, administrative units, the current version of a
procedure), kept in the process for a short time.

Each submission used to read these rows again: four ORM queries out of nine, about a third of the
request's CPU (docs/performance.md). They change rarely and only through the admin or an import, so:

- a change saved in this process clears every cache at once (``clear_on_change`` connects the
  models' save and delete signals);
- other processes (more web workers, the task worker) see it within
  ``MOTCUA_REFERENCE_CACHE_SECONDS`` (default 60; 0 turns caching off).

Cached values are shared between threads: callers must not modify them.
"""

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

_MISSING = object()
_caches: list["TimedCache"] = []


class TimedCache:
    """A dict whose entries expire after the configured number of seconds."""

    def __init__(self, name: str, max_size: int = 10_000):
        self.name = name
        self.max_size = max_size
        self._data: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        _caches.append(self)

    def get(self, key: Hashable, load: Callable[[], Any]) -> Any:
        """The value under ``key``, from ``load()`` when absent or expired. ``None`` is cached too
        (an unknown code stays unknown until a change or the expiry)."""
        seconds = settings.MOTCUA_REFERENCE_CACHE_SECONDS
        if seconds <= 0:
            return load()
        now = time.monotonic()
        entry = self._data.get(key, _MISSING)
        if entry is not _MISSING and entry[0] > now:  # type: ignore[index]
            return entry[1]  # type: ignore[index]
        value = load()
        with self._lock:
            if len(self._data) >= self.max_size:
                self._data.clear()
            self._data[key] = (now + seconds, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def clear_all(**_kwargs: Any) -> None:
    for cache in _caches:
        cache.clear()


def clear_on_change(*model_classes: type[models.Model]) -> None:
    """Clear every reference cache when one of these models is saved or deleted in this process.
    (``QuerySet.update`` sends no signal: the expiry covers it.)"""
    for model in model_classes:
        post_save.connect(clear_all, sender=model, dispatch_uid=f"refcache-save-{model._meta.label}")
        post_delete.connect(clear_all, sender=model, dispatch_uid=f"refcache-delete-{model._meta.label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through  # type: ignore[attr-defined]
            assert through is not None
            m2m_changed.connect(clear_all, sender=through, dispatch_uid=f"refcache-m2m-{through._meta.label}")
