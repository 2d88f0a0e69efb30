"""Which address a request came from (alliance_portal.clientip), and everything keyed on it."""

import pytest
from django.test import Client, RequestFactory

from alliance_portal.clientip import client_address
from debates.comments import hash_address
from debates.models import Comment

SLUG = "yann-lecun-massive-corporate-lobbying"
NGINX = "127.0.0.1"  # the default trusted proxy, as in `make serve`


def address_of(remote_addr, forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_address(RequestFactory().get("/", **headers))


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "expected"),
    [
        # Straight from a reader: the header is the reader's own words, and ignored.
        ("198.51.100.4", None, "198.51.100.4"),
        ("198.51.100.4", "203.0.113.9", "198.51.100.4"),
        # Through nginx: the address nginx appended, whatever the reader wrote before it.
        (NGINX, "198.51.100.4", "198.51.100.4"),
        (NGINX, "203.0.113.9, 198.51.100.4", "198.51.100.4"),
        (NGINX, "127.0.0.1, 198.51.100.4", "198.51.100.4"),
        (NGINX, "  2001:db8::7 ", "2001:db8::7"),
        # nginx with nothing to say: nginx itself (the portal's own machine).
        (NGINX, None, NGINX),
        (NGINX, "", NGINX),
        # Garbage in the header stops the walk at the last address that could be read.
        (NGINX, "not-an-address", NGINX),
        (NGINX, "198.51.100.4, <script>", NGINX),
        ("not-an-address", None, ""),
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(remote_addr, forwarded_for, expected):
    assert address_of(remote_addr, forwarded_for) == expected


def test_a_further_proxy_is_trusted_only_when_configured(settings):
    chain = "198.51.100.4, 10.0.0.5"  # the reader, then a TLS terminator at 10.0.0.5, then nginx
    assert address_of(NGINX, chain) == "10.0.0.5"
    settings.PORTAL_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/24"]
    assert address_of(NGINX, chain) == "198.51.100.4"


def post(client, body):
    return client.post(
        f"/positions/{SLUG}/comments/",
        {"author_name": "Reader", "body_markdown": body, "reaction": "neither", "post": "1"},
    )


def reader(address):
    """A reader behind nginx: the connection is nginx's, the address the one nginx appended."""
    return Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=address)


def test_readers_behind_the_proxy_are_rate_limited_each_on_their_own(seed, settings):
    settings.COMMENT_RATE_LIMIT = 2
    a, b = reader("198.51.100.10"), reader("198.51.100.11")
    assert [post(a, f"A says {i}").status_code for i in range(3)] == [302, 302, 429]
    assert post(b, "B's first comment").status_code == 302
    assert Comment.objects.filter(ip_hash=hash_address("198.51.100.11")).count() == 1


def test_two_readers_may_write_the_same_words(seed):
    assert post(reader("198.51.100.10"), "I agree.").status_code == 302
    assert post(reader("198.51.100.11"), "I agree.").status_code == 302
    assert Comment.objects.filter(body_markdown="I agree.").count() == 2


def test_a_forged_header_sent_straight_to_the_app_does_not_change_the_address(seed):
    forger = Client(REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert post(forger, "Forged").status_code == 302
    assert Comment.objects.get(body_markdown="Forged").ip_hash == hash_address("198.51.100.20")


def test_wrong_passwords_from_one_reader_do_not_lock_the_moderator_out_elsewhere(db, settings):
    from django.contrib.auth.models import User

    User.objects.create_user("mona", password="correct horse battery", is_staff=True)

    def login(address, password):
        return reader(address).post("/admin/login/?next=/admin/", {"username": "mona", "password": password})

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("203.0.113.66", "guess")
    assert login("203.0.113.66", "correct horse battery").status_code == 429
    assert login("198.51.100.7", "correct horse battery").status_code == 302


def test_log_records_about_a_request_name_the_resolved_client(seed, caplog):
    import logging

    from alliance_portal.clientip import ClientAddressFilter

    caplog.handler.addFilter(ClientAddressFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert reader("198.51.100.30").get("/no-such-page/").status_code == 404
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.client == "198.51.100.30"
