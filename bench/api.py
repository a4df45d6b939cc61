"""API latency on a store: the real server over real HTTP, p50 and p95 per route.

    python bench/api.py --db URL [--requests 500] [--warm 20] [--seed 5]

1. starts `recoupe serve --db URL --port P` in its own process (uvicorn, 127.0.0.1, a free
   port) and waits until it answers;
2. draws the requests from the store itself, with a fixed seed: actors half among the 50 most
   claimed (the largest profiles and claim lists) and half among all actors with claims; fact
   types present; date ranges of one month to two years inside the store's dates; pages up to
   the 100th; claims half among the most reported and half among all; words of the articles;
3. sends ``--warm`` untimed requests per route, then ``--requests`` per route, one at a time
   over one keep-alive connection, the routes interleaved in a shuffled order (a shared machine
   slows all of them alike), each timed from sending the request to reading the last byte;
4. prints one JSON object: per route the p50, p95 and largest latency (ms), the mean answer
   size, and any answer that was not 200 (none expected).

Routes: ``profile`` (/api/actors/ID), the filtered claims lists (/api/claims) by actor, by type
and date range, by actor, type and date range, by modality and minimum sources, and pages
further in (offset), ``evidence`` (/api/claims/ID/evidence), ``search`` (/api/search?q=) and
``article`` (/api/articles/ID).  The target of issue 5 is p95 <= 100 ms for the profile and
for every filtered claims list.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional
from urllib.parse import quote, urlencode

TARGET_MS = 100.0
TARGET_ROUTES = ("profile", "claims_actor", "claims_type_dates", "claims_actor_type_dates",
                 "claims_modality_sources", "claims_page")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int, log) -> tuple[subprocess.Popen, Path]:
    """`recoupe serve` on 127.0.0.1:port over the store at ``url``, once it answers."""
    script = Path(sys.executable).with_name("recoupe")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from recoupe.cli import main; main()"]
    errors = Path(tempfile.mkstemp(prefix="recoupe-serve-", suffix=".log")[1])
    with open(errors, "w") as err:
        proc = subprocess.Popen([*command, "serve", "--db", url, "--host", "127.0.0.1", "--port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"bench: recoupe serve exited ({proc.returncode}): {errors.read_text()[-500:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/api/actors?limit=1")
            if conn.getresponse().status == 200:
                conn.close()
                log(f"  recoupe serve answering on 127.0.0.1:{port}")
                return proc, errors
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("bench: recoupe serve did not answer within 180 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# ------------------------------------------------------------------ requests
def _day(date: str) -> dt.date:
    """The first day of a "YYYY[-MM[-DD]]" date."""
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return dt.date(*parts[:3])


def _month_range(rng: random.Random, first: dt.date, last: dt.date) -> tuple[str, str]:
    """A range of one month to two years inside [first, last], as YYYY-MM-DD."""
    span = rng.randint(30, 730)
    start = first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days - span)))
    return start.isoformat(), min(last, start + dt.timedelta(days=span)).isoformat()


def draw_requests(url: str, per_route: int, seed: int) -> dict[str, list[str]]:
    """``per_route`` request paths for each route, drawn from the store's own rows."""
    from recoupe.store import open_store
    from recoupe.store.queries import MODALITIES
    from recoupe.store.rows import search_words

    rng = random.Random(seed)
    with open_store(url) as store:
        db = store.db
        top = [r["id"] for r in db.rows("SELECT id FROM actors WHERE n_claims > 0 ORDER BY n_claims DESC, id LIMIT 50")]
        actors = [r["id"] for r in db.rows("SELECT id FROM actors WHERE n_claims > 0 ORDER BY id")]
        types = [r["type"] for r in db.rows("SELECT DISTINCT type FROM claims ORDER BY type")]
        first, last = (_day(db.scalar(f"SELECT {f}(date) FROM articles WHERE date IS NOT NULL"))
                       for f in ("min", "max"))
        reported = [r["id"] for r in db.rows("SELECT id FROM claims ORDER BY n_articles DESC, id LIMIT 500")]
        claims = [r["id"] for r in db.rows("SELECT id FROM claims ORDER BY id")]
        article_ids = [r["id"] for r in db.rows("SELECT id FROM articles ORDER BY seq")]
        texts = [r["text"] for r in db.rows("SELECT text FROM articles ORDER BY seq LIMIT 200")]
    if not (actors and claims and article_ids):
        raise SystemExit(f"bench: {url}: the store has no claims to query")
    words = sorted({w for t in texts for w in search_words(t) if len(w) >= 5})

    def actor() -> str:
        return rng.choice(top) if rng.random() < 0.5 else rng.choice(actors)

    def claims_path(**params) -> str:
        return "/api/claims?" + urlencode({k: v for k, v in params.items() if v is not None})

    def dates() -> dict:
        since, until = _month_range(rng, first, last)
        return {"since": since, "until": until}

    routes = {
        "profile": lambda: f"/api/actors/{quote(actor(), safe='')}",
        "claims_actor": lambda: claims_path(actor=actor()),
        "claims_type_dates": lambda: claims_path(type=rng.choice(types), **dates()),
        "claims_actor_type_dates": lambda: claims_path(actor=actor(), type=rng.choice(types), **dates()),
        "claims_modality_sources": lambda: claims_path(modality=rng.choice(MODALITIES), min_sources=rng.randint(1, 4)),
        "claims_page": lambda: claims_path(**rng.choice([{"type": rng.choice(types)}, {"actor": rng.choice(top)}, {}]),
                                           offset=50 * rng.randint(1, 100)),
        "evidence": lambda: "/api/claims/" + quote(rng.choice(reported if rng.random() < 0.5 else claims), safe="")
        + "/evidence",
        "search": lambda: "/api/search?" + urlencode({"q": " ".join(rng.sample(words, rng.randint(1, 2)))}),
        "article": lambda: f"/api/articles/{quote(rng.choice(article_ids), safe='')}",
    }
    return {name: [make() for _ in range(per_route)] for name, make in routes.items()}


def _nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def time_requests(port: int, requests: dict[str, list[str]], warm: int, seed: int, log) -> dict:
    """Per route: p50, p95 and largest latency in ms, mean bytes, non-200 answers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(path: str) -> tuple[float, int, int]:
        clock = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        return (time.perf_counter() - clock) * 1000, response.status, len(body)

    for name, paths in requests.items():
        for path in paths[:warm]:
            get(path)
    order = [(name, path) for name, paths in requests.items() for path in paths]
    random.Random(seed).shuffle(order)
    times: dict[str, list[float]] = {name: [] for name in requests}
    sizes: dict[str, int] = {name: 0 for name in requests}
    failures: dict[str, list] = {name: [] for name in requests}
    started = time.time()
    for done, (name, path) in enumerate(order, 1):
        ms, status, size = get(path)
        times[name].append(ms)
        sizes[name] += size
        if status != 200:
            failures[name].append([status, path])
        if time.time() - started > 30:
            log(f"  {done:,}/{len(order):,} requests")
            started = time.time()
    conn.close()
    out = {}
    for name, values in times.items():
        out[name] = {"requests": len(values), "p50_ms": round(_nearest_rank(values, 0.5), 1),
                     "p95_ms": round(_nearest_rank(values, 0.95), 1), "max_ms": round(max(values), 1),
                     "mean_bytes": sizes[name] // len(values), "errors": len(failures[name])}
        if failures[name]:
            out[name]["first_error"] = failures[name][0]
    return out


def latency(url: str, per_route: int, warm: int, seed: int, log) -> dict:
    """Start the server over ``url``, time the routes, stop it."""
    requests = draw_requests(url, per_route, seed)
    port = free_port()
    proc, errors = start_server(url, port, log)
    try:
        routes = time_requests(port, requests, warm, seed, log)
    finally:
        stop_server(proc)
        errors.unlink(missing_ok=True)
    met = {name: routes[name]["p95_ms"] <= TARGET_MS for name in TARGET_ROUTES if name in routes}
    return {"requests_per_route": per_route, "warm_per_route": warm, "routes": routes,
            "target_p95_ms": TARGET_MS, "target_met": all(met.values()),
            "target_missed": sorted(name for name, ok in met.items() if not ok)}


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="store URL (a path, sqlite:///..., postgresql://...)")
    parser.add_argument("--requests", type=int, default=500, help="timed requests per route")
    parser.add_argument("--warm", type=int, default=20, help="untimed requests per route first")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    print(json.dumps(latency(args.db, args.requests, args.warm, args.seed, log)))


if __name__ == "__main__":
    main()
