"""Accepting a reader's comment: rate limit, duplicate check and storage, atomically.

The checks and the insert run in one transaction holding a PostgreSQL advisory
lock on the poster's address hash, so the limit holds across any number of
server processes and two simultaneous posts cannot both slip under it. The rate
limit counts in Redis when ``REDIS_URL`` is set, else the poster's recent
comments (alliance_portal.ratelimit); a Redis that does not answer refuses the
post with a 503 (``ratelimit.StoreUnavailable``), never lets it through unlimited.
"""

import enum
import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from alliance_portal import ratelimit
from debates.models import Comment, CommentStatus
from pagecache.registry import retire_if_visible


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
        allowed = ratelimit.allow(
            "comment",
            ip_hash,
            limit=settings.COMMENT_RATE_LIMIT,
            window=settings.COMMENT_RATE_WINDOW,
            database_count=lambda since: recent.filter(created_at__gte=since).count(),
        )
        if not allowed:
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


def is_public(comment) -> bool:
    """Whether readers see the comment: the rule cached pages are retired by (debates.apps)."""
    return comment.status == CommentStatus.APPROVED


def set_comment_status(comments, status, *, by=None, reason: str = "") -> int:
    """The one way a moderator changes comments' status (a queryset or a list of them).

    Stamps who and when, and retires the cached pages only if some comment was,
    or becomes, public: rejecting comments held for moderation retires nothing.
    ``update()`` sends no signals, so the retiring is done here. Returns how many changed.
    """
    ids = [comment.pk for comment in comments]
    fields = {"status": status, "moderation_reason": reason, "moderated_at": timezone.now(), "moderated_by": by}
    with transaction.atomic():
        # Locked: a comment approved elsewhere between this read and the update must count as public.
        before = list(Comment.objects.select_for_update().filter(pk__in=ids).only("pk", "status", "position_id"))
        changed = Comment.objects.filter(pk__in=ids).update(**fields)
        retire_if_visible(Comment, [*before, *(Comment(pk=c.pk, position_id=c.position_id, **fields) for c in before)])
    if isinstance(comments, list):  # the caller's instances say what the rows now say
        for comment in comments:
            for name, value in fields.items():
                setattr(comment, name, value)
    return changed
