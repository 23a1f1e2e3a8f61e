"""One hub per process: the open streams by channel, and the one reader of the event log.

Runs on the front's event loop (config/front.py). Database reads happen on one thread of its
own, never on Django's pool: every second (LIVE_POLL_SECONDS) one query reads the events
after the last one seen, for all open streams at once, and hands each stream the events of
its channel. A notice (fanout.py: this process's own writes, or Redis or PostgreSQL's
LISTEN from the others) makes it read at once. Because ids of different pages may commit out of order, each read looks a
few seconds back; each stream keeps the last id it sent, so nothing is sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from enum import Enum
from typing import Any, TypeVar

from django.db import close_old_connections, connections

from rejoinder.live import fanout, store
from rejoinder.live.store import Entry

log = logging.getLogger(__name__)
T = TypeVar("T")

# How far back each read looks for events of other pages that committed late.
LOOKBACK_SECONDS = 5.0
# After a notice, how long the hub waits for more before it reads: in a burst of posts each
# stream then wakes and sends once for several events, not once for each.
GATHER_SECONDS = 0.05
_BATCH = 2000


class Signal(Enum):
    """What a stream's queue holds besides events."""

    STOP = "stop"  # the server is stopping: end the stream
    KEEP_ALIVE = "keep-alive"  # the hub's heartbeat: send one unless events go anyway
    GONE = "gone"  # the client went away


class Subscriber:
    """One open stream: its channel, the last id it was given, and what it has to send."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.last_id = 0
        # One queue is all a stream waits on: its events, and the signals above.
        self.queue: asyncio.Queue[Entry | Signal] = asyncio.Queue()
        self._held: list[Entry] | None = []  # events that came while it caught up

    def signal(self, signal: Signal) -> None:
        self.queue.put_nowait(signal)

    def offer(self, entries: list[Entry]) -> None:
        if self._held is not None:
            self._held.extend(entries)
            return
        for entry in entries:
            if entry.id > self.last_id:
                self.last_id = entry.id
                self.queue.put_nowait(entry)

    def caught_up(self, last_id: int) -> None:
        """The replay has been sent up to `last_id`; send what came meanwhile, after it."""
        held, self._held = self._held or [], None
        self.last_id = max(self.last_id, last_id)
        self.offer(sorted(held, key=lambda e: e.id))


def _in_thread(fn: Callable[..., T], *args: Any) -> T:
    close_old_connections()
    return fn(*args)


class Hub:
    def __init__(self, poll_seconds: float, redis_url: str | None) -> None:
        self.poll_seconds = poll_seconds
        self.redis_url = redis_url
        self.channels: dict[str, set[Subscriber]] = {}
        self.count = 0
        self.closing = False
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="rejoinder-live")
        self._wake: asyncio.Event | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._seen: deque[tuple[float, int]] = deque()
        self._floor = 0
        self._waker: Callable[[str], None] | None = None

    async def db(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, _in_thread, fn, *args)

    async def start(self) -> None:
        if self._wake is not None:
            return
        self._wake = asyncio.Event()
        loop = asyncio.get_running_loop()
        wake = self._wake

        def wake_up(channel: str) -> None:
            loop.call_soon_threadsafe(wake.set)

        self._waker = wake_up
        fanout.on_announce(wake_up)
        self._on_stop_signal(loop)
        try:
            self._floor = await self.db(store.latest_id)
        except Exception:
            # The database is away (the server still starts and says so at /health): the first
            # read starts from the log's beginning, and each stream skips what it has.
            log.warning("the live event log could not be read at start", exc_info=True)
        self._tasks.append(asyncio.create_task(self._read_loop()))
        if self.redis_url:
            self._tasks.append(asyncio.create_task(self._listen_redis(self.redis_url)))
        elif fanout.on_postgres():
            self._tasks.append(asyncio.create_task(self._listen_postgres()))

    def end_streams(self) -> None:
        """The server is stopping: end every stream (browsers reconnect, to another process or
        machine, with their last id); open streams would otherwise hold the shutdown."""
        self.closing = True
        self._signal_all(Signal.STOP)

    def keep_alive(self) -> None:
        """Time for every stream's heartbeat: one timer for all of them, not one each."""
        self._signal_all(Signal.KEEP_ALIVE)

    def _signal_all(self, signal: Signal) -> None:
        for group in self.channels.values():
            for subscriber in group:
                subscriber.signal(signal)

    def _on_stop_signal(self, loop: asyncio.AbstractEventLoop) -> None:
        # Granian's worker stops on SIGTERM/SIGINT through a handler on this loop, then waits
        # for its connections to close: run end_streams first. (Its private table is the
        # only way to chain; without it the server's workers_kill_timeout ends them.)
        handlers = getattr(loop, "_signal_handlers", {})
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous = handlers.get(sig)
            if previous is None:
                continue

            def both(previous: Any = previous) -> None:
                self.end_streams()
                previous._run()

            loop.add_signal_handler(sig, both)

    async def stop(self) -> None:
        self.end_streams()
        if self._waker is not None:
            fanout.off_announce(self._waker)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._executor.shutdown(wait=False)

    def subscribe(self, channel: str) -> Subscriber:
        subscriber = Subscriber(channel)
        self.channels.setdefault(channel, set()).add(subscriber)
        self.count += 1
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        group = self.channels.get(subscriber.channel)
        if group and subscriber in group:
            group.discard(subscriber)
            self.count -= 1
            if not group:
                del self.channels[subscriber.channel]

    async def _read_loop(self) -> None:
        assert self._wake is not None
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
                await asyncio.sleep(GATHER_SECONDS)
            self._wake.clear()
            try:
                await self.read_once()
            except Exception:
                log.warning("reading the live event log failed", exc_info=True)
                await asyncio.sleep(1)

    async def read_once(self) -> None:
        now = time.monotonic()
        while self._seen and self._seen[0][0] < now - LOOKBACK_SECONDS:
            self._floor = max(self._floor, self._seen.popleft()[1])
        after = self._floor
        while True:
            entries = await self.db(store.recent, after, _BATCH)
            by_channel: dict[str, list[Entry]] = {}
            for entry in entries:
                by_channel.setdefault(entry.channel, []).append(entry)
            for channel, group in by_channel.items():
                for subscriber in list(self.channels.get(channel, ())):
                    subscriber.offer(group)
            if entries:
                after = entries[-1].id
                self._seen.append((now, after))
            if len(entries) < _BATCH:
                return

    async def _listen_postgres(self) -> None:
        """LISTEN on a connection of its own (psycopg's asyncio API, on this loop)."""
        import psycopg

        assert self._wake is not None
        db = connections["default"].settings_dict
        conninfo = psycopg.conninfo.make_conninfo(
            dbname=db.get("NAME") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=str(db["PORT"]) if db.get("PORT") else None,
        )
        delay = 1.0
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    conninfo, autocommit=True, connect_timeout=5
                ) as conn:
                    await conn.execute(f"LISTEN {fanout.POSTGRES_CHANNEL}")
                    delay = 1.0
                    self._wake.set()  # anything missed while away is in the log
                    async for _notice in conn.notifies():
                        self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning(
                    "PostgreSQL notifications unavailable; reading the log every %gs",
                    self.poll_seconds,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    async def _listen_redis(self, url: str) -> None:
        import redis.asyncio as aioredis

        assert self._wake is not None
        delay = 1.0
        while True:
            try:
                client = aioredis.Redis.from_url(url)
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(fanout.REDIS_CHANNEL)
                    delay = 1.0
                    self._wake.set()  # anything missed while away is in the log
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning(
                    "Redis pub/sub unavailable; reading the log every %gs", self.poll_seconds
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
