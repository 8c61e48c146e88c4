"""The address a request came from, as django-axes should count failed sign-ins against it."""

from django.conf import settings


def client_ip(request):
    """Return the client's address: behind our proxy, the one the proxy appended to X-Forwarded-For.

    Only the last entry is trustworthy (the proxy wrote it); earlier ones are whatever the client sent,
    so using them would let an attacker pick a fresh address for every guess.
    """
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")
