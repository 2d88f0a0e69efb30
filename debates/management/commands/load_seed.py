from django.core.management.base import BaseCommand

from debates.seed import load_seed, seed_files


class Command(BaseCommand):
    help = "Load the seed content (seed/*.toml: the founding article and the record since). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Seed TOML files (default: every file in seed/).")

    def handle(self, *args, paths, **options):
        paths = paths or seed_files()
        counts = load_seed(paths)
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seed loaded from {len(paths)} file(s): {summary}."))
