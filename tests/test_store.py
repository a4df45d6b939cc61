"""The store on SQLite and PostgreSQL: schema, idempotent ingest, replacement, one transaction
per article, copies, crash safety, and the dev corpus' republished pairs."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from recoupe.model import Actor, Article, ArticleResult, Fact, Mention
from recoupe.store import StoreError, open_store
from recoupe.store import writer

ROOT = Path(__file__).resolve().parent.parent

# Short texts written for these tests, in the style of the press.
KIDAL = ("Kidal (Mali), 15 novembre 2023 - L'armée malienne a pris le contrôle de Kidal mardi, "
         "après plusieurs jours de combats contre les rebelles du CSP-DPA. Les soldats maliens, appuyés "
         "par des hommes du groupe Wagner, sont entrés dans la ville vers midi, selon des sources locales. "
         "Le gouvernement de transition a salué une victoire décisive pour la souveraineté du pays. "
         "Les rebelles affirment s'être retirés pour épargner la population civile de la ville.")
# the same dispatch republished by another outlet: another dateline and credit line
KIDAL_COPY = ("Bamako, 15 novembre 2023 (AFP) - L'armée malienne a pris le contrôle de Kidal mardi, "
              "après plusieurs jours de combats contre les rebelles du CSP-DPA. Les soldats maliens, appuyés "
              "par des hommes du groupe Wagner, sont entrés dans la ville vers midi, selon des sources locales. "
              "Le gouvernement de transition a salué une victoire décisive pour la souveraineté du pays. "
              "Les rebelles affirment s'être retirés pour épargner la population civile de la ville.\n"
              "© Agence France-Presse")
KIDAL_OTHER = ("Les Forces armées maliennes ont annoncé la reprise de Kidal, bastion historique des "
               "mouvements touareg, au terme d'une offensive lancée début octobre dans le nord du pays. "
               "Pour les habitants joints par téléphone, la ville reste largement désertée.")
NIGER = ("Niamey a exigé le départ des troupes françaises stationnées au Niger. Environ 1.500 militaires "
         "français devront quitter le pays d'ici à la fin de l'année, a indiqué l'état-major.")


def fact(text: str, sentence: str, type_: str, source: str, target: str | None, modality: str = "asserted",
         **extra) -> Fact:
    start = text.index(sentence)
    return Fact(type=type_, source=source, target=target, modality=modality, evidence=sentence,
                evidence_start=start, evidence_end=start + len(sentence), **extra)


def result(article_id: str, text: str, facts: list[Fact], url: str | None = None, date: str = "2023-11-15",
           title: str | None = None) -> ArticleResult:
    article = Article(id=article_id, text=text, date=date, lang="fr", url=url, title=title or f"Titre {article_id}")
    ids = sorted({f.source for f in facts} | {f.target for f in facts if f.target})
    actors = [Actor(id=i, type="state" if i in ("mali", "niger", "france") else "group", names=[i.capitalize()])
              for i in ids]
    mentions = []
    for a in actors:
        at = text.lower().find(a.id.split("-")[0])
        if at >= 0:
            mentions.append(Mention(at, at + len(a.id.split("-")[0]), text[at:at + len(a.id.split("-")[0])], a.id))
    return ArticleResult(article, actors, facts, mentions)


def kidal_results() -> list[ArticleResult]:
    s1 = "L'armée malienne a pris le contrôle de Kidal mardi, après plusieurs jours de combats contre les rebelles du CSP-DPA."
    return [
        result("k1", KIDAL, [fact(KIDAL, s1, "capture", "fama", "mali", when="2023-11-14", place="Kidal"),
                             fact(KIDAL, s1, "fight", "fama", "csp-dpa", when="2023-11")],
               url="https://www.journal-un.example/afrique/kidal"),
        result("k2", KIDAL_COPY, [fact(KIDAL_COPY, s1, "capture", "fama", "mali", when="2023-11-14", place="Kidal"),
                                  fact(KIDAL_COPY, s1, "fight", "csp-dpa", "fama", when="2023-11")],
               url="https://autre-quotidien.example/monde/kidal-armee"),
        result("k3", KIDAL_OTHER, [fact(KIDAL_OTHER, KIDAL_OTHER.split(". ")[0] + ".", "capture", "fama", "mali",
                                        when="2023-11", place="Kidal")],
               url="https://troisieme.example/kidal", date="2023-11-16"),
        result("n1", NIGER, [fact(NIGER, NIGER.split(". ")[0] + ".", "reject", "niger", "france"),
                             fact(NIGER, NIGER.split(". ")[1], "withdraw", "france", "niger", "hypothetical",
                                  quantity={"value": 1500, "unit": "troops"})],
               url="https://troisieme.example/niger", date="2023-08-20"),
    ]


def snapshot(store) -> tuple:
    """Everything that must not change when nothing should: counts, claims, stories."""
    claims = store.claims(limit=500)
    stories = sorted((a["id"], a["story_id"]) for a in store.articles(limit=500))
    return store.stats(), json.dumps(claims, sort_keys=True), stories


def consistent(store) -> None:
    """No orphan rows: every claim has reports, every report a fact, every fact a claim."""
    db = store.db
    assert db.scalar("SELECT count(*) FROM claims c WHERE NOT EXISTS "
                     "(SELECT 1 FROM claim_reports r WHERE r.claim_id = c.id)") == 0
    assert db.scalar("SELECT count(*) FROM facts WHERE claim_id IS NULL") == 0
    assert db.scalar("SELECT count(*) FROM facts f WHERE NOT EXISTS "
                     "(SELECT 1 FROM articles a WHERE a.id = f.article_id)") == 0
    assert db.scalar("SELECT count(*) FROM claim_reports") == db.scalar("SELECT count(*) FROM facts")
    for table in ("mentions", "band_keys"):
        assert db.scalar(f"SELECT count(*) FROM {table} t WHERE NOT EXISTS "
                         f"(SELECT 1 FROM articles a WHERE a.id = t.article_id)") == 0


# ------------------------------------------------------------------ schema
def test_new_store_is_migrated(stores):
    from recoupe.store import schema

    with stores.open() as store:
        assert store.stats()["schema_version"] == schema.latest_version(stores.backend) >= 2
        assert store.stats()["articles"] == 0


def test_newer_schema_is_refused(stores):
    url = stores.url()
    with open_store(url) as store:
        store.db.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (99, "later"))
    with pytest.raises(StoreError, match="schema version 99 is newer"):
        open_store(url)


def test_a_new_migration_upgrades_an_existing_store(stores, tmp_path, monkeypatch):
    from recoupe.store import schema

    url = stores.url()
    with open_store(url) as store:
        store.ingest_result(kidal_results()[0])
    latest = schema.latest_version(stores.backend)
    folder = tmp_path / "migrations" / stores.backend
    folder.mkdir(parents=True)
    for _, shipped in schema.migrations(stores.backend):
        (folder / shipped.name).write_text(shipped.read_text())
    (folder / f"{latest + 1:04d}_article_notes.sql").write_text("ALTER TABLE articles ADD COLUMN notes TEXT;\n")
    monkeypatch.setattr(schema, "MIGRATIONS", tmp_path / "migrations")
    with open_store(url) as store:
        assert store.stats()["schema_version"] == latest + 1
        assert store.db.scalar("SELECT count(*) FROM articles WHERE notes IS NULL") == 1
        assert store.article("k1")["text"] == KIDAL
    (folder / f"{latest + 3:04d}_gap.sql").write_text("SELECT 1;\n")
    with pytest.raises(StoreError, match=f"migration {latest + 3} where {latest + 2} was expected"):
        open_store(url)


def test_reopening_keeps_data(stores):
    url = stores.url()
    with open_store(url) as store:
        assert [store.ingest_result(r) for r in kidal_results()] == ["added"] * 4
        before = snapshot(store)
    with open_store(url) as store:
        assert snapshot(store) == before


def test_bad_urls_are_one_line_errors(tmp_path):
    with pytest.raises(StoreError, match="unknown database kind"):
        open_store("mysql://localhost/x")
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "missing" / "x.db"))
    with pytest.raises(StoreError, match="cannot connect"):
        open_store("postgresql://nobody@127.0.0.1:1/none")
    bad = tmp_path / "not-a-db.db"
    bad.write_text("these are not the bytes of a database " * 100)
    with pytest.raises(StoreError):
        open_store(str(bad))


# ------------------------------------------------------------------ ingest
def test_ingest_stores_every_part(stores):
    with stores.open() as store:
        results = kidal_results()
        for r in results:
            store.ingest_result(r)
        stats = store.stats()
        assert stats["articles"] == 4
        assert stats["facts"] == sum(len(r.facts) for r in results)
        assert stats["mentions"] == sum(len(r.mentions) for r in results)
        consistent(store)
        art = store.article("k1")
        assert art["text"] == KIDAL and art["outlet"] == "journal-un.example"
        for f in art["facts"]:
            assert KIDAL[f["evidence_span"][0]:f["evidence_span"][1]] == f["evidence"]
            assert f["fact_id"].startswith("k1#") and f["claim_id"].startswith("c-")
        for m in art["mentions"]:
            assert KIDAL[m["start"]:m["end"]].lower() in m["actor_id"]
        capture = next(f for f in art["facts"] if f["type"] == "capture")
        assert capture["place_geo"]["country"] == "mali" and capture["place_geo"]["lat"] == pytest.approx(18.44, abs=0.05)


def test_ingest_twice_changes_nothing(stores):
    with stores.open() as store:
        for r in kidal_results():
            store.ingest_result(r)
        before = snapshot(store)
        assert [store.ingest_result(r) for r in kidal_results()] == ["skipped"] * 4
        assert snapshot(store) == before
        assert all(store.is_stored(r.article) for r in kidal_results())


def test_sample_corpus_twice_leaves_the_store_unchanged(stores, sample_results):
    with stores.open() as store:
        assert {store.ingest_result(r) for r in sample_results} == {"added"}
        before = snapshot(store)
        assert before[0]["articles"] == 18 and before[0]["claims"] > 0
        assert {store.ingest_result(r) for r in sample_results} == {"skipped"}
        assert snapshot(store) == before
        consistent(store)


def test_changed_text_replaces_old_facts(stores):
    with stores.open() as store:
        for r in kidal_results():
            store.ingest_result(r)
        old_claims = {c["id"] for c in store.claims(actor="csp-dpa")}
        assert old_claims  # k1 and k2 report the fight
        text = NIGER.replace("Environ 1.500", "Près de 1.500")
        sentence = text.split(". ")[0] + "."
        changed = result("n1", text, [fact(text, sentence, "criticize", "niger", "france", "reported", speaker="niger")],
                         url="https://troisieme.example/niger", date="2023-08-20")
        assert store.ingest_result(changed) == "replaced"
        art = store.article("n1")
        assert art["text"] == text
        assert [f["type"] for f in art["facts"]] == ["criticize"]
        assert store.claims(type="withdraw") == [] and store.claims(type="reject") == []
        assert [c["type"] for c in store.claims(actor="niger")] == ["criticize"]
        assert store.search("Près") and store.search("Près")[0]["article_id"] == "n1"
        assert store.search("Environ militaires") == []
        consistent(store)
        # the other articles' claims are untouched
        assert {c["id"] for c in store.claims(actor="csp-dpa")} == old_claims
        assert store.actor("france")["claims"] == 1


def test_same_facts_in_a_reworded_article_keep_their_claims(stores):
    """A replacement whose facts give the same claims still links the new fact rows to them."""
    with stores.open() as store:
        for r in kidal_results():
            store.ingest_result(r)
        before = store.claims(limit=500)
        text = KIDAL_OTHER.replace("largement désertée", "en grande partie vide")
        sentence = text.split(". ")[0] + "."
        reworded = result("k3", text, [fact(text, sentence, "capture", "fama", "mali", when="2023-11", place="Kidal")],
                          url="https://troisieme.example/kidal", date="2023-11-16")
        assert store.ingest_result(reworded) == "replaced"
        assert store.claims(limit=500) == before
        consistent(store)
        assert store.article("k3")["facts"][0]["claim_id"] == store.claims(type="capture")[0]["id"]


def test_one_article_per_transaction(stores, monkeypatch):
    """A failure while storing an article leaves no trace of it and the others intact."""
    with stores.open() as store:
        results = kidal_results()
        store.ingest_result(results[0])
        store.ingest_result(results[3])
        before = snapshot(store)
        real = writer.rebuild_claims

        def broken(db, keys):
            real(db, keys)  # the article's rows and claims are written, then the failure comes
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(writer, "rebuild_claims", broken)
        with pytest.raises(RuntimeError):
            store.ingest_result(results[1])
        monkeypatch.undo()
        assert snapshot(store) == before
        assert store.article("k2") is None
        assert store.db.scalar("SELECT count(*) FROM band_keys WHERE article_id = ?", ("k2",)) == 0
        consistent(store)
        assert store.ingest_result(results[1]) == "added"  # and it can be stored afterwards
        consistent(store)


# ----------------------------------------------------------------- copies
def test_republished_story_is_a_copy_whatever_the_outlet(stores):
    with stores.open() as store:
        for r in kidal_results():
            store.ingest_result(r)
        story = {a["id"]: a["story_id"] for a in store.articles()}
        assert story["k1"] == story["k2"] == "k1"  # the first stored copy names the story
        assert story["k3"] == "k3" and story["n1"] == "n1"
        capture = store.claims(type="capture")
        assert len(capture) == 1
        assert capture[0]["articles"] == ["k1", "k2", "k3"]
        # k1 and k2 are one story (two outlets), k3 shares an outlet with nothing else of it: 2 sources
        assert capture[0]["independent_sources"] == 2
        evidence = store.evidence(capture[0]["id"])
        assert {e["article_id"]: e["copies"] for e in evidence} == {"k1": ["k2"], "k2": ["k1"], "k3": []}
        fight = store.claims(type="fight")
        assert len(fight) == 1 and fight[0]["independent_sources"] == 1  # symmetric: one claim for both orders


def test_replaced_original_hands_its_story_on(stores):
    """When the first article of a story is replaced by another text, its copies keep one story."""
    with stores.open() as store:
        results = kidal_results()
        extra = result("k4", KIDAL_COPY.replace("(AFP)", "(Reuters)"), [], url="https://quatrieme.example/k")
        for r in [*results, extra]:
            store.ingest_result(r)
        assert {a["id"]: a["story_id"] for a in store.articles()}["k4"] == "k1"
        text = "Le Mali et le Niger ont annoncé la création d'une force conjointe au Liptako."
        assert store.ingest_result(result("k1", text, [], url="https://www.journal-un.example/afrique/kidal")) == \
            "replaced"
        story = {a["id"]: a["story_id"] for a in store.articles()}
        assert story["k1"] == "k1" and story["k2"] == story["k4"] == "k2"
        capture = store.claims(type="capture")
        assert capture[0]["articles"] == ["k2", "k3"] and capture[0]["independent_sources"] == 2
        consistent(store)


def test_copy_candidates_come_from_band_keys(stores):
    """Every stored article has its LSH keys; a copy finds its original through them."""
    with stores.open() as store:
        for r in kidal_results():
            store.ingest_result(r)
        db = store.db
        shared = db.scalar("SELECT count(*) FROM band_keys a JOIN band_keys b ON a.key = b.key "
                           "WHERE a.article_id = ? AND b.article_id = ?", ("k1", "k2"))
        assert shared > 0
        assert db.scalar("SELECT count(*) FROM band_keys a JOIN band_keys b ON a.key = b.key "
                         "WHERE a.article_id = ? AND b.article_id = ?", ("k1", "n1")) == 0


def test_dev_corpus_copies(stores, dev_corpus):
    """Every republished pair of the dev corpus shares a story, and no two other articles do."""
    from recoupe.ingest import read_articles
    from recoupe.model import InputError

    pairs = {frozenset(p) for p in json.loads((dev_corpus / "copies.json").read_text(encoding="utf-8"))}
    articles = [a for a in read_articles([str(dev_corpus / "articles")]) if not isinstance(a, InputError)]
    with stores.open() as store:
        for article in articles:  # copies depend on the text only: no extraction needed
            store.ingest_result(ArticleResult(article, [], []))
        stories: dict[str, set[str]] = {}
        for a in store.articles(limit=500):
            stories.setdefault(a["story_id"], set()).add(a["id"])
    merged = {frozenset(ids) for ids in stories.values() if len(ids) > 1}
    assert merged == pairs


# ------------------------------------------------------------ crash safety
_WRITER = """
import sys, time
sys.path.insert(0, {tests!r})
from test_store import kidal_results, result, NIGER, fact
from recoupe.store import open_store
store = open_store(sys.argv[1])
items = kidal_results()
for i in range(40):  # more articles: variants of one communiqué
    text = NIGER.replace("1.500", f"{{1000 + i}}") + " " + "Variante numéro %d du communiqué officiel." % i
    items.append(result(f"v{{i:02d}}", text, [fact(text, text.split(". ")[0] + ".", "reject", "niger", "france")]))
for r in items:
    store.ingest_result(r)
    print(r.article.id, flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_kill_9_loses_nothing_committed(stores, tmp_path):
    url = stores.url()
    script = tmp_path / "writer.py"
    script.write_text(_WRITER.format(tests=str(ROOT / "tests")), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(script), url, "0.05"], stdout=subprocess.PIPE, text=True, env=env)
    done = [proc.stdout.readline().strip() for _ in range(6)]  # six articles committed
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert all(done)
    with open_store(url) as store:
        stored = {a["id"] for a in store.articles(limit=500)}
        assert set(done) <= stored
        consistent(store)
    # a rerun completes the rest without duplicates
    finished = subprocess.run([sys.executable, str(script), url, "0"], capture_output=True, text=True, env=env,
                              timeout=600)
    assert finished.returncode == 0, finished.stderr
    clean = stores.url()
    reference_run = subprocess.run([sys.executable, str(script), clean, "0"], capture_output=True, text=True,
                                   env=env, timeout=600)
    assert reference_run.returncode == 0, reference_run.stderr
    with open_store(url) as store, open_store(clean) as reference:
        assert store.stats() == reference.stats()
        assert store.stats()["articles"] == 44
        assert [c["id"] for c in store.claims(limit=500)] == [c["id"] for c in reference.claims(limit=500)]
        consistent(store)


def test_concurrent_writers_store_each_article_once(stores, tmp_path):
    """Two processes ingesting the same articles at once end as one clean run would."""
    url, clean = stores.url(), stores.url()
    script = tmp_path / "writer.py"
    script.write_text(_WRITER.format(tests=str(ROOT / "tests")), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, str(script), url, "0"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    reference = subprocess.run([sys.executable, str(script), clean, "0"], capture_output=True, text=True,
                               env=env, timeout=600)
    assert reference.returncode == 0, reference.stderr
    with open_store(url) as store, open_store(clean) as single:
        assert store.stats() == single.stats()
        assert snapshot(store)[1:] == snapshot(single)[1:]
        consistent(store)


class _Deadlock(Exception):
    sqlstate = "40P01"  # what psycopg raises when PostgreSQL breaks a deadlock


def test_a_write_rolled_back_by_a_deadlock_is_tried_again(stores, monkeypatch):
    calls = []
    real = writer.ingest_result

    def crossing_once(db, result, gazetteer, kb):
        status = real(db, result, gazetteer, kb)
        calls.append(status)
        if len(calls) == 1:
            raise _Deadlock("deadlock detected")  # after writing: the rollback must undo it
        return status

    with stores.open() as store:
        monkeypatch.setattr(writer, "ingest_result", crossing_once)
        first = kidal_results()[0]
        assert store.ingest_result(first) == "added"
        assert calls == ["added", "added"]  # the first attempt's rows were rolled back
        monkeypatch.setattr(writer, "ingest_result", real)
        clean = snapshot(store)
    with stores.open() as other:
        other.ingest_result(first)
        assert snapshot(other) == clean
        consistent(other)
