"""Streaming a kind's rows to the reader: CSV written by PostgreSQL (COPY, read
by a helper thread) or by Python's csv module, JSON a few hundred records at a
time; memory stays flat whatever the size of the export."""

import contextlib
import json
import queue
import threading
from collections.abc import Iterator
from datetime import date

from django.db import connections, transaction

from alliance_portal.csvlines import NeutralisedCell, line_writer
from debates.exports.kinds import Kind

CHUNK = 2000  # rows fetched from the server-side cursor at a time


CHUNK_ROWS = 500  # rows per chunk written to the client


CHUNK_BYTES = 256 * 1024  # bytes per chunk of a COPY


COPY_QUEUE = 4  # chunks of a COPY waiting to be sent, at most


def rows(kind: Kind, queryset):
    # Inside a transaction the server-side cursor needs no WITH HOLD, so PostgreSQL
    # streams rows as they are read instead of materialising the whole result first.
    with transaction.atomic():
        for obj in kind.project(queryset).iterator(chunk_size=CHUNK):
            yield {field.name: field.value(obj) for field in kind.fields}


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as PostgreSQL casts a boolean to text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(
            " ".join(str(v) for v in item.values() if v not in (None, "")) if isinstance(item, dict) else str(item)
            for item in value
        )
    return str(value)


def _in_chunks(lines, size: int = CHUNK_ROWS):
    """Lines joined a few hundred at a time: one write to the socket per chunk, not per row."""
    chunk = []
    for line in lines:
        chunk.append(line)
        if len(chunk) == size:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def csv_lines(kind: Kind, queryset):
    """The header, then the rows, a few hundred at a time; lines end with LF.

    Where every field has an SQL form (positions), PostgreSQL writes the CSV
    itself (COPY); otherwise Python's csv module writes each row.
    """
    writer = line_writer(lineterminator="\n")
    yield writer.writerow([field.name for field in kind.fields])
    if kind.csv_in_sql:
        columns = {f"csv_{i}": NeutralisedCell(field.sql) for i, field in enumerate(kind.fields)}
        sql, params = queryset.annotate(**columns).values_list(*columns).query.sql_with_params()
        using = queryset.db  # the read replica when the router sends reads there
        with transaction.atomic(using=using):  # a cancelled COPY leaves nothing half-done on the connection
            with connections[using].cursor() as cursor:
                # JIT-compiling the per-row subqueries costs more than it saves:
                # a full export took 13.7 s with it and 12.2 s without (psql \copy here).
                cursor.execute("SET LOCAL jit = off")
            yield from copy_out(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params, using=using)
        return
    yield from _in_chunks(writer.writerow([_csv_cell(value) for value in row.values()]) for row in rows(kind, queryset))


class _Sink:
    """Where psycopg2's COPY writes, a row at a time: gathered into chunks for a queue."""

    def __init__(self, chunks: queue.Queue):
        self.chunks, self.parts, self.size = chunks, [], 0

    def write(self, data):
        self.parts.append(data)
        self.size += len(data)
        if self.size >= CHUNK_BYTES:
            self.flush()

    def flush(self):
        if self.parts:
            self.chunks.put(self.parts[0][:0].join(self.parts))
            self.parts, self.size = [], 0


_DONE = object()


def copy_out(sql: str, params, *, using: str = "default") -> Iterator:
    """Stream ``COPY … TO STDOUT`` in chunks of about CHUNK_BYTES.

    A helper thread runs the COPY on this request's own connection (so it sees
    this transaction) while the worker sends the previous chunk: PostgreSQL
    writes rows on one core while Python sends them from another. At most
    COPY_QUEUE chunks wait in memory. If the reader goes away, the COPY is
    cancelled on the server.
    """
    connection = connections[using]
    connection.ensure_connection()
    raw = connection.connection  # psycopg2's; Django's wrapper stays in this thread
    with raw.cursor() as cursor:
        statement = cursor.mogrify(sql, params)
    chunks = queue.Queue(maxsize=COPY_QUEUE)

    def produce():
        sink = _Sink(chunks)
        try:
            with raw.cursor() as cursor:
                cursor.copy_expert(statement, sink)
            sink.flush()
            chunks.put(_DONE)
        except BaseException as error:  # handed to the reading side, which raises it
            chunks.put(error)

    thread = threading.Thread(target=produce, name="copy-out", daemon=True)
    thread.start()
    finished = False
    try:
        while (item := chunks.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
        finished = True
    finally:
        if not finished:
            raw.cancel()
            while thread.is_alive():  # let the thread hand over what it holds, and stop
                with contextlib.suppress(queue.Empty):
                    chunks.get(timeout=0.1)
        thread.join()


def _json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def json_chunks(kind: Kind, queryset):
    """A JSON array, streamed a few hundred records at a time, so memory stays flat."""
    yield "[\n"
    records = enumerate(rows(kind, queryset))
    yield from _in_chunks(
        ("," if i else "") + json.dumps(row, default=_json_default, ensure_ascii=False) + "\n" for i, row in records
    )
    yield "]\n"
