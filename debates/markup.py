"""The one place where text a stranger typed becomes HTML.

``render_markdown`` runs Python-Markdown with a fixed set of extensions, then
bleach with an explicit allowlist of tags, attributes and URL schemes, and
linkifies bare URLs. Pages render only its stored output. bleach is
unmaintained (6.x is its last line); keeping every sanitizing call in this
module means a replacement (nh3, for one) touches nothing else, and the
Content-Security-Policy is the second wall.

bleach's own URL check is not the last word: it reads ``javascript:123`` as a
host and port and lets it through. So after bleach, ``SchemeFilter`` parses every
URL attribute the way a browser does (character references decoded, leading
control characters and embedded tabs and newlines dropped) and removes the
attribute unless its scheme is allowed or it has none (a relative link).
"""

import html
import re
from urllib.parse import urlsplit

import markdown
from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner
from django.utils.safestring import mark_safe

MARKDOWN_EXTENSIONS = ["fenced_code", "sane_lists"]

ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr", "h3", "h4", "h5", "h6"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


def _set_rel(attrs, new=False):
    """Every link, written or linkified, says it is user content and not endorsed."""
    attrs[(None, "rel")] = LINK_REL
    return attrs


URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster", "background", "srcset"})
# What a browser strips or ignores before it reads a URL's scheme (WHATWG URL Standard).
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def url_scheme(value: str) -> str:
    """The scheme a browser would see in an attribute's value ("" for a relative URL)."""
    url = _TAB_OR_NEWLINE.sub("", html.unescape(value).strip(_C0_OR_SPACE))
    match = _SCHEME.match(url)
    return (match.group(1) if match else urlsplit(url).scheme).lower()


class SchemeFilter(Filter):
    """Drop every URL attribute whose scheme is not in ALLOWED_PROTOCOLS."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token.get("data"):
                token["data"] = {
                    key: value
                    for key, value in token["data"].items()
                    if key[1] not in URL_ATTRIBUTES or url_scheme(value) in ALLOWED_PROTOCOLS | {""}
                }
            yield token


_cleaner = Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        lambda source: LinkifyFilter(source, callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False),
        SchemeFilter,  # last, so it also sees the links linkify made
    ],
)


def render_markdown(text: str) -> str:
    """Markdown in, safe HTML out (a SafeString, so templates need no |safe)."""
    # Headings h1/h2 would compete with the page's own; shift them down.
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h4>").replace("</h2>", "</h4>")
    return mark_safe(_cleaner.clean(html))  # noqa: S308 - this is the sanitizer's output


def count_links(html: str) -> int:
    """How many links rendered HTML holds (for the per-comment link limit)."""
    return html.count("<a ")
