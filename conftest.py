"""Fixtures shared by every test: the seed content on the real PostgreSQL."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run beside one unless told it is safe (it is: one thread uses it).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def seed(db):
    """The founding article's content, as `make run` loads it."""
    from debates.seed import load_seed

    return load_seed()
