from django.db import migrations

# What each change retired, for the targeted retirement of cached pages (pagecache.store):
# one row per tag ("*", "any", a kind such as "debates.position", a row such as
# "debates.position:12"), holding the data version of its last change. A page is fresh while
# none of the tags it was rendered from changed after the version it was rendered at.
# A logged table on purpose: a crash must not forget what changed.
CREATE = "CREATE TABLE IF NOT EXISTS portal_page_tag (name text PRIMARY KEY, changed bigint NOT NULL)"
DROP = "DROP TABLE IF EXISTS portal_page_tag"


class Migration(migrations.Migration):
    dependencies = [("pagecache", "0001_data_version_sequence")]

    operations = [migrations.RunSQL(CREATE, DROP)]
