"""Under `make serve` (gunicorn, DEBUG off), a burst of concurrent reads and comment posts gets no 5xx."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from tests.test_comment_concurrency import post_comment

PAGES = [
    "/", "/positions/", "/positions/?q=open+source", "/topics/open-weights/", "/compare/?a=ibm&b=openai",
    "/matrix/", "/timeline/", "/people/yann-lecun/", "/search/?q=meta", "/static/css/site.css",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_burst_of_reads_and_posts_under_gunicorn():
    params = connection.get_connection_params()
    auth = params["user"] + (":" + quote(params["password"], safe="") if params.get("password") else "")
    port_part = f":{params['port']}" if params.get("port") else ""
    database_url = f"postgresql://{auth}@{port_part}/{params['dbname']}?host={quote(params.get('host', ''), safe='/')}"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_DEBUG"}}
    env.update({"DATABASE_URL": database_url, "PORT": str(port), "WEB_CONCURRENCY": "3", "DJANGO_HTTPS": "0"})
    env["DJANGO_STATIC_ROOT"] = str(Path(settings.BASE_DIR) / "var" / "tmp" / f"static-{port}")
    server = subprocess.Popen(
        ["./scripts/serve"], cwd=settings.BASE_DIR, env=env, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if status_of(base + "/healthz") == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("make serve did not answer /healthz in 90 s")

        urls = [base + page for page in PAGES] * 12
        with ThreadPoolExecutor(max_workers=16) as pool:
            reads = pool.map(status_of, urls)
            posts = pool.map(lambda i: post_comment(base, f"Burst comment {i}"), range(20))
            statuses = list(reads) + list(posts)
        assert not [s for s in statuses if s >= 500], statuses
        assert statuses.count(200) >= len(urls)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert '"level": "ERROR"' not in output, output[-3000:]
    assert '"logger": "gunicorn.access"' in output  # one JSON line per request
