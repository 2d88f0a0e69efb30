"""Fixtures shared by every test: the seed content on the real PostgreSQL."""

import os

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
def fresh_page_cache():
    """Each process's in-memory page cache outlives a test's rolled-back transaction
    (the data version, a sequence, is not rolled back either): start each test empty."""
    from django.core.cache import caches

    caches["pages"].clear()


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
