"""Small helpers for the alert tests: the links a message carries, a subscription confirmed."""

import re

from django.test import Client

from participation.models import Subscription

LINK = re.compile(r"https?://[^\s<>\"]+")


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def link_in(message, part: str) -> str:
    """The first link of the plain-text part whose path contains ``part``, as a path."""
    for url in LINK.findall(text_of(message)):
        if part in url:
            return re.sub(r"^https?://[^/]+", "", url)
    raise AssertionError(f"no {part} link in {text_of(message)!r}")


def ask(
    client, address="reader@example.org", query="alert=positions&topic=open-weights", frequency="immediate", **extra
):
    return client.post(f"/alerts/new/?{query}", {"email": address, "frequency": frequency}, **extra)


def subscribe_and_confirm(smtp_sink, address="reader@example.org", **kwargs) -> Subscription:
    client = Client()
    assert ask(client, address, **kwargs).status_code == 302
    confirm_path = link_in(smtp_sink.to(address)[-1], "/alerts/confirm/")
    assert client.post(confirm_path).status_code == 200
    smtp_sink.clear()
    return Subscription.objects.confirmed().filter(subscriber__email=address).order_by("-pk").first()
