"""The one place where text a stranger typed becomes HTML.

``render_markdown`` runs Python-Markdown with a fixed set of extensions, then
bleach with an explicit allowlist of tags, attributes and URL schemes, and
linkifies bare URLs. Pages render only its stored output. bleach is
unmaintained (6.x is its last line); keeping every sanitizing call in this
module means a replacement (nh3, for one) touches nothing else, and the
Content-Security-Policy is the second wall.
"""

import markdown
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


_cleaner = Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[lambda source: LinkifyFilter(source, callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False)],
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
