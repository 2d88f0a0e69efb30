"""Which release of the code renders the pages: a fingerprint of its templates and source.

Stored pages and fragments are keyed by it, so a deploy that changes a template or a view
never serves the pages rendered by the code before it (they were fresh as far as the data
goes). The fingerprint is the hash of the files' contents, so every node of a cluster running
the same code agrees on it and shares the pages. It is worked out once per process; with
DEBUG on it is checked again at most once a second, so a template edited under ``make run``
shows on the next reload.
"""

import hashlib
import time
from pathlib import Path

from django.conf import settings

SUFFIXES = {".py", ".html", ".txt", ".xml", ".svg"}
RECHECK_SECONDS = 1.0

_state = {"listing": None, "fingerprint": None, "checked": 0.0}


def _roots() -> list[Path]:
    base = Path(settings.BASE_DIR)
    roots = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", ())]
    for app in settings.INSTALLED_APPS:
        path = base / app.split(".")[0]
        if path.is_dir() and path not in roots:
            roots.append(path)
    return roots


def _listing() -> tuple:
    files = []
    for root in _roots():
        for path in sorted(root.rglob("*")):
            if path.suffix in SUFFIXES and "tests" not in path.parts and "__pycache__" not in path.parts:
                stat = path.stat()
                files.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(files)


def fingerprint() -> str:
    now = time.monotonic()
    if _state["fingerprint"] is not None and (not settings.DEBUG or now - _state["checked"] < RECHECK_SECONDS):
        return _state["fingerprint"]
    listing = _listing()
    if listing != _state["listing"]:
        digest = hashlib.sha256()
        base = str(settings.BASE_DIR)
        for name, _, _ in listing:
            digest.update(name.removeprefix(base).encode())
            digest.update(Path(name).read_bytes())
        _state["listing"], _state["fingerprint"] = listing, digest.hexdigest()[:16]
    _state["checked"] = now
    return _state["fingerprint"]
