from django.core.management.base import BaseCommand

from participation.sending import send_due_alerts


class Command(BaseCommand):
    help = (
        "Send the e-mail alerts that are due: one message per subscriber, no entry twice. "
        "Safe to run often and at the same time as itself (cron or a systemd timer; README)."
    )

    def handle(self, *args, **options):
        report = send_due_alerts()
        self.stdout.write(
            f"{report.sent} message{'s' if report.sent != 1 else ''} sent ({report.entries} entries), "
            f"{report.failed} failed (retried next run), {report.skipped} left to a run at the same time"
            + (f", {len(report.stale)} claimed but never marked sent" if report.stale else "")
            + "."
        )
