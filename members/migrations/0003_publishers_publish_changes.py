"""The Publishers group publishes moderators' proposed changes too (proposals.publish_changeproposal).

Here, beside the role (members/roles.py), rather than in proposals, which knows no content app."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from members.roles import sync_publishers_group


def publishers_publish_changes(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure the new one exists now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_publishers_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def publishers_do_not(apps, schema_editor):
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Publishers").first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(codename="publish_changeproposal"))


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_membership_since_precision"),
        ("proposals", "0001_initial"),
        # The group and the permissions it already has: positions' review (debates 0011).
        ("debates", "0014_published_list_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(publishers_publish_changes, publishers_do_not)]
