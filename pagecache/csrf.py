"""The comment form's CSRF token, cut out of a stored page and put back for each reader."""

import re

from django.middleware.csrf import get_token
from django.utils.html import format_html

# What {% csrf_token %} renders (a test holds Django to it).
CSRF_INPUT = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')
# Escaped text cannot contain "<", and sanitized comments cannot contain this tag.
CSRF_SLOT = b"<csrf-token-slot>"


def cut_token(content: bytes) -> bytes:
    return CSRF_INPUT.sub(CSRF_SLOT, content)


def has_slot(content: bytes) -> bool:
    return CSRF_SLOT in content


def fill_slot(content: bytes, request) -> bytes:
    """The page with this reader's own token where the stored page has the slot."""
    if not has_slot(content):
        return content
    token = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
    return content.replace(CSRF_SLOT, token.encode())
