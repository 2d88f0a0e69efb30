#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that never open a database connection: they do not start the embedded server.
NO_DATABASE_COMMANDS = {
    "check",
    "collectstatic",
    "compilemessages",
    "diffsettings",
    "findstatic",
    "help",
    "makemessages",
    "startapp",
    "startproject",
    "version",
}


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance_portal.settings")
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command not in NO_DATABASE_COMMANDS and not command.startswith("-"):
        # Without DATABASE_URL, this is where the embedded PostgreSQL is started (README "Configuration").
        from alliance_portal.embedded_db import ensure_configured_server

        ensure_configured_server()
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
