from django.db import migrations

# Position.search_terms holds its speaker's, organization's and topics' names (see
# Position.refresh_search_terms, which computes the same text in Python). A rename by any
# route (the admin, a shell, a bulk .update()) refreshes the positions concerned here, in
# one UPDATE … FROM per statement: the triggers are per statement and read the renamed
# rows from transition tables, so renaming ten thousand people costs one pass, not ten
# thousand. A save that leaves the name alone touches no position.
SEARCH_TERMS_TRIGGERS = """
CREATE OR REPLACE FUNCTION debates_refresh_search_terms(position_ids bigint[]) RETURNS void AS $$
    UPDATE debates_position p
    SET search_terms = terms.text
    FROM (
        SELECT p2.id, concat_ws(' ',
            s.name,
            o.name,
            (SELECT string_agg(t.name, ' ' ORDER BY t.name)
             FROM debates_position_topics pt JOIN debates_topic t ON t.id = pt.topic_id
             WHERE pt.position_id = p2.id)
        ) AS text
        FROM debates_position p2
        JOIN members_person s ON s.id = p2.speaker_id
        LEFT JOIN members_organization o ON o.id = p2.organization_id
        WHERE p2.id = ANY(position_ids)
    ) AS terms
    WHERE p.id = terms.id AND p.search_terms IS DISTINCT FROM terms.text;
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION debates_search_terms_follow_renames() RETURNS trigger AS $$
DECLARE
    renamed bigint[];
    affected bigint[];
BEGIN
    SELECT array_agg(n.id) INTO renamed
    FROM renamed_new n JOIN renamed_old o ON o.id = n.id
    WHERE n.name IS DISTINCT FROM o.name;
    IF renamed IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'members_person' THEN
        SELECT array_agg(id) INTO affected FROM debates_position WHERE speaker_id = ANY(renamed);
    ELSIF TG_TABLE_NAME = 'members_organization' THEN
        SELECT array_agg(id) INTO affected FROM debates_position WHERE organization_id = ANY(renamed);
    ELSE
        SELECT array_agg(DISTINCT position_id) INTO affected
        FROM debates_position_topics WHERE topic_id = ANY(renamed);
    END IF;
    IF affected IS NOT NULL THEN
        PERFORM debates_refresh_search_terms(affected);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER debates_search_terms_person AFTER UPDATE ON members_person
REFERENCING OLD TABLE AS renamed_old NEW TABLE AS renamed_new
FOR EACH STATEMENT EXECUTE FUNCTION debates_search_terms_follow_renames();

CREATE TRIGGER debates_search_terms_organization AFTER UPDATE ON members_organization
REFERENCING OLD TABLE AS renamed_old NEW TABLE AS renamed_new
FOR EACH STATEMENT EXECUTE FUNCTION debates_search_terms_follow_renames();

CREATE TRIGGER debates_search_terms_topic AFTER UPDATE ON debates_topic
REFERENCING OLD TABLE AS renamed_old NEW TABLE AS renamed_new
FOR EACH STATEMENT EXECUTE FUNCTION debates_search_terms_follow_renames();
"""

DROP_SEARCH_TERMS_TRIGGERS = """
DROP TRIGGER IF EXISTS debates_search_terms_person ON members_person;
DROP TRIGGER IF EXISTS debates_search_terms_organization ON members_organization;
DROP TRIGGER IF EXISTS debates_search_terms_topic ON debates_topic;
DROP FUNCTION IF EXISTS debates_search_terms_follow_renames();
DROP FUNCTION IF EXISTS debates_refresh_search_terms(bigint[]);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("debates", "0005_stance_tally"),
        ("members", "0001_initial"),
    ]

    operations = [migrations.RunSQL(SEARCH_TERMS_TRIGGERS, DROP_SEARCH_TERMS_TRIGGERS)]
