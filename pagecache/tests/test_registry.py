"""Every model a page may show retires the cached pages when it changes."""

from django.apps import apps
from django.template import RequestContext, Template
from django.test import RequestFactory

from pagecache.csrf import CSRF_SLOT, cut_token
from pagecache.registry import accounts_for

CONTENT_APPS = ["members", "debates", "api"]


def test_every_content_model_is_watched_or_exempt():
    models = [
        model for label in CONTENT_APPS for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    unaccounted = [model._meta.label for model in models if not accounts_for(model)]
    assert unaccounted == [], "watch() or exempt() these in their app's AppConfig.ready()"


def test_many_to_many_links_are_watched_with_their_model():
    from debates.models import Position

    assert accounts_for(Position.topics.through)
    assert accounts_for(Position.sources.through)


def test_a_model_no_app_registered_is_not_accounted_for():
    from django.contrib.auth.models import User

    assert not accounts_for(User)  # accounts are no page's content


def test_djangos_csrf_token_markup_is_what_the_cache_cuts_out():
    request = RequestFactory().get("/")
    markup = Template("{% csrf_token %}").render(RequestContext(request)).encode()
    assert b"csrfmiddlewaretoken" in markup
    assert cut_token(markup) == CSRF_SLOT
