from django.db import migrations

# This migration used to create the page cache's data version sequence. The
# sequence now belongs to the pagecache app (pagecache/migrations/0001), whose
# CREATE SEQUENCE IF NOT EXISTS keeps the one this migration made on existing
# databases. Kept, empty, because 0005 depends on it and databases record it.


class Migration(migrations.Migration):
    dependencies = [("debates", "0003_scale")]

    operations = []
