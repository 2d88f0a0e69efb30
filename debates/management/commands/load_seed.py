from pathlib import Path

from django.core.management.base import BaseCommand

from debates.seed import DEFAULT_SEED, load_seed


class Command(BaseCommand):
    help = "Load the seed content (the founding article's facts). Safe to run again: it changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_SEED), help="A seed TOML file.")

    def handle(self, *args, path, **options):
        counts = load_seed(Path(path))
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seed loaded from {path}: {summary}."))
