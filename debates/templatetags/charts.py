"""Template helpers for the SVG charts (geometry in alliance_portal.charts)."""

from django import template

from alliance_portal import charts
from members.models import Stance

register = template.Library()

STANCE_ICONS = {Stance.OPEN: "◯", Stance.MIXED: "◐", Stance.CLOSED: "■"}  # the stance badges' shapes


@register.simple_tag
def stance_bar(counted, width=charts.BAR_WIDTH):
    """The open / mixed / closed segments of a row with ``open_count``, ``mixed_count`` and
    ``closed_count`` (a topic from the topics list or the home page)."""
    return charts.stacked_bar(
        [
            (Stance.OPEN.value, Stance.OPEN.label, counted.open_count),
            (Stance.MIXED.value, Stance.MIXED.label, counted.mixed_count),
            (Stance.CLOSED.value, Stance.CLOSED.label, counted.closed_count),
        ],
        width,
    )


@register.filter
def stance_icon(stance: str) -> str:
    return STANCE_ICONS.get(stance, "")
