"""Moderators add, change and view suggestions and corrections (members/roles.py lists it)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from members.roles import sync_moderators_group


def sync_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure this app's exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_moderators_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0001_initial"),
        ("debates", "0002_moderators_group"),
    ]

    operations = [migrations.RunPython(sync_group, migrations.RunPython.noop)]
