"""The documentation page at /api/: every endpoint, its parameters and its fields,
read from the OpenAPI schema itself, so the page cannot drift from the API. Rendered
on the server: no script, no CDN, nothing the strict CSP would block."""

import json

from django.conf import settings
from django.shortcuts import render

from api.views import openapi_document
from pagecache import cached_page

REF = "#/components/schemas/"


def _type_of(schema: dict) -> dict:
    """A property's type in words, and the component it refers to (for a link)."""
    if "$ref" in schema:
        return {"text": schema["$ref"].removeprefix(REF), "ref": schema["$ref"].removeprefix(REF)}
    if "allOf" in schema:  # a reference with a description or nullable beside it
        inner = _type_of(schema["allOf"][0])
        return {**inner, "text": inner["text"] + (" or null" if schema.get("nullable") else "")}
    if schema.get("type") == "array":
        inner = _type_of(schema.get("items", {}))
        return {**inner, "text": f"list of {inner['text']}"}
    text = schema.get("format") or schema.get("type", "any")
    if "enum" in schema:
        text = "one of " + ", ".join(str(v) for v in schema["enum"] if v not in ("", None))
    if schema.get("nullable"):
        text += " or null"
    return {"text": text, "ref": None}


def _fields(component: dict) -> list[dict]:
    return [
        {"name": name, "type": _type_of(prop), "description": prop.get("description", "")}
        for name, prop in component.get("properties", {}).items()
    ]


def _operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            ok = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
            yield {
                "id": operation["operationId"],
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [
                    {
                        "name": p["name"],
                        "where": p["in"],
                        "type": _type_of(p.get("schema", {})),
                        "description": p.get("description", ""),
                    }
                    for p in operation.get("parameters", [])
                ],
                "returns": _type_of(ok.get("schema", {})) if ok else None,
                "errors": sorted(code for code in operation["responses"] if code != "200"),
            }


@cached_page
def documentation(request):
    schema = json.loads(openapi_document())
    components = schema.get("components", {}).get("schemas", {})
    context = {
        "rate_limit": settings.API_RATE_LIMIT,
        "rate_window": settings.API_RATE_WINDOW,
        "info": schema["info"],
        "operations": list(_operations(schema)),
        "components": [
            {"name": name, "description": c.get("description", ""), "fields": _fields(c)}
            for name, c in sorted(components.items())
            if c.get("type") == "object"
        ],
    }
    return render(request, "api/docs.html", context)
