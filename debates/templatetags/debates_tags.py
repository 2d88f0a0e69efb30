import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import _json_script_escapes, conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from debates.search import MARK_END, MARK_START
from pagecache.fragments import fragment

register = template.Library()


@register.filter
def highlight(text: str) -> str:
    """Escape ``text`` first, then turn PostgreSQL's match markers into <mark>."""
    escaped = conditional_escape(text or "")
    marked = escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(marked)  # noqa: S308 - escaped above; only our own <mark> tags are added


@register.simple_tag
def marked_name(position, which: str) -> str:
    """The position's speaker's or organization's name (``which``), its matched words marked
    when a search explained the position (debates.search.explain_matches)."""
    marked = getattr(position, f"{which}_highlighted", None)
    return highlight(marked) if marked else conditional_escape(getattr(position, which).name)


@register.simple_tag
def match_why(position) -> str:
    """Why a search found ``position`` where its own words do not show it (debates.search.explain,
    debates.views.search): "Matched the topic “Regulation and <mark>lobbying</mark>”", "Said by
    Yann LeCun, whose name matched." Empty when there is nothing more to say."""
    if getattr(position, "said_by_match", None):
        return format_html('<p class="match-why">Said by {}, whose name matched.</p>', position.said_by_match.name)
    if getattr(position, "said_for_match", None):
        return format_html('<p class="match-why">Said for {}, whose name matched.</p>', position.said_for_match.name)
    notes = getattr(position, "match_notes", None)
    if not notes:
        return ""
    what = {
        "speaker": lambda text: mark_safe("the speaker's name"),
        "organization": lambda text: format_html("the organization “{}”", highlight(text)),
        "topic": lambda text: format_html("the topic “{}”", highlight(text)),
        "context": lambda text: format_html("its context: “{}”", highlight(text)),
    }
    parts = [what[kind](text) for kind, text in notes]
    listed = (
        parts[0]
        if len(parts) == 1
        else format_html("{} and {}", format_html_join(", ", "{}", ((p,) for p in parts[:-1])), parts[-1])
    )
    return format_html('<p class="match-why">{} {}.</p>', position.match_lead, listed)


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


@register.simple_tag
def position_card(position, show_counts=False):
    """A position's card (includes/position_card.html), rendered once per version of what it
    shows and reused by every page that shows it (pagecache.fragments). A card with search
    highlights is this search's own."""
    template = get_template("includes/position_card.html")

    def render():
        return template.render({"position": position, "show_counts": show_counts})

    if getattr(position, "quotation_highlighted", None) or getattr(position, "summary_highlighted", None):
        return mark_safe(render())  # noqa: S308 - the template escapes what it shows
    speaker, organization = position.speaker, position.organization
    key = (
        "position-card",
        position.pk,
        position.updated_at,
        speaker.pk,
        speaker.updated_at,
        organization and organization.pk,
        organization and organization.updated_at,
        getattr(position, "is_answered", None),
        show_counts and position.approved_comment_count,
        position.said_on is None and position.reported_on,  # the sources' dates stand in for it
    )
    return mark_safe(fragment(key, render))  # noqa: S308 - the template escapes what it shows
