"""Open data: what is published (kinds: the fields of each kind of record, documented on
/data/) and how it is sent (streaming: CSV and JSON, row by row)."""
