from django.core.management.base import BaseCommand

from debates.search import refresh_search_words


class Command(BaseCommand):
    help = (
        "Rebuild the words the search page's “Did you mean” suggests from (every word of the published"
        " positions). Run it daily; the seed and demo loaders run it themselves."
    )

    def handle(self, *args, **options):
        words = refresh_search_words()
        self.stdout.write(self.style.SUCCESS(f"Search words rebuilt: {words} distinct words."))
