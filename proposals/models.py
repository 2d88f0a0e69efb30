"""A change to any record, held until a publisher, a second moderator, publishes it.

With review before publishing on, a moderator who is not a publisher does not save people,
organizations, coalitions, policy items and the rest directly: the admin keeps what its
change form submitted (the main form and every inline formset, as the browser posted them)
as a ``ChangeProposal``, and nothing changes for readers. Publishing replays that data
through the same admin form (proposals/review.py). Knows no content model: the record is
named by its content type and id (none for a record that does not exist yet).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReviewStatus(models.TextChoices):
    """The one lifecycle of a change held for a publisher: a proposal here, a position's edit in debates."""

    PENDING = "pending", "Awaiting a publisher"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn by its author"


class ReviewQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ReviewStatus.PENDING)


class ChangeProposalQuerySet(ReviewQuerySet):
    def of(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class AwaitingReview(models.Model):
    """What every change held for a publisher records: why, by whom, when, and how it was decided.

    ``ChangeProposal`` (any record) and ``debates.PositionRevision`` (a published position's
    edit) add what they hold and the record they change."""

    reason = models.CharField("reason for this change", max_length=100)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status == ReviewStatus.PENDING

    def published_reason(self, publisher) -> str:
        """The published version's reason: its author's, and who published it (the field holds 100 characters)."""
        suffix = f" (published by {publisher})"
        return self.reason[: 100 - len(suffix)] + suffix

    def decide(self, status, *, by, when=None, reason="", save=True) -> None:
        """Record the decision (``save=False``: the caller saves it with what else it sets)."""
        self.status, self.decided_by, self.decided_at = status, by, when or timezone.now()
        fields = ["status", "decided_by", "decided_at"]
        if reason:
            self.decision_reason = reason
            fields.append("decision_reason")
        if save:
            self.save(update_fields=fields)


def review_constraints(prefix: str) -> list:
    """The lifecycle's rules, as constraints named after the model (``prefix``_…)."""
    return [
        models.CheckConstraint(condition=Q(status__in=ReviewStatus.values), name=f"{prefix}_status_valid"),
        models.CheckConstraint(
            condition=Q(status=ReviewStatus.PENDING, decided_at__isnull=True)
            | (~Q(status=ReviewStatus.PENDING) & Q(decided_at__isnull=False)),
            name=f"{prefix}_decided_when_not_pending",
        ),
        models.CheckConstraint(
            condition=~Q(status=ReviewStatus.REJECTED) | ~Q(decision_reason=""),
            name=f"{prefix}_rejection_has_reason",
        ),
    ]


class ChangeProposal(AwaitingReview):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    # The record changed; none while a proposed new record waits (it is set when it is published).
    object_id = models.BigIntegerField(null=True, blank=True)
    is_addition = models.BooleanField(default=False)
    object_repr = models.CharField("record", max_length=200, help_text="Its name when the change was proposed.")
    data = models.JSONField(
        encoder=DjangoJSONEncoder,
        help_text="What the admin's change form submitted: field name -> list of values, inlines included.",
    )
    # The record's latest version (its own or an inline row's) when the change was proposed:
    # a later one means the publisher reviews it against a newer record than its author saw.
    based_on = models.DateTimeField(null=True, blank=True)

    objects = ChangeProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = "change awaiting review"
        verbose_name_plural = "changes awaiting review"
        permissions = [("publish_changeproposal", "Can publish a change another moderator proposed")]
        indexes = [models.Index(fields=["status", "content_type"], name="proposal_status_kind_idx")]
        constraints = [
            *review_constraints("proposal"),
            # One change waits per record: a second would be reviewed against a stale first.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status=ReviewStatus.PENDING, object_id__isnull=False),
                name="proposal_one_pending_per_record",
            ),
            # Only a proposed new record has no id, and only until it is published.
            models.CheckConstraint(
                condition=Q(object_id__isnull=False) | Q(is_addition=True) & ~Q(status=ReviewStatus.PUBLISHED),
                name="proposal_names_its_record",
            ),
        ]

    def __str__(self) -> str:
        kind = self.content_type.model_class()._meta.verbose_name if self.content_type_id else "record"
        what = f"New {kind}" if self.is_addition else f"Change of the {kind}"
        return f"{what} “{self.object_repr}” by {self.proposed_by or 'an account since removed'}"

    @property
    def model(self):
        return self.content_type.model_class()
