from django import template

from alliance_portal.moderation import waiting_for

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_queues(context):
    """[(queue, count), …] for the admin home's "Waiting for you"."""
    return waiting_for(context["request"].user)
