"""One measurement in its own process (so that peak memories do not pollute each other).

    python bench/measure.py spacy|recoupe CORPUS.jsonl [--workers N] [--warm 0.1] [--progress N]
    python bench/measure.py ingest CORPUS.jsonl --db URL [--warm 0.1]
    python bench/measure.py store CORPUS.jsonl --db URL [--batch N] [--warm 0.1]

The first ``--warm`` share of the articles runs untimed (model loaded, worker processes
started, caches filled); the clock covers the rest.  The corpus is streamed from its file, never
held in memory, so that the peak memory at 100,000 articles is recoupe's own.

* ``spacy``: plain ``nlp.pipe`` of fr_core_news_md with every component;
* ``recoupe``: what `recoupe extract` does (read the JSONL file, extract, serialise JSON lines);
* ``ingest``: `recoupe ingest CORPUS --db URL` itself (the CLI command, in this process: the
  warm share is ingested first, then the rest, the model loaded once for both);
* ``store``: the store's writes alone: the corpus is extracted first (untimed), then its results
  are written to ``--db``, one article per transaction as `recoupe ingest` does
  (``Store.ingest_result``), or ``--batch`` articles per transaction (``Store.ingest_batch``).

Prints one JSON object: articles and words timed, seconds (wall, and CPU of this process and of
its workers), throughput, and the peak resident memory (VmHWM) of this process and of each worker
process.  ``--progress N`` logs every N timed articles on stderr (count, rate, memory now and peak).
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator


def _split(path: str, warm: float, minimum: int, folder: Path) -> tuple[Path, Path, int, int, int]:
    """Copy the corpus' first share and the rest into two files: (warm, timed, articles, timed
    articles, timed words)."""
    with open(path, encoding="utf-8") as f:
        total = sum(1 for _ in f)
    warm_at = min(total, max(minimum, int(total * warm)))
    warm_path, timed_path = folder / "warm.jsonl", folder / "timed.jsonl"
    words = 0
    with open(path, encoding="utf-8") as f, open(warm_path, "w", encoding="utf-8") as w, \
            open(timed_path, "w", encoding="utf-8") as t:
        for line in islice(f, warm_at):
            w.write(line)
        for line in f:
            words += len(json.loads(line)["text"].split())
            t.write(line)
    return warm_path, timed_path, total, total - warm_at, words


def _status_mb(field: str, pid: int | str = "self") -> float:
    """A memory figure of a process from /proc (Linux): VmHWM (peak) or VmRSS (now)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb(pid: int | str = "self") -> float:
    """Peak resident memory of a process."""
    return _status_mb("VmHWM", pid)


def _descendants() -> list:
    import psutil

    return psutil.Process().children(recursive=True)


def _worker_peaks() -> list[float]:
    """Peak memory of every descendant process that has a model (the forkserver has none)."""
    peaks = []
    for child in _descendants():
        try:
            peaks.append(_peak_mb(child.pid))
        except OSError:
            continue
    return [p for p in peaks if p > 200]


def _workers_cpu() -> float:
    """CPU seconds used so far by the descendant processes (the workers)."""
    total = 0.0
    for child in _descendants():
        try:
            times = child.cpu_times()
        except OSError:
            continue
        total += times.user + times.system
    return total


def _lines(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def _spacy(args) -> tuple[Callable[[Path], Iterator], Callable[[], None]]:
    """Plain nlp.pipe of fr_core_news_md with every component, default batch size."""
    import spacy

    nlp = spacy.load("fr_core_news_md")

    def run(path: Path) -> Iterator:
        return nlp.pipe(r["text"] for r in _lines(path))

    return run, lambda: None


def _recoupe(args) -> tuple[Callable[[Path], Iterator], Callable[[], None]]:
    """What `recoupe extract` does: read the JSONL file, extract, serialise JSON lines."""
    from recoupe.ingest import read_articles
    from recoupe.model import InputError
    from recoupe.parallel import LocalWorkers, worker_extractor

    if args.workers > 1:
        pool = LocalWorkers(args.workers)
        results, close = pool.results, pool.close
    else:
        extractor = worker_extractor()
        results, close = extractor.results, lambda: None

    def run(path: Path) -> Iterator:
        for result in results(read_articles([str(path)])):
            if isinstance(result, InputError):
                raise SystemExit(f"bench: {result}")  # the generated corpus must read and extract cleanly
            yield json.dumps(result.to_json(), ensure_ascii=False)

    return run, close


def _ingest(args) -> tuple[Callable[[Path], Iterator], Callable[[], None]]:
    """`recoupe ingest PATH --db URL`, the CLI command itself, with the model loaded once for the run."""
    import recoupe.pipeline
    from recoupe import cli

    real, loaded = recoupe.pipeline.Extractor, []

    def extractor(*a, **kw):  # the CLI builds an Extractor per command: keep the first one
        if not loaded:
            loaded.append(real(*a, **kw))
        return loaded[0]

    recoupe.pipeline.Extractor = extractor

    def run(path: Path) -> Iterator:
        try:
            cli.main(["ingest", str(path), "--db", args.db, "--progress-every", "0"], standalone_mode=False)
        except SystemExit as exc:
            if exc.code:
                raise SystemExit(f"bench: recoupe ingest {path} failed (exit {exc.code})")
        with open(path, encoding="utf-8") as f:
            yield from (None for _ in f)  # one item per article ingested, to be counted

    return run, lambda: None


def _store(args) -> tuple[Callable[[Path], Iterator], Callable[[], None]]:
    """The store's writes alone: results extracted beforehand, written per article or in batches."""
    from recoupe.ingest import read_articles
    from recoupe.parallel import worker_extractor
    from recoupe.store import open_store

    extractor = worker_extractor()
    store = open_store(args.db, gazetteer=extractor.gazetteer, kb=extractor.kb)
    extracted: dict[Path, list] = {}

    def prepare(path: Path) -> None:
        extracted[path] = list(extractor.extract_all(read_articles([str(path)])))

    def run(path: Path) -> Iterator:
        results = extracted.pop(path)
        if args.batch:
            for i in range(0, len(results), args.batch):
                yield from store.ingest_batch(results[i:i + args.batch])
        else:
            yield from (store.ingest_result(r) for r in results)

    run.prepare = prepare  # type: ignore[attr-defined]
    return run, store.close


def _progress(items: Iterable, every: int, clock: float) -> Iterator:
    """The items, with a line on stderr every ``every`` of them: count, rate, memory now and peak."""
    for count, item in enumerate(items, 1):
        yield item
        if every and count % every == 0:
            seconds = time.perf_counter() - clock
            print(f"bench: {count:,} articles in {seconds:,.0f} s ({count / seconds:.1f}/s), "
                  f"memory {_status_mb('VmRSS'):.0f} MB, peak {_peak_mb():.0f} MB", file=sys.stderr, flush=True)


MODES = {"spacy": _spacy, "recoupe": _recoupe, "ingest": _ingest, "store": _store}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=sorted(MODES))
    parser.add_argument("corpus")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--warm", type=float, default=0.1, help="share of the articles run before the clock starts")
    parser.add_argument("--db", help="store URL (ingest, store)")
    parser.add_argument("--batch", type=int, default=0, help="store: articles per transaction (0: one each)")
    parser.add_argument("--progress", type=int, default=0, help="log every N timed articles on stderr")
    args = parser.parse_args(argv)
    if args.mode in ("ingest", "store") and not args.db:
        parser.error(f"{args.mode} needs --db")
    with tempfile.TemporaryDirectory(prefix="recoupe-measure-") as tmp:
        warm, timed, total, count_timed, words = _split(args.corpus, args.warm, 2 * 16 * args.workers, Path(tmp))
        run, close = MODES[args.mode](args)
        for path in (warm, timed):
            getattr(run, "prepare", lambda p: None)(path)
        for _ in run(warm):
            pass
        clock, cpu, workers_cpu = time.perf_counter(), time.process_time(), _workers_cpu()
        count = sum(1 for _ in _progress(run(timed), args.progress, clock))
        seconds, cpu_seconds = time.perf_counter() - clock, time.process_time() - cpu
        workers_cpu = _workers_cpu() - workers_cpu
        workers_peak = _worker_peaks()
        close()
    if count != count_timed:
        raise SystemExit(f"bench: {count} of {count_timed} timed articles came out")
    print(json.dumps({
        "mode": args.mode, "workers": args.workers, "batch": args.batch, "articles": total,
        "timed_articles": count, "timed_words": words, "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3), "workers_cpu_seconds": round(workers_cpu, 3),
        "articles_per_s": round(count / seconds, 2), "words_per_s": round(words / seconds, 1),
        "peak_rss_mb": round(_peak_mb(), 1), "worker_peak_rss_mb": [round(p, 1) for p in workers_peak],
        "self_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
