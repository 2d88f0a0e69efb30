"""Every API error is an RFC 9457 problem detail (application/problem+json):
``type`` (about:blank: the status says it all), ``title`` (the status's phrase),
``status``, ``detail`` (what went wrong, in words), ``instance`` (the path asked
for) and, for a bad query, ``errors``: each offending parameter and why."""

from http import HTTPStatus

from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler

PROBLEM_TYPE = "application/problem+json"


def problem(status: int, detail: str, instance: str, errors: dict | None = None) -> dict:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    body["instance"] = instance
    if errors:
        body["errors"] = errors
    return body


def problem_response(request, status: int, detail: str, **headers) -> JsonResponse:
    """A problem answered outside a DRF view (an unknown address, a method refused by middleware)."""
    response = JsonResponse(problem(status, detail, request.path), status=status, content_type=PROBLEM_TYPE)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, inner in value.items() for message in _messages(inner)]
    if isinstance(value, list):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def problem_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: its own answer (status, Retry-After, Allow), as a problem detail."""
    response = exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's 500
    request = context["request"]
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        # django-filter's form errors and our unknown-parameter check: {parameter: [messages]}.
        detail_data = exc.detail if isinstance(exc.detail, dict) else {"query": exc.detail}
        errors = {name: _messages(messages) for name, messages in detail_data.items()}
        detail = "The query has parameters or values this endpoint does not take: " + "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in errors.items()
        )
    else:
        detail = " ".join(_messages(exc.detail)) if hasattr(exc, "detail") else HTTPStatus(response.status_code).phrase
    response.data = problem(response.status_code, detail, request.path, errors)
    response.content_type = PROBLEM_TYPE
    return response
