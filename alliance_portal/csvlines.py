"""Every CSV the portal writes goes through this module: the open-data downloads
(Python's csv module, or PostgreSQL's COPY for positions) and the admin's export.

Formula injection: a spreadsheet runs a cell that begins with ``=``, ``+``,
``-`` or ``@`` as a formula (tab and carriage return lead to the same), so a
moderator's or a commenter's text could become ``=HYPERLINK(…)`` on a
reader's machine. As OWASP's "CSV Injection" page advises, such a cell is
prefixed with a single quote, which spreadsheets show as text; the csv module
quotes every cell that needs it. JSON downloads keep the original text.
"""

import csv

from django.db.models import Func, TextField, Value

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The same characters as a PostgreSQL bracket expression ("-" last, where it means itself).
_FORMULA_START_PATTERN = "^([" + "".join(c for c in FORMULA_STARTS if c != "-") + "-])"


def neutralise(value):
    """A text cell that a spreadsheet would read as a formula, made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class NeutralisedCell(Func):
    """``neutralise`` in SQL, for the cells PostgreSQL writes itself (COPY)."""

    function = "regexp_replace"
    output_field = TextField()

    def __init__(self, expression):
        super().__init__(expression, Value(_FORMULA_START_PATTERN), Value(r"'\1"))


class _Echo:
    def write(self, value):
        return value


class _NeutralisingWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row) -> str:
        return self._writer.writerow([neutralise(value) for value in row])


def line_writer(**options):
    """A csv writer (``options`` as csv.writer takes them) whose writerow() returns its
    line, every cell neutralised, so a generator can yield it."""
    return _NeutralisingWriter(csv.writer(_Echo(), **options))
