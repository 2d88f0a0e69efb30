"""Run axe-core (npm, see package.json) in the page and fail on any WCAG 2.1 A/AA violation."""

from pathlib import Path

from django.conf import settings

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page, exclude: tuple[str, ...] = ()) -> list[str]:
    """``exclude``: CSS selectors of third-party markup left out of the check (say why at the call)."""
    # evaluate(), not add_script_tag(): a strict CSP blocks injected script tags.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async ([tags, exclude]) => await axe.run("
        "  exclude.length ? {include: [['html']], exclude: exclude.map((s) => [s])} : document,"
        "  {runOnly: {type: 'tag', values: tags}})",
        [RULES, list(exclude)],
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
