"""Writes for accounts: registration, the person's contact details, login with lockout, API tokens,
staff roles."""

import datetime
import functools
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.backends import find_user
from motcua.accounts.constants import AccountKind, Role
from motcua.accounts.models import ApiToken, Membership, User
from motcua.accounts.validators import validate_citizen_id, validate_phone, validate_tax_code
from motcua.agencies.models import Agency
from motcua.core import audit


class LoginError(Exception):
    """A login that did not succeed, with the message to show."""


@dataclass(frozen=True)
class Registration:
    kind: str
    full_name: str
    identity_number: str
    password: str
    email: str = ""
    phone: str = ""


def register_account(data: Registration) -> User:
    """Register a citizen (12-digit identity number) or a business (tax code).

    Raises ValidationError with messages keyed by field; nothing is saved then.
    """
    errors: dict[str, list[str]] = {}

    def check(field: str, func, value) -> None:
        try:
            func(value)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)

    if data.kind not in (AccountKind.CITIZEN, AccountKind.BUSINESS):
        errors["kind"] = [_("Chọn công dân hoặc tổ chức, doanh nghiệp.")]
    if not data.full_name.strip():
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
    if data.email and User.objects.filter(email__iexact=data.email).exists():
        errors.setdefault("email", []).append(_("Thư điện tử này đã được đăng ký."))
    if data.phone and User.objects.filter(phone=data.phone).exists():
        errors.setdefault("phone", []).append(_("Số điện thoại này đã được đăng ký."))
    if User.objects.filter(identity_number=data.identity_number).exists():
        errors.setdefault("identity_number", []).append(_("Số định danh này đã có tài khoản."))
    candidate = User(username=data.identity_number, full_name=data.full_name, email=data.email)
    check("password", lambda value: validate_password(value, candidate), data.password)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        user = User(
            username=data.identity_number,
            kind=data.kind,
            full_name=data.full_name.strip(),
            identity_number=data.identity_number,
            email=data.email.strip().lower(),
            phone=data.phone.strip(),
        )
        user.set_password(data.password)
        user.save()
        audit.record("account.registered", actor=user, obj=user, summary=user.full_name, kind=user.kind)
    return user


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


def log_in(request: Any, identifier: str, password: str) -> User:
    """Check the credentials, counting failures: after MOTCUA_LOGIN_MAX_FAILURES in a row the account
    is locked for MOTCUA_LOGIN_LOCKOUT_MINUTES. Raises LoginError with a message for the person."""
    generic = _("Tên đăng nhập hoặc mật khẩu không đúng.")
    target = find_user(identifier)
    user = authenticate(request, username=identifier, password=password)
    now = timezone.now()
    if target is None:
        raise LoginError(generic)
    error: str | None = None
    # The counter is saved before the error is raised: raising inside atomic() would roll it back.
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=target.pk)
        if locked.is_locked(now):
            error = _locked_message(locked)
        elif user is None:
            locked.failed_logins += 1
            if locked.failed_logins >= settings.MOTCUA_LOGIN_MAX_FAILURES:
                locked.locked_until = now + datetime.timedelta(minutes=settings.MOTCUA_LOGIN_LOCKOUT_MINUTES)
                locked.failed_logins = 0
                audit.record("account.locked", obj=locked, summary=locked.username)
                error = _locked_message(locked)
            else:
                audit.record("account.login_failed", obj=locked, summary=locked.username)
                error = generic
            locked.save(update_fields=["failed_logins", "locked_until"])
        else:
            if locked.failed_logins or locked.locked_until:
                locked.failed_logins = 0
                locked.locked_until = None
                locked.save(update_fields=["failed_logins", "locked_until"])
            audit.record("account.logged_in", actor=locked, obj=locked)
    if error or user is None:
        raise LoginError(error or generic)
    return user


def _locked_message(user: User) -> str:
    until = timezone.localtime(user.locked_until).strftime("%H:%M %d/%m/%Y")
    return _("Tài khoản tạm khóa đến %(until)s do đăng nhập sai nhiều lần.") % {"until": until}


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
