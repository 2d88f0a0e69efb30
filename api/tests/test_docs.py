"""The OpenAPI schema and the documentation page made from it."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.endpoints import ENDPOINTS
from api.pagination import MAX_PAGE_SIZE
from api.tests.test_api import CACHE_MISS


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def test_the_schema_is_openapi_3_and_has_every_endpoint(schema):
    assert schema["openapi"].startswith("3.")
    for endpoint in ENDPOINTS:
        key = "{id}" if endpoint.lookup == "pk" else "{slug}"
        assert f"/api/v1/{endpoint.name}/" in schema["paths"]
        assert f"/api/v1/{endpoint.name}/{key}/" in schema["paths"]
    assert set(schema["paths"]) == {
        path
        for e in ENDPOINTS
        for path in (f"/api/v1/{e.name}/", f"/api/v1/{e.name}/{{{'id' if e.lookup == 'pk' else 'slug'}}}/")
    }
    # Read-only: GET only (DRF answers HEAD and OPTIONS besides).
    assert {method for operations in schema["paths"].values() for method in operations} == {"get"}


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.filterset], ids=lambda e: e.name)
def test_each_list_documents_its_filtersets_fields_and_the_cursor(schema, endpoint):
    parameters = {p["name"]: p for p in schema["paths"][f"/api/v1/{endpoint.name}/"]["get"]["parameters"]}
    assert set(parameters) == {*endpoint.filterset.base_filters, "cursor", "page_size"}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}


def test_every_operation_documents_its_problem_details(schema):
    for operations in schema["paths"].values():
        responses = operations["get"]["responses"]
        for status in ("400", "404", "429"):
            assert list(responses[status]["content"]) == ["application/problem+json"]


def test_the_documentation_page_lists_every_endpoint_parameter_and_field(client, schema):
    html = client.get("/api/").content.decode()
    for path, operations in schema["paths"].items():
        assert f"<code>GET {path}</code>" in html
        for parameter in operations["get"].get("parameters", []):
            assert f"<code>{parameter['name']}</code>" in html
    for name, component in schema["components"]["schemas"].items():
        if component.get("type") == "object":
            assert f'id="schema-{name}"' in html
            for field in component["properties"]:
                assert f"<code>{field}</code>" in html
    assert "<script>" not in html and 'style="' not in html


def test_the_data_page_and_the_footer_link_the_api(client, db):
    html = client.get("/data/").content.decode()
    assert 'href="/api/"' in html and 'href="/api/v1/openapi.json"' in html
    assert 'href="/api/">Read API</a>' in client.get("/").content.decode()


@pytest.mark.parametrize("url", ["/api/", "/api/v1/", "/api/v1/openapi.json"])
def test_the_documentation_pages_read_no_record(client, db, url):
    """Pinned: a first render costs only the page cache's own queries; a repeat, the data version."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx.captured_queries) == (0 if url.endswith(".json") else CACHE_MISS)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx.captured_queries) == (0 if url.endswith(".json") else 1)
