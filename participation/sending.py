"""``send_alerts``: what is due, one message per subscriber per run, no entry ever twice.

For each subscriber, one transaction locks the subscriber's row with
``SELECT … FOR UPDATE SKIP LOCKED`` (a run that meets a row another run holds skips
it: two runs at once share the work instead of doubling it), collects the new
entries of each due alert, and claims them: a ``Delivery`` row and one ``SentEntry``
per entry (unique per alert and entry, the last wall), committed *before* the
message is sent. So:

- a second run, at once or later, finds those entries claimed and sends nothing;
- an SMTP error (the server refused or is away) deletes the claim and restores the
  schedule, so the next run sends the same entries;
- a crash between the commit and the send leaves the delivery "being sent": its
  entries are not sent again (the rule is "never twice"), and the next run reports it.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from smtplib import SMTPException
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from participation.alerts import forget_unconfirmed, manage_url, unsubscribe_url
from participation.kinds import KINDS
from participation.mail import absolute, mail_error, message
from participation.models import Delivery, DeliveryStatus, Frequency, SentEntry, Subscriber, Subscription

logger = logging.getLogger(__name__)

PERIODS = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
# A timer that fires at 07:00 every day must find yesterday's 07:00 digest a day old.
SLACK = timedelta(minutes=15)
STALE = timedelta(hours=1)


@dataclass
class Report:
    sent: int = 0
    entries: int = 0
    failed: int = 0
    skipped: int = 0  # held by another run at the same moment
    stale: list = field(default_factory=list)


def is_due(subscription, now) -> bool:
    period = PERIODS.get(subscription.frequency)
    if period is None:
        return True
    last = subscription.last_sent_at or subscription.confirmed_at
    return now - last >= period - SLACK


def send_due_alerts(now=None) -> Report:
    now = now or timezone.now()
    report = Report()
    forget_unconfirmed(now)
    report.stale = list(
        Delivery.objects.filter(status=DeliveryStatus.SENDING, created_at__lt=now - STALE).values_list("pk", flat=True)
    )
    for pk in report.stale:
        logger.warning("Alert delivery %s was claimed but never marked sent (a crash?); not resent.", pk)
    confirmed = Subscription.objects.confirmed().filter(subscriber=OuterRef("pk"))
    for subscriber_id in Subscriber.objects.filter(Exists(confirmed)).order_by("pk").values_list("pk", flat=True):
        send_to(subscriber_id, now, report)
    return report


def send_to(subscriber_id: int, now, report: Report) -> None:
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update(skip_locked=True).filter(pk=subscriber_id).first()
        if subscriber is None:
            report.skipped += 1  # another run is sending to this subscriber right now
            return
        sections = []
        for subscription in subscriber.subscriptions.confirmed().order_by("pk"):
            if not is_due(subscription, now) or subscription.kind not in KINDS:
                continue
            kind = KINDS[subscription.kind]
            entries = kind.new_entries(subscription, settings.ALERT_MAX_ENTRIES + 1)
            if entries:
                sections.append((subscription, kind, entries[: settings.ALERT_MAX_ENTRIES], len(entries)))
        if not sections:
            return
        delivery = Delivery.objects.create(subscriber=subscriber)
        SentEntry.objects.bulk_create(
            SentEntry(subscription=s, delivery=delivery, entry_id=item.pk)
            for s, _, items, _ in sections
            for item in items
        )
        before = {s.pk: s.last_sent_at for s, *_ in sections}
        Subscription.objects.filter(pk__in=before).update(last_sent_at=now)
        mail = alert_message(subscriber, sections)
    try:
        mail.send()
    except (SMTPException, OSError) as error:
        logger.error(
            "Alert delivery %s failed (%s); its entries go out with the next run.", delivery.pk, mail_error(error)
        )
        with transaction.atomic():
            delivery.delete()  # and its SentEntry rows: the entries are new again
            for pk, last in before.items():
                Subscription.objects.filter(pk=pk).update(last_sent_at=last)
        report.failed += 1
        return
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
    report.sent += 1
    report.entries += sum(len(items) for _, _, items, _ in sections)


def alert_message(subscriber, sections):
    unsubscribe = unsubscribe_url(subscriber)
    context = {
        "sections": [
            {
                "label": subscription.label,
                "view_url": absolute(kind.view_url(subscription.query)),
                "entries": [{"title": kind.entry_title(i), "url": absolute(kind.entry_url(i))} for i in items],
                "more": found > len(items),
            }
            for subscription, kind, items, found in sections
        ],
        "entry_count": sum(len(items) for _, _, items, _ in sections),
        "manage_url": manage_url(subscriber),
        "unsubscribe_url": unsubscribe,
    }
    headers = {
        # RFC 2369 and RFC 8058: a mail client's "Unsubscribe" button POSTs
        # List-Unsubscribe=One-Click to this URL; no login, no page to go through.
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Alliance Portal alerts <alerts.{urlsplit(settings.PORTAL_BASE_URL).hostname}>",
        "Auto-Submitted": "auto-generated",
    }
    return message("alert", context, to=subscriber.email, headers=headers)
