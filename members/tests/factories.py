"""Small factory functions: each makes one valid object, overrides by keyword."""

from itertools import count

from members.models import Affiliation, Coalition, Membership, Organization, Person, Source, Stance

_n = count(1)


def make_source(**kw) -> Source:
    n = next(_n)
    return Source.objects.create(**{"publisher": "Example News", "title": f"Report {n}", **kw})


def make_coalition(**kw) -> Coalition:
    n = next(_n)
    return Coalition.objects.create(**{"name": f"Coalition {n}", "slug": f"coalition-{n}", "stance": Stance.OPEN, **kw})


def make_organization(**kw) -> Organization:
    n = next(_n)
    return Organization.objects.create(**{"name": f"Org {n}", "slug": f"org-{n}", "kind": "company", **kw})


def make_person(**kw) -> Person:
    n = next(_n)
    return Person.objects.create(**{"name": f"Person {n}", "slug": f"person-{n}", **kw})


def make_membership(**kw) -> Membership:
    sources = kw.pop("sources", None) or [make_source()]
    kw.setdefault("coalition", kw.get("coalition") or make_coalition())
    kw.setdefault("organization", kw.get("organization") or make_organization())
    membership = Membership.objects.create(**kw)
    membership.sources.set(sources)
    return membership


def make_affiliation(**kw) -> Affiliation:
    kw.setdefault("person", kw.get("person") or make_person())
    kw.setdefault("organization", kw.get("organization") or make_organization())
    return Affiliation.objects.create(**kw)
