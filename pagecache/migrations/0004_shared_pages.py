from django.db import migrations

# The page cache's shared level when there is no Redis (pagecache.shared.DatabasePages).
# UNLOGGED: no write-ahead log for pages that are only a cache (emptied after a crash, absent
# on a standby); stored_at orders the cull of the oldest.
CREATE = """
CREATE UNLOGGED TABLE IF NOT EXISTS portal_page (
    key text PRIMARY KEY,
    rendered_at bigint NOT NULL,
    tags text[] NOT NULL,
    content bytea NOT NULL,
    content_type text NOT NULL,
    etag text NOT NULL,
    stored_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS portal_page_stored_at ON portal_page (stored_at);
"""
DROP = "DROP TABLE IF EXISTS portal_page"


class Migration(migrations.Migration):
    dependencies = [("pagecache", "0003_page_tag_changed_index")]

    operations = [migrations.RunSQL(CREATE, DROP)]
