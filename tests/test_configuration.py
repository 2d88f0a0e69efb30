"""Configuration: development defaults come from .env, the real environment wins over
them, production still fails fast, and importing the settings starts no database."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from alliance_portal.settings import read_env_file

BASE = Path(settings.BASE_DIR)
# Anything the test process has that a fresh shell would not.
OWN_VARIABLES = {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_HTTPS"}


@pytest.fixture
def checkout(tmp_path):
    """A copy of the settings package with a .env as `make` writes it, and nothing else."""
    shutil.copytree(
        BASE / "alliance_portal", tmp_path / "alliance_portal", ignore=shutil.ignore_patterns("__pycache__")
    )
    (tmp_path / ".env").write_text("# Development defaults\nDJANGO_DEBUG=1\n")
    return tmp_path


def import_settings(checkout, **variables):
    env = {k: v for k, v in os.environ.items() if k not in OWN_VARIABLES} | variables
    code = (
        "import alliance_portal.settings as s; d = s.DATABASES['default']; "
        "print(s.DEBUG, d['HOST'] or d['OPTIONS']['host'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=checkout, env=env, capture_output=True, text=True, check=False
    )


def test_env_file_turns_on_development_without_any_variable(checkout):
    result = import_settings(checkout)
    assert result.returncode == 0, result.stderr
    debug, host = result.stdout.split()
    assert debug == "True"
    assert host == str(checkout / "var" / "pg")


def test_importing_the_settings_starts_no_database(checkout):
    assert import_settings(checkout).returncode == 0
    assert not (checkout / "var" / "pg").exists()


def test_production_environment_wins_over_env_file_and_refuses_without_a_secret(checkout):
    result = import_settings(checkout, DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_database_url_from_the_environment_wins(checkout):
    result = import_settings(checkout, DATABASE_URL="postgres://portal:pw@db.example.org:5433/portal")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "db.example.org"


def test_env_file_lines(tmp_path):
    path = tmp_path / ".env"
    path.write_text("# a comment\n\nDJANGO_DEBUG=1\n  SPACED = value with spaces \nEMPTY=\nnot a line\n#X=1\n")
    assert read_env_file(path) == {"DJANGO_DEBUG": "1", "SPACED": "value with spaces", "EMPTY": ""}
    assert read_env_file(tmp_path / "missing") == {}
