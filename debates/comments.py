"""Accepting a reader's comment: rate limit, duplicate check and storage, atomically.

The checks and the insert run in one transaction holding a PostgreSQL advisory
lock on the poster's address hash, so the limit holds across any number of
server processes and two simultaneous posts cannot both slip under it.
"""

import enum
import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from alliance_portal.caching import bump_data_version
from debates.models import Comment, CommentStatus


class Outcome(enum.Enum):
    STORED = "stored"
    DUPLICATE = "duplicate"  # the same text from the same address, recently: stored once already
    RATE_LIMITED = "rate_limited"


def hash_address(address: str) -> str:
    """A salted hash of the poster's address: enough to rate-limit, useless to identify."""
    return salted_hmac("debates.comment.address", address or "unknown").hexdigest()


def hash_body(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def submit_comment(position, data: dict, address: str) -> tuple[Outcome, Comment | None]:
    ip_hash = hash_address(address)
    body_hash = hash_body(data["body_markdown"])
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [ip_hash])
        recent = Comment.objects.filter(ip_hash=ip_hash)
        duplicate_since = now - timedelta(seconds=settings.COMMENT_DUPLICATE_WINDOW)
        if recent.filter(position=position, body_hash=body_hash, created_at__gte=duplicate_since).exists():
            return Outcome.DUPLICATE, None
        rate_since = now - timedelta(seconds=settings.COMMENT_RATE_WINDOW)
        if recent.filter(created_at__gte=rate_since).count() >= settings.COMMENT_RATE_LIMIT:
            return Outcome.RATE_LIMITED, None
        comment = Comment.objects.create(
            position=position,
            author_name=data["author_name"],
            email=data.get("email", ""),
            body_markdown=data["body_markdown"],
            body_html=data["body_html"],  # CommentForm rendered it with debates.markup
            reaction=data["reaction"],
            status=CommentStatus.PENDING if settings.COMMENTS_PREMODERATED else CommentStatus.APPROVED,
            ip_hash=ip_hash,
            body_hash=body_hash,
        )
    return Outcome.STORED, comment


# Cached pages (alliance_portal.caching) show approved comments only: a comment
# posted for moderation, or rejected before it was ever shown, retires nothing.
def remember_visibility(sender, instance, **kwargs):
    """pre_save: whether the comment was public before this save (edits only)."""
    instance._was_public = bool(instance.pk) and (
        Comment.objects.filter(pk=instance.pk, status=CommentStatus.APPROVED).exists()
    )


def retire_pages_if_public(sender, instance, **kwargs):
    """post_save: a comment that is, or was until this save, public changes pages."""
    if instance.status == CommentStatus.APPROVED or getattr(instance, "_was_public", False):
        bump_data_version()


def retire_pages_if_deleted_public(sender, instance, **kwargs):
    """post_delete: only a public comment's going changes pages."""
    if instance.status == CommentStatus.APPROVED:
        bump_data_version()
