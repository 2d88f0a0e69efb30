from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from debates.filters import MARK_END, MARK_START

register = template.Library()


@register.filter
def highlight(text: str) -> str:
    """Escape ``text`` first, then turn PostgreSQL's match markers into <mark>."""
    escaped = conditional_escape(text or "")
    marked = escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(marked)  # noqa: S308 - escaped above; only our own <mark> tags are added


@register.inclusion_tag("includes/stance.html")
def stance_badge(stance: str | None):
    """A stance as text and a shape, never by colour alone."""
    return {"stance": stance}


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context):
    return {
        "page_obj": context.get("page_obj"),
        "paginator": context.get("paginator"),
        "request": context["request"],
    }
