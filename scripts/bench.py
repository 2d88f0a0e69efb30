"""Measure every page under the production configuration; see README "Performance".

Prints one table and writes var/bench/latest.json. Numbers move with the machine;
the ratio to /bench/plain (same process, same middleware) does not.
"""

import base64
import contextlib
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
from scripts import bench_tail  # noqa: E402 - needs BASE on the path
from scripts.free_port import free_port  # noqa: E402 - needs BASE on the path

POSITIONS = int(os.environ.get("BENCH_POSITIONS", "1000000"))
COMMENTS = int(os.environ.get("BENCH_COMMENTS", "5000000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
TAIL_SECONDS = int(os.environ.get("BENCH_TAIL_SECONDS", "20"))  # each long-tail load
EDIT_EVERY = float(os.environ.get("BENCH_EDIT_EVERY", "5"))  # seconds between a moderator's edits
# BENCH_SERVER=cluster measures `make serve-cluster` (two app servers, Redis, a replica) instead.
CLUSTER = os.environ.get("BENCH_SERVER", "serve") == "cluster"
OUT = BASE / "var" / "bench" / ("latest-cluster.json" if CLUSTER else "latest.json")


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance_portal.settings")
    import django

    django.setup()


def ensure_data():
    from debates.demo import DEMO, generate, remove_demo_data
    from debates.models import Comment, Position

    have = Position.objects.filter(slug__startswith=DEMO).count()
    if have == POSITIONS and Comment.objects.filter(position__slug__startswith=DEMO).count() == COMMENTS:
        print(f"Demo data present: {POSITIONS:,} positions, {COMMENTS:,} comments.")
        return
    if have:
        remove_demo_data()
    print(f"Loading {POSITIONS:,} positions and {COMMENTS:,} comments …", flush=True)
    start = time.monotonic()

    def progress(label, done, total):
        print(f"  {label}: {done:,}/{total:,}", flush=True)

    generate(positions=POSITIONS, comments=COMMENTS, organizations=2000, people=10000, progress=progress)
    print(f"Loaded in {time.monotonic() - start:.0f} s.", flush=True)


def pages():
    from debates.demo import DEMO
    from debates.models import Position

    with_comments = Position.objects.filter(slug__startswith=DEMO).order_by("pk").values_list("slug", flat=True)[0]
    deep = min(1000, Position.objects.count() // 25)  # page 1000, or the last full page of a smaller run
    # The API's page as deep as the HTML's: a cursor (base64 of "p=<id>", as DRF writes it) at that row.
    deep_id = Position.objects.order_by("-id").values_list("id", flat=True)[(deep - 1) * 25]
    cursor = urllib.parse.quote(base64.b64encode(f"p={deep_id}".encode()).decode())
    return [
        ("home", "/"),
        ("positions p1", "/positions/"),
        (f"positions p{deep}", f"/positions/?page={deep}"),
        ("positions 3 filters", "/positions/?stance=open&topic=open-weights&coalition=ai-alliance"),
        ("search common word", "/positions/?q=open"),
        ("search rare phrase", '/positions/?q="completely+irresponsible"'),
        ("position 100 comments", f"/positions/{with_comments}/"),
        ("topic side by side", "/topics/open-weights/"),
        ("compare", "/compare/?a=ai-alliance&b=frontier-model-forum"),
        ("matrix", "/matrix/"),
        ("timeline", "/timeline/"),
        ("atom feed", "/positions/feed/"),
        ("api positions p1", "/api/v1/positions/"),
        (f"api positions p{deep}", f"/api/v1/positions/?cursor={cursor}"),
        ("api positions 3 filters", "/api/v1/positions/?stance=open&topic=open-weights&coalition=ai-alliance"),
        ("api position detail", f"/api/v1/positions/{with_comments}/"),
    ]


def query_counts(path: str) -> tuple[int, int]:
    """(queries of a cache hit, queries of a render): what a reader's request runs,
    and what the first request after a change runs (the page cache's own included)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(ctx.captured_queries)

    from pagecache import retire_all

    client.get(path)  # now cached, as the server's copy is (templates and connection warm too)
    hit = queries(path)
    retire_all()  # a page ignores parameters it does not declare, so only a new version makes it render
    return hit, queries(path)


def wrk(url: str, connections: int, seconds: int = SECONDS, script: Path | None = None, args=()) -> dict:
    threads = min(connections, 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    out = subprocess.run(
        [*command, url, *(["--", *args] if args else [])], capture_output=True, text=True, check=True
    ).stdout

    def ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"Socket errors: .*timeout (\d+)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "timeouts": int(timeouts.group(1)) if timeouts else 0,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": ms("50"),
        "p99_ms": ms("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def sequential_latencies(port: int, path, n: int = 200, uncached: bool = False, headers=None) -> dict:
    """p50 and p95 of requests one after another: ``path`` n times, or each of a list of
    paths once. ``uncached``: every page retired before each request (not timed), so none
    is a cache hit."""
    from pagecache import retire_all

    paths = [path] * n if isinstance(path, str) else list(path)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for each in paths:
        if uncached:
            retire_all()
        start = time.perf_counter()
        conn.request("GET", each, headers=headers or {})
        response = conn.getresponse()
        response.read()
        assert response.status == 200, (each, response.status)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50_ms": statistics.median(times), "p95_ms": times[max(0, int(len(times) * 0.95) - 1)], "n": len(times)}


def settle(base: str, timeout: float = 60) -> None:
    """Wait until the server has worked off what the last load left queued (renders wrk
    gave up waiting for): the plain view answers at once again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        start = time.perf_counter()
        urllib.request.urlopen(base + "/bench/plain", timeout=timeout).read()  # noqa: S310
        if time.perf_counter() - start < 0.02:
            return
        time.sleep(0.5)


def long_tail(base: str, port: int, plain_rps: float) -> list[dict]:
    """The long tail (scripts/bench_tail.py): first renders per page family, a moderator's
    pages, the mix at 32 connections with and without edits, and hot pages under edits."""
    urls = bench_tail.tail_urls()
    out = BASE / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "tail-urls.txt").write_text("\n".join(urls) + "\n")
    (out / "tail.lua").write_text(bench_tail.TAIL_LUA)
    rows = []
    measured = set(urls)
    for family, paths in bench_tail.first_render_urls(measured).items():
        measured.update(paths)
        rows.append({"page": f"first render: {family}", "kind": "first_render", **sequential_latencies(port, paths)})
        print(f"  measured first render: {family}", flush=True)
    for name, path in [
        ("home", "/"),
        ("topic", "/topics/open-weights/"),
        ("matrix", "/matrix/"),
        ("timeline", "/timeline/"),
    ]:
        rows.append({"page": f"first render: {name}", "kind": "first_render",
                     **sequential_latencies(port, path, n=40, uncached=True)})  # fmt: skip
    cookie = {"Cookie": bench_tail.moderator_cookie()}
    first = bench_tail.first_render_urls(measured, per_family=30)  # not the ones just measured
    for family in ("position", "list", "organization", "person", "search"):
        rows.append({"page": f"moderator (logged in): {family}", "kind": "moderator",
                     **sequential_latencies(port, first[family], headers=cookie)})  # fmt: skip
    rows.append({"page": "moderator (logged in): home", "kind": "moderator",
                 **sequential_latencies(port, "/", n=30, headers=cookie)})  # fmt: skip
    print("  measured first renders and a moderator's pages", flush=True)

    def load(name, url, seconds, script=None, edits=False):
        settle(base)
        editor = bench_tail.Editor(EDIT_EVERY) if edits else None
        if editor:
            editor.start()
        try:
            args = [str(out / "tail-urls.txt")] if script else []
            result = wrk(url, 32, seconds=seconds, script=script, args=args)
        finally:
            if editor:
                editor.stop()
        row = {"page": name, "kind": "load", "path": url if not script else f"{len(set(urls)):,} URLs",
               **result, "ratio": result["rps"] / plain_rps, "edits": editor.edits if editor else 0}  # fmt: skip
        rows.append(row)
        print(f"  measured {name}", flush=True)

    load("long tail mix", base + "/", TAIL_SECONDS, script=out / "tail.lua")
    load(f"long tail mix, edit every {EDIT_EVERY:g} s", base + "/", TAIL_SECONDS, script=out / "tail.lua", edits=True)
    load(f"home, edit every {EDIT_EVERY:g} s", base + "/", TAIL_SECONDS, edits=True)
    load(f"positions p1, edit every {EDIT_EVERY:g} s", base + "/positions/", TAIL_SECONDS, edits=True)
    return rows


def first_request_ms(base: str, path: str) -> float:
    """The first request for a page since the data changed: rendered, not served from the cache."""
    start = time.perf_counter()
    urllib.request.urlopen(base + path, timeout=300).read()  # noqa: S310
    return (time.perf_counter() - start) * 1000


def csv_download(port: int, server: subprocess.Popen) -> dict:
    master = psutil.Process(server.pid)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            for proc in master.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    peak = max(peak, proc.memory_info().rss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    rows = -1  # the header
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/data/positions.csv", timeout=600) as response:
        # Read in blocks and count line ends (no demo field holds a line break), so the
        # client's own parsing takes as little as possible of the two cores.
        while block := response.read(1 << 20):
            rows += block.count(b"\n")
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    return {"rows": rows, "rows_per_s": rows / elapsed, "peak_rss_mb": peak / 2**20, "seconds": elapsed}


def main():
    setup_django()
    ensure_data()
    from pagecache import retire_all

    retire_all()  # every page starts cold: its first request is measured rendering
    port = free_port()
    env = {**os.environ, "PORT": str(port), "DJANGO_DEBUG": "0"}
    server = subprocess.Popen(
        [str(BASE / "scripts" / ("serve-cluster" if CLUSTER else "serve"))], cwd=BASE, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/bench/plain", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)
        results = []
        plain = {1: wrk(base + "/bench/plain", 1), 32: wrk(base + "/bench/plain", 32)}
        results.append({"page": "plain text (yardstick)", "path": "/bench/plain", "queries": 0, "ratio": 1.0,
                        "rps_1": plain[1]["rps"], "p50_ms_1": plain[1]["p50_ms"], "p99_ms_1": plain[1]["p99_ms"],
                        "rps": plain[32]["rps"], "p50_ms": plain[32]["p50_ms"], "p99_ms": plain[32]["p99_ms"], "errors": 0})  # fmt: skip
        for name, path in pages():
            # The first request renders the page (cold); wrk then measures it as readers
            # meet it, served from the cache until the data changes.
            cold = first_request_ms(base, path)
            one, many = wrk(base + path, 1), wrk(base + path, 32)
            # Requests wrk left queued would still be served (and, once the probe retires the
            # page, one of them would hold its render lock): the probe below waits for them.
            settle(base)
            row = {
                "page": name, "path": path, **dict(zip(("queries", "render_queries"), query_counts(path), strict=True)),
                "rps_1": one["rps"], "p50_ms_1": one["p50_ms"], "p99_ms_1": one["p99_ms"],
                "rps": many["rps"], "p50_ms": many["p50_ms"], "p99_ms": many["p99_ms"],
                "ratio": many["rps"] / plain[32]["rps"], "errors": one["errors"] + many["errors"],
                "cold_ms": cold,
            }  # fmt: skip
            if name.startswith("search"):
                row.update({f"seq_{k}": v for k, v in sequential_latencies(port, path).items()})
                row.update({f"uncached_{k}": v for k, v in sequential_latencies(port, path, uncached=True).items()})
            results.append(row)
            print(f"  measured {name}", flush=True)
        tail = long_tail(base, port, plain[32]["rps"])
        download = csv_download(port, server)
        results.append({"page": "CSV of all positions", "path": "/data/positions.csv", "queries": None, **download,
                        "rps": None, "p50_ms": None, "p99_ms": None, "ratio": None})  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results + tail, indent=2))
    print()
    print(
        f"{'page':<24} {'rps@1':>8} {'p50@1':>7} {'p99@1':>7} {'rps@32':>8} {'p50@32':>7} {'p99@32':>7} {'ratio':>6}"
        f" {'SQL':>7} {'cold':>7}"
    )
    for r in results:
        if r["page"] == "CSV of all positions":
            continue
        cold = f"{r['cold_ms']:>6.1f}m" if "cold_ms" in r else f"{'':>7}"
        sql = f"{r['queries']}/{r['render_queries']}" if "render_queries" in r else str(r["queries"])
        print(
            f"{r['page']:<24} {r['rps_1']:>8.0f} {r['p50_ms_1']:>6.1f}m {r['p99_ms_1']:>6.1f}m "
            f"{r['rps']:>8.0f} {r['p50_ms']:>6.1f}m {r['p99_ms']:>6.1f}m {r['ratio']:>6.2f} {sql:>7} {cold}"
            + (f"   p95@1 {r['seq_p95_ms']:.1f} ms (uncached {r['uncached_p95_ms']:.1f})" if "seq_p95_ms" in r else "")
            + (f"   {r['errors']} errors" if r["errors"] else "")
        )
    print("(ms; SQL: queries of a cache hit / of a render; cold: the first request after a change, which renders)")
    print(
        f"CSV of all positions: {download['rows']:,} rows in {download['seconds']:.1f} s = "
        f"{download['rows_per_s']:,.0f} rows/s; server peak RSS {download['peak_rss_mb']:.0f} MB"
    )
    print()
    print(
        f"{'the long tail (32 connections)':<40} {'rps':>8} {'ratio':>6} {'p50':>8} {'p99':>8} {'requests':>9} {'edits':>6}"
    )
    for r in (r for r in tail if r["kind"] == "load"):
        print(
            f"{r['page']:<40} {r['rps']:>8.0f} {r['ratio']:>6.3f} {r['p50_ms']:>6.1f}ms {r['p99_ms']:>6.1f}ms"
            f" {r['requests']:>9,} {r['edits']:>6}"
            + (f"   {r['errors']} errors" if r["errors"] else "")
            + (f"   {r['timeouts']} timeouts" if r["timeouts"] else "")
        )
    print()
    print(f"{'one connection, never cached':<40} {'p50':>8} {'p95':>8} {'requests':>9}")
    for r in (r for r in tail if r["kind"] != "load"):
        print(f"{r['page']:<40} {r['p50_ms']:>6.1f}ms {r['p95_ms']:>6.1f}ms {r['n']:>9}")
    print("(first render: distinct URLs nobody requested before, or the page retired before each request)")
    print(f"(written to {OUT.relative_to(BASE)})")


if __name__ == "__main__":
    main()
