from django.core.management.base import BaseCommand

from participation.moderation import forget_moderated, notify_moderators


class Command(BaseCommand):
    help = (
        "Mail the Moderators group a digest of pending comments, suggestions and corrections "
        "not listed in an earlier digest (run it from cron or a timer, e.g. hourly)."
    )

    def handle(self, *args, **options):
        items, messages = notify_moderators()
        forget_moderated()
        self.stdout.write(f"{items} new pending item{'s' if items != 1 else ''} told to {messages} moderator(s).")
