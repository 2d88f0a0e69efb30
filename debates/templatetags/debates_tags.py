import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import _json_script_escapes, conditional_escape, format_html
from django.utils.safestring import mark_safe

from debates.search import MARK_END, MARK_START

register = template.Library()


@register.filter
def highlight(text: str) -> str:
    """Escape ``text`` first, then turn PostgreSQL's match markers into <mark>."""
    escaped = conditional_escape(text or "")
    marked = escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(marked)  # noqa: S308 - escaped above; only our own <mark> tags are added


STANCE_BADGES = {"open": ("◯", "Open"), "closed": ("■", "Closed")}


@register.simple_tag
def stance_badge(stance: str | None):
    """A stance as text and a shape, never by colour alone. (A simple tag, not a
    template: the matrix shows thousands of them.)"""
    if not stance:
        return mark_safe('<span class="stance stance-none">No public position found</span>')
    icon, label = STANCE_BADGES.get(stance, ("◐", "Mixed"))
    return format_html(
        '<span class="stance stance-{}"><span class="stance-icon" aria-hidden="true">{}</span> {}</span>',
        stance,
        icon,
        label,
    )


SITE_NAV = [
    ("Coalitions", "members:coalition-list"),
    ("Organizations", "members:organization-list"),
    ("People", "members:person-list"),
    ("Positions", "debates:position-list"),
    ("Topics", "debates:topic-list"),
    ("Policies", "debates:policy-list"),
    ("Compare", "debates:compare"),
    ("Matrix", "debates:matrix"),
    ("Timeline", "debates:timeline"),
    ("Search", "debates:search"),
    ("About", "about"),
]


@register.inclusion_tag("includes/site_nav.html", takes_context=True)
def site_nav(context):
    """The main navigation: [(label, url, is_current), …]; current only on the list page itself."""
    request = context.get("request")
    path = request.path if request else None
    links = [(label, reverse(name)) for label, name in SITE_NAV]
    return {"links": [(label, url, url == path) for label, url in links]}


@register.simple_tag
def source_title(source):
    """A source's title, linked to it when it has an address."""
    if source.url:
        return format_html('<a href="{}" rel="noopener">{}</a>', source.url, source.title)
    return format_html("<cite>{}</cite>", source.title)


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context):
    return {
        "page_obj": context.get("page_obj"),
        "paginator": context.get("paginator"),
        "request": context["request"],
    }


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # Rendered template output is already escaped; strip() would drop that mark.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """{% capture name %}…{% endcapture %}: render once, use as {{ name }} many times
    (the page title in <title>, og:title and twitter:title)."""
    try:
        _, name = token.split_contents()
    except ValueError as error:
        raise template.TemplateSyntaxError("usage: {% capture name %}…{% endcapture %}") from error
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, name)


@register.filter
def jsonld(data) -> str:
    """A schema.org JSON-LD block, escaped like json_script (safe inside <script>)."""
    # <, > and & become \u escapes, so the text cannot close the script element.
    escaped = json.dumps(data, cls=DjangoJSONEncoder).translate(_json_script_escapes)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(escaped))  # noqa: S308
