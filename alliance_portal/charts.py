"""The geometry of the portal's charts, as plain numbers for SVG templates.

Pure functions, no database and no Django: the pages' views hand them counts and
dates they already loaded, and the templates under ``templates/includes/charts/``
draw what they return. Every chart also shows its numbers as text (a table), so
nothing here is the only way to read them.
"""

import datetime
import math
from dataclasses import dataclass, field

# ---------------------------------------------------------------- stacked bars

BAR_WIDTH = 400  # the bars' viewBox width; the SVG is scaled to the page's width
LABEL_CHAR_WIDTH = 9  # a generous width of one label character at the bars' font size, in viewBox units


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar: ``x`` and ``width`` in viewBox units."""

    key: str
    label: str
    count: int
    x: float
    width: float
    text: str  # what the segment says inside itself ("53", or "" where it is too narrow)

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 2)

    @property
    def edge(self) -> float:
        """Where a 2-unit white divider before this segment starts."""
        return round(self.x - 1, 2)


def stacked_bar(parts, width: float = BAR_WIDTH) -> list[Segment]:
    """Segments for ``parts`` [(key, label, count), …] side by side, each as wide as its
    share of the total; zero counts get no segment. The widths add up to ``width``
    exactly (the last segment takes what rounding left over); no segments when the total
    is zero. A segment prints its count inside itself only where the number fits."""
    total = sum(count for _, _, count in parts)
    if total <= 0:
        return []
    shown = [(key, label, count) for key, label, count in parts if count > 0]
    segments, x = [], 0.0
    for index, (key, label, count) in enumerate(shown):
        w = round(width - x, 2) if index == len(shown) - 1 else round(width * count / total, 2)
        text = str(count) if w >= LABEL_CHAR_WIDTH * len(str(count)) + 8 else ""
        segments.append(Segment(key=key, label=label, count=count, x=round(x, 2), width=w, text=text))
        x += w
    return segments


# ---------------------------------------------------------------- sequential heat scale

HEAT_LEVELS = 5  # shades above "none"; CSS classes heat-0 … heat-5


def heat_level(count: int, top: int, levels: int = HEAT_LEVELS) -> int:
    """The shade of a cell: 0 for none, else 1 … ``levels`` in equal steps up to ``top``
    (the largest count shown), so the darkest cells hold the most."""
    if count <= 0 or top <= 0:
        return 0
    return min(levels, max(1, math.ceil(levels * count / top)))


def heat_legend(top: int, levels: int = HEAT_LEVELS) -> list[tuple[int, int, int]]:
    """[(level, lowest count, highest count), …] for each shade some count can have,
    starting with (0, 0, 0); the ranges are whole numbers, in order, without gaps."""
    legend = [(0, 0, 0)]
    low = 1
    for level in range(1, levels + 1):
        high = math.floor(top * level / levels)
        if high >= low:
            legend.append((level, low, high))
            low = high + 1
    return legend


# ---------------------------------------------------------------- members over time


@dataclass(frozen=True)
class Change:
    """What happened on one day: who joined, who left, and the count after it."""

    on: datetime.date
    joined: tuple[str, ...]
    left: tuple[str, ...]
    members: int
    precision: str = "day"  # "day", or "month" / "year" when every date behind it is known only so far

    @property
    def label(self) -> str:
        """ "5 December 2023", "May 2024" or "2024", as far as the date is known."""
        if self.precision == "year":
            return str(self.on.year)
        month = f"{self.on:%B} {self.on.year}"
        return month if self.precision == "month" else f"{self.on.day} {month}"


@dataclass
class MemberHistory:
    """A coalition's count of members, day by day, from its memberships."""

    changes: list[Change]
    start: datetime.date | None
    end: datetime.date
    counted_from_founding: int = 0  # memberships without a date, counted from the founding
    left_out: int = 0  # memberships without a date and no founding date: not on the line
    peak: int = 0

    def __bool__(self) -> bool:
        return bool(self.changes)


def member_history(memberships, *, founded_on: datetime.date | None, today: datetime.date) -> MemberHistory:
    """The count of members over time. ``memberships``: [(name, since, until, precision of
    since: "day", "month" or "year"), …].

    A member counts from ``since`` (for a month-precise date, the month's first day, as it
    is stored) to ``until``: it is gone from the day after ``until``. A membership without
    ``since`` is counted from the founding when the coalition has a founding date, else
    left out of the line (and counted in ``left_out``, for the page to say so)."""
    joins, leaves, precisions = {}, {}, {}
    counted_from_founding = left_out = 0
    for name, since, until, precision in memberships:
        if since is None:
            if founded_on is None:
                left_out += 1
                continue
            since, precision = founded_on, "day"
            counted_from_founding += 1
        joins.setdefault(since, []).append(name)
        precisions.setdefault(since, set()).add(precision)
        if until is not None:
            leaves.setdefault(until + datetime.timedelta(days=1), []).append(name)
            precisions.setdefault(until + datetime.timedelta(days=1), set()).add("day")
    days = sorted(set(joins) | set(leaves))
    changes, members = [], 0
    for day in days:
        joined, left = sorted(joins.get(day, [])), sorted(leaves.get(day, []))
        members += len(joined) - len(left)
        finest = next(p for p in ("day", "month", "year") if p in precisions[day] or p == "year")
        changes.append(Change(day, tuple(joined), tuple(left), members, precision=finest))
    starts = [day for day in (founded_on, days[0] if days else None) if day is not None]
    start = min(starts) if starts else None
    end = max([today, *days]) if days else today
    return MemberHistory(
        changes=changes,
        start=start,
        end=end,
        counted_from_founding=counted_from_founding,
        left_out=left_out,
        peak=max((c.members for c in changes), default=0),
    )


DESCRIBED_CHANGES = 8  # later changes a chart's description names; the table has them all


def describe_history(history: MemberHistory, *, founded_on=None) -> str:
    """The line in words, for the chart's description: where it starts, who joined or left
    later, where it ends."""
    if not history:
        return "No member has a recorded date."
    first, last = history.changes[0], history.changes[-1]
    if founded_on is not None and first.on == founded_on:
        words = [f"{first.members} member{'s' if first.members != 1 else ''} at the founding in {_long(founded_on)}."]
        later = history.changes[1:]
    else:
        words = [f"{first.members} member{'s' if first.members != 1 else ''} from {_long(first.on)}."]
        later = history.changes[1:]
    if len(later) > DESCRIBED_CHANGES:
        rest = len(later) - DESCRIBED_CHANGES
        later, more = later[:DESCRIBED_CHANGES], f"And {rest} more change{'s' if rest != 1 else ''} (see the numbers)."
    else:
        more = ""
    for change in later:
        moves = []
        if change.joined:
            moves.append(f"{', '.join(change.joined)} joined")
        if change.left:
            moves.append(f"{', '.join(change.left)} left")
        words.append(f"{_long(change.on)}: {'; '.join(moves)} ({change.members}).")
    if more:
        words.append(more)
    words.append(f"{last.members} now.")
    return " ".join(words)


def _long(day: datetime.date) -> str:
    return f"{day:%B} {day.year}"


@dataclass(frozen=True)
class Tick:
    at: float  # x or y in viewBox units
    text: str


@dataclass(frozen=True)
class Note:
    """A labelled point on the line: a founding or a notable join."""

    x: float
    y: float  # the point on the line
    text: str
    anchor: str  # SVG text-anchor: start or end, so the label stays inside the chart
    below: bool = False  # under the line rather than above it

    @property
    def text_x(self) -> float:
        return round(self.x - 4 if self.anchor == "end" else self.x + 4, 2)

    @property
    def text_y(self) -> float:
        return round(self.y + 20 if self.below else self.y - 9, 2)


@dataclass
class StepChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    line: str = ""  # the step line's points, for <polyline points="…">
    area: str = ""  # the same, closed down to the axis, for a filled <polygon>
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


NOTE_CHAR_WIDTH = 8.5


def _short(day: datetime.date) -> str:
    return f"{day:%b} {day.year}"


def step_chart(history: MemberHistory, *, founded_on=None, width=400, height=220, notable=3) -> StepChart:
    """The step line of ``history`` in a ``width`` × ``height`` viewBox: x is time from the
    history's start to its end, y the members (0 at the bottom, the peak at the top).
    Each change moves the line across to its day, then up or down. The founding and the
    ``notable`` largest later joins are labelled."""
    chart = StepChart(width=width, height=height, left=34, right=12, top=30, bottom=26)
    if not history or history.start is None:
        return chart
    inner_w = width - chart.left - chart.right
    inner_h = height - chart.top - chart.bottom
    span = max((history.end - history.start).days, 1)
    top_count = max(history.peak, 1)

    def x_of(day):
        return round(chart.left + inner_w * (day - history.start).days / span, 2)

    def y_of(members):
        return round(chart.top + inner_h * (1 - members / top_count), 2)

    base = y_of(0)
    points, members = [(x_of(history.start), base)], 0
    for change in history.changes:
        x = x_of(change.on)
        points.append((x, y_of(members)))
        members = change.members
        points.append((x, y_of(members)))
    points.append((x_of(history.end), y_of(members)))
    chart.line = " ".join(f"{x},{y}" for x, y in points)
    chart.area = " ".join(f"{x},{y}" for x, y in [*points, (x_of(history.end), base)])

    years = range(history.start.year + 1, history.end.year + 1)
    chart.x_ticks = [Tick(x_of(datetime.date(year, 1, 1)), str(year)) for year in years]
    chart.y_ticks = [Tick(y_of(n), str(n)) for n in sorted({0, top_count // 2, top_count})]

    def anchor(x, text):
        # Bold 14-unit text (a phone's size) is under 9 units a character.
        return "start" if x + NOTE_CHAR_WIDTH * len(text) <= width - chart.right else "end"

    first = history.changes[0]
    if founded_on is not None:
        founding = next((c for c in history.changes if c.on == founded_on), None)
        count = founding.members if founding else 0
        x, text = x_of(founded_on), f"Founded {_short(founded_on)}: {count}"
        # Below the line: a join soon after would draw its rise through a label above it.
        chart.notes.append(Note(x, y_of(count), text, anchor(x, text), below=y_of(count) + 24 <= base))
    later = [c for c in history.changes if c.joined and c.on != founded_on and not (founded_on is None and c is first)]
    for change in sorted(later, key=lambda c: (-len(c.joined), c.on))[:notable]:
        x = x_of(change.on)
        who = " and ".join(change.joined)
        text = f"{who} joined, {_short(change.on)}" if len(change.joined) <= 2 and len(who) <= 20 else ""
        text = text or f"+{len(change.joined)} joined, {_short(change.on)}"
        chart.notes.append(Note(x, y_of(change.members), text, anchor(x, text)))
    if founded_on is None:
        x, text = x_of(first.on), f"{_short(first.on)}: {first.members}"
        chart.notes.append(Note(x, y_of(first.members), text, anchor(x, text), below=y_of(first.members) + 24 <= base))
    return chart
