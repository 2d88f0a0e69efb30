from django.db import migrations

# The "data version" behind the page cache (alliance_portal.caching): a sequence, because
# nextval() is never rolled back and never repeats, so a version number always
# names one state of the record, in every process, and no cache cull can lose it.
CREATE = "CREATE SEQUENCE IF NOT EXISTS portal_data_version"
DROP = "DROP SEQUENCE IF EXISTS portal_data_version"


class Migration(migrations.Migration):
    dependencies = [("debates", "0003_scale")]

    operations = [migrations.RunSQL(CREATE, DROP)]
