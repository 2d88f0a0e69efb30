"""Signed links in e-mails (django.core.signing): the token is the proof, no session needed.

Confirmation and "manage" links expire (TimestampSigner, max ages in settings); unsubscribe
links never do, as RFC 8058 asks of a List-Unsubscribe URL. Each purpose has its own salt,
so one kind of token cannot be replayed as another. Tokens carry row ids, never an address
(URLs end up in access logs).
"""

from django.conf import settings
from django.core import signing

CONFIRM = signing.TimestampSigner(salt="participation.confirm")
MANAGE = signing.TimestampSigner(salt="participation.manage")
UNSUBSCRIBE = signing.Signer(salt="participation.unsubscribe")


class BadLink(Exception):
    """A link that was tampered with, is cut short, or has expired (the message says which)."""


def confirm_token(subscription) -> str:
    return CONFIRM.sign(str(subscription.pk))


def manage_token(subscriber) -> str:
    return MANAGE.sign(str(subscriber.pk))


def unsubscribe_token(subscriber) -> str:
    return UNSUBSCRIBE.sign(str(subscriber.pk))


def _read(signer, token: str, **kwargs) -> int:
    try:
        value = signer.unsign(token, **kwargs)
    except signing.SignatureExpired:
        raise BadLink("This link has expired.") from None
    except signing.BadSignature:
        raise BadLink("This link is not valid: it may have been cut short or changed.") from None
    return int(value)


def read_confirm(token: str) -> int:
    return _read(CONFIRM, token, max_age=settings.ALERT_CONFIRM_MAX_AGE)


def read_manage(token: str) -> int:
    return _read(MANAGE, token, max_age=settings.ALERT_MANAGE_MAX_AGE)


def read_unsubscribe(token: str) -> int:
    return _read(UNSUBSCRIBE, token)
