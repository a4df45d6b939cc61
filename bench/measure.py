"""One measurement in its own process (so that peak memories do not pollute each other).

    python bench/measure.py spacy|recoupe CORPUS.jsonl [--workers N] [--warm 0.1]

The first ``--warm`` share of the articles runs untimed (model loaded, worker processes
started, caches filled); the clock covers the rest.  Prints one JSON object: articles and
words timed, seconds (wall, and CPU of this process and of its workers), throughput, and the peak resident
memory (VmHWM) of this process and of each worker process.
"""
from __future__ import annotations

import json
import argparse
import resource
import sys
import time
from pathlib import Path
from typing import Callable, Iterator


def _records(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _peak_mb(pid: int | str = "self") -> float:
    """Peak resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


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


def _spacy(workers: int) -> tuple[Callable[[list[dict]], Iterator], Callable[[], None]]:
    """Plain nlp.pipe of fr_core_news_md with every component, default batch size."""
    import spacy

    nlp = spacy.load("fr_core_news_md")

    def run(records: list[dict]) -> Iterator:
        return nlp.pipe(r["text"] for r in records)

    return run, lambda: None


def _recoupe(workers: int) -> tuple[Callable[[list[dict]], Iterator], Callable[[], None]]:
    """What `recoupe extract` does: read the JSONL file, extract, serialise JSON lines."""
    import tempfile

    from recoupe.ingest import read_articles
    from recoupe.model import InputError
    from recoupe.parallel import LocalWorkers, worker_extractor

    if workers > 1:
        pool = LocalWorkers(workers)
        results, close = pool.results, pool.close
    else:
        extractor = worker_extractor()
        results, close = extractor.results, lambda: None

    def run(records: list[dict]) -> Iterator:
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as part:
            part.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
            part.flush()
            for result in results(read_articles([part.name])):
                if isinstance(result, InputError):
                    raise SystemExit(f"bench: {result}")  # the generated corpus must read and extract cleanly
                yield json.dumps(result.to_json(), ensure_ascii=False)

    return run, close


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["spacy", "recoupe"])
    parser.add_argument("corpus")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--warm", type=float, default=0.1, help="share of the articles run before the clock starts")
    args = parser.parse_args(argv)
    records = _records(args.corpus)
    warm_at = max(2 * 16 * args.workers, int(len(records) * args.warm))  # two chunks per worker
    warm, timed = records[:warm_at], records[warm_at:]
    run, close = (_spacy if args.mode == "spacy" else _recoupe)(args.workers)
    for _ in run(warm):
        pass
    words = sum(len(r["text"].split()) for r in timed)
    clock, cpu, workers_cpu = time.perf_counter(), time.process_time(), _workers_cpu()
    count = sum(1 for _ in run(timed))
    seconds, cpu_seconds = time.perf_counter() - clock, time.process_time() - cpu
    workers_cpu = _workers_cpu() - workers_cpu
    workers_peak = _worker_peaks()
    close()
    print(json.dumps({
        "mode": args.mode, "workers": args.workers, "articles": len(records), "timed_articles": count,
        "timed_words": words, "seconds": round(seconds, 3), "cpu_seconds": round(cpu_seconds, 3),
        "workers_cpu_seconds": round(workers_cpu, 3),
        "articles_per_s": round(count / seconds, 2), "words_per_s": round(words / seconds, 1),
        "peak_rss_mb": round(_peak_mb(), 1), "worker_peak_rss_mb": [round(p, 1) for p in workers_peak],
        "self_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
