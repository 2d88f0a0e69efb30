import time

from django.core.management.base import BaseCommand

from debates.demo import generate, remove_demo_data


class Command(BaseCommand):
    help = (
        "Load synthetic demo data in bulk (COPY), deterministic for a seed and kept apart from the real "
        "record; --remove deletes it again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--positions", type=int, default=10_000)
        parser.add_argument("--comments", type=int, default=50_000)
        parser.add_argument("--organizations", type=int, default=2_000)
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--topics", type=int, default=8)
        parser.add_argument("--sources", type=int, default=5_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--remove", action="store_true", help="Delete the demo data instead.")

    def handle(self, *args, remove, **options):
        start = time.monotonic()
        if remove:
            deleted = remove_demo_data()
            self.stdout.write(self.style.SUCCESS(f"Removed demo data: {deleted}"))
            return
        options = {
            k: options[k] for k in ("positions", "comments", "organizations", "people", "topics", "sources", "seed")
        }
        counts = generate(**options, progress=self._progress)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {time.monotonic() - start:.0f} s: {counts}"))

    def _progress(self, label, done, total):
        width = 30
        filled = int(width * done / max(total, 1))
        self.stderr.write(f"\r{label:>13} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}", ending="")
        if done >= total:
            self.stderr.write("")
