"""Machine clients of the API (ứng dụng kết nối), in the style of Open Zaak's authorisation component:
each client has an id, a secret shown once and kept as its SHA-256, a set of scopes and the agencies
whose dossiers it sees. It exchanges id and secret for a bearer token of MOTCUA_CLIENT_TOKEN_MINUTES
(the client-credentials grant of RFC 6749 §4.4); docs/decisions/0011-api-clients.md says why.

Every change (creation, rotation, deactivation) takes the client's row lock and is audited.
"""

import datetime
import functools
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.accounts.constants import ClientScope
from motcua.accounts.models import ApiClient, ApiClientToken, User
from motcua.core import audit, clock

NO_GRACE = datetime.timedelta(0)
# Client tokens start with this, so that a bearer token is looked up in one table only.
TOKEN_PREFIX = "mcc_"


class ClientCredentialsError(Exception):
    """Unknown client, wrong secret, inactive or expired client: one message for all, so that client
    ids cannot be probed."""


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def check_scopes(scopes: Iterable[str]) -> list[str]:
    """The scopes in a fixed order; a ValidationError naming an unknown one."""
    known = list(ClientScope.values)
    unknown = sorted(set(scopes) - set(known))
    if unknown:
        raise ValidationError(
            _("Phạm vi không có: %(scopes)s.") % {"scopes": ", ".join(unknown)}, code="unknown_scope"
        )
    return [s for s in known if s in set(scopes)]


@dataclass(frozen=True)
class NewClient:
    client: ApiClient
    secret: str  # shown once, never stored


def create_client(
    *,
    name: str,
    client_id: str,
    scopes: Iterable[str],
    agencies: Iterable = (),
    province_wide: bool = False,
    acting_user: User | None = None,
    expires_at: datetime.datetime | None = None,
    actor=None,
) -> NewClient:
    """A new client and its secret (the only time the secret is seen)."""
    secret = new_secret()
    with transaction.atomic():
        client = ApiClient.objects.create(
            name=name,
            client_id=client_id,
            secret_digest=digest(secret),
            secret_rotated_at=clock.now(),
            scopes=check_scopes(scopes),
            province_wide=province_wide,
            acting_user=acting_user,
            expires_at=expires_at,
        )
        client.agencies.set(list(agencies))
        audit.record(
            "api_client.created", actor=actor, obj=client, summary=client.client_id, scopes=client.scopes
        )
    return NewClient(client, secret)


def secret_created(client: ApiClient, *, actor=None) -> str:
    """Give a client saved without a secret (the admin's add form) its first secret."""
    secret = new_secret()
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        locked.secret_digest = digest(secret)
        locked.secret_rotated_at = clock.now()
        locked.scopes = check_scopes(locked.scopes)
        locked.save(update_fields=["secret_digest", "secret_rotated_at", "scopes"])
        audit.record(
            "api_client.created", actor=actor, obj=locked, summary=locked.client_id, scopes=locked.scopes
        )
    return secret


def rotate_secret(client: ApiClient, *, actor=None, grace: datetime.timedelta | None = None) -> str:
    """A new secret for ``client``; the old one still works for ``grace`` (default
    MOTCUA_CLIENT_ROTATION_GRACE_HOURS; 0 ends it at once, with every token it got)."""
    if grace is None:
        grace = datetime.timedelta(hours=settings.MOTCUA_CLIENT_ROTATION_GRACE_HOURS)
    secret = new_secret()
    now = clock.now()
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        locked.previous_secret_digest = locked.secret_digest if grace > datetime.timedelta(0) else ""
        locked.previous_secret_valid_until = now + grace if grace > datetime.timedelta(0) else None
        locked.secret_digest = digest(secret)
        locked.secret_rotated_at = now
        locked.save(
            update_fields=[
                "previous_secret_digest",
                "previous_secret_valid_until",
                "secret_digest",
                "secret_rotated_at",
            ]
        )
        if grace <= datetime.timedelta(0):
            ApiClientToken.objects.filter(client=locked).delete()
        audit.record(
            "api_client.secret_rotated",
            actor=actor,
            obj=locked,
            summary=locked.client_id,
            grace_hours=grace.total_seconds() / 3600,
        )
    return secret


def deactivate_client(client: ApiClient, *, actor=None) -> None:
    """The client can no longer get a token; the tokens it holds end now."""
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        ApiClientToken.objects.filter(client=locked).delete()
        if locked.is_active:
            locked.is_active = False
            locked.save(update_fields=["is_active"])
            audit.record("api_client.deactivated", actor=actor, obj=locked, summary=locked.client_id)


def _usable(now: datetime.datetime) -> Q:
    return Q(is_active=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def issue_token(client_id: str, secret: str) -> tuple[str, ApiClientToken]:
    """A new bearer token for a client's id and secret (the current one, or the previous one during its
    grace); ClientCredentialsError otherwise. The raw token is returned once and never stored."""
    now = clock.now()
    client = ApiClient.objects.filter(_usable(now), client_id=client_id).first()
    given = digest(secret or "")
    if client is None or not client.secret_digest:
        raise ClientCredentialsError(_("Mã ứng dụng hoặc khóa bí mật không đúng, hoặc ứng dụng đã bị khóa."))
    current = hmac.compare_digest(given, client.secret_digest)
    previous = (
        bool(client.previous_secret_digest)
        and client.previous_secret_valid_until is not None
        and client.previous_secret_valid_until > now
        and hmac.compare_digest(given, client.previous_secret_digest)
    )
    if not (current or previous):
        raise ClientCredentialsError(_("Mã ứng dụng hoặc khóa bí mật không đúng, hoặc ứng dụng đã bị khóa."))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    lifetime = datetime.timedelta(minutes=settings.MOTCUA_CLIENT_TOKEN_MINUTES)
    expires_at = now + lifetime
    if client.expires_at is not None:
        expires_at = min(expires_at, client.expires_at)
    with transaction.atomic():
        token = ApiClientToken.objects.create(client=client, digest=digest(raw), expires_at=expires_at)
        ApiClient.objects.filter(pk=client.pk).update(last_token_at=now)
        # Expired tokens of this client go as it gets new ones: the table stays small.
        ApiClientToken.objects.filter(client=client, expires_at__lte=now).delete()
        audit.record(
            "api_client.token_issued",
            obj=client,
            summary=client.client_id,
            with_previous_secret=previous and not current,
        )
    return raw, token


def client_for_token(raw: str) -> ApiClient | None:
    """The active client behind a bearer token, if the token is valid: one statement, written out rather
    than compiled by the ORM at every request (as ``services.user_for_token``, docs/decisions/0004)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    now = clock.now()
    found = list(ApiClient.objects.raw(_client_token_sql(), [digest(raw), now, now]))
    return found[0] if found else None


@functools.cache
def _client_token_sql() -> str:
    q = connection.ops.quote_name
    clients_table, tokens_table = q(ApiClient._meta.db_table), q(ApiClientToken._meta.db_table)
    # Names come from the models; every value is a parameter.
    return (
        f"SELECT c.* FROM {clients_table} c JOIN {tokens_table} t ON t.{q('client_id')} = c.{q('id')} "  # noqa: S608
        f"WHERE t.{q('digest')} = %s AND t.{q('expires_at')} > %s AND c.{q('is_active')} "
        f"AND (c.{q('expires_at')} IS NULL OR c.{q('expires_at')} > %s) LIMIT 1"
    )
