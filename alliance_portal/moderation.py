"""What waits for a moderator, counted on the admin home page.

Each app registers its queues in ``AppConfig.ready()`` (``queue(...)``); the
admin home (templates/admin/index.html) lists every queue with its count and a
link to the filtered list. Shared: an app adds a queue without touching the others.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Queue:
    label: str
    count: Callable[[], int]
    changelist: str  # admin URL name, e.g. "admin:debates_comment_changelist"
    query: str = ""  # the filter that shows the queue's rows
    permission: str = ""  # who may see it, e.g. "debates.change_comment"

    def url(self) -> str:
        return reverse(self.changelist) + (f"?{self.query}" if self.query else "")


QUEUES: list[Queue] = []


def queue(label, count, changelist, query="", permission="") -> None:
    QUEUES.append(Queue(label, count, changelist, query, permission))


def waiting_for(user) -> list[tuple[Queue, int]]:
    """The queues this user may work on, with how many rows wait in each (one query a queue)."""
    return [(q, q.count()) for q in QUEUES if not q.permission or user.has_perm(q.permission)]
