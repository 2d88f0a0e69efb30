from django.db import migrations

# The "data version" behind the page cache (pagecache.store): a sequence, because
# nextval() is never rolled back and never repeats, so a version number always
# names one state of the record, in every process, and no cache cull can lose it.
#
# Until this app existed, debates' migration 0004 created it (now a no-op). On a
# database that ran that migration, IF NOT EXISTS keeps the sequence and its
# value: starting it again at 1 would let an old version number, still naming
# pages in the shared cache, name a newer state of the record.
CREATE = "CREATE SEQUENCE IF NOT EXISTS portal_data_version"
DROP = "DROP SEQUENCE IF EXISTS portal_data_version"


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [migrations.RunSQL(CREATE, DROP)]
