"""The dependency rule of README "Layout", checked by reading every import.

pagecache imports nothing of ours; alliance_portal's shared modules import
neither app (only the root URLconf wires them in); proposals (review before
publishing) imports alliance_portal and pagecache only; members imports
alliance_portal, pagecache and proposals, never debates, except its views, which read
debates' positions for the positions its pages show; debates may import members;
api (the read API) and participation (alerts, suggestions) may import all of those,
and nothing imports either but the root URLconf (the other apps' templates reach
participation through its template tags and URLs only). Tests are left out: they
exercise the whole site.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"alliance_portal", "pagecache", "proposals", "members", "debates", "api", "participation"}


def imports_of(path: Path) -> set[str]:
    """The dotted modules a file imports (at the top or inside a function)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "tests" not in path.relative_to(ROOT).parts:
            yield path


def ours(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imports_of(path)} & OURS


ALLOWED = {
    "pagecache": set(),
    "alliance_portal": {"pagecache"},
    # Review before publishing knows no content model: it replays whatever admin a proposal names.
    "proposals": {"alliance_portal", "pagecache"},
    "members": {"alliance_portal", "pagecache", "proposals"},
    "debates": {"alliance_portal", "pagecache", "members", "proposals"},
    "api": {"alliance_portal", "pagecache", "members", "debates", "proposals"},
    "participation": {"alliance_portal", "pagecache", "members", "debates", "proposals"},
}


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_each_app_imports_only_what_it_builds_on(app):
    exceptions = {ROOT / "alliance_portal" / "urls.py", ROOT / "members" / "views.py"}  # checked below
    wrong = {
        str(path.relative_to(ROOT)): sorted(ours(path) - ALLOWED[app] - {app})
        for path in modules(app)
        if path not in exceptions and ours(path) - ALLOWED[app] - {app}
    }
    assert wrong == {}


def test_members_views_read_only_debates_models():
    """The coalition, organization and person pages list positions: members' views
    read debates' models, and nothing else of debates."""
    of_debates = {name for name in imports_of(ROOT / "members" / "views.py") if name.split(".")[0] == "debates"}
    assert of_debates <= {"debates.models"}


def test_only_the_root_urlconf_imports_the_api():
    importers = {
        str(path.relative_to(ROOT))
        for app in sorted(ALLOWED)
        if app != "api"
        for path in modules(app)
        if "api" in ours(path)
    }
    assert importers <= {"alliance_portal/urls.py"}


def test_members_models_never_import_debates():
    assert "debates" not in ours(ROOT / "members" / "models.py")


def test_the_scan_sees_imports():
    """A guard for the guard: the scan finds what a known module imports."""
    assert "debates.models" in imports_of(ROOT / "members" / "views.py")
    assert "members.models" in imports_of(ROOT / "debates" / "models.py")


def test_nothing_imports_participation_but_the_root_urlconf():
    importers = {
        str(path.relative_to(ROOT))
        for app in ("alliance_portal", "pagecache", "members", "debates")
        for path in modules(app)
        if "participation" in ours(path)
    }
    assert importers == set()  # the root URLconf includes it by name, "participation.urls"
