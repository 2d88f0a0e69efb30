"""Readers take part: e-mail alerts on any filtered view, and suggestions and corrections
for the moderation queue.

An address is kept in one column only (``email``), which nothing shows, exports or logs:
pages, mails' logs and the admin use ``email_hash`` (a keyed HMAC, participation.addresses)
for lookups and rate limits, and the admin shows the address masked.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from debates.models import Position, PositionForm, Topic
from members.models import Source


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "As soon as there is something new"
    DAILY = "daily", "Once a day at most"
    WEEKLY = "weekly", "Once a week at most"


class Subscriber(models.Model):
    """One e-mail address: one message per run of send_alerts, whatever its alerts."""

    email = models.EmailField(max_length=254, help_text="Never shown, exported or logged.")
    email_hash = models.CharField(max_length=64, unique=True, help_text="Keyed hash of the address, for lookups.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        from participation.addresses import mask

        return mask(self.email)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Subscription(models.Model):
    """An alert: new entries of one view (participation.kinds), confirmed by a link sent to the address."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    kind = models.CharField(max_length=30)
    query = models.CharField(max_length=1000, blank=True, help_text="The view's filters, normalised.")
    label = models.CharField(max_length=500)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Entries recorded from this moment on are new to the alert (set on confirmation).
    since = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "kind", "query"], name="subscription_one_per_view"),
            models.CheckConstraint(condition=Q(frequency__in=Frequency.values), name="subscription_frequency_valid"),
        ]
        indexes = [models.Index(fields=["confirmed_at"], name="subscription_confirmed_idx")]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_frequency_display().lower()})"


class DeliveryStatus(models.TextChoices):
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"


class Delivery(models.Model):
    """One message to one subscriber. Its entries are claimed (SentEntry) and committed
    before the message is sent, so no entry is ever sent twice; a crash between the
    commit and the send leaves it "being sent" (send_alerts reports it), never resent."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.SENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid")
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="delivery_status_idx")]

    def __str__(self) -> str:
        return f"Delivery {self.pk} ({self.status})"


class SentEntry(models.Model):
    """An entry (a row of the alert's kind) an alert has sent, or is sending: never again."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="sent_entries")
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="entries")
    entry_id = models.BigIntegerField()

    class Meta:
        verbose_name_plural = "sent entries"
        constraints = [
            # The last wall against a double send: whatever the locks, an entry is claimed once per alert.
            models.UniqueConstraint(fields=["subscription", "entry_id"], name="sent_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id}: {self.entry_id}"


class ConfirmationRequest(models.Model):
    """A confirmation message sent (or refused): the ledger behind the per-address and per-client limits."""

    email_hash = models.CharField(max_length=64)
    client_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["email_hash", "created_at"], name="confirmation_address_idx"),
            models.Index(fields=["client_hash", "created_at"], name="confirmation_client_idx"),
        ]

    def __str__(self) -> str:
        return f"Confirmation at {self.created_at:%Y-%m-%d %H:%M}"


class SuggestionKind(models.TextChoices):
    SUGGESTION = "suggestion", "New position"
    CORRECTION = "correction", "Correction"


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"


class SuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=SuggestionStatus.PENDING)


class Suggestion(models.Model):
    """A reader's suggested position, or report of an error in one, waiting for a moderator.

    Plain-text fields are shown escaped; the Markdown ones (note, what is wrong,
    evidence) are rendered once by debates.markup, the sanitizer, into ``*_html``.
    """

    kind = models.CharField(max_length=12, choices=SuggestionKind.choices)
    # A suggestion: who said what, for whom, when, on what, and where it can be read.
    speaker_name = models.CharField("who said it", max_length=200, blank=True)
    organization_name = models.CharField("for whom", max_length=200, blank=True)
    form = models.CharField("quote or paraphrase", max_length=10, choices=PositionForm.choices, blank=True)
    words = models.TextField("what was said", blank=True)
    said_on = models.DateField("when", null=True, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="+")
    source_url = models.URLField("source URL", max_length=500, blank=True)
    note_markdown = models.TextField("note", blank=True)
    note_html = models.TextField(blank=True, editable=False)
    # A correction: which position, what is wrong, and the evidence.
    position = models.ForeignKey(Position, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    problem_markdown = models.TextField("what is wrong", blank=True)
    problem_html = models.TextField(blank=True, editable=False)
    evidence_markdown = models.TextField("evidence", blank=True)
    evidence_html = models.TextField(blank=True, editable=False)

    email = models.EmailField(blank=True, help_text="Optional; only to tell the reader the outcome. Never shown.")
    client_hash = models.CharField(max_length=64, blank=True)
    body_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    status = models.CharField(max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING)
    moderation_reason = models.CharField(max_length=300, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    # The source made from source_url when a moderator opens the position form from it; the
    # position that cites it is the suggestion's outcome.
    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, blank=True, editable=False)
    created_position = models.ForeignKey(
        Position, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    outcome_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SuggestionKind.values), name="suggestion_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=SuggestionStatus.values), name="suggestion_status_valid"),
            models.CheckConstraint(
                condition=Q(kind=SuggestionKind.CORRECTION, position__isnull=False)
                | Q(kind=SuggestionKind.SUGGESTION, position__isnull=True) & ~Q(source_url=""),
                name="suggestion_has_its_subject",
                violation_error_message="A suggestion needs a source URL; a correction needs its position.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="suggestion_queue_idx"),
            models.Index(fields=["client_hash", "created_at"], name="suggestion_client_idx"),
        ]

    def __str__(self) -> str:
        if self.kind == SuggestionKind.CORRECTION:
            return f"Correction to position {self.position_id}"
        return f"{self.speaker_name or 'Someone'}: {self.words[:60]}"


class ModeratorNotice(models.Model):
    """An item of the moderation queue already in a digest (notify_moderators): never listed twice."""

    item = models.CharField(max_length=60, unique=True, help_text="e.g. debates.comment:42")
    notified_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.item
