"""Alerts: asking for one (double opt-in, rate-limited), confirming it, leaving.

A confirmation is sent only under both limits: so many per address (no one can
mail-bomb an address through the portal) and so many per client, counted in one
transaction under PostgreSQL advisory locks on the two hashes, so the limits hold
across any number of server processes.
"""

import enum
import logging
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from participation import tokens
from participation.addresses import hash_address, hash_client
from participation.mail import absolute, mail_error, message
from participation.models import ConfirmationRequest, Subscriber, Subscription

logger = logging.getLogger(__name__)


class Outcome(enum.Enum):
    SENT = "sent"  # a confirmation, or a note that the alert exists already
    ADDRESS_LIMITED = "address_limited"
    CLIENT_LIMITED = "client_limited"
    MAIL_FAILED = "mail_failed"


def _lock(*keys: str) -> None:
    with connection.cursor() as cursor:
        for key in keys:  # always in this order (client, then address): no deadlock
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def request_alert(*, kind, filterset, address: str, frequency: str, client: str) -> Outcome:
    email_hash, client_hash = hash_address(address), hash_client(client)
    now = timezone.now()
    with transaction.atomic():
        _lock(f"alert-client:{client_hash}", f"alert-address:{email_hash}")
        ledger = ConfirmationRequest.objects
        address_since = now - timedelta(seconds=settings.ALERT_CONFIRM_ADDRESS_WINDOW)
        if ledger.filter(email_hash=email_hash, created_at__gte=address_since).count() >= (
            settings.ALERT_CONFIRM_PER_ADDRESS
        ):
            logger.warning("Alert confirmation refused: address limit reached (address %s…).", email_hash[:12])
            return Outcome.ADDRESS_LIMITED
        client_since = now - timedelta(seconds=settings.ALERT_CONFIRM_CLIENT_WINDOW)
        if ledger.filter(client_hash=client_hash, created_at__gte=client_since).count() >= (
            settings.ALERT_CONFIRM_PER_CLIENT
        ):
            logger.warning("Alert confirmation refused: client limit reached.")
            return Outcome.CLIENT_LIMITED
        ledger.create(email_hash=email_hash, client_hash=client_hash)
        subscriber, _ = Subscriber.objects.get_or_create(email_hash=email_hash, defaults={"email": address.strip()})
        subscription, _ = Subscription.objects.get_or_create(
            subscriber=subscriber,
            kind=kind.name,
            query=kind.normalised_query(filterset),
            defaults={"label": kind.label(filterset), "frequency": frequency},
        )
        if subscription.confirmed_at is None:
            subscription.frequency = frequency
            subscription.save(update_fields=["frequency"])
            mail = confirmation_message(subscription)
        else:
            # Say nothing on the page that tells a stranger the address is subscribed; tell the owner.
            mail = message(
                "already_subscribed",
                {"subscription": subscription, "manage_url": manage_url(subscriber)},
                to=subscriber.email,
            )
    try:
        mail.send()
    except (SMTPException, OSError) as error:
        logger.error("Could not send an alert confirmation (address %s…): %s", email_hash[:12], mail_error(error))
        return Outcome.MAIL_FAILED
    return Outcome.SENT


def confirmation_message(subscription):
    link = absolute(reverse("participation:alert-confirm", args=[tokens.confirm_token(subscription)]))
    hours = settings.ALERT_CONFIRM_MAX_AGE // 3600
    return message(
        "confirm",
        {"subscription": subscription, "confirm_url": link, "valid_hours": hours},
        to=subscription.subscriber.email,
    )


def manage_url(subscriber) -> str:
    return absolute(reverse("participation:alert-manage", args=[tokens.manage_token(subscriber)]))


def unsubscribe_url(subscriber) -> str:
    return absolute(reverse("participation:alert-unsubscribe", args=[tokens.unsubscribe_token(subscriber)]))


def confirm(subscription_id: int) -> Subscription | None:
    """Confirm an alert (again is harmless); None when it no longer exists."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update().select_related("subscriber").filter(pk=subscription_id).first()
        )
        if subscription is not None and subscription.confirmed_at is None:
            subscription.confirmed_at = subscription.since = timezone.now()
            subscription.save(update_fields=["confirmed_at", "since"])
    return subscription


def unsubscribe_all(subscriber_id: int) -> int:
    """Forget the address and every alert of it; how many alerts there were (0 the second time)."""
    with transaction.atomic():
        alerts = Subscription.objects.filter(subscriber_id=subscriber_id).count()
        Subscriber.objects.filter(pk=subscriber_id).delete()
    return alerts


def forget_unconfirmed(now=None) -> int:
    """Alerts never confirmed while their link worked, addresses left with none, and old ledger rows."""
    now = now or timezone.now()
    expired = now - timedelta(seconds=settings.ALERT_CONFIRM_MAX_AGE)
    gone, _ = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=expired).delete()
    Subscriber.objects.filter(subscriptions__isnull=True, created_at__lt=expired).delete()
    window = max(settings.ALERT_CONFIRM_ADDRESS_WINDOW, settings.ALERT_CONFIRM_CLIENT_WINDOW)
    ConfirmationRequest.objects.filter(created_at__lt=now - timedelta(seconds=window)).delete()
    return gone
