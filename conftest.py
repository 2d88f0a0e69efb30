"""Fixtures shared by every test: the seed content on the real PostgreSQL."""

import email
import email.policy
import os
import threading

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run beside one unless told it is safe (it is: one thread uses it).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the seed content once, into the test database every test starts from.

    Each test runs in a transaction rolled back at its end, so it sees exactly the
    seed. Transactional tests (pytest-django runs them last) empty the database
    when they finish, and load the seed again themselves (see `live_seed`).
    """
    from debates.seed import load_seed

    with django_db_blocker.unblock():
        load_seed()


@pytest.fixture
def seed(db):
    """The founding article's content, as `make run` loads it (already in the test database)."""


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's million rounds cost most of a second per account; tests need no strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_cull_of_shared_pages(monkeypatch):
    """The shared pages' table culls itself every CULL_EVERY-th store of a process, one query
    more in whichever request that falls on; tests pin queries per request, so the cull runs
    only where a test asks for it (pagecache/tests/test_shared_pages.py)."""
    monkeypatch.setattr("pagecache.shared.CULL_EVERY", 10**12)


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Each process's in-memory page cache outlives a test's rolled-back transaction
    (the data version, a sequence, is not rolled back either): start each test empty."""
    from django.core.cache import caches

    from pagecache import fragments

    caches["pages"].clear()
    fragments.clear()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Without DATABASE_URL, start the embedded PostgreSQL before the test database is created
    (settings only name it; see alliance_portal/embedded_db.py)."""
    from alliance_portal.embedded_db import ensure_configured_server

    ensure_configured_server()


@pytest.fixture(scope="session")
def redis_server():
    """A real redis-server on a loopback port, for the session (tests/servers.py)."""
    from django.conf import settings as django_settings

    from tests.servers import RedisServer

    server = RedisServer(django_settings.BASE_DIR / "var" / "tmp").start()
    try:
        yield server
    finally:
        server.stop()


class SmtpSink:
    """What a real SMTP server on loopback received: aiosmtpd calls handle_DATA per message."""

    def __init__(self):
        self._lock = threading.Lock()
        self._received = []  # (envelope recipients, parsed message)
        self.refused = set()  # addresses the server answers 550, as a real one does an unknown mailbox

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self._lock:
            self._received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        with self._lock:
            return [message for _, message in self._received]

    def to(self, address: str):
        with self._lock:
            return [message for rcpt, message in self._received if address in rcpt]

    def clear(self):
        with self._lock:
            self._received.clear()


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1, and the settings that send mail to it.

    pytest-django swaps in the in-memory mail backend for tests; this puts SMTP back,
    so a message goes through Django's SMTP client, the wire and a server's parser.
    """
    from aiosmtpd.controller import Controller

    from scripts.free_port import free_port

    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield sink
    finally:
        controller.stop()


def _database_order(item) -> int:
    """pytest-django's order: tests in a rolled-back transaction first, then transactional
    ones (which empty the database when they finish), then tests without a database."""
    fixtures = getattr(item, "fixturenames", [])
    marker = item.get_closest_marker("django_db")
    browser = item.get_closest_marker("browser")  # a live server and a browser: always transactional
    if browser or {"transactional_db", "live_server"} & set(fixtures) or (marker and marker.kwargs.get("transaction")):
        return 1
    if marker or "db" in fixtures:
        return 0
    return 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # Sorted again after every other plugin: a transactional test run among the others would
    # leave them an empty database (no seed, no groups).
    items.sort(key=_database_order)
