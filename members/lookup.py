"""Finding coalitions, organizations and people by the name a reader types.

One order of closeness, used by every filter box, the People and Organizations name
search and /compare/ (a slug still works, so old links keep working):

1. the exact slug (``yann-lecun``, the one in the record's address);
2. the exact name, accents and case ignored ("yann lecun", "Dario Gil" for "Darío Gil");
3. a name containing the words as typed ("lecun", "meta");
4. a name like it (PostgreSQL's pg_trgm: "Yan Lecun"), closest first.

``resolve`` picks one record when the closest tier holds exactly one (a slug, one exact
name, one name containing the text); several in that tier are candidates to choose from;
names that are only alike are suggestions ("did you mean …?"), never applied unasked.
Each look-up is one query, however many rows there are (the GIN trigram indexes on
``name`` serve the likeness test). ``by_slug`` finds a slug alone, by its index, where the
tiers read every name: /compare/ asks it first for each kind a side could be.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import models
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Greatest, Lower

from members.models import Coalition, Membership, Organization, Person

SLUG, NAME, CONTAINS, ALIKE = range(4)  # the tiers of closeness, closest first

LOOKUP_MAX_LENGTH = 200  # a name is at most this long (the models' max_length)
CANDIDATES = 5  # how many candidates or suggestions a message lists


def fold(text: str) -> str:
    """Text as names are compared: without accents, case folded, spaces squeezed."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def matching(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """The rows of ``queryset`` whose slug or name matches ``text``, closest first,
    each annotated with ``closeness`` (a tier above) and ``likeness`` (0 to 1)."""
    text = " ".join(text.split())
    folded = fold(text)
    if not folded:
        return queryset.none()
    name = Lower(Unaccent("name"))
    return (
        queryset.alias(folded_name=name)
        .filter(
            Q(slug=text)
            | Q(folded_name=folded)
            | Q(folded_name__contains=folded)
            | Q(name__trigram_similar=text)
            | Q(name__trigram_word_similar=text)
        )
        .annotate(
            closeness=Case(
                When(slug=text, then=Value(SLUG)),
                When(folded_name=folded, then=Value(NAME)),
                When(folded_name__contains=folded, then=Value(CONTAINS)),
                default=Value(ALIKE),
                output_field=IntegerField(),
            ),
            likeness=Greatest(TrigramSimilarity(name, folded), TrigramWordSimilarity(folded, name)),
        )
        .order_by("closeness", "-likeness", "name", "pk")
    )


def find_people(text: str, limit: int = 10) -> list[Person]:
    """People named like ``text``, closest first."""
    return list(matching(Person.objects.all(), text)[:limit])


def find_organizations(text: str, limit: int = 10) -> list[Organization]:
    """Organizations named like ``text``, closest first."""
    return list(matching(Organization.objects.all(), text)[:limit])


def find_coalitions(text: str, limit: int = 10) -> list[Coalition]:
    """Coalitions named like ``text``, closest first."""
    return list(matching(Coalition.objects.all(), text)[:limit])


def suggested_organizations(limit: int) -> list[str]:
    """The names a box offers as one types an organization: the camps' members first (those
    a reader of the debate looks for), then the others by name, at most ``limit`` (one query)."""
    in_camp = Exists(Membership.objects.current().filter(organization=OuterRef("pk")))
    return list(Organization.objects.order_by(in_camp.desc(), "name").values_list("name", flat=True)[:limit])


@dataclass(frozen=True)
class Resolution:
    """What a typed name names: one ``match``, or else the ``candidates`` it could mean
    (``ambiguous``: several as close as each other) or merely resembles (suggestions)."""

    text: str
    match: models.Model | None = None
    candidates: list = field(default_factory=list)
    ambiguous: bool = False

    @property
    def is_slug(self) -> bool:
        """Typed as the record's slug (as links write it): no other spelling to put right."""
        return self.match is not None and self.match.slug == self.text


SLUG_SHAPE = re.compile(r"[-a-z0-9_]+")  # what a link carries ("ai-alliance"), not a typed name


def by_slug(queryset: models.QuerySet, text: str):
    """The row of ``queryset`` whose slug ``text`` is, annotated as ``matching`` annotates the
    first tier, or None (no query unless ``text`` is shaped like a slug)."""
    text = text.strip()
    row = queryset.filter(slug=text).first() if SLUG_SHAPE.fullmatch(text) else None
    if row is not None:
        row.closeness, row.likeness = SLUG, 1.0
    return row


def resolve(queryset: models.QuerySet, text: str, limit: int = CANDIDATES) -> Resolution:
    """The one row of ``queryset`` that ``text`` names, or the candidates (one query)."""
    text = " ".join(text.split())
    return choose(list(matching(queryset, text)[: limit + 1]), text, limit)


def choose(rows: list, text: str, limit: int = CANDIDATES) -> Resolution:
    """The decision of ``resolve`` over rows from ``matching`` (of one model or several), closest first."""
    if not rows:
        return Resolution(text)
    best = rows[0].closeness
    closest = [row for row in rows if row.closeness == best]
    if best == SLUG or (best in (NAME, CONTAINS) and len(closest) == 1):
        return Resolution(text, match=rows[0])
    if best == ALIKE:
        return Resolution(text, candidates=rows[:limit])
    return Resolution(text, candidates=closest[:limit], ambiguous=True)


def resolve_person(text: str) -> Resolution:
    return resolve(Person.objects.all(), text)


def resolve_organization(text: str) -> Resolution:
    return resolve(Organization.objects.all(), text)


def resolve_coalition(text: str) -> Resolution:
    return resolve(Coalition.objects.all(), text)
