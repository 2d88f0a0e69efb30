import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from members.roles import sync_moderators_group, sync_publishers_group


class Command(BaseCommand):
    help = (
        "Create a moderator account (staff, in the Moderators group). The password is read from "
        "MODERATOR_PASSWORD when set, otherwise prompted for."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--publisher", action="store_true", help="Also a publisher: may publish what other moderators drafted."
        )

    def handle(self, *args, username, email, publisher=False, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user called “{username}” already exists.")
        password = os.environ.get("MODERATOR_PASSWORD") or self._prompt()
        user = User(username=username, email=email, is_staff=True)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user.set_password(password)
        user.save()
        user.groups.add(sync_moderators_group(Group, Permission))
        if publisher:
            user.groups.add(sync_publishers_group(Group, Permission))
        role = "Publisher" if publisher else "Moderator"
        self.stdout.write(self.style.SUCCESS(f"{role} “{username}” created; log in at /admin/."))

    def _prompt(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password
