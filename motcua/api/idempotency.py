"""``Idempotency-Key`` on the API's creating POSTs: the same key with the same request gives the first
answer again, status and body; the same key with another request is a 422; concurrent requests with
one key create one thing.

The view runs and its answer is stored with the key in one transaction: a row per (account, key)
(``IdempotentRequest``), inserted after the view with ``INSERT … ON CONFLICT``, so that a request pays
one statement more than without a key. A concurrent request with the same key waits on that row's
unique index until the first commits, finds the key taken, takes back everything it did (its dossier,
its code's number) and replays the first answer; if the first fails (a 5xx, or the connection drops),
its transaction takes everything back and the next request with the key runs afresh. Answers other
than 5xx are kept (a 422 is the answer to that request: a retry gets it again), for
MOTCUA_IDEMPOTENCY_HOURS; after that the key is free again.

Which operations: those ``IDEMPOTENT_OPERATIONS`` names (``POST /api/dossiers``, ``POST
/api/dossiers/{ref}/files`` and ``POST /api/dossiers/{ref}/payments``). ``POST /api/auth/token`` is
not one: its answer is a secret that is never stored. Officers' actions need no key: each carries the
revision it was decided on (409 when stale), which a repeat no longer matches.

Cost: an API request without the header pays nothing; with it, BEGIN, one statement and COMMIT
(docs/performance.md).
"""

import datetime
import hashlib
import re

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import ApiToken
from motcua.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
# POST paths under /api/ whose operation creates something.
IDEMPOTENT_OPERATIONS = re.compile(r"^/api/dossiers(/[^/]+/(files|payments))?/?$")
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII: a UUID, say

OPENAPI_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[\x21-\x7e]+$"},
    "description": "Any unique string (a UUID): a retry with the same key and the same request gets the "
    "first answer again (status and body) without creating anything; the same key with another request "
    "is a 422. Kept for MOTCUA_IDEMPOTENCY_HOURS (24 h by default).",
}


class IdempotencyMiddleware:
    """Apply ``Idempotency-Key`` to the creating POSTs of the API (after the browser middleware, which the
    API skips)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not IDEMPOTENT_OPERATIONS.match(request.path_info):
            return self.get_response(request)
        if not _KEY.match(key):
            message = _("Khóa Idempotency-Key gồm 1 đến 255 ký tự ASCII nhìn thấy được.")
            return JsonResponse({"detail": message, "errors": {HEADER: [message]}}, status=422)
        digest = _token_digest(request)
        if digest is None:
            return self.get_response(request)  # no token: the API answers 401
        return _once(request, self.get_response, digest, key, _fingerprint(request))


def _token_digest(request) -> str | None:
    scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    return ApiToken.hash(raw.strip()) if scheme.lower() == "bearer" and raw.strip() else None


def _fingerprint(request) -> str:
    """What makes two requests the same: method, path and content (for a multipart form, its fields and
    the files' bytes: the boundary differs between two sendings of the same form)."""
    digest = hashlib.sha256(f"{request.method} {request.path_info}\n".encode())
    if request.content_type == "multipart/form-data":
        for name, values in sorted(request.POST.lists()):
            digest.update(f"{name}={values!r}\n".encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(f"{name}:{upload.name}:{upload.size}\n".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(f"{request.content_type}\n".encode())
        digest.update(request.body)
    return digest.hexdigest()


def _once(request, get_response, token_digest: str, key: str, fingerprint: str) -> HttpResponse:
    now = timezone.now()
    expired = now - datetime.timedelta(hours=settings.MOTCUA_IDEMPOTENCY_HOURS)
    with transaction.atomic():
        response = get_response(request)
        if response.status_code >= 500 or response.status_code in (401, 429) or response.streaming:
            transaction.set_rollback(True)  # nothing of it stays: no key, no half-made dossier
            return response
        stored = _record(token_digest, key, fingerprint, now, expired, response)
        if stored is None:
            transaction.set_rollback(True)  # the key was taken first: what this request made goes
    if stored is None:
        first = _first(token_digest, key)
        if first is None:
            return response  # the token matched no account
        if first.fingerprint != fingerprint:
            message = _("Khóa Idempotency-Key này đã dùng cho một yêu cầu khác.")
            return JsonResponse({"detail": message, "errors": {HEADER: [message]}}, status=422)
        return _replay(first)
    if stored % 1000 == 0:  # now and then, forget the keys past their time
        IdempotentRequest.objects.filter(created_at__lt=expired).delete()
    return response


def _names():
    q = connection.ops.quote_name
    return q(IdempotentRequest._meta.db_table), q(ApiToken._meta.db_table)


def _record(
    token_digest: str, key: str, fingerprint: str, now, expired, response: HttpResponse
) -> int | None:
    """Insert the (account, key) row with the answer, or take over an expired one; None if a live one
    exists (it was written by a request that committed first, or waits for it to commit)."""
    table, tokens = _names()
    q = connection.ops.quote_name
    user, key_, at = q("user_id"), q("key"), q("created_at")
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        # Names come from the models; every value is a parameter.
        cursor.execute(
            f"INSERT INTO {table} ({user}, {key_}, fingerprint, {at}, status, content_type, body) "  # noqa: S608
            f"SELECT t.user_id, %s, %s, %s, %s, %s, %s FROM {tokens} t "
            "WHERE t.digest = %s AND t.expires_at > %s "
            f"ON CONFLICT ({user}, {key_}) DO UPDATE SET fingerprint = excluded.fingerprint, "
            f"{at} = excluded.{at}, status = excluded.status, content_type = excluded.content_type, "
            f"body = excluded.body WHERE {table}.{at} < %s RETURNING id",
            [
                key,
                fingerprint,
                adapt(now),
                response.status_code,
                response.get("Content-Type", "")[:100],
                bytes(response.content),
                token_digest,
                adapt(now),
                adapt(expired),
            ],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _first(token_digest: str, key: str) -> IdempotentRequest | None:
    return (
        IdempotentRequest.objects.filter(key=key, user__api_tokens__digest=token_digest)
        .only("fingerprint", "status", "content_type", "body")
        .first()
    )


def _replay(first: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(
        bytes(first.body or b""), status=first.status or 200, content_type=first.content_type
    )
    response["Idempotent-Replayed"] = "true"
    return response
