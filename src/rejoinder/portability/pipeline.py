"""Reading a big file in a second process while this one writes.

Parsing, converting bodies to Markdown and rendering them take most of an import's time and
touch no database, so for a big file they run in a forked child that hands over batches of
records through a bounded queue while this process writes. The rendering is shared between
the two, batch by batch: the child renders a batch only when the writer is behind (the queue
is at least half full); otherwise it hands the batch over unrendered and the writer renders
it (through the same `render_imported`) while the child reads on. So both cores stay busy
whichever side is slower. Errors in the child (a bad file) are raised here, in the writer's
transaction, which then rolls back.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Iterator
from typing import Any

from rejoinder.comments.importing import imported_body, render_imported
from rejoinder.errors import InvalidInput
from rejoinder.portability import records as r
from rejoinder.portability.sources import BadFile

BATCH = 500
DEPTH = 8  # batches waiting in the queue at most: memory stays bounded
# Below this size a file is read in this process: starting a child costs more than it saves.
PARALLEL_FROM_BYTES = 8 * 1024 * 1024


def render(record: r.Record) -> r.Record:
    """Check and render a comment's body ahead of the writer (which then keeps it)."""
    if isinstance(record, r.Comment) and record.body_html is None:
        try:
            body, changed = imported_body(record.body)
        except InvalidInput:
            return record  # the writer skips it and reports why
        if not changed:
            record.body = body
            record.body_html = render_imported(body)
    return record


def _writer_is_behind(out: Any) -> bool:
    try:
        return bool(out.qsize() >= DEPTH // 2)
    except NotImplementedError:  # no sem_getvalue (macOS): render everything here
        return True


def _produce(
    records: Callable[[], Iterator[r.Record]], position: Callable[[], int], out: Any
) -> None:
    try:
        batch: list[r.Record] = []
        for record in records():
            batch.append(record)
            if len(batch) >= BATCH:
                if _writer_is_behind(out):
                    batch = [render(record) for record in batch]
                out.put(("records", batch, position()))
                batch = []
        out.put(("records", batch, position()))
        out.put(("done", None, position()))
    except BadFile as exc:
        out.put(("bad", str(exc), 0))
    except BaseException as exc:  # anything else is said, then raised there
        out.put(("error", f"{type(exc).__name__}: {exc}", 0))


def records_from_child(
    records: Callable[[], Iterator[r.Record]], position: Callable[[], int]
) -> Iterator[tuple[r.Record, int]]:
    """Yield (record, bytes read so far) as a forked child reads and renders them."""
    context = multiprocessing.get_context("fork")
    channel = context.Queue(maxsize=DEPTH)
    child = context.Process(target=_produce, args=(records, position, channel), daemon=True)
    child.start()
    try:
        while True:
            try:
                kind, payload, where = channel.get(timeout=1.0)
            except queue.Empty:
                if not child.is_alive():
                    raise RuntimeError("the reading process stopped without a word") from None
                continue
            if kind == "records":
                for record in payload:
                    yield record, where
            elif kind == "done":
                return
            elif kind == "bad":
                raise BadFile(payload)
            else:
                raise RuntimeError(f"reading the file failed: {payload}")
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        channel.close()
