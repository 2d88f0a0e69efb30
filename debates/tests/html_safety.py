"""Checks that a piece of HTML carries nothing that can run or embed: used on
render_markdown's output and on whole pages that show comments."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from debates.markup import ALLOWED_PROTOCOLS, ALLOWED_TAGS

CORPUS = [
    line.replace("\\n", "\n")
    for line in (Path(__file__).parent / "data" / "xss_corpus.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]

EMBEDDING = {"script", "iframe", "frame", "object", "embed", "applet", "svg", "math", "style", "link", "meta", "base"}
EMBEDDING |= {"img", "video", "audio", "source", "form", "input", "button", "template", "portal", "picture"}


class _Collector(HTMLParser):
    """Collects what is unsafe; with ``any_tag`` it judges attributes only (for whole pages)."""

    def __init__(self, any_tag=False):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.any_tag = any_tag

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS and not self.any_tag:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "src", "srcset", "formaction", "xlink:href", "target"}:
                self.problems.append(f"attribute {name}={value!r} on <{tag}>")
            if name == "href" and value is not None:
                # Browsers drop leading spaces and control characters before the scheme.
                scheme = urlsplit(value.lstrip("".join(map(chr, range(33))))).scheme.lower()
                if scheme and scheme not in ALLOWED_PROTOCOLS:
                    self.problems.append(f"href scheme {scheme!r}")
            if tag == "a" and name == "rel" and value != "nofollow ugc noopener" and not self.any_tag:
                self.problems.append(f"rel={value!r}")


def unsafe_parts(html: str, any_tag: bool = False) -> list[str]:
    collector = _Collector(any_tag=any_tag)
    collector.feed(html)
    collector.close()
    return collector.problems


def dangerous_attributes(html: str) -> list[str]:
    """Event handlers, style attributes and non-http(s)/mailto links anywhere in ``html``."""
    return unsafe_parts(html, any_tag=True)


def embedding_tags_in(html: str) -> set[str]:
    """Embedding tags anywhere in a whole page (pages legitimately use other tags)."""

    class Tags(HTMLParser):
        found: set

        def handle_starttag(self, tag, attrs):
            self.found.add(tag)

    parser = Tags()
    parser.found = set()
    parser.feed(html)
    return parser.found & EMBEDDING
