"""Facts about an HTTP request that several apps need: who is asking, from where."""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's IP address: REMOTE_ADDR, or behind MOTCUA_TRUSTED_PROXIES reverse proxies the address
    the outermost of them saw (each proxy appends the address it received from to X-Forwarded-For, so
    the trusted part is at the right; anything further left is what the client claims)."""
    remote = request.META.get("REMOTE_ADDR") or None
    hops = int(getattr(settings, "MOTCUA_TRUSTED_PROXIES", 0))
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            remote = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(remote)) if remote else None
    except ValueError:
        return None
