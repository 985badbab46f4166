"""Who may change the catalogue, asked by the admin's publish buttons, the national catalogue refresh
page and its service alike (docs/decisions/0007: one predicate per permission).

``catalog.publish_version`` (object: a Procedure, or None for "some procedure"): a superuser or a
province administrator, or an agency administrator of an agency that implements the procedure (its
current version's agencies, else its latest version's)."""

import rules

from motcua.accounts.constants import AccountKind, Role


@rules.predicate
def is_staff_member(user) -> bool:
    return bool(user.is_authenticated and user.kind == AccountKind.STAFF and user.is_active)


@rules.predicate
def is_province_admin(user) -> bool:
    return bool(user.is_superuser or user.memberships.filter(role=Role.PROVINCE_ADMIN).exists())


@rules.predicate
def administers_procedure(user, procedure) -> bool:
    admin_of = user.memberships.filter(role=Role.AGENCY_ADMIN).values_list("agency_id", flat=True)
    if procedure is None:
        return admin_of.exists()
    version = (
        procedure.versions.filter(is_current=True).first() or procedure.versions.order_by("-number").first()
    )
    return version is not None and version.agencies.filter(pk__in=admin_of).exists()


rules.add_perm("catalog.publish_version", is_staff_member & (is_province_admin | administers_procedure))
