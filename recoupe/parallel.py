"""Parallel and distributed extraction: the results of ``Extractor.results``, from many processes.

``extract_results`` is the one entry point of ``recoupe extract`` (and of the
store's ingest): it cuts the stream of articles into chunks, sends them to
worker processes on this machine (``workers``) or to a Dask distributed
cluster (``cluster``), and yields every article's outcome in input order.
Each worker process loads the extractor once.  At most two chunks per
worker are in flight, so memory stays flat however long the input.  An
article the extractor fails on is one error; a task that fails (its worker
process died) gives one error per article of the chunks then in flight, and
the batch goes on.
"""
from __future__ import annotations

import logging
import multiprocessing
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Optional

from .errors import ClusterError
from .model import Article
from .pipeline import Extractor, Outcome, failure

LOGGER = logging.getLogger(__name__)

CHUNK_SIZE = 16  # articles per task: one model batch, small enough to keep all workers busy
IN_FLIGHT_PER_WORKER = 2  # chunks queued per worker: one running, one ready
CONNECT_TIMEOUT = "10s"  # to reach a Dask scheduler before giving up

_EXTRACTOR: Optional[Extractor] = None
_LOCK = threading.Lock()  # a Dask worker may run tasks in threads; the extractor is not thread-safe


def worker_extractor() -> Extractor:
    """This process's extractor, loaded on first use and kept for every later chunk."""
    global _EXTRACTOR
    with _LOCK:
        if _EXTRACTOR is None:
            _EXTRACTOR = Extractor()
        return _EXTRACTOR


def warm_up() -> None:
    """Load the extractor now (run on every worker when a pool or cluster starts)."""
    worker_extractor()


def extract_chunk(articles: list[Article]) -> list[Outcome]:
    """The task sent to workers: every article's result, or its one-line error."""
    extractor = worker_extractor()
    with _LOCK:
        return list(extractor.results(articles))


def extract_results(articles: Iterable[Article], workers: int = 1, cluster: Any = None, *,
                    chunk_size: int = CHUNK_SIZE, extractor: Optional[Extractor] = None) -> Iterator[Outcome]:
    """Outcomes of ``articles`` in input order: in this process (``workers`` 1), in ``workers``
    processes, or on the Dask cluster at ``cluster`` (a scheduler address or a ``distributed.Client``)."""
    if cluster is not None:
        yield from _on_cluster(articles, cluster, chunk_size)
    elif workers > 1:
        yield from _in_processes(articles, workers, chunk_size)
    else:
        yield from (extractor or worker_extractor()).results(articles)


def chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Consecutive lists of ``size`` articles (the last one shorter), read lazily."""
    stream = iter(articles)
    while chunk := list(islice(stream, size)):
        yield chunk


def ordered(chunked: Iterable[list[Article]], submit: Callable[[list[Article]], Any], in_flight: int,
            on_failure: Callable[[BaseException], None] = lambda exc: None) -> Iterator[Outcome]:
    """Submit chunks, at most ``in_flight`` ahead of the one being read, and yield their
    outcomes in submission order; a chunk whose task failed gives one error per article.
    ``submit`` returns a future (concurrent.futures or distributed: anything with ``result()``)."""
    pending: deque[tuple[list[Article], Any]] = deque()

    def collect() -> list[Outcome]:
        chunk, future = pending.popleft()
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 - a lost chunk must not stop the batch
            LOGGER.debug("chunk starting at %s failed", chunk[0].id, exc_info=True)
            on_failure(exc)
            return [failure(article, exc) for article in chunk]

    for chunk in chunked:
        pending.append((chunk, submit(chunk)))
        while len(pending) >= in_flight:
            yield from collect()
    while pending:
        yield from collect()


# -- processes on this machine ---------------------------------------------------
class LocalWorkers:
    """``workers`` processes on this machine, each loading its extractor once; reusable for
    several streams (``results``) until ``close``."""

    def __init__(self, workers: int, chunk_size: int = CHUNK_SIZE):
        self.workers = workers
        self.chunk_size = chunk_size
        # forkserver: workers start from a clean interpreter, not a copy of a parent that may
        # already hold a model or threads
        self._context = multiprocessing.get_context("forkserver")
        self._pools: list[ProcessPoolExecutor] = []
        self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        self._pools.append(ProcessPoolExecutor(max_workers=self.workers, mp_context=self._context,
                                               initializer=warm_up))
        return self._pools[-1]

    def _submit(self, chunk: list[Article]):
        try:
            return self._pools[-1].submit(extract_chunk, chunk)
        except BrokenProcessPool:  # a worker died earlier: go on with fresh ones
            return self._new_pool().submit(extract_chunk, chunk)

    @staticmethod
    def _on_failure(exc: BaseException) -> None:
        if isinstance(exc, BrokenProcessPool):
            LOGGER.warning("a worker process died: the chunks in flight are reported as errors, "
                           "the run goes on with fresh workers")

    def results(self, articles: Iterable[Article]) -> Iterator[Outcome]:
        """Outcomes of ``articles`` in input order."""
        return ordered(chunks(articles, self.chunk_size), self._submit, self.workers * IN_FLIGHT_PER_WORKER,
                       self._on_failure)

    def close(self) -> None:
        """Stop the worker processes (after the work already sent)."""
        for pool in self._pools:
            pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "LocalWorkers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _in_processes(articles: Iterable[Article], workers: int, chunk_size: int) -> Iterator[Outcome]:
    with LocalWorkers(workers, chunk_size) as pool:
        yield from pool.results(articles)


# -- a Dask distributed cluster ------------------------------------------------------
def connect(address: str):
    """A client of the Dask scheduler at ``address``; ClusterError when there is none."""
    from distributed import Client
    from distributed.comm import get_address_host_port, parse_address
    from distributed.comm.registry import get_backend

    try:
        # a bad scheme or port is told before a Client is half made (it then fails to close)
        scheme = parse_address(address)[0]
        get_backend(scheme)
        if scheme in ("tcp", "tls", "ws", "wss"):
            get_address_host_port(address)
        return Client(address, set_as_default=False, timeout=CONNECT_TIMEOUT)
    except (OSError, ValueError, TypeError) as exc:  # timeouts are OSErrors; a bad address a ValueError
        raise ClusterError(f"no Dask scheduler at {address}: {exc}") from None


def _on_cluster(articles: Iterable[Article], cluster: Any, chunk_size: int) -> Iterator[Outcome]:
    client = connect(cluster) if isinstance(cluster, str) else cluster
    try:
        try:
            client.run(warm_up)  # every worker loads its extractor now, all at once
        except Exception as exc:  # e.g. recoupe is not installed on a worker
            raise ClusterError(f"the workers of {client.scheduler.address} cannot load the extractor: "
                               f"{type(exc).__name__}: {exc}") from None
        threads = max(1, sum(client.nthreads().values()))
        # pure=False: two equal chunks are still two tasks (results come back per submission)
        yield from ordered(chunks(articles, chunk_size), lambda chunk: client.submit(extract_chunk, chunk, pure=False),
                           threads * IN_FLIGHT_PER_WORKER)
    finally:
        if client is not cluster:
            client.close()
