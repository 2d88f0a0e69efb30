"""E-mail addresses: a keyed hash to find and count them by, a mask to show, nothing in clear."""

from django.utils.crypto import salted_hmac


def normalise(address: str) -> str:
    return address.strip().lower()


def hash_address(address: str) -> str:
    """A keyed HMAC (the secret key): the same for the same address, useless without the key."""
    return salted_hmac("participation.address", normalise(address)).hexdigest()


def hash_client(client: str) -> str:
    return salted_hmac("participation.client", client or "unknown").hexdigest()


def mask(address: str) -> str:
    """j•••@e•••.org: enough for a moderator to tell two apart, not to read one."""
    local, _, domain = (address or "").partition("@")
    name, dot, tld = domain.rpartition(".")
    if not dot:
        name, tld = domain, ""
    return f"{local[:1]}•••@{name[:1]}•••{dot}{tld}"
