"""Readers' suggestions and corrections: taken in with the comments' abuse controls,
turned into a position or rejected by a moderator, the outcome mailed to the reader.

Taking one in runs the same checks as a comment (debates.comments): in one
transaction under an advisory lock on the client's hash, the same text from the
same client is stored once, and a client may send so many per window.
"""

import logging
from datetime import timedelta
from smtplib import SMTPException
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from debates.comments import Outcome, hash_body
from debates.models import Position, PositionForm
from members.models import Organization, Person, Source
from participation.addresses import hash_client
from participation.mail import absolute, mail_error, message
from participation.models import Suggestion, SuggestionKind, SuggestionStatus

logger = logging.getLogger(__name__)

FIELDS = {
    SuggestionKind.SUGGESTION: ["speaker_name", "organization_name", "form", "words", "said_on", "source_url"],
    SuggestionKind.CORRECTION: ["position"],
}


def _body_hash(kind, data) -> str:
    parts = [str(data.get(name) or "") for name in (*FIELDS[kind], "note_markdown", "problem_markdown")]
    parts.append(data.get("evidence_markdown") or "")
    if data.get("position"):
        parts.append(data["position"].slug)
    return hash_body(" ".join(parts))


def submit(kind: str, data: dict, client: str) -> tuple[Outcome, Suggestion | None]:
    client_hash = hash_client(client)
    body_hash = _body_hash(kind, data)
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"suggestion:{client_hash}"])
        recent = Suggestion.objects.filter(client_hash=client_hash)
        duplicate_since = now - timedelta(seconds=settings.COMMENT_DUPLICATE_WINDOW)
        if recent.filter(body_hash=body_hash, created_at__gte=duplicate_since).exists():
            return Outcome.DUPLICATE, None
        if recent.filter(created_at__gte=now - timedelta(seconds=settings.SUGGESTION_RATE_WINDOW)).count() >= (
            settings.SUGGESTION_RATE_LIMIT
        ):
            return Outcome.RATE_LIMITED, None
        values = {name: data.get(name) for name in FIELDS[kind]}
        for name in ("note_markdown", "problem_markdown", "evidence_markdown"):
            if name in data:
                values[name] = data[name]
                values[name.replace("_markdown", "_html")] = data[f"{name}_html"]  # from debates.markup
        suggestion = Suggestion.objects.create(
            kind=kind,
            email=data.get("email") or "",
            client_hash=client_hash,
            body_hash=body_hash,
            **{k: v for k, v in values.items() if v is not None},
        )
        if kind == SuggestionKind.SUGGESTION and data.get("topics"):
            suggestion.topics.set(data["topics"])
    return Outcome.STORED, suggestion


def position_form_url(suggestion: Suggestion) -> str:
    """The admin's "add position" form, filled from the suggestion; its source made from the URL.

    The source is recorded on the suggestion: when a position that cites it is saved,
    the suggestion is accepted (``accept_if_cited``).
    """
    if suggestion.source_id is None:
        source = Source.objects.filter(url=suggestion.source_url).first()
        if source is None:
            title = f"Suggested by a reader: {suggestion.source_url}"[:300]
            source = Source.objects.create(
                url=suggestion.source_url,
                title=title,
                note="From a reader's suggestion; check the title, publisher and date.",
                accessed_on=timezone.localdate(),
            )
        suggestion.source = source
        suggestion.save(update_fields=["source"])
    initial = {"sources": str(suggestion.source_id), "form": suggestion.form or PositionForm.PARAPHRASE}
    if suggestion.form == PositionForm.QUOTE:
        initial["quotation"] = suggestion.words
    else:
        initial["summary"] = suggestion.words
    if suggestion.said_on:
        initial["said_on"] = suggestion.said_on.isoformat()
    if topics := [str(pk) for pk in suggestion.topics.values_list("pk", flat=True)]:
        initial["topics"] = ",".join(topics)
    if person := Person.objects.filter(name__iexact=suggestion.speaker_name.strip()).first():
        initial["speaker"] = str(person.pk)
    if suggestion.organization_name and (
        organization := Organization.objects.filter(name__iexact=suggestion.organization_name.strip()).first()
    ):
        initial["organization"] = str(organization.pk)
    return reverse("admin:debates_position_add") + "?" + urlencode(initial)


def accept_if_cited(position, source_ids, by=None) -> list[Suggestion]:
    """A position now cites these sources: the pending suggestions they came from are accepted."""
    accepted = []
    with transaction.atomic():
        pending = Suggestion.objects.select_for_update().filter(
            source_id__in=source_ids, status=SuggestionStatus.PENDING, kind=SuggestionKind.SUGGESTION
        )
        for suggestion in pending:
            suggestion.status = SuggestionStatus.ACCEPTED
            suggestion.created_position = position
            suggestion.moderated_at = timezone.now()
            suggestion.moderated_by = by
            suggestion.save(update_fields=["status", "created_position", "moderated_at", "moderated_by"])
            accepted.append(suggestion)
    for suggestion in accepted:
        transaction.on_commit(lambda s=suggestion: mail_outcome(s))
    return accepted


def position_sources_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed on Position.sources: sources added to a position (or positions to a source)."""
    if action != "post_add" or not pk_set:
        return
    if reverse:  # source.positions.add(…)
        for position in Position.all_objects.filter(pk__in=pk_set):  # a draft too: its moderator accepted it
            accept_if_cited(position, [instance.pk], by=position.updated_by)
    else:
        accept_if_cited(instance, pk_set, by=instance.updated_by)


def set_status(suggestions, status: str, *, by=None, reason: str = "") -> int:
    """Reject, mark as spam or mark a correction made; the reader is told (not a spammer)."""
    changed = []
    with transaction.atomic():
        for suggestion in Suggestion.objects.select_for_update().filter(pk__in=[s.pk for s in suggestions]):
            suggestion.status, suggestion.moderation_reason = status, reason
            suggestion.moderated_at, suggestion.moderated_by = timezone.now(), by
            suggestion.save(update_fields=["status", "moderation_reason", "moderated_at", "moderated_by"])
            changed.append(suggestion)
    if status != SuggestionStatus.SPAM:
        for suggestion in changed:
            transaction.on_commit(lambda s=suggestion: mail_outcome(s))
    return len(changed)


def mail_outcome(suggestion: Suggestion) -> bool:
    """Tell the reader what became of it, once; False when there is no address or it failed."""
    if not suggestion.email or suggestion.outcome_mailed_at:
        return False
    position = suggestion.created_position or suggestion.position
    context = {
        "suggestion": suggestion,
        "accepted": suggestion.status == SuggestionStatus.ACCEPTED,
        "position_url": absolute(position.get_absolute_url()) if position else "",
    }
    try:
        message("suggestion_outcome", context, to=suggestion.email).send()
    except (SMTPException, OSError) as error:
        logger.error("Could not mail the outcome of suggestion %s: %s", suggestion.pk, mail_error(error))
        return False
    Suggestion.objects.filter(pk=suggestion.pk).update(outcome_mailed_at=timezone.now())
    return True
