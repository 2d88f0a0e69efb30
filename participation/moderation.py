"""``notify_moderators``: a digest of what waits in the moderation queue, each item told once.

The items a digest lists are recorded (``ModeratorNotice``) in one transaction under an
advisory lock, before the messages go out, so two runs at once cannot both list an
item; if the mail server refuses, the records are dropped and the next run lists them.
"""

import logging
from dataclasses import dataclass
from smtplib import SMTPException

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from debates.models import Comment, CommentStatus
from members.roles import MODERATORS
from participation.mail import absolute, mail_error, message
from participation.models import ModeratorNotice, Suggestion, SuggestionKind

logger = logging.getLogger(__name__)

DIGEST_SIZE = 100  # items listed per section; the rest are counted and linked


@dataclass
class Item:
    key: str
    summary: str
    url: str


def excerpt(text: str, length: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def keyed(queryset, label: str):
    """The rows with their notice key ("debates.comment:42") as ``notice_key``."""
    return queryset.annotate(notice_key=Concat(Value(f"{label}:"), Cast("pk", CharField())))


def untold(queryset, label: str):
    told = ModeratorNotice.objects.filter(item=OuterRef("notice_key"))
    return keyed(queryset, label).exclude(Exists(told))


PENDING_COMMENTS = Comment.objects.filter(status=CommentStatus.PENDING)


def pending_items(limit: int = 1000) -> dict[str, list[Item]]:
    """Pending items not yet in a digest, oldest first (at most ``limit`` of each model a run)."""
    comments = (
        untold(PENDING_COMMENTS, "debates.comment")
        .select_related("position__speaker")
        .order_by("created_at", "pk")[:limit]
    )
    suggestions = untold(Suggestion.objects.pending(), "participation.suggestion").select_related("position__speaker")
    suggestions = suggestions.order_by("created_at", "pk")[:limit]
    sections = {"Comments": [], "Suggested positions": [], "Corrections": []}
    for comment in comments:
        sections["Comments"].append(
            Item(
                f"debates.comment:{comment.pk}",
                f"{comment.author_name} on {comment.position}: {excerpt(comment.body_markdown)}",
                absolute(reverse("admin:debates_comment_change", args=[comment.pk])),
            )
        )
    for suggestion in suggestions:
        section = "Corrections" if suggestion.kind == SuggestionKind.CORRECTION else "Suggested positions"
        text = suggestion.problem_markdown if suggestion.kind == SuggestionKind.CORRECTION else suggestion.words
        about = suggestion.position if suggestion.position_id else suggestion.speaker_name
        sections[section].append(
            Item(
                f"participation.suggestion:{suggestion.pk}",
                f"{about}: {excerpt(text)}",
                absolute(reverse("admin:participation_suggestion_change", args=[suggestion.pk])),
            )
        )
    return sections


def moderator_addresses() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name=MODERATORS).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def notify_moderators() -> tuple[int, int]:
    """(items told, messages sent)."""
    recipients = moderator_addresses()
    if not recipients:
        return 0, 0  # told to no one: left for when a moderator has an address
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('participation.notify_moderators'))")
        sections = pending_items()
        new = [item for items in sections.values() for item in items]
        if not new:
            return 0, 0
        notices = ModeratorNotice.objects.bulk_create(ModeratorNotice(item=item.key) for item in new)
        context = {
            "sections": [
                {"name": name, "items": items[:DIGEST_SIZE], "more": max(0, len(items) - DIGEST_SIZE)}
                for name, items in sections.items()
                if items
            ],
            "count": len(new),
            "queue_urls": {
                "comments": absolute(reverse("admin:debates_comment_changelist")),
                "suggestions": absolute(reverse("admin:participation_suggestion_changelist")),
            },
        }
        mails = [message("moderator_digest", context, to=address) for address in recipients]
    sent = 0
    try:
        for mail in mails:
            mail.send()
            sent += 1
    except (SMTPException, OSError) as error:
        logger.error("Moderators' digest failed after %s of %s messages: %s", sent, len(mails), mail_error(error))
        if sent == 0:  # nobody was told: the next run lists these items again
            ModeratorNotice.objects.filter(pk__in=[n.pk for n in notices]).delete()
            return 0, 0
    return len(new), sent


def forget_moderated() -> int:
    """Drop the records of items no longer pending: they cannot be listed again anyway."""
    gone = 0
    for label, pending in [
        ("debates.comment", PENDING_COMMENTS),
        ("participation.suggestion", Suggestion.objects.pending()),
    ]:
        still = keyed(pending, label).values("notice_key")
        deleted, _ = ModeratorNotice.objects.filter(item__startswith=f"{label}:").exclude(item__in=still).delete()
        gone += deleted
    return gone
