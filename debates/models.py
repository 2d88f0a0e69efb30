"""What is said and decided: topics, positions, policy items and comments."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.safestring import mark_safe

from alliance_portal.models import Audited, DatePrecision, format_partial_date, history, slug_url
from members.models import Membership, Organization, Person, Source, Stance, stance_check
from proposals.models import AwaitingReview, ReviewQuerySet, ReviewStatus, review_constraints


class Topic(Audited):
    """A question of the debate: open weights, safety, regulation, …"""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    question = models.CharField(max_length=300, blank=True, help_text="The question, as a reader would ask it.")
    description = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="topics")

    history = history(m2m_fields=["sources"])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("debates:topic-detail", self.slug)


class Jurisdiction(models.TextChoices):
    US = "us", "United States"
    EU = "eu", "European Union"
    UK = "uk", "United Kingdom"
    INTERNATIONAL = "intl", "International"
    OTHER = "other", "Other"


class PolicyKind(models.TextChoices):
    EXECUTIVE_ORDER = "executive_order", "Executive order"
    LAW = "law", "Law"
    BILL = "bill", "Bill"
    REGULATION = "regulation", "Regulation"
    CONSULTATION = "consultation", "Consultation"
    GUIDANCE = "guidance", "Guidance"


class PolicyStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_NEGOTIATION = "in_negotiation", "In negotiation"
    ADOPTED = "adopted", "Adopted"
    IN_FORCE = "in_force", "In force"
    PARTLY_APPLICABLE = "partly_applicable", "Partly applicable"
    REVOKED = "revoked", "Revoked"


# How a status reads with its date: "in force since 1 August 2024", "revoked 20 January 2025".
_STATUS_PHRASES = {
    PolicyStatus.PROPOSED: "proposed {date}",
    PolicyStatus.IN_NEGOTIATION: "in negotiation since {date}",
    PolicyStatus.ADOPTED: "adopted {date}",
    PolicyStatus.IN_FORCE: "in force since {date}",
    PolicyStatus.PARTLY_APPLICABLE: "partly applicable since {date}",
    PolicyStatus.REVOKED: "revoked {date}",
}


def status_with_date(status: str, since, precision: str = "day") -> str:
    label = PolicyStatus(status).label.lower()
    if since is None:
        return label
    return _STATUS_PHRASES[status].format(date=format_partial_date(since, precision))


class PolicyItem(Audited):
    """An executive order, law, bill or consultation that bears on open models.

    Its status has a history (``PolicyStatusChange``). ``status``, ``status_since``
    and ``status_note`` are a copy of the latest change, for filters and lists;
    only ``refresh_status()`` writes them once a change exists (the seed loader
    and the admin call it), so the copy cannot drift from the history.
    """

    title = models.CharField(max_length=300)
    short_name = models.CharField(max_length=120, help_text="What readers call it, e.g. “EU AI Act”.")
    slug = models.SlugField(max_length=200, unique=True)
    jurisdiction = models.CharField(max_length=10, choices=Jurisdiction.choices)
    kind = models.CharField(max_length=20, choices=PolicyKind.choices)
    status = models.CharField(
        max_length=20, choices=PolicyStatus.choices, help_text="Copied from the latest status change, if any."
    )
    status_since = models.DateField(null=True, blank=True, editable=False)
    status_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, editable=False
    )
    status_note = models.CharField(max_length=300, blank=True, help_text="As of when, and according to whom.")
    introduced_on = models.DateField(null=True, blank=True)
    adopted_on = models.DateField(null=True, blank=True)
    responsible_office = models.CharField(max_length=300, blank=True)
    summary = models.TextField()
    open_models = models.TextField("what it says about open models", blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="policy_items")
    sources = models.ManyToManyField(Source, related_name="policy_items")

    history = history(m2m_fields=["topics", "sources"])

    class Meta:
        ordering = ["short_name"]
        verbose_name = "policy item"
        constraints = [
            models.CheckConstraint(condition=Q(jurisdiction__in=Jurisdiction.values), name="policy_jurisdiction_valid"),
            models.CheckConstraint(condition=Q(kind__in=PolicyKind.values), name="policy_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=PolicyStatus.values), name="policy_status_valid"),
            models.CheckConstraint(
                condition=Q(introduced_on__isnull=True)
                | Q(adopted_on__isnull=True)
                | Q(adopted_on__gte=models.F("introduced_on")),
                name="policy_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["jurisdiction", "kind", "status"], name="policy_filters_idx")]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return slug_url("debates:policy-detail", self.slug)

    @property
    def status_display(self) -> str:
        """The current status with its date: "in force since 1 August 2024"."""
        return status_with_date(self.status, self.status_since, self.status_precision)

    def refresh_status(self) -> None:
        """Copy the latest status change onto the row (nothing to do when there is none)."""
        latest = self.status_changes.order_by("-since", "-pk").first()
        if latest is None:
            return
        values = {
            "status": latest.status,
            "status_since": latest.since,
            "status_precision": latest.precision,
            "status_note": latest.note[:300],
        }
        changed = {name: value for name, value in values.items() if getattr(self, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(self, name, value)
            # A save, not an update(): the history (and the status-change feed) records it.
            self.save(update_fields=[*changed, "updated_at"])

    def upcoming_milestones(self, today=None):
        """Milestones still ahead of today (milestones prefetched, in date order)."""
        today = today or timezone.localdate()
        return [m for m in self.milestones.all() if m.on >= today]

    def past_milestones(self, today=None):
        today = today or timezone.localdate()
        return [m for m in self.milestones.all() if m.on < today]


class PolicyStatusChange(Audited):
    """A policy item's status from a date on: in force since 1 August 2024, revoked 20 January 2025."""

    policy_item = models.ForeignKey(PolicyItem, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=20, choices=PolicyStatus.choices)
    since = models.DateField()
    precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    note = models.CharField(max_length=300, blank=True)
    sources = models.ManyToManyField(Source, related_name="policy_status_changes")

    history = history(m2m_fields=["sources"])

    class Meta:
        ordering = ["policy_item", "since", "pk"]
        verbose_name = "status change"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PolicyStatus.values), name="status_change_status_valid"),
            models.CheckConstraint(
                condition=Q(precision__in=DatePrecision.values), name="status_change_precision_valid"
            ),
            # One status per day, so "the latest change" is never a tie.
            models.UniqueConstraint(fields=["policy_item", "since"], name="status_change_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.policy_item}: {self.display}"

    @property
    def display(self) -> str:
        return status_with_date(self.status, self.since, self.precision)


class PolicyMilestone(Audited):
    """A dated step of a policy item: signed, published, a deadline for a report."""

    policy_item = models.ForeignKey(PolicyItem, on_delete=models.CASCADE, related_name="milestones")
    on = models.DateField()
    precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    title = models.CharField(max_length=300)
    is_deadline = models.BooleanField(default=False)
    responsible = models.CharField(max_length=300, blank=True)

    history = history()

    class Meta:
        ordering = ["on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(precision__in=DatePrecision.values), name="milestone_precision_valid"),
        ]
        indexes = [models.Index(fields=["on"], name="milestone_on_idx")]

    def __str__(self) -> str:
        return f"{self.policy_item}: {self.title}"

    @property
    def date_display(self) -> str:
        return format_partial_date(self.on, self.precision)


class Openness(models.TextChoices):
    """How open a model release is: weights and more (open), weights under restrictions (partial), or neither."""

    OPEN = "open", "Open"
    PARTIAL = "partial", "Partly open"
    CLOSED = "closed", "Closed"


class Release(Audited):
    """A model an organization released: when, whether its weights can be downloaded, under what licence."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="releases")
    name = models.CharField(max_length=200)
    released_on = models.DateField()
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    weights_available = models.BooleanField("weights downloadable")
    licence = models.CharField(max_length=300, blank=True)
    openness = models.CharField(max_length=10, choices=Openness.choices)
    note = models.TextField(blank=True, help_text="How the openness was judged, and anything a reader should know.")
    sources = models.ManyToManyField(Source, related_name="releases")

    history = history(m2m_fields=["sources"])

    class Meta:
        ordering = ["released_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(openness__in=Openness.values), name="release_openness_valid"),
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values), name="release_precision_valid"
            ),
            # A release whose weights can be downloaded is not closed; one whose weights cannot, is.
            models.CheckConstraint(
                condition=Q(openness=Openness.CLOSED, weights_available=False)
                | (~Q(openness=Openness.CLOSED) & Q(weights_available=True)),
                name="release_weights_match_openness",
                violation_error_message="A closed release has no downloadable weights; an open or partly open one has.",
            ),
            models.UniqueConstraint(fields=["organization", "name"], name="release_unique_name"),
        ]
        indexes = [models.Index(fields=["released_on"], name="release_date_idx")]

    def __str__(self) -> str:
        return f"{self.organization}: {self.name}"

    def get_absolute_url(self) -> str:
        return f"{self.organization.get_absolute_url()}#release-{self.pk}"

    @property
    def date_display(self) -> str:
        return format_partial_date(self.released_on, self.date_precision)


class PositionForm(models.TextChoices):
    QUOTE = "quote", "Direct quote"
    PARAPHRASE = "paraphrase", "Paraphrase"


class Integrity(models.TextChoices):
    VERIFIED = "verified", "Verified against the source"
    UNVERIFIED = "unverified", "Not yet verified"
    DISPUTED = "disputed", "Disputed"
    MISATTRIBUTED = "misattributed", "Misattributed"
    RETRACTED = "retracted", "Retracted"


class ReplyKind(models.TextChoices):
    REPLY = "reply", "Reply"
    CORRECTION = "correction", "Correction"
    RIGHT_OF_REPLY = "right_of_reply", "Right of reply"


# Newest first, undated last: exactly the index position_pub_date_idx, so a page of any list
# is an index scan however deep. Position.Meta.ordering and newest_first() both use it.
NEWEST_FIRST = (F("said_on").desc(nulls_last=True), F("id").desc())
# Said for no organization: the speaker spoke for themselves, or for none recorded
# (position_pub_personal_idx holds these; debates.camps counts them as independent voices).
SAID_FOR_NO_ORGANIZATION = Q(speaks_for=False) | Q(organization__isnull=True)
OLDEST_FIRST = (F("said_on").asc(nulls_last=True), F("id").asc())  # position_pub_date_asc_idx


class PositionQuerySet(models.QuerySet):
    """The read vocabulary of every list of positions. The filters are EXISTS rather than
    joins: no duplicate rows, no DISTINCT, and the date index still drives the page."""

    def for_listing(self):
        """What a list row shows: speaker, organization, topics, sources, and whether it was answered."""
        answered = Position.objects.filter(in_reply_to=OuterRef("pk"))
        return (
            self.select_related("speaker", "organization", "policy_item")
            .prefetch_related("topics", "sources")
            .annotate(is_answered=Exists(answered))
        )

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def oldest_first(self):
        return self.order_by(*OLDEST_FIRST)

    def on_topic(self, topic):
        return self.on_any_topic([topic])

    def on_any_topic(self, topics):
        """On at least one of ``topics`` (Topic objects or ids)."""
        through = Position.topics.through
        return self.filter(Exists(through.objects.filter(position=OuterRef("pk"), topic__in=topics)))

    def spoken_for(self, organization):
        """Said in the organization's name (not by its people speaking for themselves)."""
        return self.filter(organization=organization, speaks_for=True)

    def spoken_for_coalition(self, coalition):
        """Said in the name of an organization that is a member of ``coalition`` now."""
        members = Membership.objects.current().filter(coalition=coalition)
        return self.filter(Exists(members.filter(organization=OuterRef("organization"))), speaks_for=True)

    def stance_changes(self, limit: int = 20) -> list:
        """[(topic, earlier, later), …], the latest first: each time one of these positions took
        a different stance on a topic from the one before it on that topic, in order of the
        date said or, failing that, first reported by a source (undated ones cannot show a
        change). Worked out by the database over all of them (a window over each topic's
        positions in date order), however many there are, in one query; the positions come
        with what a change line shows (slug, stance, date, speaker)."""
        reported = Source.objects.filter(positions=OuterRef("pk")).order_by().values("positions")
        reported = reported.annotate(first=models.Min("published_on")).values("first")
        known = self.order_by().annotate(known_on=Coalesce("said_on", Subquery(reported)))
        # Their id, stance and date: an index-only scan for a person or an organization, but
        # for the sources' dates of the undated.
        dated_sql, dated_params = known.values("id", "stance", "known_on").query.sql_with_params()
        earlier = "steps.earlier_known, e.id, e.slug, e.stance, e.said_on, e.date_precision, es.id, es.slug, es.name"
        later = "steps.known_on, p.id, p.slug, p.stance, p.said_on, p.date_precision, s.id, s.slug, s.name"
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"""SELECT t.id, t.slug, t.name, {earlier}, {later}
                    FROM (SELECT * FROM (
                      SELECT pt.topic_id, q.id AS later_id, q.stance, q.known_on,
                             lag(q.id) OVER w AS earlier_id, lag(q.stance) OVER w AS earlier_stance,
                             lag(q.known_on) OVER w AS earlier_known
                      FROM ({dated_sql}) q JOIN debates_position_topics pt ON pt.position_id = q.id
                      WHERE q.known_on IS NOT NULL
                      WINDOW w AS (PARTITION BY pt.topic_id ORDER BY q.known_on, q.id)
                    ) steps
                    WHERE steps.earlier_stance <> steps.stance
                    ORDER BY steps.known_on DESC, steps.later_id DESC, steps.topic_id LIMIT %s
                    ) steps
                    JOIN debates_topic t ON t.id = steps.topic_id
                    JOIN debates_position e ON e.id = steps.earlier_id JOIN members_person es ON es.id = e.speaker_id
                    JOIN debates_position p ON p.id = steps.later_id JOIN members_person s ON s.id = p.speaker_id
                    ORDER BY steps.known_on DESC, steps.later_id DESC, t.name""",  # noqa: S608 - the ORM's own SQL
                [*dated_params, limit],
            )
            rows = cursor.fetchall()

        def position(known_on, pk, slug, stance, said_on, precision, speaker_pk, speaker_slug, speaker_name):
            speaker = Person(pk=speaker_pk, slug=speaker_slug, name=speaker_name)
            shown = Position(
                pk=pk, slug=slug, stance=stance, said_on=said_on, date_precision=precision, speaker=speaker
            )
            # An undated one shows the date its source reported it: that source, as if prefetched.
            shown._prefetched_objects_cache = {"sources": [] if said_on else [Source(published_on=known_on)]}
            return shown

        return [(Topic(pk=r[0], slug=r[1], name=r[2]), position(*r[3:12]), position(*r[12:21])) for r in rows]


class PublishedPositionManager(models.Manager.from_queryset(PositionQuerySet)):
    """What readers may see: published positions only."""

    def get_queryset(self):
        return super().get_queryset().filter(published=True)


class Position(Audited):
    """What a person said or holds, speaking for an organization or for themselves.

    ``organization`` is whom they spoke for, or were affiliated with, at the
    time, so a later move between employers does not rewrite history;
    ``speaks_for`` says which. Only a position spoken for an organization counts
    as the organization's (and its coalitions') stance; the others are the
    person's, shown with their affiliation. A direct quote keeps the words
    verbatim in ``quotation``; ``summary`` is always the portal's own words.
    """

    slug = models.SlugField(max_length=200, unique=True)
    speaker = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="positions")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        help_text="Whom the speaker spoke for, or was affiliated with, at the time.",
    )
    speaks_for = models.BooleanField(
        "spoke for the organization",
        default=True,
        db_default=True,
        help_text="Spoke in the organization's name (an announcement, a company letter), not only as someone affiliated"
        " with it. Only these count as the organization's stance.",
    )
    form = models.CharField(max_length=10, choices=PositionForm.choices)
    quotation = models.TextField(blank=True, help_text="The words verbatim, for a direct quote only.")
    summary = models.TextField(help_text="What was said or held, in the portal's own words.")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    topics = models.ManyToManyField(Topic, related_name="positions")
    said_on = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    venue = models.CharField(max_length=200, blank=True, help_text="Where it was said: an interview, X, a hearing…")
    context = models.TextField(blank=True)
    policy_item = models.ForeignKey(
        PolicyItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="positions"
    )
    # An exchange: this position answers another (entered by moderators, with its source like any other).
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name="answers",
        help_text="The position this one answers: a reply, a correction, or a right of reply from the person or"
        " organization concerned.",
    )
    reply_kind = models.CharField(max_length=15, choices=ReplyKind.choices, blank=True, default="", db_default="")
    integrity = models.CharField(max_length=15, choices=Integrity.choices, default=Integrity.UNVERIFIED)
    integrity_note = models.TextField(blank=True, help_text="The evidence for the integrity status.")
    sources = models.ManyToManyField(Source, related_name="positions")
    # Speaker, organization and topic names, so search can weigh them. A position's own
    # speaker, organization or topics changing: Position.refresh_search_terms() (the admin,
    # add_topic, the seed). A person, organization or topic renamed: database triggers
    # (migration 0006), whatever route the rename took.
    search_terms = models.TextField(blank=True, editable=False)
    # Kept by a PostgreSQL trigger on debates_comment (migration 0003), so lists
    # show counts without counting millions of comments.
    approved_comment_count = models.PositiveIntegerField(default=0, editable=False)
    search_vector = models.GeneratedField(
        expression=SearchVector("quotation", "summary", weight="A", config="english")
        + SearchVector("search_terms", weight="B", config="english")
        + SearchVector("context", weight="C", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    # Review before publishing: a moderator's new position is a draft until a publisher, a
    # second moderator, publishes it (the admin's "Publish" action). Readers, feeds, downloads,
    # the API and the sitemap read ``objects``, which holds published positions only; the
    # admin reads ``all_objects``. Rows made any other way (the seed, scripts) are published.
    published = models.BooleanField(default=True, db_default=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    objects = PublishedPositionManager()
    all_objects = PositionQuerySet.as_manager()

    # A search's results carry their text with the matched words marked (debates.search);
    # every other position has none. Declared, so a card's template finds them unset instead
    # of failing each lookup (which costs Django's template engine a dir() of the instance).
    summary_highlighted = None
    quotation_highlighted = None
    history = history(
        m2m_fields=["topics", "sources"], excluded_fields=["search_terms", "search_vector", "approved_comment_count"]
    )

    class Meta:
        ordering = NEWEST_FIRST
        base_manager_name = "all_objects"
        permissions = [("publish_position", "Can publish a position another moderator drafted")]
        constraints = [
            stance_check("stance", "position_stance_valid"),
            models.CheckConstraint(condition=Q(form__in=PositionForm.values), name="position_form_valid"),
            models.CheckConstraint(condition=Q(integrity__in=Integrity.values), name="position_integrity_valid"),
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values), name="position_precision_valid"
            ),
            # A quote carries its verbatim words; a paraphrase carries none.
            models.CheckConstraint(
                condition=(Q(form=PositionForm.QUOTE) & ~Q(quotation=""))
                | (Q(form=PositionForm.PARAPHRASE) & Q(quotation="")),
                name="position_quote_has_words",
                violation_error_message=(
                    "A direct quote needs its verbatim words in “Quotation”; a paraphrase must leave it empty."
                ),
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="position_summary_not_empty"),
            # An answer says what kind it is; a position that answers nothing has no kind.
            models.CheckConstraint(
                condition=(Q(in_reply_to__isnull=True) & Q(reply_kind=""))
                | (Q(in_reply_to__isnull=False) & Q(reply_kind__in=ReplyKind.values)),
                name="position_reply_has_kind",
                violation_error_message="A position that answers another needs its kind (reply, correction, right of"
                " reply), and only then.",
            ),
            models.CheckConstraint(condition=~Q(in_reply_to=F("pk")), name="position_not_reply_to_itself"),
        ]
        indexes = [
            # Match the lists' ordering exactly (newest first, undated last) and hold only what
            # readers see (published), so a page's ids are an index-only scan, however deep.
            models.Index(
                F("stance"),
                F("said_on").desc(nulls_last=True),
                F("id").desc(),
                name="position_pub_stance_date_idx",
                condition=Q(published=True),
            ),
            models.Index(
                F("said_on").desc(nulls_last=True),
                F("id").desc(),
                name="position_pub_date_idx",
                condition=Q(published=True),
            ),
            models.Index(
                F("said_on").asc(nulls_last=True),
                F("id").asc(),
                name="position_pub_date_asc_idx",
                condition=Q(published=True),
            ),
            models.Index(fields=["-created_at", "-id"], name="position_created_idx"),
            # The independent voices said for no organization, newest first (debates.camps.in_lane).
            models.Index(
                F("said_on").desc(nulls_last=True),
                F("id").desc(),
                name="position_pub_personal_idx",
                condition=Q(published=True) & SAID_FOR_NO_ORGANIZATION,
            ),
            # A person's and an organization's pages: their newest, their counts and their changes
            # of stance read these alone (the trailing columns make the scans index-only).
            models.Index(
                F("speaker"),
                F("said_on").desc(nulls_last=True),
                F("id").desc(),
                F("stance"),
                name="position_pub_speaker_idx",
                condition=Q(published=True),
            ),
            models.Index(
                F("organization"),
                F("said_on").desc(nulls_last=True),
                F("id").desc(),
                F("speaks_for"),
                F("stance"),
                name="position_pub_org_idx",
                condition=Q(published=True),
            ),
            GinIndex(fields=["search_vector"], name="position_search_idx"),
        ]

    def __str__(self) -> str:
        text = self.quotation or self.summary
        short = text if len(text) <= 60 else text[:57] + "…"
        return f"{self.speaker}: {short}"

    def get_absolute_url(self) -> str:
        return slug_url("debates:position-detail", self.slug)

    @property
    def is_quote(self) -> bool:
        return self.form == PositionForm.QUOTE

    @property
    def reported_on(self):
        """The earliest date a source reported it (sources prefetched), or None."""
        return min((s.published_on for s in self.sources.all() if s.published_on), default=None)

    @property
    def known_date(self):
        """When it was said; failing that, when a source reported it; None if neither is known."""
        return self.said_on or self.reported_on

    @property
    def date_display(self) -> str:
        """When it was said; failing that, when a source reported it (sources prefetched)."""
        if self.said_on is None and self.reported_on:
            return "reported " + format_partial_date(self.reported_on, DatePrecision.DAY)
        return format_partial_date(self.said_on, self.date_precision)

    def exchange(self, limit: int = 50) -> list:
        """The whole exchange this position is part of, in date order ([] when it is in none).

        Up from the position to the one that started it, then down every answer, level by
        level: a query per step, and none for a position that answers nothing and was not
        answered (``is_answered`` comes with for_listing()).
        """
        if self.in_reply_to_id is None and not getattr(self, "is_answered", True):
            return []
        root, chain = self, {self.pk}
        while root.in_reply_to_id and root.in_reply_to_id not in chain and len(chain) < limit:
            root = Position.objects.for_listing().get(pk=root.in_reply_to_id)
            chain.add(root.pk)
        thread, level, in_thread = [root], [root.pk], {root.pk}
        while level and len(thread) < limit:
            answers = Position.objects.for_listing().filter(in_reply_to__in=level).exclude(pk__in=in_thread)
            answers = list(answers.order_by("pk")[: limit - len(thread)])
            thread.extend(answers)
            level = [a.pk for a in answers]
            in_thread.update(level)
        if len(thread) == 1:
            return []
        return sorted(thread, key=lambda p: (p.said_on is None, p.said_on, p.created_at, p.pk))

    @property
    def is_flagged(self) -> bool:
        """Whether readers must be warned before they rely on it."""
        return self.integrity in {Integrity.DISPUTED, Integrity.MISATTRIBUTED, Integrity.RETRACTED}

    def refresh_search_terms(self) -> None:
        """Copy speaker, organization and topic names onto the row for search."""
        names = [self.speaker.name]
        if self.organization_id:
            names.append(self.organization.name)
        names.extend(self.topics.values_list("name", flat=True))
        terms = " ".join(names)
        if terms != self.search_terms:
            Position.all_objects.filter(pk=self.pk).update(search_terms=terms)
            self.search_terms = terms


class PositionRevision(AwaitingReview):
    """An edit of a published position, held until a publisher, a second moderator, publishes it.

    With review before publishing on, a moderator who is not a publisher cannot change a
    published position directly: the admin keeps the form's values here (``data``, what
    the Position form cleaned: field name -> value, ids for links) and the position stays
    as readers know it. Publishing applies ``data`` through the same form in one save
    (debates/revisions.py), so the position's history shows it, attributed to its author.
    Decided revisions stay, as the record of who proposed, published or rejected what.
    """

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="revisions")
    data = models.JSONField(encoder=DjangoJSONEncoder, help_text="The proposed values of the Position form.")
    # The position's updated_at when the edit was proposed: a later change means the
    # publisher reviews the edit against a newer position than its author saw.
    based_on = models.DateTimeField()

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = "edit awaiting review"
        verbose_name_plural = "edits awaiting review"
        constraints = [
            *review_constraints("revision"),
            # One edit waits per position: a second would be reviewed against a stale first.
            models.UniqueConstraint(
                fields=["position"], condition=Q(status=ReviewStatus.PENDING), name="revision_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"Edit of “{self.position}” by {self.proposed_by or 'an account since removed'}"


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"


class Reaction(models.TextChoices):
    AGREE = "agree", "I agree"
    DISAGREE = "disagree", "I disagree"
    NEITHER = "neither", "Neither"


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=CommentStatus.APPROVED)


class Comment(models.Model):
    """A reader's comment on a position. Only the sanitized HTML is ever rendered."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="comments")
    author_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True, help_text="Never shown or exported.")
    body_markdown = models.TextField()
    body_html = models.TextField(editable=False)
    reaction = models.CharField(max_length=10, choices=Reaction.choices, default=Reaction.NEITHER)
    status = models.CharField(max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    moderation_reason = models.CharField(max_length=300, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    ip_hash = models.CharField(max_length=64, blank=True, help_text="Salted hash of the poster's address.")
    body_hash = models.CharField(max_length=64, blank=True, help_text="Hash of the Markdown, to spot a repeat post.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CommentStatus.values), name="comment_status_valid"),
            models.CheckConstraint(condition=Q(reaction__in=Reaction.values), name="comment_reaction_valid"),
        ]
        indexes = [
            models.Index(fields=["position", "status", "created_at"], name="comment_position_status_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            models.Index(fields=["ip_hash", "created_at"], name="comment_poster_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on “{self.position}” ({self.get_status_display().lower()})"

    @property
    def body(self):
        """The stored HTML, which only render_markdown() ever writes (the field is not editable)."""
        return mark_safe(self.body_html)  # noqa: S308 - output of debates.markup, the sanitizer


class StanceTally(models.Model):
    """How many positions each (speaker, organization, topic, stance) has.

    ``organization`` is the one the position was spoken for: empty when the
    speaker spoke only for themselves (``Position.speaks_for`` false), so an
    organization's and a coalition's counts leave those out (migration 0009).

    Kept by database triggers (migration 0005) on positions and their topics, so
    the stances per topic of a coalition, organization or person, the matrix and
    the topic counts read a few thousand rows instead of grouping a million
    positions. Bulk loads switch the triggers off and run REBUILD_TALLY.
    """

    speaker = models.ForeignKey(Person, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    topic = models.ForeignKey(Topic, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    stance = models.CharField(max_length=10)
    positions = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["speaker", "organization", "topic", "stance"], nulls_distinct=False, name="tally_key"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "topic", "stance"], name="tally_organization_idx"),
            models.Index(fields=["topic", "stance"], include=["positions"], name="tally_topic_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.speaker_id}/{self.organization_id} on {self.topic_id}: {self.stance} × {self.positions}"


class SearchWord(models.Model):
    """A word of the positions' searchable text (quotation, summary, context and the speaker's,
    organization's and topics' names, as written, lower-cased), for the search page's "Did you
    mean": a typo is matched to its closest word here by trigram similarity.

    Rebuilt whole by ``manage.py refresh_search_words`` (daily, and by the seed and demo
    loaders), not kept by triggers: tens of thousands of rows however many positions there
    are, read by the trigram index; a word of a position written since the last rebuild is
    not suggested until the next (docs/architecture.md, "Did you mean").
    """

    word = models.CharField(max_length=60, primary_key=True)
    documents = models.PositiveIntegerField(help_text="How many published positions use it.")

    class Meta:
        indexes = [GinIndex(OpClass("word", name="gin_trgm_ops"), name="searchword_trgm")]

    def __str__(self) -> str:
        return self.word


# Recount StanceTally from the positions (after a bulk load that skipped the triggers).
REBUILD_TALLY = """
DELETE FROM debates_stancetally;
INSERT INTO debates_stancetally (speaker_id, organization_id, topic_id, stance, positions)
SELECT p.speaker_id, CASE WHEN p.speaks_for THEN p.organization_id END, pt.topic_id, p.stance, count(*)
FROM debates_position_topics pt JOIN debates_position p ON p.id = pt.position_id
WHERE p.published
GROUP BY 1, 2, 3, 4;
"""
