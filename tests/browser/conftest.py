"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium)."""

from pathlib import Path

import pytest
from django.conf import settings

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture
def live_seed(transactional_db):
    from debates.seed import load_seed

    return load_seed()


@pytest.fixture
def csp_violations(page):
    """Every Content-Security-Policy violation the browser reports on this page, as text.

    The test server sends the same CSP as production, so a violation here is one
    a reader's browser would block.
    """
    found = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and found.append(f"{page.url}: {message.text} {message.location}")
        ),
    )
    return found


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
