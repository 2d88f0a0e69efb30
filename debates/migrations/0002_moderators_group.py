"""The Moderators group, with exactly the permissions the role needs.

Moderators add and change every content model and every comment, and may delete
comments; they have no access to users, groups or permissions (superusers
manage accounts). Running the migration again resets the group to this list.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from members.roles import MODERATORS, sync_moderators_group


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_moderators_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=MODERATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("debates", "0001_initial"),
        ("members", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
