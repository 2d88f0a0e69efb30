"""Production behaviour: deployment checks, security headers, limits, 503, backups."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client

BASE = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7Q-production-test-key-with-enough-length-and-variety-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "DJANGO_HTTPS": "1",
}


def test_check_deploy_passes_with_the_documented_environment():
    env = {k: v for k, v in {**os.environ, **PRODUCTION_ENV}.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {k: v for k, v in {**os.environ, **PRODUCTION_ENV}.items() if k != missing}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


REQUIRED_HEADERS = {
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
}


@pytest.mark.parametrize("url", ["/", "/admin/login/", "/no-such-page/", "/static/css/site.css"])
def test_security_headers_on_every_kind_of_response(client, seed, url):
    response = client.get(url)
    response.close()  # a static file streams from an open file
    assert set(response.headers) >= REQUIRED_HEADERS, set(REQUIRED_HEADERS) - set(response.headers)
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_script_or_style():
    for path in (BASE / "templates").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "style=" not in html, path
        assert "<style" not in html, path
        for chunk in html.split("<script")[1:]:
            assert chunk.split(">", 1)[0].strip().startswith("src="), f"inline script in {path}"


TEMPLATE_LINE_LIMIT = 160


def test_template_lines_are_at_most_160_characters():
    long_lines = [
        f"{path.relative_to(BASE)}:{number} ({len(line)} characters)"
        for path in sorted((BASE / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > TEMPLATE_LINE_LIMIT
    ]
    assert long_lines == [], "break these template lines between tags or attributes:\n" + "\n".join(long_lines)


class TestLimits:
    def test_over_long_query_string_is_414_with_a_message(self, client, seed):
        response = client.get("/positions/?q=" + "a" * 3000)
        assert response.status_code == 414
        assert "Remove some filters" in response.content.decode()

    def test_over_large_body_is_400_with_a_message(self, client, seed):
        body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
        response = client.post("/positions/dario-gil-non-proprietary-and-open/comments/", {"body_markdown": body})
        assert response.status_code == 400
        assert "too large" in response.content.decode()

    def test_too_many_form_fields_is_400(self, client, seed):
        fields = {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
        response = client.post("/positions/dario-gil-non-proprietary-and-open/comments/", fields)
        assert response.status_code == 400


def test_a_failing_database_gives_a_styled_503(client, seed):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/positions/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "cannot reach its database" in html and "Traceback" not in html
    assert response["Retry-After"] == "60"


def table_fingerprints(cursor):
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    prints = {}
    for table in tables:
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"
        )
        prints[table] = cursor.fetchone()
    return prints


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path):
    from debates.seed import load_seed

    load_seed()
    Client().get("/matrix/")  # a cached page in the shared table
    call_command("backupdb", "--dir", str(tmp_path))
    (dump,) = tmp_path.glob("alliance_portal-*.dump")
    restored_name = connection.settings_dict["NAME"] + "_restored"
    call_command("restoredb", str(dump), "--into", restored_name)
    params = {**connection.get_connection_params()}
    params.pop("cursor_factory", None)
    params["dbname"] = restored_name
    params.pop("database", None)
    restored = psycopg2.connect(**params)
    try:
        with connection.cursor() as original_cursor, restored.cursor() as restored_cursor:
            original = table_fingerprints(original_cursor)
            copy = table_fingerprints(restored_cursor)
        # Everything but the cached pages, which are left out of a backup (the table is there, empty).
        assert original.pop("portal_page")[0] >= 1
        assert copy.pop("portal_page")[0] == 0
        assert original == copy
        assert original["debates_position"][0] == 12 + 61  # the founding article and the record
    finally:
        restored.close()
        admin = psycopg2.connect(**{**params, "dbname": "postgres"})
        admin.autocommit = True
        admin.cursor().execute(f'DROP DATABASE "{restored_name}"')
        admin.close()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    from django.core.management.base import CommandError

    dump = tmp_path / "x.dump"
    dump.write_bytes(b"not really a dump")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restoredb", str(dump))
