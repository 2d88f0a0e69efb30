"""Model machinery shared by every app: the abstract ``Audited`` base (who created
and last changed a row), ``history()`` for versioned models, ``slug_url`` for
detail-page links, and ``DatePrecision`` for dates known only to the month or year.
Abstract and helpers only: no table is defined here."""

from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils import dateformat
from simple_history.models import HistoricalChanges, HistoricalRecords

SLUG_MARK = "SLUGMARK"


@lru_cache(maxsize=64)
def _url_around_slug(name: str, script_prefix: str) -> tuple[str, str]:
    before, after = reverse(name, args=[SLUG_MARK]).split(SLUG_MARK)
    return before, after


def slug_url(name: str, slug: str) -> str:
    """``reverse(name, args=[slug])`` for a detail page, with the URL pattern reversed
    once per name: list pages carry a hundred such links, and reverse() is slow."""
    before, after = _url_around_slug(name, get_script_prefix())
    return before + quote(slug, safe="") + after


class DatePrecision(models.TextChoices):
    """How much of a date is known: sources often give only a month (used by both apps)."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


_PRECISION_FORMATS = {DatePrecision.DAY: "j F Y", DatePrecision.MONTH: "F Y", DatePrecision.YEAR: "Y"}


def format_partial_date(value, precision: str) -> str:
    if value is None:
        return "date not known"
    return dateformat.format(value, _PRECISION_FORMATS.get(precision, "j F Y"))


class Audited(models.Model):
    """Who created and last changed a row, and when; set by the admin, read-only there."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        abstract = True


def history(**options) -> HistoricalRecords:
    """Every change kept as a version moderators can read and restore (django-simple-history)."""
    return HistoricalRecords(inherit=False, **options)


def history_models(app_config) -> list:
    """The version tables history() gives an app's models (their rows and their many-to-many links)."""
    return [m for m in app_config.get_models(include_auto_created=True) if issubclass(m, HistoricalChanges)]
