"""`make serve` as readers meet it: real nginx in front of gunicorn (DEBUG off), on loopback.

One server for the module, started by scripts/serve against the test database. Readers
come from different loopback addresses (the whole of 127.0.0.0/8 is this machine), so
nginx sees each one's own address, as it would on the internet.
"""

import contextlib
import http.client
import http.cookies
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import psutil
import pytest
from django.conf import settings
from django.db import connection

from debates.comments import hash_address
from debates.models import Comment
from scripts.free_port import free_port

SLUG = "yann-lecun-massive-corporate-lobbying"
RATE_LIMIT = 3
PASSWORD = "a long and proper passphrase 42"
BURST_PAGES = [
    "/", "/positions/", "/positions/?q=open+source", "/topics/open-weights/", "/compare/?a=ibm&b=openai",
    "/matrix/", "/timeline/", "/people/yann-lecun/", "/search/?q=meta", "/static/css/site.css",
]  # fmt: skip


def url_of_the_test_database() -> str:
    params = connection.get_connection_params()
    auth = params["user"] + (":" + quote(params["password"], safe="") if params.get("password") else "")
    port_part = f":{params['port']}" if params.get("port") else ""
    return f"postgresql://{auth}@{port_part}/{params['dbname']}?host={quote(params.get('host', ''), safe='/')}"


class Front:
    """The running server: nginx on ``port``, gunicorn on ``app_port``, their output in ``log``."""

    def __init__(self, port: int, app_port: int, log: Path):
        self.port, self.app_port, self.log = port, app_port, log

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def serving(database_url: str, **extra_env):
    """Run scripts/serve (nginx + gunicorn) until the block ends; yield (Front, the script's process)."""
    port, app_port = free_port(), free_port()
    log = Path(settings.BASE_DIR) / "var" / "tmp" / f"front-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_DEBUG"}}
    env.update(
        {
            "DATABASE_URL": database_url,
            "PORT": str(port),
            "APP_PORT": str(app_port),
            "WEB_CONCURRENCY": "3",
            "DJANGO_HTTPS": "0",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the same address hashes as this process
            "DJANGO_STATIC_ROOT": str(log.parent / f"static-{port}"),
            **extra_env,
        }
    )
    with log.open("w") as out:
        server = subprocess.Popen(
            ["./scripts/serve"], cwd=settings.BASE_DIR, env=env, start_new_session=True, stdout=out, stderr=out
        )
    running = Front(port, app_port, log)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"make serve exited {server.returncode}:\n{running.output()[-3000:]}")
            try:
                if Reader(port).get("/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("make serve did not answer /healthz through nginx in 120 s")
        yield running, server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert not processes_of(running), "make serve left processes running"


def processes_of(front: Front) -> str:
    """What still runs of one scripts/serve: its nginx, its gunicorn (found by their ports)."""
    found = subprocess.run(["pgrep", "-af", f"nginx-{front.port}/|gunicorn"], capture_output=True, text=True).stdout
    return "\n".join(
        line for line in found.splitlines() if f"nginx-{front.port}/" in line or f":{front.app_port}" in line
    )


@pytest.fixture(scope="module")
def front(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        database_url = url_of_the_test_database()
    with serving(database_url, COMMENT_RATE_LIMIT=str(RATE_LIMIT)) as (running, _):
        yield running
    output = running.output()
    assert '"level": "ERROR"' not in output, output[-3000:]


@pytest.fixture
def seeded(transactional_db):
    """Transactional tests empty the database after each test: the seed, again."""
    from debates.seed import load_seed

    load_seed()


class Reader:
    """One browser on one address: keeps its cookies, connects from ``source``."""

    def __init__(self, port: int, source: str = "127.0.0.1", forwarded_for: str | None = None):
        self.port, self.source, self.forwarded_for = port, source, forwarded_for
        self.cookies = http.cookies.SimpleCookie()

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(self.source, 0))
        try:
            sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
            if self.forwarded_for:
                sent["X-Forwarded-For"] = self.forwarded_for
            if body is not None:
                sent["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            content = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(value)
            return response.status, response.headers, content
        finally:
            conn.close()

    def get(self, path: str, **headers):
        return self.request("GET", path, headers=headers)

    def post_form(self, page: str, action: str, fields: dict):
        html = self.get(page)[2].decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        return self.request("POST", action, body=body)

    def comment(self, text: str) -> int:
        fields = {"author_name": "Reader", "body_markdown": text, "reaction": "neither", "post": "1"}
        return self.post_form(f"/positions/{SLUG}/", f"/positions/{SLUG}/comments/", fields)[0]

    def log_in(self, username: str, password: str) -> int:
        fields = {"username": username, "password": password}
        return self.post_form("/admin/login/", "/admin/login/?next=/admin/", fields)[0]


def test_healthz_and_pages_answer_through_nginx(front, seeded):
    status, headers, body = Reader(front.port).get("/healthz")
    assert (status, body) == (200, b"ok\n")
    assert headers["Server"] == "nginx"
    status, headers, body = Reader(front.port).get("/positions/")
    assert status == 200 and b"Positions" in body
    assert headers["Content-Security-Policy"] and headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_readers_on_different_addresses_are_rate_limited_separately(front, seeded):
    a, b = Reader(front.port, "127.0.0.2"), Reader(front.port, "127.0.0.3")
    assert [a.comment(f"Reader A, comment {i}") for i in range(RATE_LIMIT + 1)] == [302] * RATE_LIMIT + [429]
    assert b.comment("Reader B's first comment") == 302
    assert Comment.objects.filter(ip_hash=hash_address("127.0.0.2")).count() == RATE_LIMIT
    assert Comment.objects.filter(ip_hash=hash_address("127.0.0.3")).count() == 1


def test_two_readers_writing_the_same_words_both_keep_their_comment(front, seeded):
    assert Reader(front.port, "127.0.0.2").comment("I agree.") == 302
    assert Reader(front.port, "127.0.0.3").comment("I agree.") == 302
    assert Comment.objects.filter(body_markdown="I agree.").count() == 2


def test_a_forged_forwarded_for_does_not_change_the_address(front, seeded):
    through_nginx = Reader(front.port, "127.0.0.2", forwarded_for="203.0.113.1")
    assert through_nginx.comment("Forged through nginx") == 302
    straight_to_gunicorn = Reader(front.app_port, "127.0.0.5", forwarded_for="203.0.113.1")
    assert straight_to_gunicorn.comment("Forged straight to gunicorn") == 302
    assert Comment.objects.get(body_markdown="Forged through nginx").ip_hash == hash_address("127.0.0.2")
    assert Comment.objects.get(body_markdown="Forged straight to gunicorn").ip_hash == hash_address("127.0.0.5")


def test_wrong_passwords_from_one_address_do_not_lock_the_moderator_out_elsewhere(front, seeded, settings):
    from django.contrib.auth.models import User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # one the server knows
    User.objects.create_user("mona", password=PASSWORD, is_staff=True)
    attacker = Reader(front.port, "127.0.0.2")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.log_in("mona", "guess")
    assert attacker.log_in("mona", PASSWORD) == 429
    assert Reader(front.port, "127.0.0.3").log_in("mona", PASSWORD) == 302


def trickle_headers(port: int, stop: threading.Event) -> None:
    """A slow client: one header byte every half second, never finishing the request."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(b"GET /positions/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        while not stop.wait(0.5):
            try:
                s.sendall(b"a")
            except OSError:
                return  # nginx gave up on it (client_header_timeout)


def test_slow_clients_do_not_delay_healthz(front, seeded):
    stop = threading.Event()
    slow = [threading.Thread(target=trickle_headers, args=(front.port, stop), daemon=True) for _ in range(10)]
    for thread in slow:
        thread.start()
    try:
        time.sleep(1)  # every slow client is connected and trickling
        timings = []
        for _ in range(5):
            start = time.monotonic()
            status = Reader(front.port).get("/healthz")[0]
            timings.append(time.monotonic() - start)
            assert status == 200
            time.sleep(0.3)
    finally:
        stop.set()
        for thread in slow:
            thread.join(timeout=5)
    assert max(timings) < 1.0, timings


def test_static_files_come_from_nginx_with_their_cache_headers(front, seeded):
    static_root = Path(settings.BASE_DIR) / "var" / "tmp" / f"static-{front.port}"
    hashed = next(p.name for p in (static_root / "css").iterdir() if re.fullmatch(r"site\.[0-9a-f]{12}\.css", p.name))
    status, headers, _ = Reader(front.port).get(f"/static/css/{hashed}", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Encoding"] == "gzip"  # the precompressed copy collectstatic wrote
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, headers, _ = Reader(front.port).get("/static/css/site.css")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=3600"
    time.sleep(0.5)  # gunicorn's access log is written as each request ends
    assert "/static/" not in "".join(line for line in front.output().splitlines() if "gunicorn.access" in line)


def test_an_oversized_body_is_refused_by_nginx_with_a_styled_page(front, seeded):
    body = b"body_markdown=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    status, _, content = Reader(front.port).request("POST", f"/positions/{SLUG}/comments/", body=body)
    assert status == 413
    assert b"Request too large" in content and b"Alliance Portal" in content


def test_methods_a_page_does_not_answer_are_405(front, seeded):
    for method in ("PUT", "DELETE", "PATCH"):
        status, headers, _ = Reader(front.port).request(method, "/positions/")
        assert status == 405 and headers["Allow"] == "GET, HEAD, OPTIONS", method
    assert Reader(front.port).request("TRACE", "/")[0] == 405


def test_burst_of_reads_and_posts_gets_no_5xx(front, seeded):
    readers = [Reader(front.port, f"127.0.0.{10 + i % 8}") for i in range(len(BURST_PAGES) * 12)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        reads = pool.map(lambda pair: pair[0].get(pair[1])[0], zip(readers, BURST_PAGES * 12, strict=True))
        posts = pool.map(lambda i: Reader(front.port, f"127.0.1.{i}").comment(f"Burst comment {i}"), range(20))
        statuses = list(reads) + list(posts)
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses.count(200) >= len(BURST_PAGES) * 12
    assert '"logger": "gunicorn.access"' in front.output()  # one JSON line per request


@pytest.mark.parametrize("crashing", ["gunicorn", "nginx"])
def test_a_crash_of_either_server_stops_the_other_and_fails_the_script(django_db_setup, django_db_blocker, crashing):
    with django_db_blocker.unblock():
        database_url = url_of_the_test_database()
    with serving(database_url) as (running, server):
        if crashing == "nginx":
            pid = int((Path(settings.BASE_DIR) / "var" / f"nginx-{running.port}" / "nginx.pid").read_text())
        else:
            (pid,) = [p.pid for p in psutil.Process(server.pid).children() if "gunicorn" in " ".join(p.cmdline())]
        os.kill(pid, signal.SIGKILL)
        assert server.wait(timeout=30) != 0
        assert "a server process exited" in running.output()
        time.sleep(1)
        assert not processes_of(running)
