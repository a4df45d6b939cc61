"""The benchmark's own code: the generated store's results are well-formed and reproducible, and
bench/run.py's ingest, store and API parts run end to end on a small store, reusing what it
cached (timings are printed, never asserted)."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402  (bench/ is not a package)


@pytest.fixture(scope="module")
def kb():
    from recoupe.actors.kb import KnowledgeBase

    return KnowledgeBase.load()


@pytest.fixture(scope="module")
def generated(sample_results, kb):
    return list(synth.Generator(sample_results, kb).results(600))


def _json(result) -> str:
    return json.dumps([result.to_json(), [(m.start, m.end, m.text, m.actor_id) for m in result.mentions]],
                      sort_keys=True, ensure_ascii=False)


def test_generated_results_are_reproducible(sample_results, kb, generated):
    again = synth.Generator(sample_results, kb)
    assert [_json(r) for r in again.results(600, 550)] == [_json(r) for r in generated[550:]]
    other = synth.Generator(sample_results, kb, seed=synth.SEED + 1)
    assert _json(other.result(3)) != _json(generated[3])


def test_generated_offsets_point_at_their_text(generated):
    """Renamed actors and reworded words move every span after them: each evidence and mention
    is exactly the text at its offsets."""
    for r in generated:
        text = r.article.text
        for f in r.facts:
            assert text[f.evidence_start:f.evidence_end] == f.evidence
        for m in r.mentions:
            assert text[m.start:m.end] == m.text and m.text
        assert {a.id for a in r.actors} >= {m.actor_id for m in r.mentions}


def test_generated_actors_keep_their_type(generated, kb, sample_results):
    """Swapped actors are of the type of the actor they replace, so facts stay well-typed: the
    facts of each sample line keep their types, and each end's type is one the sample had there."""
    sample_types = {(f.type, kb.get(f.source).type if kb.get(f.source) else None)
                    for r in sample_results for f in r.facts}
    for r in generated:
        for f in r.facts:
            entry = kb.get(f.source)
            assert (f.type, entry.type if entry else None) in sample_types
    swapped = {a.id for r in generated for a in r.actors} - {a.id for r in sample_results for a in r.actors}
    assert len(swapped) > 100  # many actors of the base, not only the samples' own


def test_generated_dates_move_with_their_facts(kb):
    """An article's date is its day; each fact's time moves by as many days as the article's date
    moved from its sample's date, at the same precision."""
    from recoupe.model import Actor, Article, ArticleResult, Fact, Mention

    line = ("Le Mali a accusé la France de soutenir les groupes armés dans le nord du pays, "
            "selon un communiqué lu à la télévision.")
    samples = []
    for k in range(synth.TOPICS):
        when = [{"start": "2012", "end": "2013-01"}, "2013-01-10", None][k]
        fact = Fact(type="accuse", source="mali", target="france", modality="asserted", evidence=line,
                    evidence_start=0, evidence_end=len(line), trigger="accusé", when=when)
        mentions = [Mention(line.index(n), line.index(n) + len(n), n, n.lower()) for n in ("Mali", "France")]
        samples.append(ArticleResult(Article(id=f"x{k}", text=line, date="2013-01-13", lang="fr", title="Mali"),
                                     [Actor("mali", "state", ["Mali"]), Actor("france", "state", ["France"])],
                                     [fact], mentions))
    generator = synth.Generator(samples, kb)
    seen = set()
    for i in range(0, 40 * synth.ARTICLES_PER_DAY, 7):
        r = generator.result(i)
        day = synth.START + dt.timedelta(days=i // synth.ARTICLES_PER_DAY)
        assert r.article.date == day.isoformat()
        moved = (day - dt.date(2013, 1, 13)).days
        for f in r.facts:
            assert f.when in (None, synth.shift_date("2013-01-10", moved),
                              {"start": synth.shift_date("2012", moved), "end": synth.shift_date("2013-01", moved)})
            seen.add(type(f.when).__name__)
    assert seen == {"NoneType", "str", "dict"}
    assert synth.shift_date("2013-01-13", 31) == "2013-02-13" and synth.shift_date("2021-09", 40) == "2021-10"


def test_generated_copies_are_republications(generated):
    texts = {}
    copies = 0
    for r in generated:
        if r.article.text.endswith("\n\n(AFP)"):
            copies += 1
            assert r.article.text[:-len("\n\n(AFP)")] in texts  # an earlier article's text
        texts.setdefault(r.article.text, r.article.id)
    assert 0.05 * len(generated) < copies < 0.2 * len(generated)


@pytest.mark.slow
def test_bench_parts_run_end_to_end(tmp_path):
    """`bench/run.py --only ingest,store,api` on a small corpus and store (SQLite): it prints each
    part, and a second run reuses the cached store instead of building it again."""
    env = {**os.environ, "RECOUPE_BENCH_OUT": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, str(ROOT / "bench" / "run.py"), "--backends", "sqlite", "--articles", "40",
           "--store-articles", "400", "--requests", "5", "--json"]
    first = subprocess.run(cmd + ["--only", "ingest,store,api"], capture_output=True, text=True, env=env, timeout=900)
    assert first.returncode == 0, first.stderr[-2000:]
    result = json.loads(first.stdout)
    ingest = result["ingest"]["ingest"]["sqlite"]
    assert ingest["ingest"]["timed_articles"] == ingest["store_batch"]["timed_articles"] == 8
    store = result["store"]["sqlite"]
    assert store["cached"] is False and store["stats"]["articles"] == 400 and store["stats"]["claims"] > 0
    routes = result["api"]["sqlite"]["routes"]
    assert {"profile", "claims_actor", "claims_type_dates", "evidence", "search"} <= set(routes)
    assert all(r["errors"] == 0 and r["requests"] == 5 and r["p50_ms"] <= r["p95_ms"] for r in routes.values())
    second = subprocess.run(cmd + ["--only", "store"], capture_output=True, text=True, env=env, timeout=900)
    assert second.returncode == 0, second.stderr[-2000:]
    again = json.loads(second.stdout)["store"]["sqlite"]
    assert again["cached"] is True and again["location"] == store["location"]
    assert again["built"]["bulk"]["articles"] == 100
    assert "url" not in again  # printed without a password (PostgreSQL)
    text = subprocess.run([c for c in cmd if c != "--json"] + ["--only", "store"], capture_output=True, text=True,
                          env=env, timeout=900)
    assert "400 generated articles" in text.stdout and "cached" in text.stdout
    # an earlier build is reused by its key, and said to be one; an unknown key is a one-line error
    key = store["key"]
    earlier = subprocess.run(cmd + ["--only", "store", "--store-key", key], capture_output=True, text=True,
                             env=env, timeout=900)
    assert earlier.returncode == 0, earlier.stderr[-2000:]
    reused = json.loads(earlier.stdout)["store"]["sqlite"]
    assert reused["earlier_key"] is True and reused["location"] == store["location"] and "url" not in reused
    missing = subprocess.run(cmd + ["--only", "store", "--store-key", "000000000000"], capture_output=True,
                             text=True, env=env, timeout=900)
    assert missing.returncode != 0 and "no sqlite store was built under key '000000000000'" in missing.stderr
    assert "Traceback" not in missing.stderr
