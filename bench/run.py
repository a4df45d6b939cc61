"""recoupe's benchmark, in one run (`make bench`):

    python bench/run.py [--articles 300] [--repeats 2] [--workers 2] [--memory-sizes 300,3000] [--json]

1. throughput, articles/s and words/s, of plain ``nlp.pipe`` of fr_core_news_md with every
   component, of recoupe's extraction in one process, and with ``--workers``, on the same
   generated articles; the measurements are interleaved (reference, recoupe, workers, again)
   because the machine may be shared, and the medians are kept; the ratios are the figures
   that count;
2. peak memory of each, and of recoupe at two corpus sizes (flat: the larger within 10%);
3. ingest rate into SQLite and PostgreSQL, and API latency (p50, p95) on a store of 100,000
   generated articles: hooks, not written yet (issue 5).

Every measurement runs in its own process (bench/measure.py), so that peak memories do not
pollute each other.  Timings are seconds of wall time after a warm-up share of the articles
(model loaded, worker processes started); rates per CPU second (of the process and its
workers) are given beside: on a shared machine they say what the work costs.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402  (bench/ is not a package)


def measure(mode: str, corpus: Path, workers: int = 1) -> dict:
    """One measurement in a fresh process."""
    cmd = [sys.executable, str(HERE / "measure.py"), mode, str(corpus), "--workers", str(workers)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd[1:])} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _cpu_rate(runs: list[dict]) -> float:
    """Articles per CPU second of the measuring process and its workers: what the work costs,
    whatever else the machine is doing."""
    return statistics.median(r["timed_articles"] / (r["cpu_seconds"] + r["workers_cpu_seconds"]) for r in runs)


def throughput(corpus: Path, repeats: int, workers: int, log) -> dict:
    """Interleaved runs of the reference, recoupe in one process and recoupe with workers."""
    configs = [("spacy", 1), ("recoupe", 1), ("recoupe", workers)]
    runs: dict[tuple[str, int], list[dict]] = {c: [] for c in configs}
    for rep in range(repeats):
        for mode, n in configs:
            result = measure(mode, corpus, n)
            runs[(mode, n)].append(result)
            log(f"  run {rep + 1}/{repeats} {mode} workers={n}: {result['articles_per_s']} articles/s, "
                f"peak {result['peak_rss_mb']} MB {result['worker_peak_rss_mb'] or ''}")
    ref, one, many = (runs[c] for c in configs)
    return {
        "reference": _summary(ref), "recoupe": _summary(one), f"recoupe_workers_{workers}": _summary(many),
        "ratio_recoupe_vs_reference": round(_median(one, "articles_per_s") / _median(ref, "articles_per_s"), 3),
        "ratio_recoupe_vs_reference_cpu": round(_cpu_rate(one) / _cpu_rate(ref), 3),
        f"ratio_workers_{workers}_vs_one": round(_median(many, "articles_per_s") / _median(one, "articles_per_s"), 3),
        "runs": {f"{m}:{n}": r for (m, n), r in runs.items()},
    }


def _summary(runs: list[dict]) -> dict:
    out = {
        "articles_per_s": round(_median(runs, "articles_per_s"), 2),
        "words_per_s": round(_median(runs, "words_per_s"), 1),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "worker_peak_rss_mb": max((max(r["worker_peak_rss_mb"], default=0) for r in runs), default=0),
    }
    out["articles_per_cpu_s"] = round(_cpu_rate(runs), 2)
    return out


def memory(sizes: list[int], folder: Path, log) -> dict:
    """Peak memory of recoupe in one process at each corpus size."""
    peaks = {}
    for size in sizes:
        corpus = folder / f"memory-{size}.jsonl"
        write_corpus(corpus, size)
        result = measure("recoupe", corpus)
        peaks[size] = result["peak_rss_mb"]
        log(f"  recoupe on {size} articles: peak {result['peak_rss_mb']} MB ({result['articles_per_s']} articles/s)")
        corpus.unlink()
    small, large = min(sizes), max(sizes)
    return {"peak_rss_mb": peaks, "growth": round(peaks[large] / peaks[small] - 1, 4)}


# -- hooks for the store and the API (issue 5: not written yet) -----------------------

def ingest_rate(backend: str, corpus: Path) -> dict:
    """Articles/s of `recoupe ingest` into ``backend`` (sqlite or postgresql).

    TODO: time `recoupe ingest CORPUS --db <a fresh SQLite
    file | a scratch PostgreSQL database>` after a warm-up share (as measure.py does), in its own
    process, and return {"articles_per_s", "peak_rss_mb"}; it should read the same generated
    corpus, so that the rate compares with extraction's."""
    return {"skipped": f"not written yet: time `recoupe ingest` into {backend} (issue 5)"}


def api_latency(articles: int = 100_000) -> dict:
    """p50 and p95 latency of the REST API on a store of ``articles`` generated articles.

    TODO: build the store once from corpus.generated(articles) (varied dates, outlets; the
    actors come with the sample texts), start the API on 127.0.0.1, then time a bounded number of
    requests (say 1,000 each) for an actor's profile and for filtered claims (type, actor, date
    range), and return {"profile": {"p50_ms", "p95_ms"}, "claims": {...}}; the target is
    p95 <= 100 ms."""
    return {"skipped": f"not written yet: `recoupe serve` latency on {articles:,} generated articles (issue 5)"}


# -- report ------------------------------------------------------------------------
def report(result: dict, workers: int) -> str:
    t = result["throughput"]
    rows = [("plain nlp.pipe, all components", t["reference"]), ("recoupe extract, 1 process", t["recoupe"]),
            (f"recoupe extract --workers {workers}", t[f"recoupe_workers_{workers}"])]
    lines = [f"machine: {result['cpus']} CPUs, load average {result['load_before']} before, {result['load_after']} after",
             f"corpus: {result['articles']} generated articles, {result['words']} words; "
             f"medians of {result['repeats']} interleaved runs", "",
             f"{'':34} {'articles/s':>10} {'words/s':>9} {'art/CPU-s':>9} {'peak MB':>8} {'worker MB':>9}"]
    for name, s in rows:
        cpu = s["articles_per_cpu_s"]
        lines.append(f"{name:34} {s['articles_per_s']:>10} {s['words_per_s']:>9} {cpu:>9} {s['peak_rss_mb']:>8} "
                     f"{s['worker_peak_rss_mb'] or '':>9}")
    lines += ["",
              f"recoupe / reference: {t['ratio_recoupe_vs_reference']}x wall, {t['ratio_recoupe_vs_reference_cpu']}x CPU",
              f"--workers {workers} / 1 process: {t[f'ratio_workers_{workers}_vs_one']}x"]
    if "memory" in result:
        m = result["memory"]
        sizes = ", ".join(f"{n} articles {mb} MB" for n, mb in m["peak_rss_mb"].items())
        lines.append(f"peak memory, 1 process: {sizes}: growth {m['growth'] * 100:+.1f}%")
    for name in ("ingest_sqlite", "ingest_postgresql", "api_latency"):
        value = result[name]
        lines.append(f"{name.replace('_', ' ')}: " + (f"skipped ({value['skipped']})" if "skipped" in value else json.dumps(value)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="articles in the throughput corpus")
    parser.add_argument("--repeats", type=int, default=2, help="interleaved runs of each configuration")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-sizes", default="300,3000", help="corpus sizes for the memory check ('' to skip)")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.time()
    result: dict = {"cpus": os.cpu_count(), "load_before": [round(x, 2) for x in os.getloadavg()],
                    "repeats": args.repeats}
    with tempfile.TemporaryDirectory(prefix="recoupe-bench-") as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        result.update(write_corpus(corpus, args.articles))
        log(f"bench: throughput on {args.articles} articles")
        result["throughput"] = throughput(corpus, args.repeats, args.workers, log)
        if args.memory_sizes:
            log("bench: memory")
            result["memory"] = memory([int(s) for s in args.memory_sizes.split(",")], folder, log)
        result["ingest_sqlite"] = ingest_rate("sqlite", corpus)
        result["ingest_postgresql"] = ingest_rate("postgresql", corpus)
        result["api_latency"] = api_latency()
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    result["seconds"] = round(time.time() - started, 1)
    print(json.dumps(result, ensure_ascii=False) if args.json else report(result, args.workers))


if __name__ == "__main__":
    main()
