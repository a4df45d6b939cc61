"""--workers and --cluster give exactly the single-process output, in input order; failures stay one line."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from recoupe.ingest import read_articles
from recoupe.model import Article, InputError
from recoupe.parallel import chunks, ordered

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
RECOUPE = [sys.executable, "-m", "recoupe.cli"]


@pytest.fixture(scope="module")
def single_process_lines(extractor) -> list[str]:
    """The sample corpus extracted in this process: what every parallel run must print."""
    articles = [a for a in read_articles([str(EXAMPLES)]) if isinstance(a, Article)]
    return [json.dumps(r.to_json(), ensure_ascii=False) for r in extractor.extract_all(articles)]


def run(args, timeout=900):
    return subprocess.run(RECOUPE + args, capture_output=True, text=True, timeout=timeout)


def test_workers_output_equals_single_process_and_reports_bad_input(single_process_lines, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLES, corpus)
    (corpus / "zz-broken.json").write_text('{"id": "x", "text": ', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = run(["extract", str(corpus), "-o", str(out), "--workers", "2", "--progress-every", "0"])
    assert proc.returncode == 1
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 1 and "zz-broken.json" in errors[0], proc.stderr
    assert out.read_text(encoding="utf-8").splitlines() == single_process_lines


def test_cluster_output_equals_single_process(single_process_lines, tmp_path):
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "out.jsonl"
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        assert len(cluster.workers) == 2
        proc = run(["extract", str(EXAMPLES), "-o", str(out), "--cluster", cluster.scheduler_address,
                    "--progress-every", "0"])
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").splitlines() == single_process_lines


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:9", "127.0.0.1", "nonsense://x"])
def test_cluster_address_without_scheduler_is_one_line_and_exit_2(address):
    pytest.importorskip("distributed")
    proc = run(["extract", str(EXAMPLES / "s01.json"), "--cluster", address, "--progress-every", "0"], timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert address in proc.stderr and "E500" in proc.stderr
    assert proc.stdout == ""


def _articles(n: int) -> list[Article]:
    return [Article(id=f"a{i}", text=f"texte {i}", origin=f"f{i}.json") for i in range(n)]


def test_ordered_keeps_input_order_with_bounded_work_in_flight():
    """Later chunks finish first; outcomes still come in input order, never more than 3 chunks out."""
    running = 0
    most = 0
    lock = threading.Lock()

    def work(chunk):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05 if chunk[0].id == "a0" else 0.001)
        with lock:
            running -= 1
        return [a.id for a in chunk]

    with ThreadPoolExecutor(max_workers=8) as pool:
        out = list(ordered(chunks(_articles(20), 3), lambda c: pool.submit(work, c), in_flight=3))
    assert out == [f"a{i}" for i in range(20)]
    assert most <= 3


def test_a_failed_chunk_gives_one_error_per_article_and_the_rest_goes_on():
    def submit(chunk):
        future: Future = Future()
        if chunk[0].id == "a2":
            future.set_exception(RuntimeError("worker lost"))
        else:
            future.set_result([a.id for a in chunk])
        return future

    out = list(ordered(chunks(_articles(6), 2), submit, in_flight=2))
    assert out[:2] == ["a0", "a1"] and out[4:] == ["a4", "a5"]
    assert all(isinstance(e, InputError) for e in out[2:4])
    assert [e.origin for e in out[2:4]] == ["f2.json", "f3.json"]
    assert "worker lost" in str(out[2]) and "\n" not in str(out[2])


def test_extractor_failure_on_one_article_is_reported_and_the_batch_goes_on(extractor, monkeypatch):
    articles = [Article(id=i, text=t, origin=f"{i}.json") for i, t in (
        ("a", "Le Mali a signé un accord avec la Russie."),
        ("b", "La France a retiré ses troupes du Niger."),
        ("c", "Le Tchad a reçu des drones de la Turquie."))]
    real = extractor.facts.extract

    def flaky(linked, article):
        if article.id == "b":
            raise ValueError("règle cassée")
        return real(linked, article)

    monkeypatch.setattr(extractor.facts, "extract", flaky)
    out = list(extractor.results(articles))
    assert [type(o).__name__ for o in out] == ["ArticleResult", "InputError", "ArticleResult"]
    assert out[1].origin == "b.json" and "règle cassée" in out[1].reason
    assert [o.article.id for o in (out[0], out[2])] == ["a", "c"]


def _store_content(db: Path) -> tuple:
    """Rows of a store that must not depend on how extraction was spread."""
    from recoupe.store import open_store

    store = open_store(str(db))
    try:
        claims = store.claims(limit=500)
        return store.stats(), sorted(json.dumps(c, sort_keys=True) for c in claims)
    finally:
        store.close()


def test_ingest_with_workers_and_on_a_cluster_stores_what_one_process_stores(tmp_path):
    distributed = pytest.importorskip("distributed")
    alone, spread, remote = tmp_path / "one.db", tmp_path / "workers.db", tmp_path / "cluster.db"
    assert run(["ingest", str(EXAMPLES), "--db", str(alone), "--progress-every", "0"]).returncode == 0
    proc = run(["ingest", str(EXAMPLES), "--db", str(spread), "--workers", "2", "--progress-every", "0"])
    assert proc.returncode == 0, proc.stderr
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        proc = run(["ingest", str(EXAMPLES), "--db", str(remote), "--cluster", cluster.scheduler_address,
                    "--progress-every", "0"])
    assert proc.returncode == 0, proc.stderr
    assert _store_content(spread) == _store_content(alone) == _store_content(remote)
