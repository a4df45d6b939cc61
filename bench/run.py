"""recoupe's benchmark, in one run (`make bench`), or part by part (``--only``):

    python bench/run.py [--only throughput,memory,ingest,store,api] [--articles 300] [--repeats 2]
                        [--workers 2] [--memory-sizes 300,3000] [--backends sqlite,postgresql]
                        [--pg URL] [--store-articles 100000] [--requests 500] [--json]

1. ``throughput``: articles/s and words/s of plain ``nlp.pipe`` of fr_core_news_md with every
   component, of recoupe's extraction in one process, and with ``--workers``, on the same
   ``--articles`` generated articles (bench/corpus.py); the measurements are interleaved
   (reference, recoupe, workers, again) because the machine may be shared, and the medians are
   kept; the ratios are the figures that count;
2. ``memory``: peak memory of recoupe in one process at each of ``--memory-sizes`` (flat: the
   largest within 10% of the smallest).  The corpus streams from its file; progress is logged;
   each size's result is kept in out/bench/ (keyed by the code), so a rerun after an
   interruption measures only the sizes still missing: the 100,000-article run is a long job
   (about 2 h on 2 cores) of its own, ``--only memory --memory-sizes 10000,100000``;
3. ``ingest``: articles/s and words/s of `recoupe ingest` (the CLI command, in its own process,
   after the same warm-up share, with its peak memory) into a new SQLite file and a new
   PostgreSQL schema, on the throughput corpus; and the store's writes alone (those results
   extracted beforehand): one article per transaction as `recoupe ingest` writes them, and in
   batches (``Store.ingest_batch``);
4. ``store``: the store of ``--store-articles`` generated articles for the API benchmark, per
   backend: bench/synth.py recombines the real extraction of the 18 sample articles into
   100,000 results (recombined sample lines, actors swapped for others of their type from the
   knowledge base, dates moved with their facts' times, 40 outlets, republished copies, some
   words reworded so that articles are not all copies of 18 stories), written through the store's
   own bulk path (bench/stores.py; the same rows as `recoupe ingest`, tests/test_store_bulk.py),
   the last 300 one per transaction; built once and cached under out/bench/ (SQLite) or as
   a schema of the ``--pg`` database (PostgreSQL), keyed by what decides its rows;
5. ``api``: `recoupe serve` over that store, ``--requests`` timed requests per route, one at a
   time over HTTP on 127.0.0.1 (bench/api.py): p50 and p95 of an actor's profile, of the
   claims list filtered by actor, type, date range, modality and sources and paged, of a claim's
   evidence, of search and of an article; the target is p95 <= 100 ms for the profile and the
   filtered claims.

Every measurement runs in its own process (bench/measure.py, bench/stores.py, bench/api.py), so
that peak memories do not pollute each other.  Timings are seconds of wall time after a warm-up
share of the articles (model loaded, worker processes started); rates per CPU second (of the
process and its workers) are given beside: on a shared machine they say what the work costs.
PostgreSQL parts need a server: ``--pg URL`` or $RECOUPE_BENCH_PG or $RECOUPE_TEST_PG (.ci/postgres.sh
sets it); without one they say they were skipped.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402  (bench/ is not a package)

OUT = Path(os.environ.get("RECOUPE_BENCH_OUT") or ROOT / "out" / "bench")  # cached stores, memory results
PARTS = ("throughput", "memory", "ingest", "store", "api")
BACKENDS = ("sqlite", "postgresql")
INGEST_BATCH = 100


def _run_json(cmd: list[str], what: str, stream: bool = False) -> dict:
    """Run a bench script in a fresh process; its last stdout line is JSON. ``stream``: its
    stderr (progress) goes straight to ours instead of being kept for the error message."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=None if stream else subprocess.PIPE, text=True)
    if proc.returncode != 0:
        detail = "" if stream else ":\n" + proc.stderr[-2000:]
        raise SystemExit(f"bench: {what} failed (exit {proc.returncode}){detail}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(mode: str, corpus: Path, workers: int = 1, *extra: str, stream: bool = False) -> dict:
    """One measurement in a fresh process."""
    cmd = [sys.executable, str(HERE / "measure.py"), mode, str(corpus), "--workers", str(workers), *extra]
    return _run_json(cmd, " ".join(cmd[1:]), stream)


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _cpu_rate(runs: list[dict]) -> float:
    """Articles per CPU second of the measuring process and its workers: what the work costs,
    whatever else the machine is doing."""
    return statistics.median(r["timed_articles"] / (r["cpu_seconds"] + r["workers_cpu_seconds"]) for r in runs)


# ------------------------------------------------------------------ 1. throughput
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


# ------------------------------------------------------------------ 2. memory
def _code_key() -> str:
    """A digest of the code and data a memory measurement depends on."""
    h = hashlib.sha256()
    files = sorted((ROOT / "recoupe").rglob("*.py")) + sorted((ROOT / "recoupe" / "data").rglob("*.yaml"))
    for path in files + [HERE / "corpus.py", HERE / "measure.py"]:
        h.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return h.hexdigest()[:12]


def memory(sizes: list[int], folder: Path, log) -> dict:
    """Peak memory of recoupe in one process at each corpus size; a size measured before with
    the same code (out/bench/memory-SIZE-KEY.json) is not measured again."""
    peaks, rates, reused = {}, {}, []
    key = _code_key()
    OUT.mkdir(parents=True, exist_ok=True)
    for size in sizes:
        kept = OUT / f"memory-{size}-{key}.json"
        if kept.exists():
            result = json.loads(kept.read_text())
            reused.append(size)
            log(f"  recoupe on {size:,} articles: peak {result['peak_rss_mb']} MB (measured before: {kept.name})")
        else:
            corpus = folder / f"memory-{size}.jsonl"
            write_corpus(corpus, size)
            log(f"  recoupe on {size:,} articles (progress every {max(100, size // 50):,})")
            result = measure("recoupe", corpus, 1, "--progress", str(max(100, size // 50)), stream=True)
            corpus.unlink()
            kept.write_text(json.dumps(result))
            log(f"  recoupe on {size:,} articles: peak {result['peak_rss_mb']} MB "
                f"({result['articles_per_s']} articles/s)")
        peaks[size], rates[size] = result["peak_rss_mb"], result["articles_per_s"]
    small, large = min(sizes), max(sizes)
    return {"peak_rss_mb": peaks, "articles_per_s": rates, "growth": round(peaks[large] / peaks[small] - 1, 4),
            "reused": reused, "code_key": key}


# ------------------------------------------------------------------ PostgreSQL scratch schemas
class Scratch:
    """New empty stores: SQLite files in a folder, PostgreSQL schemas dropped at the end."""

    def __init__(self, folder: Path, pg: Optional[str]):
        self.folder, self.pg, self.schemas = folder, pg, []

    def url(self, backend: str) -> str:
        name = f"bench_scratch_{uuid.uuid4().hex[:12]}"
        if backend == "sqlite":
            return str(self.folder / f"{name}.db")
        import psycopg

        from stores import pg_url

        with psycopg.connect(self.pg, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')  # name is ours: hex digits
        self.schemas.append(name)
        return pg_url(self.pg, name)

    def close(self) -> None:
        if not self.schemas:
            return
        import psycopg

        with psycopg.connect(self.pg, autocommit=True) as conn:
            for name in self.schemas:
                conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


# ------------------------------------------------------------------ 3. ingest
def ingest_rate(backend: str, corpus: Path, scratch: Scratch, log) -> dict:
    """`recoupe ingest` into a new store of ``backend``; then the store's writes alone, one
    article per transaction and in batches, each into a new store."""
    out = {"ingest": measure("ingest", corpus, 1, "--db", scratch.url(backend))}
    log(f"  recoupe ingest into {backend}: {out['ingest']['articles_per_s']} articles/s")
    out["store_per_article"] = measure("store", corpus, 1, "--db", scratch.url(backend))
    out["store_batch"] = measure("store", corpus, 1, "--db", scratch.url(backend), "--batch", str(INGEST_BATCH))
    log(f"  store writes alone into {backend}: {out['store_per_article']['articles_per_s']} articles/s one per "
        f"transaction, {out['store_batch']['articles_per_s']} in batches of {INGEST_BATCH}")
    return out


# ------------------------------------------------------------------ 4. store, 5. api
def big_store(backend: str, articles: int, pg: Optional[str], log, key: Optional[str] = None) -> dict:
    """The cached store of ``articles`` generated articles (built on first use: bench/stores.py),
    or the one built before under ``key``."""
    log(f"  store of {articles:,} generated articles on {backend}" + (f" (built before: key {key})" if key else ""))
    cmd = [sys.executable, str(HERE / "stores.py"), "--articles", str(articles), "--backend", backend]
    if pg:
        cmd += ["--pg", pg]
    if key:
        cmd += ["--key", key]
    return _run_json(cmd, f"building the {backend} store", stream=True)


def api_latency(store: dict, url: str, requests: int, log) -> dict:
    """p50 and p95 latency of the REST API (`recoupe serve`) over the store at ``url`` (bench/api.py)."""
    log(f"  recoupe serve over the {store['backend']} store, {requests} requests per route")
    cmd = [sys.executable, str(HERE / "api.py"), "--db", url, "--requests", str(requests)]
    result = _run_json(cmd, f"API latency on {store['backend']}", stream=True)
    result.update(backend=store["backend"], articles=store["stats"]["articles"])
    return result


# ------------------------------------------------------------------ report
def _throughput_lines(result: dict, workers: int) -> list[str]:
    t = result["throughput"]
    rows = [("plain nlp.pipe, all components", t["reference"]), ("recoupe extract, 1 process", t["recoupe"]),
            (f"recoupe extract --workers {workers}", t[f"recoupe_workers_{workers}"])]
    lines = [f"throughput: {result['articles']} generated articles, {result['words']} words; "
             f"medians of {result['repeats']} interleaved runs",
             f"{'':34} {'articles/s':>10} {'words/s':>9} {'art/CPU-s':>9} {'peak MB':>8} {'worker MB':>9}"]
    for name, s in rows:
        lines.append(f"{name:34} {s['articles_per_s']:>10} {s['words_per_s']:>9} {s['articles_per_cpu_s']:>9} "
                     f"{s['peak_rss_mb']:>8} {s['worker_peak_rss_mb'] or '':>9}")
    return lines + [f"recoupe / reference: {t['ratio_recoupe_vs_reference']}x wall, "
                    f"{t['ratio_recoupe_vs_reference_cpu']}x CPU",
                    f"--workers {workers} / 1 process: {t[f'ratio_workers_{workers}_vs_one']}x"]


def _memory_lines(m: dict) -> list[str]:
    sizes = ", ".join(f"{int(n):,} articles {mb} MB" for n, mb in m["peak_rss_mb"].items())
    return [f"peak memory, recoupe extract, 1 process: {sizes}: growth {m['growth'] * 100:+.1f}% (flat: within 10%)"
            + (f"; reused: {', '.join(f'{int(n):,}' for n in m['reused'])}" if m["reused"] else "")]


def _ingest_lines(result: dict) -> list[str]:
    lines = [f"ingest: {result['articles']} generated articles (the throughput corpus), the first 10% untimed",
             f"{'':12} {'recoupe ingest, 1 process':>33}   {'store writes alone, articles/s':>34}",
             f"{'':12} {'articles/s':>11} {'words/s':>9} {'peak MB':>11}   {'1 per transaction':>18} "
             f"{f'batches of {INGEST_BATCH}':>15}"]
    for backend, r in result["ingest"].items():
        if "skipped" in r:
            lines.append(f"{backend:12} skipped ({r['skipped']})")
            continue
        i = r["ingest"]
        lines.append(f"{backend:12} {i['articles_per_s']:>11} {i['words_per_s']:>9} {i['peak_rss_mb']:>11}   "
                     f"{r['store_per_article']['articles_per_s']:>18} {r['store_batch']['articles_per_s']:>15}")
    return lines + ["(store writes alone: the same articles' results, extracted beforehand, written to a new store "
                    "as recoupe ingest writes them, Store.ingest_result, and with Store.ingest_batch)"]


def _store_lines(stores: dict) -> list[str]:
    lines = []
    for backend, s in stores.items():
        if "skipped" in s:
            lines.append(f"store ({backend}): skipped ({s['skipped']})")
            continue
        built = s if not s.get("cached") else (s.get("built") or {})
        st = s["stats"]
        where = s["location"]
        lines.append(f"store ({backend}): {st['articles']:,} generated articles (bench/synth.py), "
                     f"{st['facts']:,} facts, {st['claims']:,} claims, {st['actors']:,} actors, {st['stories']:,} "
                     f"stories, {st['mentions']:,} mentions; {'cached' if s.get('cached') else 'built now'}: {where}")
        if s.get("earlier_key"):
            lines.append(f"  an earlier build (--store-key {s['key']}): generated from an earlier extraction of the "
                         "sample articles or with earlier store code, not from the current ones")
        g = s["generator"]
        lines.append(f"  generated (bench/synth.py, seed {g['seed']}) from the real extraction of the sample articles: "
                     f"{g['per_day']} articles a day from {g['start']}, {g['topics']} topics a day (a sample and an "
                     f"actor swap each), each actor kept with p={g['keep']} or swapped for one of its type in the "
                     f"knowledge base (Zipf weights), each topic line kept with p={g['unit_keep']} plus 0-2 lines of "
                     f"other samples, facts' times moved with the date, {g['reword'] * 100:.0f}% of long words "
                     f"reworded, {g['copy'] * 100:.0f}% republished copies, {g['outlets']} outlets")
        if built.get("bulk"):
            b, p = built["bulk"], built.get("per_article") or {}
            lines.append(f"  built in {built['seconds']:,.0f} s: store writes {b['articles_per_s']} articles/s "
                         f"in batches of {built['batch']} (Store.ingest_batch, {b['articles']:,} articles"
                         + (f", resumed at {built['resumed_at']:,}" if built.get("resumed_at") else "") + "), "
                         f"{p.get('articles_per_s', '?')} articles/s one per transaction (Store.ingest_result, "
                         f"as recoupe ingest; the last {p.get('articles', 0):,})")
    return lines


def _api_lines(api: dict) -> list[str]:
    lines = []
    for backend, a in api.items():
        if "skipped" in a:
            lines.append(f"api latency ({backend}): skipped ({a['skipped']})")
            continue
        lines += [f"api latency ({backend}): recoupe serve on 127.0.0.1 over the store of {a['articles']:,} articles, "
                  f"{a['requests_per_route']} requests per route after {a['warm_per_route']} untimed, one at a time",
                  f"  {'route':26} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'bytes':>7} {'errors':>6}"]
        for name, r in a["routes"].items():
            lines.append(f"  {name:26} {r['p50_ms']:>7} {r['p95_ms']:>7} {r['max_ms']:>7} {r['mean_bytes']:>7} "
                         f"{r['errors']:>6}")
        lines.append(f"  target p95 <= {a['target_p95_ms']:.0f} ms (profile, claims lists): "
                     + ("met" if a["target_met"] else "missed by " + ", ".join(a["target_missed"])))
    return lines


def report(result: dict, workers: int) -> str:
    lines = [f"machine: {result['cpus']} CPUs, load average {result['load_before']} before, {result['load_after']} "
             f"after; {result['seconds']:,.0f} s"]
    for part, render in (("throughput", lambda: _throughput_lines(result, workers)),
                         ("memory", lambda: _memory_lines(result["memory"])),
                         ("ingest", lambda: _ingest_lines(result["ingest"])),
                         ("store", lambda: _store_lines(result["store"])),
                         ("api", lambda: _api_lines(result["api"]))):
        if part in result:
            lines += [""] + render()
    return "\n".join(lines)


# ------------------------------------------------------------------ main
def _parts(text: str) -> list[str]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown or not parts:
        raise argparse.ArgumentTypeError(f"expected some of {','.join(PARTS)}, got {text!r}")
    return parts


def _backends(text: str) -> list[str]:
    found = [b.strip() for b in text.split(",") if b.strip()]
    if not found or set(found) - set(BACKENDS):
        raise argparse.ArgumentTypeError(f"expected sqlite, postgresql or both, got {text!r}")
    return found


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 300,3000, got {text!r}") from None
    if any(s < 40 for s in sizes):
        raise argparse.ArgumentTypeError("memory sizes must be at least 40 articles")
    return sizes


def main(argv: list[str] | None = None) -> None:
    from stores import default_pg

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", type=_parts, default=list(PARTS), help=f"parts to run, of {','.join(PARTS)}")
    parser.add_argument("--articles", type=int, default=300, help="articles in the throughput and ingest corpus")
    parser.add_argument("--repeats", type=int, default=2, help="interleaved runs of each configuration")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-sizes", type=_sizes, default=[300, 3000],
                        help="corpus sizes for the memory check ('' to skip it)")
    parser.add_argument("--backends", type=_backends, default=list(BACKENDS), help="stores for ingest, store, api")
    parser.add_argument("--pg", default=default_pg(),
                        help="PostgreSQL database (else $RECOUPE_BENCH_PG, $RECOUPE_TEST_PG)")
    parser.add_argument("--store-articles", type=int, default=100_000, help="articles in the API benchmark's store")
    parser.add_argument("--requests", type=int, default=500, help="timed requests per API route")
    parser.add_argument("--store-key", help="store and api: measure on the store built before under this key "
                        "(out/bench/store-KEY-BACKEND.json) instead of building the current one (about an hour)")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    args = parser.parse_args(argv)
    if args.articles < 40 or args.store_articles < 400 or args.requests < 1:
        parser.error("--articles must be at least 40, --store-articles at least 400, --requests at least 1")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    def skipped(backend: str) -> Optional[dict]:
        if backend == "postgresql" and not args.pg:
            return {"skipped": "no PostgreSQL server: give --pg URL or set $RECOUPE_BENCH_PG (.ci/postgres.sh "
                               "sets $RECOUPE_TEST_PG)"}
        return None

    started = time.time()
    result: dict = {"cpus": os.cpu_count(), "load_before": [round(x, 2) for x in os.getloadavg()],
                    "repeats": args.repeats, "parts": args.only}
    with tempfile.TemporaryDirectory(prefix="recoupe-bench-") as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        result.update(write_corpus(corpus, args.articles))
        scratch = Scratch(folder, args.pg)
        try:
            if "throughput" in args.only:
                log(f"bench: throughput on {args.articles} articles")
                result["throughput"] = throughput(corpus, args.repeats, args.workers, log)
            if "memory" in args.only and args.memory_sizes:
                log("bench: memory")
                result["memory"] = memory(args.memory_sizes, folder, log)
            if "ingest" in args.only:
                log(f"bench: ingest on {args.articles} articles")
                result["ingest"] = {"articles": args.articles, "ingest": {
                    b: skipped(b) or ingest_rate(b, corpus, scratch, log) for b in args.backends}}
            stores = {}
            if "store" in args.only or "api" in args.only:
                log(f"bench: store of {args.store_articles:,} generated articles")
                stores = {b: skipped(b) or big_store(b, args.store_articles, args.pg, log, args.store_key) for b in args.backends}
                urls = {b: s.pop("url") for b, s in stores.items() if "url" in s}  # printed without password
                result["store"] = stores
            if "api" in args.only:
                log("bench: API latency")
                result["api"] = {b: s if "skipped" in s else api_latency(s, urls[b], args.requests, log)
                                 for b, s in stores.items()}
        finally:
            scratch.close()
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    result["seconds"] = round(time.time() - started, 1)
    print(json.dumps(result, ensure_ascii=False) if args.json else report(result, args.workers))


if __name__ == "__main__":
    main()
