"""The address of the client, the same way for lockout, rate limits and abuse control."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind TALANG_PROXY_COUNT trusted proxies the address the outermost
    trusted proxy saw (counted from the right of X-Forwarded-For, which a client can forge
    only on the left)."""
    proxies = settings.TALANG_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    # Fewer hops than trusted proxies: the request did not come through them all.
    return remote
