"""The long tail for `make bench`: what readers, crawlers and moderators really request.

- ``tail_urls()``: a reproducible mix of thousands of distinct URLs drawn from the bench data
  (positions, organizations and people at random; list pages with random filters and page
  numbers; searches with random words; topics; compare pairs; a few hot pages), which wrk
  requests at random through ``TAIL_LUA``.
- ``Editor``: a moderator's edit every few seconds while a load runs (a position's summary
  edited, then a comment approved, in turn), through the ORM, so the page cache retires
  what each edit shows, as an edit in the admin does.
- ``first_render_urls()``: for each page family, distinct URLs nobody requested yet, each
  requested once at one connection: the first render a reader meets.
- ``moderator_cookie()``: a logged-in moderator's session, whose pages are never cached.
"""

import random
import threading
import time

SEED = 20261203
HOT = ["/", "/positions/", "/matrix/", "/timeline/", "/topics/", "/compare/?a=ai-alliance&b=frontier-model-forum"]

# wrk's script: each thread requests the URLs of the file given after `--` in a seeded random order.
TAIL_LUA = """
local paths = {}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(SEED + (seed or 0))
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
""".replace("SEED", str(SEED))


def _samples():
    from django.db import connection

    from debates.demo import DEMO, WORDS
    from debates.models import Topic
    from members.models import Coalition, Organization, Person

    with connection.cursor() as cursor:
        # Reproducible, without sorting a million rows: 2% of the table's pages, the same each run.
        cursor.execute(
            "SELECT slug FROM debates_position TABLESAMPLE SYSTEM (2) REPEATABLE (%s) WHERE slug LIKE %s AND published",
            [SEED, f"{DEMO}%"],
        )
        positions = sorted(row[0] for row in cursor.fetchall())

    return {
        "positions": positions,
        "organizations": list(Organization.objects.filter(slug__startswith=DEMO).values_list("slug", flat=True)),
        "people": list(Person.objects.filter(slug__startswith=DEMO).order_by("pk").values_list("slug", flat=True)),
        "topics": list(Topic.objects.values_list("slug", flat=True)),
        "coalitions": list(Coalition.objects.values_list("slug", flat=True)),
        "words": WORDS,
    }


def _draw(rng, data, n_positions, n_orgs, n_people, n_lists, n_searches, n_compare):
    words, topics, coalitions = data["words"], data["topics"], data["coalitions"]
    urls = [f"/positions/{slug}/" for slug in rng.sample(data["positions"], n_positions)]
    urls += [f"/organizations/{slug}/" for slug in rng.sample(data["organizations"], n_orgs)]
    urls += [f"/people/{slug}/" for slug in rng.sample(data["people"], n_people)]
    for _ in range(n_lists):
        filters = []
        if rng.random() < 0.5:
            filters.append(f"stance={rng.choice(['open', 'mixed', 'closed'])}")
        if rng.random() < 0.5:
            filters.append(f"topic={rng.choice(topics)}")
        if rng.random() < 0.3:
            filters.append(f"coalition={rng.choice(coalitions)}")
        deepest = 4000 if not filters else 40  # every page exists: a filtered list is shorter
        filters.append(f"page={rng.randint(1, deepest)}")
        urls.append("/positions/?" + "&".join(filters))
    for _ in range(n_searches):
        q = "+".join(rng.sample(words, rng.choice([1, 1, 2])))
        urls.append(f"/positions/?q={q}" if rng.random() < 0.7 else f"/search/?q={q}")
    urls += [f"/topics/{slug}/" for slug in topics]
    for _ in range(n_compare):
        a, b = rng.sample(data["organizations"], 2)
        urls.append(f"/compare/?a={a}&b={b}")
    return urls


def tail_urls() -> list[str]:
    """About 20,000 distinct URLs, the hot pages among them 1 request in 50."""
    data = _samples()
    rng = random.Random(SEED)  # noqa: S311 - a reproducible mix, not a secret
    # Three organizations in four: the rest are left for the first renders (first_render_urls).
    urls = _draw(rng, data, 8000, len(data["organizations"]) * 3 // 4, 4000, 4000, 4000, 2000)
    urls = list(dict.fromkeys(urls))
    return urls + HOT * max(1, len(urls) // (50 * len(HOT)))


def first_render_urls(exclude: set[str], per_family: int = 100) -> dict[str, list[str]]:
    """Per family, URLs not in the mix (so none was requested before it is measured)."""
    data = _samples()
    rng = random.Random(SEED + 1)  # noqa: S311 - a reproducible mix, not a secret
    families = {
        "position": lambda: f"/positions/{rng.choice(data['positions'])}/",
        "organization": lambda: f"/organizations/{rng.choice(data['organizations'])}/",
        "person": lambda: f"/people/{rng.choice(data['people'])}/",
        "list": lambda: f"/positions/?page={rng.randint(1, 4000)}&stance={rng.choice(['open', 'closed'])}",
        "search": lambda: "/positions/?q=" + "+".join(rng.sample(data["words"], 2)),
        "compare": lambda: "/compare/?a={}&b={}".format(*rng.sample(data["organizations"], 2)),
    }
    chosen = {}
    for family, draw in families.items():
        urls = []
        for _ in range(per_family * 50):
            url = draw()
            if url not in exclude and url not in urls:
                urls.append(url)
            if len(urls) == per_family:
                break
        chosen[family] = urls
    return chosen


class Editor(threading.Thread):
    """A moderator's edit every ``every`` seconds until stopped."""

    def __init__(self, every: float = 5.0):
        super().__init__(daemon=True)
        self.every = every
        self.stopping = threading.Event()
        self.edits = 0

    def run(self):
        from django.db import connection

        from debates.comments import set_comment_status
        from debates.demo import DEMO
        from debates.models import Comment, Position

        rng = random.Random(SEED + 2)  # noqa: S311 - a reproducible mix, not a secret
        try:
            while not self.stopping.wait(self.every):
                if self.edits % 2 == 0:
                    position = Position.objects.filter(slug__startswith=DEMO, pk__gte=rng.randint(1, 10**6)).first()
                    if position is not None:
                        position.summary = position.summary.rstrip(" .") + f". (Edited {time.strftime('%H:%M:%S')}.)"
                        position.save()
                else:
                    comment = Comment.objects.filter(status="pending", pk__gte=rng.randint(1, 5 * 10**6)).first()
                    if comment is not None:
                        set_comment_status([comment], "approved")
                self.edits += 1
        finally:
            connection.close()

    def stop(self):
        self.stopping.set()
        self.join(timeout=30)


def moderator_cookie() -> str:
    """The Cookie header of a logged-in moderator (a session made directly, as a login would)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user, _ = get_user_model().objects.get_or_create(
        username="bench-moderator", defaults={"is_staff": True, "is_superuser": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
