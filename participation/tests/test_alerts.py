"""E-mail alerts, end to end through the real SMTP server on loopback (the smtp_sink fixture)."""

import io
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from debates.models import PolicyItem, PolicyStatusChange, Position, Topic
from debates.tests.factories import make_position
from members.models import Person
from participation import sending, tokens
from participation.models import Delivery, SentEntry, Subscriber, Subscription
from participation.tests.helpers import ask, html_of, link_in, subscribe_and_confirm, text_of

pytestmark = pytest.mark.django_db


def on_open_weights(**kw):
    return make_position(topics=[Topic.objects.get(slug="open-weights")], **kw)


def test_the_subscribe_page_names_the_view(client, seed):
    response = client.get("/alerts/new/?alert=positions&topic=open-weights&stance=open&page=3&sort=oldest")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Positions (Stance: Open; Topic: Open model weights)" in page
    assert 'href="/positions/?stance=open&amp;topic=open-weights"' in page


@pytest.mark.parametrize(
    "query, says",
    [
        ("", "use an “E-mail me new entries” link"),
        ("alert=nothing", "use an “E-mail me new entries” link"),
        ("alert=positions&topic=no-such-topic", "there is no topic called “no-such-topic”"),
        ("alert=positions&said_after=yesterday", "“yesterday” is not a date"),
    ],
)
def test_a_bad_alert_request_is_a_clear_400(client, seed, query, says):
    response = client.get(f"/alerts/new/?{query}")
    assert response.status_code == 400
    assert says in response.content.decode()


def test_asking_sends_only_a_confirmation_and_stores_nothing_confirmed(client, seed, smtp_sink, caplog):
    caplog.set_level(logging.DEBUG)
    response = ask(client, "Reader@Example.org")
    assert response.status_code == 302 and response["Location"] == "/alerts/requested/"
    (message,) = smtp_sink.messages
    assert message["To"] == "Reader@Example.org"
    assert message["Subject"] == "Confirm your alert: Positions (Topic: Open model weights)"
    assert "/alerts/confirm/" in text_of(message) and "/alerts/confirm/" in html_of(message)
    assert Subscription.objects.get().confirmed_at is None
    on_open_weights()
    call_command("send_alerts", stdout=io.StringIO())
    assert len(smtp_sink.messages) == 1  # nothing before confirmation
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("mail.log")]  # not the SMTP server's
    assert not any("reader@example.org" in line.lower() for line in ours)


def test_the_whole_journey_confirm_send_once_unsubscribe(seed, smtp_sink):
    subscription = subscribe_and_confirm(smtp_sink)
    before = on_open_weights(summary="Before the alert, not in it.")
    Position.objects.filter(pk=before.pk).update(created_at=subscription.since - timedelta(seconds=1))
    on_open_weights(stance="closed", summary="Off the alert's filters? No: any stance on the topic.")
    make_position(summary="Another topic: not in the alert.")
    report = sending.send_due_alerts()
    assert (report.sent, report.entries) == (1, 1)
    (message,) = smtp_sink.messages
    assert "Off the alert" in text_of(message) and "Off the alert" in html_of(message)
    assert "Before the alert" not in text_of(message) and "Another topic" not in text_of(message)
    unsubscribe = link_in(message, "/alerts/unsubscribe/")
    assert message["List-Unsubscribe"].strip() == f"<http://127.0.0.1:8000{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/alerts/manage/" in text_of(message)

    assert sending.send_due_alerts().sent == 0
    assert len(smtp_sink.messages) == 1

    # RFC 8058: the mail client POSTs with no cookie, no session, no CSRF token.
    reader = Client(enforce_csrf_checks=True)
    response = reader.post(unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "Your alerts are stopped" in response.content.decode()
    assert not Subscriber.objects.exists()
    on_open_weights(summary="After leaving.")
    assert sending.send_due_alerts().sent == 0
    assert len(smtp_sink.messages) == 1
    assert reader.post(unsubscribe).status_code == 200  # again: still fine, nothing left


def test_one_message_per_subscriber_whatever_the_alerts(seed, smtp_sink):
    subscribe_and_confirm(smtp_sink)
    subscribe_and_confirm(smtp_sink, query="alert=positions&person=yann-lecun")
    lecun = Person.objects.get(slug="yann-lecun")
    on_open_weights(speaker=lecun, summary="In both alerts.")
    assert sending.send_due_alerts().sent == 1
    (message,) = smtp_sink.messages
    assert text_of(message).count("In both alerts.") == 2  # under each alert's heading
    assert "Positions (Person: Yann LeCun)" in text_of(message)


def test_a_policy_items_status_changes(seed, smtp_sink):
    subscribe_and_confirm(smtp_sink, query="alert=policy-changes&policy=eu-ai-act")
    eu = PolicyItem.objects.get(slug="eu-ai-act")
    other = PolicyItem.objects.exclude(pk=eu.pk).first()
    PolicyStatusChange.objects.create(policy_item=other, status="revoked", since="2031-01-01")
    assert sending.send_due_alerts().sent == 0
    PolicyStatusChange.objects.create(policy_item=eu, status="revoked", since="2031-01-01")
    assert sending.send_due_alerts().sent == 1
    (message,) = smtp_sink.messages
    assert f"{eu.short_name}: revoked 1 January 2031" in text_of(message)
    assert "http://127.0.0.1:8000/policies/eu-ai-act/" in text_of(message)


def test_daily_and_weekly_wait_their_turn(seed, smtp_sink):
    subscription = subscribe_and_confirm(smtp_sink, frequency="daily")
    on_open_weights()
    now = timezone.now()
    assert sending.send_due_alerts(now + timedelta(hours=12)).sent == 0
    assert sending.send_due_alerts(now + timedelta(hours=24)).sent == 1
    on_open_weights()
    assert sending.send_due_alerts(now + timedelta(hours=30)).sent == 0
    assert sending.send_due_alerts(now + timedelta(hours=48)).sent == 1
    subscription.refresh_from_db()
    assert subscription.frequency == "daily"


def test_an_smtp_failure_sends_the_same_entries_next_run(seed, smtp_sink, settings):
    subscribe_and_confirm(smtp_sink)
    on_open_weights(summary="Held over.")
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there: connection refused
    assert sending.send_due_alerts().failed == 1
    assert not SentEntry.objects.exists() and not Delivery.objects.exists()
    settings.EMAIL_PORT = port
    assert sending.send_due_alerts().sent == 1
    assert "Held over." in text_of(smtp_sink.messages[0])


def test_a_refused_recipient_is_retried_and_never_logged(seed, smtp_sink, caplog):
    subscribe_and_confirm(smtp_sink)
    on_open_weights(summary="Held over.")
    smtp_sink.refused.add("reader@example.org")
    caplog.set_level(logging.INFO)
    assert sending.send_due_alerts().failed == 1
    ours = [r.getMessage() + (r.exc_text or "") for r in caplog.records if not r.name.startswith("mail.log")]
    assert any("SMTPRecipientsRefused" in line for line in ours)
    assert not any("reader@example.org" in line for line in ours)
    smtp_sink.refused.clear()
    assert sending.send_due_alerts().sent == 1


def test_a_crash_after_claiming_never_sends_twice(seed, smtp_sink, monkeypatch):
    subscribe_and_confirm(smtp_sink)
    on_open_weights()

    def crash(self, *args, **kwargs):
        raise KeyboardInterrupt  # the process dies between the commit and the send

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", crash)
    with pytest.raises(KeyboardInterrupt):
        sending.send_due_alerts()
    monkeypatch.undo()
    later = sending.send_due_alerts(timezone.now() + timedelta(hours=2))
    assert later.sent == 0 and len(later.stale) == 1
    assert smtp_sink.messages == []


@pytest.mark.parametrize(
    "mangle", [lambda t: t[:-2] + ("xx" if not t.endswith("xx") else "yy"), lambda t: t.split(":")[0], lambda t: "x"]
)
def test_a_tampered_link_is_a_clear_400(client, seed, smtp_sink, mangle):
    ask(client)
    path = link_in(smtp_sink.messages[0], "/alerts/confirm/")
    token = path.split("/")[3]
    for response in (client.get(path.replace(token, mangle(token))), client.post(path.replace(token, mangle(token)))):
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert Subscription.objects.confirmed().count() == 0


def test_an_expired_confirmation_link_is_a_clear_400(client, seed, smtp_sink, settings):
    ask(client)
    path = link_in(smtp_sink.messages[0], "/alerts/confirm/")
    settings.ALERT_CONFIRM_MAX_AGE = -1
    response = client.post(path)
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert Subscription.objects.confirmed().count() == 0


def test_one_kind_of_token_cannot_stand_for_another(client, seed, smtp_sink):
    subscription = subscribe_and_confirm(smtp_sink)
    manage = tokens.manage_token(subscription.subscriber)
    assert client.post(f"/alerts/unsubscribe/{manage}/").status_code == 400
    assert client.get(f"/alerts/confirm/{tokens.unsubscribe_token(subscription.subscriber)}/").status_code == 400
    assert Subscriber.objects.exists()


def test_a_flood_to_one_address_is_refused_after_the_limit(seed, smtp_sink, settings):
    settings.ALERT_CONFIRM_PER_ADDRESS = 3
    codes = [
        ask(
            Client(REMOTE_ADDR=f"192.0.2.{i}"), "victim@example.org", query=f"alert=positions&stance={stance}"
        ).status_code
        for i, stance in enumerate(["open", "closed", "mixed", "open", "closed"])
    ]
    assert codes == [302, 302, 302, 429, 429]
    assert len(smtp_sink.to("victim@example.org")) == 3


def test_one_client_cannot_mail_many_addresses(seed, smtp_sink, settings):
    settings.ALERT_CONFIRM_PER_CLIENT = 2
    client = Client(REMOTE_ADDR="198.51.100.7")
    codes = [ask(client, f"person{i}@example.org").status_code for i in range(4)]
    assert codes == [302, 302, 429, 429]
    response = ask(client, "more@example.org")
    assert "Too many confirmation messages" in response.content.decode()
    assert response["Retry-After"]


def test_asking_again_for_a_confirmed_alert_says_so_to_the_owner_only(client, seed, smtp_sink):
    subscribe_and_confirm(smtp_sink)
    response = ask(client)
    assert response.status_code == 302  # the page says the same as for a new alert
    (message,) = smtp_sink.messages
    assert message["Subject"].startswith("Your alert is already on")
    assert Subscription.objects.count() == 1


def test_manage_changes_frequency_stops_one_and_deletes_all(seed, smtp_sink):
    first = subscribe_and_confirm(smtp_sink)
    second = subscribe_and_confirm(smtp_sink, query="alert=organizations&coalition=ai-alliance")
    client = Client()
    path = f"/alerts/manage/{tokens.manage_token(first.subscriber)}/"
    page = client.get(path)
    assert page.status_code == 200
    assert "reader@example.org" not in page.content.decode().lower()
    response = client.post(
        path, {f"frequency_{first.pk}": "weekly", f"frequency_{second.pk}": "daily", f"stop_{second.pk}": "on"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.frequency == "weekly" and not Subscription.objects.filter(pk=second.pk).exists()
    assert "Your alerts are saved" in client.get(path).content.decode()
    assert client.post(path, {"delete_all": "1"}).status_code == 200
    assert not Subscriber.objects.exists()
    assert "nothing left to stop" in client.get(path).content.decode()


def test_a_bad_frequency_is_a_400_with_the_form(client, seed, smtp_sink):
    response = ask(client, frequency="hourly")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert smtp_sink.messages == []


def test_unconfirmed_alerts_are_forgotten_when_their_link_expires(client, seed, smtp_sink, settings):
    ask(client)
    Subscription.objects.update(created_at=timezone.now() - timedelta(days=4))
    Subscriber.objects.update(created_at=timezone.now() - timedelta(days=4))
    sending.send_due_alerts()
    assert not Subscription.objects.exists() and not Subscriber.objects.exists()


def test_the_admin_never_shows_an_address(admin_client, seed, smtp_sink):
    subscription = subscribe_and_confirm(smtp_sink)
    for url in [
        "/admin/participation/subscriber/",
        f"/admin/participation/subscriber/{subscription.subscriber.pk}/change/",
        "/admin/participation/subscription/",
        f"/admin/participation/subscription/{subscription.pk}/change/",
    ]:
        page = admin_client.get(url).content.decode()
        assert "reader@example.org" not in page, url
    found = admin_client.get("/admin/participation/subscriber/?q=READER%40example.org").content.decode()
    assert "r•••@e•••.org" in found
