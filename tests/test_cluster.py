"""`make serve-cluster` as readers meet it: nginx balancing two gunicorn app servers that share
a Redis and read from a streaming replica of the primary. All real servers, on loopback,
started here: the primary is the test database's embedded server, the replica is made from it
with pg_basebackup (var/pgt), Redis is the session's (tests/servers.py), and
scripts/serve-cluster starts the app servers and nginx against them. Readers talk to nginx,
or to one app server (A or B) directly, from addresses of their own (127.0.0.0/8)."""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection

from alliance_portal import embedded_db
from debates.comments import hash_address
from debates.models import Comment, CommentStatus, Position, Topic
from pagecache.store import retire_all
from scripts.free_port import free_port
from tests.test_nginx_front import SLUG, Reader, url_of_the_test_database

RATE_LIMIT = 3
PASSWORD = "a long and proper passphrase 42"
PAGE = f"/positions/{SLUG}/"
READS = ["/", "/positions/", "/topics/open-weights/", "/people/yann-lecun/", PAGE, "/timeline/", "/matrix/"]

pytestmark = pytest.mark.skipif(
    settings.EMBEDDED_DATABASE is None, reason="the replica is made from the embedded server (DATABASE_URL is set)"
)


class Replica:
    """The test database's streaming replica, in var/pgt."""

    def __init__(self, primary_dir: Path, name: str):
        self.primary_dir, self.name = primary_dir, name
        self.dir = primary_dir.parent / "pgt"
        self.url = ""

    def start(self) -> "Replica":
        self.url = embedded_db.start_replica(self.primary_dir, self.dir, self.name)
        return self

    def stop(self) -> None:
        embedded_db.stop(self.dir)

    def drop(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def query(self, sql: str, params=()):
        conn = psycopg2.connect(self.url, connect_timeout=5)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()[0] if cursor.description else None
        finally:
            conn.close()

    def client_backends(self) -> int:
        return self.query(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = %s "
            "AND pid <> pg_backend_pid()",
            [self.name],
        )

    def wait_until_caught_up(self, seconds: float = 15) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            (written,) = cursor.fetchone()
        deadline = time.monotonic() + seconds
        while not self.query("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written]):
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.05)


class Cluster:
    def __init__(self, port: int, app_a: int, app_b: int, log: Path, process: subprocess.Popen):
        self.port, self.app_a, self.app_b, self.log, self.process = port, app_a, app_b, log, process

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def app_server_pid(self, port: int) -> int:
        found = subprocess.run(["pgrep", "-f", f"gunicorn.*--bind 127.0.0.1:{port} "], capture_output=True, text=True)
        pids = sorted(int(p) for p in found.stdout.split())
        assert pids, f"no gunicorn on {port}"
        return pids[0]  # the master: started before its workers

    def leftovers(self) -> str:
        found = subprocess.run(["pgrep", "-af", "gunicorn|nginx"], capture_output=True, text=True).stdout
        marks = (f"nginx-{self.port}/", f"127.0.0.1:{self.app_a} ", f"127.0.0.1:{self.app_b} ")
        return "\n".join(line for line in found.splitlines() if any(mark in line for mark in marks))


@contextlib.contextmanager
def cluster_serving(database_url: str, replica: Replica, redis_url: str, **extra_env):
    port, app_a, app_b = free_port(), free_port(), free_port()
    log = Path(settings.BASE_DIR) / "var" / "tmp" / f"cluster-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_DEBUG"}}
    env.update(
        {
            "DATABASE_URL": database_url,
            "DATABASE_REPLICA_URL": replica.url,
            "REDIS_URL": redis_url,
            "PORT": str(port),
            "APP_PORT_A": str(app_a),
            "APP_PORT_B": str(app_b),
            "WEB_CONCURRENCY": "2",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the same address hashes and signed cookies as here
            "DJANGO_STATIC_ROOT": str(log.parent / f"static-{port}"),
            "COMMENT_RATE_LIMIT": str(RATE_LIMIT),
            "COMMENTS_PREMODERATED": "0",
            "PORTAL_REPLICA_RETRY_SECONDS": "1",
            **extra_env,
        }
    )
    with log.open("w") as out:
        process = subprocess.Popen(
            ["./scripts/serve-cluster"], cwd=settings.BASE_DIR, env=env, start_new_session=True, stdout=out, stderr=out
        )
    running = Cluster(port, app_a, app_b, log, process)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"serve-cluster exited {process.returncode}:\n{running.output()[-3000:]}")
            with contextlib.suppress(OSError):
                if all(Reader(p).get("/healthz")[0] == 200 for p in (port, app_a, app_b)):
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"serve-cluster did not answer in 120 s:\n{running.output()[-3000:]}")
            time.sleep(0.3)
        yield running
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    time.sleep(0.5)
    assert not running.leftovers(), "serve-cluster left processes running"


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        name = connection.settings_dict["NAME"]
    made = Replica(settings.EMBEDDED_DATABASE["DIR"], name)
    made.drop()  # a fresh copy: the test database was just created
    made.start()
    try:
        yield made
    finally:
        made.drop()


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker, replica, redis_server):
    with django_db_blocker.unblock():
        database_url = url_of_the_test_database()
    with cluster_serving(
        database_url, replica, redis_server.url, SERVE_CLUSTER_KEEP_SERVING="1", PORTAL_PIN_SECONDS="15"
    ) as running:
        yield running
    # Django logs each 5xx it answers; the 503s of the Redis test are the only ones allowed.
    errors = [line for line in running.output().splitlines() if '"level": "ERROR"' in line]
    assert all("Service Unavailable" in line for line in errors), "\n".join(errors)[-3000:]


@pytest.fixture
def seeded(transactional_db, redis_server, replica):
    """Transactional tests empty the database after each test: the seed again, Redis empty,
    both servers up."""
    from debates.seed import load_seed

    if redis_server.process is None:
        redis_server.start()
    redis_server.client().flushall()
    load_seed()
    replica.wait_until_caught_up()


def position():
    return Position.objects.get(slug=SLUG)


def test_anonymous_reads_are_served_by_the_replica(cluster, seeded, replica):
    before = replica.query("SELECT xact_commit FROM pg_stat_database WHERE datname = %s", [replica.name])
    for port in (cluster.app_a, cluster.app_b):
        status, _, body = Reader(port).get("/data/positions.csv")
        assert status == 200 and body.count(b"\n") > 70
    assert replica.client_backends() >= 2  # each app server kept its replica connection
    after = replica.query("SELECT xact_commit FROM pg_stat_database WHERE datname = %s", [replica.name])
    assert after > before


def test_comments_through_a_and_b_share_one_rate_limit(cluster, seeded, redis_server):
    through_a, through_b = Reader(cluster.app_a, "127.0.0.2"), Reader(cluster.app_b, "127.0.0.2")
    statuses = [
        through_a.comment("First, through A"),
        through_b.comment("Second, through B"),
        through_a.comment("Third, through A"),
        through_b.comment("Fourth, through B"),
        through_a.comment("Fifth, through A"),
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert Comment.objects.filter(ip_hash=hash_address("127.0.0.2")).count() == RATE_LIMIT
    (counter,) = redis_server.client().keys("*portal:rate:comment:*")
    assert int(redis_server.client().get(counter)) == RATE_LIMIT  # counted in Redis, refusals given back
    assert Reader(cluster.app_b, "127.0.0.3").comment("Someone else, through B") == 302


def test_a_moderators_save_through_a_is_seen_through_b_on_the_next_request(cluster, seeded, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # one the servers know
    User.objects.create_superuser("mod", "mod@example.org", PASSWORD)
    pending = Comment.objects.create(
        position=position(),
        author_name="Grace",
        body_markdown="Waiting for a moderator",
        body_html="<p>Waiting for a moderator</p>",
        reaction="agree",
        status=CommentStatus.PENDING,
        ip_hash=hash_address("127.0.0.9"),
        body_hash="x",
    )
    reader = Reader(cluster.app_b, "127.0.0.4")
    assert b"Waiting for a moderator" not in reader.get(PAGE)[2]  # B has the page cached now

    moderator = Reader(cluster.app_a, "127.0.0.5")
    assert moderator.log_in("mod", PASSWORD) == 302
    fields = {"action": "approve_comments", "_selected_action": pending.pk, "reason": "", "other_reason": ""}
    status, _, _ = moderator.post_form("/admin/debates/comment/", "/admin/debates/comment/", fields)
    assert status == 302
    assert "portal_primary" in moderator.cookies  # pinned to the primary for a while

    status, _, body = reader.get(PAGE)
    assert status == 200 and b"Waiting for a moderator" in body


def test_a_page_cached_by_a_is_served_by_b(cluster, seeded, redis_server):
    retire_all()
    topic = "/topics/open-weights/"
    site = {"Host": f"127.0.0.1:{cluster.port}"}  # as nginx passes it to either (a page is keyed by host)
    assert Reader(cluster.app_a).get(topic, **site)[0] == 200
    assert redis_server.client().keys("*portal:page:*")
    # Change the row behind the page's back (raw SQL retires nothing): B, which never rendered
    # the page, can only answer with the old name by serving A's copy from Redis.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE debates_topic SET name = 'Renamed quietly' WHERE slug = 'open-weights'")
    status, _, body = Reader(cluster.app_b).get(topic, **site)
    assert status == 200 and b"Open model weights" in body and b"Renamed quietly" not in body
    assert Topic.objects.get(slug="open-weights").name == "Renamed quietly"
    retire_all()
    assert b"Renamed quietly" in Reader(cluster.app_b).get(topic, **site)[2]


def test_the_commenter_reads_their_comment_while_the_replica_lags(cluster, seeded, replica):
    replica.query("SELECT pg_wal_replay_pause()")
    try:
        commenter = Reader(cluster.port, "127.0.0.6")
        assert commenter.comment("Posted while the replica is paused") == 302
        assert replica.query("SELECT count(*) FROM debates_comment") == 0  # the replica lags behind
        # The page after the redirect carries the "published" message, so it is rendered for
        # this reader, not cached: it reads the primary because the post pinned the reader there.
        status, _, body = commenter.get(PAGE)
        assert status == 200 and b"your comment is published" in body
        assert b"Posted while the replica is paused" in body

        # Another reader's cached page is never older than the data version: rendered from the
        # primary while the replica is behind, so it shows the comment too.
        assert b"Posted while the replica is paused" in Reader(cluster.port, "127.0.0.7").get(PAGE)[2]
        # A read that is not cached (a download) comes from the replica, lag and all.
        with connection.cursor() as cursor:
            cursor.execute("UPDATE debates_position SET summary = 'Edited while paused' WHERE slug = %s", [SLUG])
        other = Reader(cluster.port, "127.0.0.7")
        assert b"Edited while paused" not in other.get("/data/positions.csv")[2]
    finally:
        replica.query("SELECT pg_wal_replay_resume()")
    replica.wait_until_caught_up()
    assert b"Edited while paused" in other.get("/data/positions.csv")[2]
    assert replica.query("SELECT count(*) FROM debates_comment") == 1


def test_with_the_replica_stopped_reads_fall_back_to_the_primary(cluster, seeded, replica):
    replica.stop()
    try:
        retire_all()  # pages rendered now, not served from memory
        for port in (cluster.port, cluster.app_a, cluster.app_b):
            status, _, body = Reader(port).get("/data/positions.csv")
            assert status == 200 and body.count(b"\n") > 70
            assert Reader(port).get("/positions/")[0] == 200
            assert Reader(port).get("/healthz")[0] == 200
    finally:
        replica.start()
    time.sleep(1.2)  # the router's cool-down (PORTAL_REPLICA_RETRY_SECONDS=1), then the replica again
    for port in (cluster.app_a, cluster.app_b):
        assert Reader(port).get("/data/positions.csv")[0] == 200
    assert replica.client_backends() >= 2
    assert "Read replica unavailable" in cluster.output()


def test_with_redis_stopped_pages_answer_and_comments_wait(cluster, seeded, redis_server):
    redis_server.stop()
    try:
        retire_all()
        for path in READS:
            assert Reader(cluster.port).get(path)[0] == 200, path
        status, headers, body = Reader(cluster.port, "127.0.0.8").request("GET", PAGE)
        assert status == 200
        reader = Reader(cluster.port, "127.0.0.8")
        html = reader.get(PAGE)[2].decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = (
            f"csrfmiddlewaretoken={token}&author_name=Ada&body_markdown=While+Redis+is+away&reaction=agree&post=1"
        ).encode()
        status, headers, content = reader.request("POST", f"/positions/{SLUG}/comments/", body=body)
        assert status == 503 and headers["Retry-After"] == "10" and b"Try again shortly" in content
        assert not Comment.objects.filter(body_markdown="While Redis is away").exists()
    finally:
        redis_server.start()
    assert Reader(cluster.port, "127.0.0.8").comment("Once Redis is back") == 302
    assert "Shared page cache unavailable" in cluster.output()


def test_stopping_one_app_server_under_load_loses_no_reads(cluster, seeded):
    """Last: it leaves the cluster with one app server."""
    workers, requests = 8, 480
    retire_all()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(lambda i: Reader(cluster.port, f"127.0.2.{i % 200 + 1}").get(READS[i % len(READS)])[0], i)
            for i in range(requests)
        ]
        futures[requests // 4].result()
        os.kill(cluster.app_server_pid(cluster.app_a), signal.SIGTERM)  # gunicorn's graceful stop
        statuses = [f.result() for f in futures]
    failed = [s for s in statuses if s >= 500]
    assert len(failed) <= workers, f"{len(failed)} of {requests} failed: more than the requests in flight"
    assert failed == [], f"{len(failed)} of {requests} reads failed while A stopped"
    time.sleep(1)
    assert "serving from the other" in cluster.output()
    with pytest.raises(OSError):
        Reader(cluster.app_a).get("/healthz")
    assert all(Reader(cluster.port).get(path)[0] == 200 for path in READS)  # B alone, through nginx


def test_a_part_that_dies_stops_the_cluster_and_fails_the_script(
    django_db_setup, django_db_blocker, replica, redis_server
):
    with django_db_blocker.unblock():
        database_url = url_of_the_test_database()
    if redis_server.process is None:
        redis_server.start()
    with cluster_serving(database_url, replica, redis_server.url) as running:
        os.kill(running.app_server_pid(running.app_b), signal.SIGKILL)
        assert running.process.wait(timeout=30) != 0
        assert "a server process exited" in running.output()
