"""The one place that decides which address a request came from.

Behind nginx (``make serve``, and production) every request reaches Django from
the proxy, so ``REMOTE_ADDR`` is the proxy's own address. The proxy appends the
address it saw to ``X-Forwarded-For``; a client can send that header too, with
anything in it. So the header is read only when the connection itself comes from
a trusted proxy (``PORTAL_TRUSTED_PROXIES``), and from the right: each hop that
is itself a trusted proxy is skipped, and the first address that is not one is
the client. Whatever a client wrote further left is never reached.

Everything that keys on a client uses ``client_address``: the comment rate limit
and duplicate check, django-axes (``AXES_CLIENT_IP_CALLABLE``) and the request
logs (``ClientAddressFilter``).

django-ipware was weighed and left out: its default reads the left-most address
of the header, the one a client chooses.
"""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=4)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(settings.PORTAL_TRUSTED_PROXIES))


def _parse(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _is_trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str:
    """The address of the client, as the nearest trusted proxy reports it ("" if unknown)."""
    cached = getattr(request, "_client_address", None)
    if cached is not None:
        return cached
    address = _resolve(request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""))
    request._client_address = address
    return address


def _resolve(peer_text: str, forwarded_for: str) -> str:
    networks = trusted_networks()
    peer = _parse(peer_text)
    if not _is_trusted(peer, networks):
        return str(peer) if peer is not None else ""
    chain = [hop for hop in forwarded_for.split(",") if hop.strip()]
    address = peer
    for hop in reversed(chain):
        hop_address = _parse(hop)
        if hop_address is None:
            # Garbage in the header: trust stops here, at the last address we could read.
            break
        address = hop_address
        if not _is_trusted(hop_address, networks):
            break
    return str(address)


class ClientAddressFilter(logging.Filter):
    """Adds ``client`` (the resolved address) to log records that carry a request."""

    def filter(self, record):
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "META"):
            record.client = client_address(request)
        return True
