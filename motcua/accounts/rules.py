"""Who may do what with API clients and the access log: predicates of the one rule table
(docs/decisions/0007), asked by the API and the staff pages alike.

- ``client.<scope>`` (``rules.test_rule("client.dossiers.read", client)``): an active, unexpired API
  client that was given the scope. The API asks it for every operation open to clients
  (motcua.api.auth); which dossiers a client sees is ``dossiers.rules.client_sees_dossier``.
- ``accounts.search_access_log`` (``user.has_perm(...)``): the supervisor who searches the
  personal-data access log: a superuser, a province administrator, or a member of staff given the
  model permission "view access log entry" (the inspectors' group in the admin).
"""

import rules
from django.contrib.auth.models import Permission
from django.db.models import Q

from motcua.accounts.constants import AccountKind, ClientScope, Role
from motcua.accounts.models import ApiClient, User
from motcua.core import clock


@rules.predicate
def is_usable_client(client) -> bool:
    if not isinstance(client, ApiClient) or not client.is_active:
        return False
    return client.expires_at is None or client.expires_at > clock.now()


def client_has_scope(scope: str) -> rules.Predicate:
    """A predicate: the client was given ``scope``."""

    def test(client) -> bool:
        return isinstance(client, ApiClient) and scope in client.scope_set

    return rules.predicate(test, name=f"client_has_scope:{scope}")


@rules.predicate
def client_sees_agency(client, agency_id) -> bool:
    """The client sees this agency's dossiers and reports (every agency if province-wide)."""
    if not isinstance(client, ApiClient):
        return False
    return client.province_wide or agency_id in client.agency_ids


@rules.predicate
def may_search_access_log(user) -> bool:
    """A superuser, a province administrator, or a member of staff given the access log's view
    permission (``accounts.view_accesslogentry``, directly or by a group). One query: the staff pages'
    menu asks it on every page."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.is_superuser:
        return True
    if user.kind != AccountKind.STAFF:
        return False
    permission = Permission.objects.filter(codename="view_accesslogentry", content_type__app_label="accounts")
    return (
        User.objects.filter(pk=user.pk)
        .filter(
            Q(memberships__role=Role.PROVINCE_ADMIN)
            | Q(user_permissions__in=permission)
            | Q(groups__permissions__in=permission)
        )
        .exists()
    )


for _scope in ClientScope:
    rules.add_rule(f"client.{_scope.value}", is_usable_client & client_has_scope(_scope.value))
rules.add_perm("accounts.search_access_log", may_search_access_log)


def client_may(client, scope: str) -> bool:
    """May ``client`` use an operation that needs ``scope``?"""
    return rules.test_rule(f"client.{scope}", client)
