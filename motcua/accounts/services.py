"""Writes for accounts: registration, the person's contact details, throttled login, API tokens,
staff roles."""

import datetime
import functools
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts import tasks, throttle
from motcua.accounts.constants import AccountKind, Role
from motcua.accounts.identity import IdentityClaims
from motcua.accounts.models import ApiToken, LinkedIdentity, Membership, User
from motcua.accounts.validators import validate_citizen_id, validate_phone, validate_tax_code
from motcua.agencies.models import Agency
from motcua.core import audit
from motcua.core.text import clean_code, clean_text


class LoginError(Exception):
    """A login that did not succeed, with the message to show."""


class LoginThrottled(LoginError):
    """Too many failures from this address or on this account: ``wait`` seconds before the next try."""

    def __init__(self, message: str, wait: int):
        super().__init__(message)
        self.wait = wait


@dataclass(frozen=True)
class Registration:
    kind: str
    full_name: str
    identity_number: str
    password: str
    email: str = ""
    phone: str = ""


def register_account(data: Registration) -> User | None:
    """Register a citizen (12-digit identity number) or a business (tax code).

    Raises ValidationError with messages keyed by field when the input itself is wrong; nothing is saved
    then. Returns the new account, or None when the identity number, email or phone already belongs to
    an account: then nothing is created and each such account's owner is told by email, so that the
    answer to the person registering does not reveal which accounts exist (the caller shows the same
    page either way, and the same work is done: the password is hashed in both cases).
    """
    data = Registration(
        kind=data.kind,
        full_name=clean_text(data.full_name),
        identity_number=clean_code(data.identity_number),
        password=data.password,
        email=clean_text(data.email).lower(),
        phone=clean_code(data.phone),
    )
    errors: dict[str, list[str]] = {}

    def check(field: str, func, value) -> None:
        try:
            func(value)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)

    if data.kind not in (AccountKind.CITIZEN, AccountKind.BUSINESS):
        errors["kind"] = [_("Chọn công dân hoặc tổ chức, doanh nghiệp.")]
    if not data.full_name:
        errors["full_name"] = [_("Vui lòng nhập họ và tên.")]
    check(
        "identity_number",
        validate_tax_code if data.kind == AccountKind.BUSINESS else validate_citizen_id,
        data.identity_number,
    )
    if not data.email and not data.phone:
        errors["email"] = [_("Cần ít nhất một trong thư điện tử hoặc số điện thoại.")]
    if data.phone:
        check("phone", validate_phone, data.phone)
    candidate = User(username=data.identity_number, full_name=data.full_name, email=data.email)
    check("password", lambda value: validate_password(value, candidate), data.password)
    if errors:
        raise ValidationError(errors)

    user = User(
        username=data.identity_number,
        kind=data.kind,
        full_name=data.full_name,
        identity_number=data.identity_number,
        email=data.email,
        phone=data.phone,
    )
    user.set_password(data.password)
    holders = _holders(data)
    if not holders:
        try:
            with transaction.atomic():
                user.save()
                audit.record(
                    "account.registered", actor=user, obj=user, summary=user.full_name, kind=user.kind
                )
            return user
        except IntegrityError:
            holders = _holders(data)  # registered a moment ago by a concurrent request
    with transaction.atomic():
        audit.record("account.registration_refused", summary=data.full_name[:100], accounts=len(holders))
        for holder in holders:
            transaction.on_commit(functools.partial(tasks.warn_of_registration.enqueue, holder.pk))
    return None


def _holders(data: Registration) -> list[User]:
    """Accounts that already have the identity number, email or phone of ``data``."""
    match = Q(identity_number=data.identity_number) | Q(username=data.identity_number)
    if data.email:
        match |= Q(email__iexact=data.email)
    if data.phone:
        match |= Q(phone=data.phone)
    return list(User.objects.filter(match).order_by("pk"))


ADDRESS_MAX = User._meta.get_field("address").max_length or 500


def update_profile(user: User, *, phone: str, email: str, address: str) -> User:
    """The person changes how to reach them: phone, email, address (name and identity number are
    verified at registration and stay). The same checks as registration: at least one of email or
    phone, a valid phone, a valid email, neither already used by another account.

    Raises ValidationError with messages keyed by field; nothing is saved then. Returns the account
    as saved; the audit row names the fields that changed, not their values."""
    phone = (phone or "").strip()
    email = (email or "").strip().lower()
    address = " ".join((address or "").split())
    errors: dict[str, list[str]] = {}

    def check(field: str, func, value) -> None:
        try:
            func(value)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)

    if not email and not phone:
        errors["email"] = [_("Cần ít nhất một trong thư điện tử hoặc số điện thoại.")]
    if phone:
        check("phone", validate_phone, phone)
    if email:
        check("email", validate_email, email)
    if len(address) > ADDRESS_MAX:
        errors["address"] = [_("Tối đa %(n)s ký tự.") % {"n": ADDRESS_MAX}]
    others = User.objects.exclude(pk=user.pk)
    if email and "email" not in errors and others.filter(email__iexact=email).exists():
        errors.setdefault("email", []).append(_("Thư điện tử này đã được đăng ký."))
    if phone and "phone" not in errors and others.filter(phone=phone).exists():
        errors.setdefault("phone", []).append(_("Số điện thoại này đã được đăng ký."))
    if errors:
        raise ValidationError(errors)

    try:
        with transaction.atomic():
            row = User.objects.select_for_update().get(pk=user.pk)
            changed = [
                name
                for name, value in (("phone", phone), ("email", email), ("address", address))
                if getattr(row, name) != value
            ]
            if not changed:
                return row
            row.phone, row.email, row.address = phone, email, address
            row.save(update_fields=changed)
            audit.record("account.profile_updated", actor=row, obj=row, summary=row.username, fields=changed)
    except IntegrityError:
        # Another account took the email or phone between the check and the save.
        taken: dict[str, list[str]] = {}
        if email and others.filter(email__iexact=email).exists():
            taken["email"] = [_("Thư điện tử này đã được đăng ký.")]
        if phone and others.filter(phone=phone).exists():
            taken["phone"] = [_("Số điện thoại này đã được đăng ký.")]
        raise ValidationError(taken or {"email": [_("Thư điện tử này đã được đăng ký.")]}) from None
    user.phone, user.email, user.address = phone, email, address
    return row


def log_in(request: Any, identifier: str, password: str, *, starts_session: bool = False) -> User:
    """Check the credentials, throttled per client address and per account (motcua.accounts.throttle).
    Raises LoginError with one message whether or not the account exists, or LoginThrottled.

    A success is recorded (last login, django-axes' log of the address, which forgets this address's
    failures on the account) by ``django.contrib.auth.login`` when the caller ``starts_session``, here
    otherwise (an API token)."""
    user = authenticate(request, username=identifier, password=password)
    if user is None:
        wait = getattr(request, "login_wait", 0)
        if wait:
            raise LoginThrottled(throttle.wait_message(wait), wait)
        raise LoginError(throttle.generic_failure())
    if not starts_session and request is not None:
        user_logged_in.send(sender=type(user), request=request, user=user)
    audit.record("account.logged_in", actor=user, obj=user)
    return user


def issue_token(user: User) -> tuple[str, ApiToken]:
    """A new bearer token for the API; the raw value is returned once and never stored."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        digest=ApiToken.hash(raw),
        expires_at=timezone.now() + datetime.timedelta(days=settings.MOTCUA_API_TOKEN_DAYS),
    )
    audit.record("api_token.issued", actor=user, obj=token)
    return raw, token


def revoke_token(token: ApiToken, *, actor: Any) -> None:
    """End one token (DELETE /api/auth/token, the admin)."""
    with transaction.atomic():
        audit.record("api_token.revoked", actor=actor, obj=token.user, summary=token.user.username)
        ApiToken.objects.filter(pk=token.pk).delete()


def revoke_tokens(user: User, *, actor: Any) -> int:
    """End every token of ``user``; how many there were. (A new password or a deactivation does it too:
    ``User.save``.)"""
    with transaction.atomic():
        count, _deleted = ApiToken.objects.filter(user=user).delete()
        audit.record("api_token.revoked_all", actor=actor, obj=user, summary=user.username, count=count)
    return count


def user_for_token(raw: str) -> User | None:
    """The account behind a bearer token, if it is valid. Its last use is recorded at most once a
    minute, so that reading the API does not write on every request.

    Read on every API request, so one hand-written statement whose row becomes the User directly
    (``Model.from_db``): building the same query with the ORM, or going through ``raw()``, cost
    as much CPU as much of a submission (docs/performance.md)."""
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    sql, attnames, converters = _token_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [adapt(now - _TOKEN_TOUCH), ApiToken.hash(raw), adapt(now)])
        row = cursor.fetchone()
    if row is None:
        return None
    *values, token_pk, token_stale = row
    for i, functions, col in converters:
        for convert in functions:
            values[i] = convert(values[i], col, connection)
    user = User.from_db(connection.alias, attnames, values)
    user.api_token_id = token_pk  # type: ignore[attr-defined]  # which token authenticated the request (DELETE /api/auth/token)
    if token_stale:
        ApiToken.objects.filter(pk=token_pk).update(last_used_at=now)
    return user


_TOKEN_TOUCH = datetime.timedelta(minutes=1)


@functools.cache
def _token_query() -> tuple[str, list[str], list[tuple[int, list, Any]]]:
    """The statement of ``user_for_token``, the User fields its columns hold, and the database
    converters of those that need one (SQLite's datetimes, say), worked out once."""
    name = connection.ops.quote_name
    fields = User._meta.concrete_fields
    converters = []
    for i, field in enumerate(fields):
        col = field.get_col("u")
        functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if functions:
            converters.append((i, functions, col))
    columns = ", ".join(f"u.{name(str(f.column))}" for f in fields)
    sql = (
        f"SELECT {columns}, t.id, (t.last_used_at IS NULL OR t.last_used_at < %s) "  # noqa: S608  (names from the models, values are parameters)
        f"FROM {name(User._meta.db_table)} u JOIN {name(ApiToken._meta.db_table)} t ON t.user_id = u.id "
        f"WHERE t.digest = %s AND t.expires_at > %s AND u.is_active"
    )
    return sql, [f.attname for f in fields], converters


def grant_role(user: User, agency: Agency, role: Role, *, actor: Any = None) -> Membership:
    if user.kind != AccountKind.STAFF:
        raise ValidationError(_("Chỉ cán bộ mới được giao vai trò."))
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
        if created:
            audit.record("role.granted", actor=actor, obj=membership, summary=str(membership))
    return membership


# ---------------------------------------------------------------------------------------------
# Login through an identity provider (VNeID)


def sign_in_with_identity(claims: IdentityClaims, *, provider: str, current_user: Any = None) -> User:
    """The account for a verified login through ``provider``, created or linked by the rule below, in
    one transaction with its audit rows.

    The rule (an identity number typed at a password registration is a claim; the provider's is proof):
    1. The provider's subject already linked: that account.
    2. The identity number already verified (through any provider): that account, linked.
    3. The person is logged in (``current_user``, a citizen or business account) while logging in
       through the provider: that account is linked, if its number is the verified one or it has none.
    4. Otherwise a new account is made for the verified person (no password: they log in through the
       provider). An account registered by password with this number (someone who typed it, maybe the
       person themself) is not linked, since nobody proved they hold it: its number is moved to
       ``unverified_identity_number``, so it no longer answers to the number, and the verified owner
       may claim the dossiers submitted under their number (dossiers.services.claim_dossiers).
    Staff accounts are never linked or made here.
    """
    number = claims.identity_number
    now = timezone.now()
    with transaction.atomic():
        link = (
            LinkedIdentity.objects.select_for_update()
            .select_related("user")
            .filter(provider=provider, subject=claims.subject)
            .first()
            or LinkedIdentity.objects.select_for_update()
            .select_related("user")
            .filter(identity_number=number)
            .first()
        )
        if link is not None and link.user.identity_number != number:
            raise IdentityRefused(_("Tài khoản định danh này đã liên kết với một số định danh khác."))
        user = link.user if link is not None else None
        if user is not None and not user.is_active:
            raise IdentityRefused(_("Tài khoản đã bị khóa."))
        if user is None and current_user is not None and getattr(current_user, "is_authenticated", False):
            current = User.objects.select_for_update().get(pk=current_user.pk)
            if current.kind == AccountKind.STAFF:
                raise IdentityRefused(_("Tài khoản cán bộ không đăng nhập bằng tài khoản định danh điện tử."))
            if current.identity_number not in (None, "", number):
                raise IdentityRefused(
                    _("Tài khoản đang đăng nhập mang số định danh khác với tài khoản định danh điện tử.")
                )
            user = current
        if user is None or user.identity_number != number:
            # Whoever else holds the number by a password registration loses it (step 4).
            holders = User.objects.select_for_update().filter(identity_number=number)
            if user is not None:
                holders = holders.exclude(pk=user.pk)
            for holder in holders:
                holder.unverified_identity_number = number
                holder.identity_number = None
                holder.save(update_fields=["identity_number", "unverified_identity_number"])
                audit.record(
                    "account.identity_superseded",
                    obj=holder,
                    summary=_("Số định danh tự khai đã được chủ sở hữu xác thực dùng"),
                    provider=provider,
                )
        if user is None:
            kind = AccountKind.BUSINESS if claims.account_type == 2 else AccountKind.CITIZEN
            user = User(username=f"{provider}-{claims.subject}"[:150], kind=kind, full_name=claims.full_name)
            user.set_unusable_password()
            for field in ("email", "phone"):
                value = getattr(claims, field)
                if value and not User.objects.filter(**{field: value}).exists():
                    setattr(user, field, value)
            user.identity_number = number
            user.save()
            audit.record(
                "account.registered",
                actor=user,
                obj=user,
                summary=user.full_name,
                kind=user.kind,
                provider=provider,
            )
        user.identity_number = number
        user.identity_assurance = claims.assurance_level
        if claims.full_name:
            user.full_name = claims.full_name
        user.save(update_fields=["identity_number", "identity_assurance", "full_name"])
        if link is None:
            link = LinkedIdentity(
                user=user, provider=provider, subject=claims.subject, identity_number=number
            )
            audit.record("account.identity_linked", actor=user, obj=user, provider=provider)
        link.subject = claims.subject
        link.assurance_level = claims.assurance_level
        link.full_name = claims.full_name
        link.birth_date = claims.birth_date
        link.last_login_at = now
        link.save()
        audit.record(
            "account.logged_in",
            actor=user,
            obj=user,
            provider=provider,
            assurance_level=claims.assurance_level,
        )
    return user


class IdentityRefused(LoginError):
    """A verified login that may not open an account here, with the message to show."""
