"""The API against its own OpenAPI schema, with schemathesis: the live schema is loaded
from the WSGI application, then every operation is called with generated paths and
parameters, and each answer checked: no server error, a documented status code and
content type, a body that conforms to the documented schema. Bounded, so it fits
the suite (a few seconds an operation)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


application = get_wsgi_application()

# Loaded from the application itself at collection: serving the schema reads no database
# (api/tests/test_docs.py pins it at zero queries), so no test database is needed yet.
# (schemathesis.pytest.from_fixture would defer it, but fails on pytest 9's node ids.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.API_RATE_LIMIT = 10**6  # generated requests by the hundred: not what the rate limit is for


@pytest.fixture(autouse=True)
def keep_the_test_transaction():
    """Served through WSGI, each request would close the connection its test transaction
    is on (close_old_connections); Django's test client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_keeps_to_its_schema(case, seed):
    case.call_and_validate(checks=CHECKS)
