"""Two send_alerts at once: each entry reaches each subscriber once, in one message."""

import threading

import pytest
from django.db import connection
from django.test import Client

from debates.models import Topic
from debates.tests.factories import make_position
from participation.models import SentEntry, Subscription
from participation.sending import send_due_alerts
from participation.tests.helpers import ask, link_in, text_of

SUBSCRIBERS = 6


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_deliver_each_entry_once(smtp_sink, settings):
    from debates.seed import load_seed

    load_seed()
    settings.ALERT_CONFIRM_PER_CLIENT = 100
    for i in range(SUBSCRIBERS):
        address = f"reader{i}@example.org"
        client = Client()
        assert ask(client, address).status_code == 302
        assert client.post(link_in(smtp_sink.to(address)[-1], "/alerts/confirm/")).status_code == 200
    smtp_sink.clear()
    weights = Topic.objects.get(slug="open-weights")
    new = [make_position(topics=[weights], summary=f"New entry {n}.") for n in range(3)]

    start = threading.Barrier(2)
    reports = []

    def run():
        start.wait()
        try:
            reports.append(send_due_alerts())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(r.sent for r in reports) == SUBSCRIBERS
    assert len(smtp_sink.messages) == SUBSCRIBERS
    for i in range(SUBSCRIBERS):
        (message,) = smtp_sink.to(f"reader{i}@example.org")
        for position in new:
            assert text_of(message).count(position.summary) == 1
    assert SentEntry.objects.count() == SUBSCRIBERS * len(new)
    send_due_alerts()  # a third run, after both: nothing left
    assert len(smtp_sink.messages) == SUBSCRIBERS
    assert Subscription.objects.confirmed().count() == SUBSCRIBERS
