from django.db import migrations

# A page is fresh when none of its tags changed after it rendered: looked up from the few
# tags changed since then (this index), not from each of the page's hundred tags.
CREATE = "CREATE INDEX IF NOT EXISTS portal_page_tag_changed ON portal_page_tag (changed)"
DROP = "DROP INDEX IF EXISTS portal_page_tag_changed"


class Migration(migrations.Migration):
    dependencies = [("pagecache", "0002_page_tags")]

    operations = [migrations.RunSQL(CREATE, DROP)]
