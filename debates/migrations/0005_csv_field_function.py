from django.db import migrations

# One CSV field, quoted as RFC 4180 asks (only when it holds a comma, a quote or a
# line break), so the positions download is formatted by PostgreSQL (debates.exports).
# A plain SQL function: the planner inlines it.
CREATE = r"""
CREATE OR REPLACE FUNCTION portal_csv_field(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN value IS NULL THEN ''
        WHEN value ~ '[",\r\n]' THEN '"' || replace(value, '"', '""') || '"'
        ELSE value
    END
$$
"""
DROP = "DROP FUNCTION IF EXISTS portal_csv_field(text)"


class Migration(migrations.Migration):
    dependencies = [("debates", "0004_data_version_sequence")]

    operations = [migrations.RunSQL(CREATE, DROP)]
