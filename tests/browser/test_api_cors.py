"""Another site's script reads the API in a real browser (CORS), and cannot write to it."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = pytest.mark.browser


class _Elsewhere(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<!doctype html><title>Elsewhere</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def page_elsewhere(page):
    """A page of another origin (another server on loopback: a page Chromium took for a
    public one would meet its local-network checks, which are not what this is about)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Elsewhere)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
    yield page
    server.shutdown()
    thread.join()
    server.server_close()


def test_another_site_reads_records_and_their_etag(live_server, live_seed, page_elsewhere):
    result = page_elsewhere.evaluate(
        """async (url) => {
            const response = await fetch(url);
            return {status: response.status, etag: response.headers.get('ETag'), body: await response.json()};
        }""",
        live_server.url + "/api/v1/positions/?stance=open&page_size=3",
    )
    assert result["status"] == 200
    assert result["etag"]
    assert len(result["body"]["results"]) == 3
    assert {r["stance"] for r in result["body"]["results"]} == {"open"}


def test_another_site_cannot_send_anything_but_a_read(live_server, live_seed, page_elsewhere):
    outcome = page_elsewhere.evaluate(
        """async (url) => {
            try { await fetch(url, {method: 'DELETE'}); return 'sent'; }
            catch (error) { return 'refused by the browser'; }
        }""",
        live_server.url + "/api/v1/positions/",
    )
    assert outcome == "refused by the browser"
