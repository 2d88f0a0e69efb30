"""manage.py prune_rate_windows: forget the API rate limit's counts of windows long past."""

from django.core.management.base import BaseCommand

from api.throttling import current_window, prune


class Command(BaseCommand):
    help = "Delete the read API's per-client request counts of every window before the previous one (run daily)."

    def handle(self, *args, **options):
        deleted = prune(current_window() - 1)
        self.stdout.write(f"Deleted {deleted:,} past counts.")
