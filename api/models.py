"""The API's own bookkeeping: how many requests each client sent in the current window."""

from django.db import models


class RateWindow(models.Model):
    """A client's request count in its current fixed window (api.throttling).

    One row per client address, rewritten in place by one upsert per request; the
    table is UNLOGGED (migration 0001): a count lost in a crash only forgives a window.
    """

    client = models.CharField(max_length=64, primary_key=True, help_text="An IPv4 address or an IPv6 /64.")
    window = models.BigIntegerField(help_text="The window's number: seconds since the epoch // window length.")
    hits = models.PositiveIntegerField()

    class Meta:
        db_table = "api_ratewindow"  # named in api.throttling's upsert
        indexes = [models.Index(fields=["window"], name="ratewindow_window_idx")]  # pruning

    def __str__(self) -> str:
        return f"{self.client}: {self.hits} in window {self.window}"
