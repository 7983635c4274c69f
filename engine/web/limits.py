"""The limits of the web service: request body size, time per check and checks at once.

Checks run in a small pool of worker processes rather than threads, for two reasons: a check is
CPU-bound Python, so threads would queue on the interpreter lock; and a check that runs past the
time limit can only be stopped by ending its process (a thread cannot be killed). A worker that
times out is killed and replaced, so one pathological file never holds a slot for good.

The pool is also the concurrency limit: there are as many workers as checks may run at once. A
request that finds every worker busy waits in a short queue (at most `queue_wait` seconds, at most
`queue_limit` requests); beyond that it is refused with 429 and a Retry-After header. A brief queue
rather than an immediate 429 because a burst of a few uploads (several staff pressing the button at
once) should simply be served a moment later, while a flood must not pile up memory: every waiting
request holds its upload in memory.
"""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable

from starlette.requests import Request

from ..errors import GongkaiError

MIB = 1024 * 1024


class ServiceError(Exception):
    """An error answered with an HTTP status and a Chinese message (the body of every error response)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def too_large(limit: int) -> ServiceError:
    return ServiceError(413, "too_large", f"提交的内容超过 {limit // MIB} MB 的上限。请压缩图片或删去附件后再试，"
                                          f"或请管理员调高上限（gongkai serve --max-upload-mb）。")


# Bodies past the limit but no larger than this are read and thrown away before the 413 is sent:
# a browser that is still sending its upload when the server closes the connection shows a
# "connection reset" page instead of the answer. Larger ones are refused at once.
DRAIN_LIMIT = 64 * MIB


async def read_body(request: Request, limit: int) -> bytes:
    """The whole request body, in memory, refused with 413 as soon as it is known to exceed `limit`.

    A declared Content-Length decides before any byte is read (with `Expect: 100-continue` the
    client then never sends the body at all); a chunked body is counted as it arrives."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise ServiceError(400, "bad_request", "请求头 Content-Length 不是有效的数字。") from None
        if size > limit:
            expects = request.headers.get("expect", "").lower() == "100-continue"
            if not expects and size <= DRAIN_LIMIT:
                async for _ in request.stream():
                    pass
            raise too_large(limit)
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


# -- the worker pool ----------------------------------------------------------------------------------

class Busy(Exception):
    pass


class TimedOut(Exception):
    pass


class WorkerLost(Exception):
    """The worker process died during a check (killed by the system, out of memory)."""


@dataclass
class Refused:
    """The check rejected its input with a GongkaiError (unreadable report, bad profile)."""

    kind: str
    message: str


@dataclass
class Crashed:
    """The check failed with an unexpected exception: a bug of ours."""

    detail: str


_CTX = multiprocessing.get_context("spawn")   # fork would copy the server's threads and event loop


def _resolve(target: str) -> Callable[[Any], Any]:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _worker_main(conn, target: str, setup: dict[str, Any]) -> None:
    # Ctrl-C in the terminal reaches the whole process group; the server decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    function = _resolve(target)
    warm_up = getattr(sys.modules[function.__module__], "warm_up", None)
    if warm_up is not None:
        warm_up(**setup)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return          # the server closed the pipe: it is shutting down
        try:
            reply: Any = function(job)
        except GongkaiError as err:
            reply = Refused(type(err).__name__, str(err))
        except Exception as err:  # reported as a 500 by the server; the traceback goes to the operator's log
            traceback.print_exc()
            reply = Crashed(f"{type(err).__name__}: {err}")
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return


class Worker:
    def __init__(self, target: str, setup: dict[str, Any]):
        self.conn, child = _CTX.Pipe()
        self.process = _CTX.Process(target=_worker_main, args=(child, target, setup), name="gongkai-check",
                                    daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> bool:
        try:
            return self.conn.poll(timeout) and self.conn.recv()[0] == "ready"
        except (EOFError, OSError):
            return False

    def exchange(self, job: Any, timeout: float) -> Any:
        try:
            self.conn.send(job)
            if not self.conn.poll(timeout):
                raise TimedOut
            return self.conn.recv()
        except (EOFError, OSError):
            raise WorkerLost from None

    def stop(self, wait: float = 2.0) -> None:
        """Close the pipe (an idle worker then returns) and make sure the process is gone."""
        try:
            self.conn.close()
        except OSError:
            pass
        self.process.join(wait)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(wait)

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        try:
            self.conn.close()
        except OSError:
            pass


class CheckPool:
    """`size` worker processes; `run(job)` hands a job to an idle one and returns its reply.

    Each worker imports `target` ("module:function"), calls the module's `warm_up(**setup)` if it has
    one, and then runs the function on every job it is handed."""

    def __init__(self, size: int, timeout: float, target: str, queue_wait: float = 10.0,
                 queue_limit: int | None = None, start_timeout: float = 120.0, setup: dict[str, Any] | None = None):
        if size < 1:
            raise ValueError("size must be at least 1")
        self.size, self.timeout, self.target = size, timeout, target
        self.queue_wait = queue_wait
        self.queue_limit = 4 * size if queue_limit is None else queue_limit
        self.start_timeout = start_timeout
        self.setup = dict(setup or {})
        self._idle: asyncio.Queue[Worker] | None = None
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._waiting = 0
        self._closed = False
        # Own threads for the blocking pipe calls, one per worker plus room for replacements, so that
        # nothing else in the process (the server's thread pool) can starve them.
        self._threads = ThreadPoolExecutor(max_workers=size + 2, thread_name_prefix="gongkai-pool")

    @property
    def waiting(self) -> int:
        return self._waiting

    @property
    def idle(self) -> int:
        return self._idle.qsize() if self._idle is not None else 0

    def _spawn(self) -> Worker:
        worker = Worker(self.target, self.setup)
        if not worker.wait_ready(self.start_timeout):
            worker.kill()
            raise RuntimeError(f"检查进程未能在 {self.start_timeout:g} 秒内启动（{self.target}）")
        with self._lock:
            self._all.add(worker)
        return worker

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(loop.run_in_executor(self._threads, self._spawn) for _ in range(self.size)),
                                       return_exceptions=True)
        failed = [w for w in workers if isinstance(w, BaseException)]
        for w in workers:
            if isinstance(w, Worker):
                self._idle.put_nowait(w)
        if failed:
            await self.close()
            raise failed[0]

    async def run(self, job: Any) -> Any:
        """The worker's reply: a result, a Refused or a Crashed. Raises Busy, TimedOut or WorkerLost."""
        assert self._idle is not None, "the pool was not started"
        if self._idle.empty() and self._waiting >= self.queue_limit:
            raise Busy
        self._waiting += 1
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_wait)
        except asyncio.TimeoutError:
            raise Busy from None
        finally:
            self._waiting -= 1
        loop = asyncio.get_running_loop()
        try:
            reply = await loop.run_in_executor(self._threads, worker.exchange, job, self.timeout)
        except BaseException:
            # Timed out, died, or cancelled while the worker may still be busy with the job (the
            # server is stopping): a worker in that state cannot be trusted with the next job.
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return reply

    def _replace(self, worker: Worker) -> None:
        loop = asyncio.get_running_loop()
        idle = self._idle

        def replace() -> None:
            worker.kill()
            with self._lock:
                self._all.discard(worker)
            for attempt in range(3):
                if self._closed:
                    return
                try:
                    fresh = self._spawn()
                except Exception as err:  # the slot stays empty; the operator sees why in the log
                    print(f"gongkai serve：无法重新启动检查进程（第 {attempt + 1} 次）：{err}", file=sys.stderr)
                    time.sleep(1)
                    continue
                if self._closed:
                    fresh.stop()
                    return
                loop.call_soon_threadsafe(idle.put_nowait, fresh)
                return

        loop.run_in_executor(self._threads, replace)

    async def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(None, w.stop) for w in workers))
        self._threads.shutdown(wait=False, cancel_futures=True)
