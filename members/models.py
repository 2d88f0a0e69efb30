"""Who is who: the coalitions that take a side, their member organizations,
the people who speak for them, and the sources every fact comes from.

``Source`` lives here rather than in ``debates`` because memberships and
affiliations cite sources too, and ``members`` must not depend on ``debates``.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from alliance_portal.models import Audited, DatePrecision, format_partial_date, history, slug_url


class Stance(models.TextChoices):
    """The one stance vocabulary, used by coalitions, positions and the matrix."""

    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    MIXED = "mixed", "Mixed"

    @classmethod
    def combine(cls, stances) -> str | None:
        """One stance for several: the shared one, mixed when they differ, None when there are none."""
        distinct = set(stances)
        if not distinct:
            return None
        return distinct.pop() if len(distinct) == 1 else cls.MIXED


def stance_check(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": Stance.values}), name=name)


def dates_in_order(start: str, end: str, name: str) -> models.CheckConstraint:
    """An end date, when there is one, is not before its start date."""
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True}) | Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message=f"“{end.capitalize()}” cannot be before “{start.capitalize()}”.",
    )


class Source(Audited):
    """Where a fact comes from. Every position, membership and policy item cites one."""

    publisher = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=300)
    url = models.URLField("URL", max_length=500, blank=True)
    archive_url = models.URLField(
        "archived copy URL",
        max_length=500,
        blank=True,
        help_text="A copy in a web archive, in case the original moves.",
    )
    published_on = models.DateField(null=True, blank=True)
    accessed_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="How the source was obtained, and anything a reader should know.")

    history = history()

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="source_url_unique"),
            models.UniqueConstraint(fields=["publisher", "title"], name="source_publisher_title_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}" if self.publisher else self.title


class Coalition(Audited):
    """An alliance or forum that takes a side in the debate."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    stance = models.CharField(max_length=10, choices=Stance.choices)
    founded_on = models.DateField(null=True, blank=True)
    website = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    members_note = models.TextField(blank=True, help_text="Members a source mentions without naming them.")
    sources = models.ManyToManyField(Source, blank=True, related_name="coalitions")

    history = history(m2m_fields=["sources"])

    class Meta:
        ordering = ["name"]
        constraints = [stance_check("stance", "coalition_stance_valid")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("members:coalition-detail", self.slug)


class OrganizationKind(models.TextChoices):
    COMPANY = "company", "Company"
    UNIVERSITY = "university", "University"
    LAB = "lab", "Research lab"
    NONPROFIT = "nonprofit", "Non-profit"
    PUBLIC_BODY = "public_body", "Public body"


class OrganizationQuerySet(models.QuerySet):
    def in_coalition(self, coalition):
        """Members of ``coalition`` now (a membership without an end date)."""
        return self.filter(
            Exists(Membership.objects.current().filter(coalition=coalition, organization=OuterRef("pk")))
        )


class Organization(Audited):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganizationKind.choices)
    country = models.CharField(max_length=100, blank=True, help_text="Where it is based, in English.")
    website = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="organizations")

    objects = OrganizationQuerySet.as_manager()
    history = history(m2m_fields=["sources"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OrganizationKind.values), name="organization_kind_valid"),
        ]
        indexes = [
            models.Index(fields=["kind"], name="organization_kind_idx"),
            models.Index(fields=["country"], name="organization_country_idx"),
            GinIndex(OpClass("name", name="gin_trgm_ops"), name="organization_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("members:organization-detail", self.slug)


class MembershipRole(models.TextChoices):
    FOUNDER = "founder", "Founder"
    MEMBER = "member", "Member"


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """Memberships without an end date: what "a member of the coalition" means on every page."""
        return self.filter(until__isnull=True)


class Membership(Audited):
    """An organization's membership of a coalition, with dates and the source saying so."""

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    since = models.DateField(null=True, blank=True)
    since_precision = models.CharField(
        "precision of “since”",
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        db_default=DatePrecision.DAY,
        help_text="A source may give only the month a member joined: then “since” is the month's first day.",
    )
    until = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="memberships")

    objects = MembershipQuerySet.as_manager()
    history = history(m2m_fields=["sources"])

    class Meta:
        ordering = ["coalition__name", "role", "organization__name"]  # founders first
        constraints = [
            models.CheckConstraint(condition=Q(role__in=MembershipRole.values), name="membership_role_valid"),
            models.CheckConstraint(
                condition=Q(since_precision__in=DatePrecision.values), name="membership_precision_valid"
            ),
            dates_in_order("since", "until", "membership_dates_in_order"),
            # One open-ended membership per organization and coalition at a time.
            models.UniqueConstraint(
                fields=["coalition", "organization"],
                condition=Q(until__isnull=True),
                name="membership_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} in {self.coalition} ({self.get_role_display().lower()})"

    @property
    def since_display(self) -> str:
        """ "5 December 2023", or "May 2024" when only the month is known; "" when not stated."""
        return format_partial_date(self.since, self.since_precision) if self.since else ""


class PersonQuerySet(models.QuerySet):
    def in_coalition(self, coalition):
        """People affiliated (now or before) with an organization that is a member of ``coalition`` now."""
        return self.filter(Exists(Affiliation.objects.at_members_of(coalition).filter(person=OuterRef("pk"))))


class Person(Audited):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    bio = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="people")

    objects = PersonQuerySet.as_manager()
    history = history(m2m_fields=["sources"])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [GinIndex(OpClass("name", name="gin_trgm_ops"), name="person_name_trgm")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("members:person-detail", self.slug)


class AffiliationQuerySet(models.QuerySet):
    def current(self):
        return self.filter(until__isnull=True)

    def held_on(self, day):
        """Affiliations that held on ``day``: begun by then (or with no start recorded), not ended before it."""
        return self.filter(Q(since__isnull=True) | Q(since__lte=day), Q(until__isnull=True) | Q(until__gte=day))

    def at_members_of(self, coalition):
        """Affiliations with an organization that is a member of ``coalition`` now."""
        members = Membership.objects.current().filter(coalition=coalition, organization=OuterRef("organization"))
        return self.filter(Exists(members))


class Affiliation(Audited):
    """A person's role at an organization, with dates (Yann LeCun — Meta — chief AI scientist)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="affiliations")
    title = models.CharField(max_length=200, blank=True)
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="affiliations")

    objects = AffiliationQuerySet.as_manager()
    history = history(m2m_fields=["sources"])

    class Meta:
        ordering = ["person__name", "-since"]
        constraints = [
            dates_in_order("since", "until", "affiliation_dates_in_order"),
            models.UniqueConstraint(
                fields=["person", "organization", "title"],
                condition=Q(until__isnull=True),
                name="affiliation_one_current",
            ),
        ]

    def __str__(self) -> str:
        role = f", {self.title}" if self.title else ""
        return f"{self.person} — {self.organization}{role}"
