"""Links into participation for other apps' templates: ``{% load participation %}``.

Templates may use these; debates' and members' Python never imports this app. The tags
build URLs only (no query), so they change no page's query count.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from participation.kinds import KINDS

register = template.Library()


@register.simple_tag(takes_context=True)
def alert_url(context, kind: str, **filters) -> str:
    """The subscribe page for ``kind`` with the given filters, or, given none, the page's own."""
    names = KINDS[kind].filterset_class.base_filters
    if not filters:
        request = context.get("request")
        filters = {name: request.GET.get(name) for name in names} if request else {}
    query = [("alert", kind), *sorted((k, v) for k, v in filters.items() if v and k in names and k != "sort")]
    return reverse("participation:alert-subscribe") + "?" + urlencode(query)


@register.simple_tag(takes_context=True)
def alert_link(context, kind: str, **filters):
    return format_html('<a class="alert-link" href="{}">E-mail me new entries</a>', alert_url(context, kind, **filters))


@register.simple_tag
def participate_links(position=None):
    """ "Suggest a position" and "Report an error" (about ``position``, on its page)."""
    correct = reverse("participation:correct")
    if position is not None:
        correct += "?" + urlencode({"position": position.slug})
    return format_html(
        '<p class="participate"><a href="{}">Suggest a position</a> · <a href="{}">Report an error</a></p>',
        reverse("participation:suggest"),
        correct,
    )
