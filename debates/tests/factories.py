"""Small factory functions for the debates app; see members/tests/factories.py."""

from itertools import count

from debates.models import PolicyItem, Position, PositionForm, Topic
from members.models import Stance
from members.tests.factories import make_organization, make_person, make_source

_n = count(1)


def make_topic(**kw) -> Topic:
    n = next(_n)
    return Topic.objects.create(**{"name": f"Topic {n}", "slug": f"topic-{n}", **kw})


def make_policy(**kw) -> PolicyItem:
    n = next(_n)
    sources = kw.pop("sources", None) or [make_source()]
    policy = PolicyItem.objects.create(
        **{
            "title": f"Policy {n}",
            "short_name": f"Policy {n}",
            "slug": f"policy-{n}",
            "jurisdiction": "us",
            "kind": "bill",
            "status": "proposed",
            "summary": "A bill.",
            **kw,
        }
    )
    policy.sources.set(sources)
    return policy


def make_position(topics=(), sources=(), **kw) -> Position:
    n = next(_n)
    kw.setdefault("speaker", kw.get("speaker") or make_person())
    if "organization" not in kw:
        kw["organization"] = make_organization()
    values = {
        "slug": f"position-{n}",
        "form": PositionForm.PARAPHRASE,
        "summary": f"Position number {n} on the question.",
        "stance": Stance.OPEN,
        **kw,
    }
    position = Position.objects.create(**values)
    position.topics.set(topics or [make_topic()])
    position.sources.set(sources or [make_source()])
    position.refresh_search_terms()
    return position
