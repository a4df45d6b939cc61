"""Storing one extracted article: its row, copies, actors, mentions, facts and the claims they touch.

Everything for one article happens in one transaction (``Store.ingest_result``): a crash
leaves the article either fully stored, with its claims regrouped, or not at all.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterable, Optional

import numpy as np

from recoupe.crosscheck import claims as xclaims
from recoupe.crosscheck import copies as xcopies
from recoupe.model import Actor, Article, ArticleResult

from . import rows
from .db import Database

MAX_CANDIDATES = 200  # band-key candidates checked per article; near-duplicates share many keys
KEYS_PER_QUERY = 200  # claim keys regrouped per read (bound on the IN list and on the rows held)


def stored_hash(db: Database, article_id: str) -> Optional[str]:
    """The content hash of the stored version of an article, or None when it is not stored."""
    return db.scalar("SELECT content_hash FROM articles WHERE id = ?", (article_id,))


def ingest_result(db: Database, result: ArticleResult, gazetteer: Any, kb: Any) -> str:
    """Store one result inside the caller's transaction: "added", "skipped" or "replaced".

    ``gazetteer`` geocodes facts' places; ``kb`` (the knowledge base) gives actors their canonical name.
    """
    status, keys = store_article(db, result, gazetteer, kb, {})
    rebuild_claims(db, keys)
    return status


def ingest_results(db: Database, results: Iterable[ArticleResult], gazetteer: Any, kb: Any) -> list[str]:
    """Store several results inside the caller's transaction, regrouping each claim key they
    touch once at the end rather than after every article: one status per result.

    The rows are the same as those of ``ingest_result`` called on each in turn: articles are
    written one after the other (each sees those before it, for copies and stories), and a
    key's claims depend only on the facts stored under it, not on the order they came in.
    """
    statuses: list[str] = []
    keys: set[str] = set()
    upserted: dict[str, list] = {}
    for result in results:
        status, touched = store_article(db, result, gazetteer, kb, upserted)
        statuses.append(status)
        keys |= touched
    rebuild_claims(db, keys)
    return statuses


def store_article(db: Database, result: ArticleResult, gazetteer: Any, kb: Any,
                  upserted: dict[str, list]) -> tuple[str, set[str]]:
    """Write one result's rows, all but its claims: its status and the claim keys to regroup
    (none when it is skipped). ``ingest_result`` and ``ingest_results`` then regroup them.
    ``upserted``: the last values merged into each actor's row in this transaction (see ``_merge_actor``)."""
    article = result.article
    digest = rows.content_hash(article)
    db.lock([f"article|{article.id}"])  # a second writer of the same article waits, then sees it stored
    old = db.row("SELECT seq, content_hash FROM articles WHERE id = ?", (article.id,))
    if old is not None and old["content_hash"] == digest:
        return "skipped", set()
    new_keys = {_key(f.type, f.source, f.target) for f in result.facts}
    old_keys = set()
    if old is not None:
        old_keys = {r["claim_key"] for r in db.rows("SELECT DISTINCT claim_key FROM facts WHERE article_id = ?",
                                                      (article.id,))}
    db.lock(new_keys | old_keys)
    signature = xcopies.signature(article.text)
    bands = sorted(set(xcopies.band_keys(signature)))
    story = _story_of(db, article.id, signature, bands)
    seq = _write_article(db, article, digest, story, signature, old)
    db.executemany("INSERT INTO band_keys (key, article_id) VALUES (?, ?)", ((k, article.id) for k in bands))
    _write_actors(db, result, kb, upserted)
    db.executemany(
        "INSERT INTO mentions (article_id, start_char, end_char, actor_id) VALUES (?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        ((article.id, m.start, m.end, m.actor_id) for m in result.mentions))
    placeholders = ", ".join("?" * len(rows.FACT_COLUMNS.split(",")))
    db.executemany(
        f"INSERT INTO facts ({rows.FACT_COLUMNS}) VALUES ({placeholders})",
        (rows.fact_row(article, i, f, _key(f.type, f.source, f.target),
                       gazetteer.lookup(f.place) if f.place else None)
         for i, f in enumerate(result.facts)))
    if db.indexes_text:  # PostgreSQL; SQLite's triggers index the row itself
        db.index_text(seq, rows.name_key(f"{article.title or ''}\n{article.text}"))
    moved = _reroot_followers(db, article.id, signature) if old is not None else set()
    db.lock(moved - new_keys - old_keys)
    return ("added" if old is None else "replaced"), new_keys | old_keys | moved


def rebuild_claims(db: Database, keys: Iterable[str]) -> None:
    """Regroup each claim key's stored reports with ``group_claims`` and write what changed.

    A claim whose JSON and facts are as stored is left alone, so that adding one report to a
    much-reported pair of actors rewrites one claim, not all of them. Keys are read and written
    a few hundred at a time, in a handful of statements (each key's facts and claims are its
    own, so the order of the writes between keys does not matter). Each actor of a key whose
    claims changed has its claim count refreshed once, at the end.
    """
    ordered = sorted(set(keys))
    recount: set[str] = set()
    for at in range(0, len(ordered), KEYS_PER_QUERY):
        recount |= _rebuild_some(db, ordered[at:at + KEYS_PER_QUERY])
    for actor_id in sorted(recount):
        db.execute("UPDATE actors SET n_claims = (SELECT count(*) FROM claim_actors "
                   "WHERE actor_id = ?) WHERE id = ?", (actor_id, actor_id))


def _rebuild_some(db: Database, keys: list[str]) -> set[str]:
    """``rebuild_claims`` for a few keys: their facts and claims read in two queries; the
    actors whose claims changed."""
    marks = ", ".join("?" * len(keys))
    found: dict[str, list[dict]] = {key: [] for key in keys}
    for r in db.rows("SELECT f.*, a.outlet, a.story_id, a.date AS published FROM facts f "
                     f"JOIN articles a ON a.id = f.article_id WHERE f.claim_key IN ({marks}) ORDER BY f.fact_id", keys):
        found[r["claim_key"]].append(r)
    stored: dict[str, dict[str, str]] = {key: {} for key in keys}
    for r in db.rows(f"SELECT id, claim_key, data FROM claims WHERE claim_key IN ({marks})", keys):
        stored[r["claim_key"]][r["id"]] = r["data"]
    drop: list[str] = []
    fresh_claims: list[tuple[str, Any, str, dict]] = []
    recount: set[str] = set()
    for key in keys:
        linked = {r["fact_id"]: r["claim_id"] for r in found[key]}
        fresh = {c.id: (c, rows.dumps(c.to_json())) for c in xclaims.group_claims([_report(r) for r in found[key]])}
        keep = {cid for cid, (claim, data) in fresh.items()
                if stored[key].get(cid) == data and all(linked[r.fact_id] == cid for r in claim.reports)}
        if all(cid in keep for cid in stored[key]) and len(keep) == len(fresh):
            continue
        drop += [cid for cid in stored[key] if cid not in keep]
        fresh_claims += [(key, *fresh[cid], linked) for cid in sorted(set(fresh) - keep)]
        recount.update(a for a in key.split("|")[1:] if a)  # every claim of a key has its two actors
    db.executemany("DELETE FROM claims WHERE id = ?", ((cid,) for cid in drop))  # cascades to its links
    _insert_claims(db, fresh_claims)
    return recount


# ------------------------------------------------------------------ article
def _key(type_: str, source: str, target: Optional[str]) -> str:
    return rows.claim_key_text(xclaims.claim_key(type_, source, target))


def _story_of(db: Database, article_id: str, signature: tuple[int, ...], bands: list[str]) -> str:
    """The story this article copies: that of the oldest confirmed copy among the LSH candidates.

    Candidates are ranked by how many band keys they share (a true copy shares many, another
    story of the same topic one at most), so that the cap never pushes a copy out in a large store.
    """
    if not bands:
        return article_id
    marks = ", ".join("?" * len(bands))
    candidates = db.rows(
        f"SELECT a.id, a.seq, a.story_id, a.signature FROM articles a JOIN "
        f"(SELECT article_id, count(*) AS shared FROM band_keys WHERE key IN ({marks}) AND article_id <> ? "
        f"GROUP BY article_id ORDER BY count(*) DESC, article_id LIMIT {MAX_CANDIDATES}) k "
        f"ON k.article_id = a.id ORDER BY a.seq",
        (*bands, article_id))
    copy = _first_copy(signature, candidates)  # stored order: the first confirmed copy is the oldest
    return copy["story_id"] if copy is not None else article_id


def _first_copy(signature: tuple[int, ...], candidates: list[dict]) -> Optional[dict]:
    """The first candidate that ``xcopies.is_copy`` confirms, or None: the same test on all the
    candidates' packed signatures at once (a large store gives the cap's 200 candidates)."""
    if not candidates:
        return None
    packed = [bytes(c["signature"]) for c in candidates]
    if any(len(p) != 4 * len(signature) for p in packed):  # not of this signature's size: is_copy says why
        return next((c for c, p in zip(candidates, packed) if xcopies.is_copy(signature, xcopies.unpack(p))), None)
    stored = np.frombuffer(b"".join(packed), dtype="<u4").reshape(len(packed), len(signature))
    equal = (stored == np.array(signature, dtype=np.uint32)).sum(axis=1)
    empty = (stored == xcopies.EMPTY).all(axis=1)  # similarity 0: a copy of nothing
    confirmed = np.flatnonzero((equal / len(signature) >= xcopies.COPY_THRESHOLD) & ~empty)
    return candidates[int(confirmed[0])] if len(confirmed) else None


def _reroot_followers(db: Database, article_id: str, signature: tuple[int, ...]) -> set[str]:
    """A replaced article that no longer copies its story's other members hands the story on.

    Its followers then form the story of the first of them; returns the claim keys of their
    facts, whose independent sources must be counted again.
    """
    followers = db.rows("SELECT id, signature FROM articles WHERE story_id = ? AND id <> ? ORDER BY seq",
                        (article_id, article_id))
    if not followers or xcopies.is_copy(signature, xcopies.unpack(bytes(followers[0]["signature"]))):
        return set()
    db.execute("UPDATE articles SET story_id = ? WHERE story_id = ? AND id <> ?",
               (followers[0]["id"], article_id, article_id))
    marks = ", ".join("?" * len(followers))
    return {r["claim_key"] for r in db.rows(f"SELECT DISTINCT claim_key FROM facts WHERE article_id IN ({marks})",
                                            [f["id"] for f in followers])}


def _write_article(db: Database, article: Article, digest: str, story: str, signature: tuple[int, ...],
                   old: Optional[dict]) -> int:
    """Insert the article row, or update it in place (keeping its stored order) and drop its old parts."""
    values = (article.url, xcopies.outlet_of(article.url), article.date, article.lang, article.title,
              article.text, digest, story, xcopies.pack(signature),
              datetime.now(timezone.utc).isoformat(timespec="seconds"))
    if old is None:
        extra = ", fts" if db.dialect == "postgresql" else ""
        value = ", ''" if db.dialect == "postgresql" else ""
        return int(db.scalar(
            f"INSERT INTO articles (id, url, outlet, date, lang, title, text, content_hash, story_id, signature, "
            f"ingested_at{extra}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?{value}) RETURNING seq",
            (article.id, *values)))
    for table in ("facts", "mentions", "band_keys"):  # cascades to claim_reports
        db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article.id,))
    db.execute(
        "UPDATE articles SET url = ?, outlet = ?, date = ?, lang = ?, title = ?, text = ?, content_hash = ?, "
        "story_id = ?, signature = ?, ingested_at = ? WHERE id = ?", (*values, article.id))
    return int(old["seq"])


# ------------------------------------------------------------------- actors
_MERGE_ACTOR = (
    "INSERT INTO actors (id, type, name, part_of, affiliated_with, role, wikidata, in_kb) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
    "type = coalesce(actors.type, excluded.type), "
    "name = CASE WHEN actors.name = actors.id THEN excluded.name ELSE actors.name END, "
    "part_of = coalesce(excluded.part_of, actors.part_of), "
    "affiliated_with = coalesce(actors.affiliated_with, excluded.affiliated_with), "
    "role = coalesce(excluded.role, actors.role), "
    "wikidata = coalesce(excluded.wikidata, actors.wikidata), "
    "in_kb = CASE WHEN excluded.in_kb = 1 THEN 1 ELSE actors.in_kb END")


def _write_actors(db: Database, result: ArticleResult, kb: Any, upserted: dict[str, list]) -> None:
    """Merge the article's actors into their rows, then give the actors of its facts that its
    actor list left out a row, then add the names: three statements, in the order the merges
    need (each actor's merges in turn; names only ever add up)."""
    merges: list[tuple] = []
    bare: list[tuple] = []
    names: list[tuple] = []
    for actor in result.actors:
        _merge_actor(actor, kb, upserted, merges, names)
    for actor_id in sorted({f.source for f in result.facts} | {f.target for f in result.facts if f.target}):
        entry = kb.get(actor_id) if kb is not None else None
        if entry is None:  # not in the base: a row of its own unless it has one
            bare.append((actor_id, actor_id))
        else:
            _merge_actor(Actor(id=entry.id, type=entry.type, names=[entry.names[0]], part_of=entry.part_of,
                               affiliated_with=entry.affiliated_with, wikidata=entry.wikidata),
                         kb, upserted, merges, names)
    db.executemany(_MERGE_ACTOR, merges)
    db.executemany("INSERT INTO actors (id, name, in_kb) VALUES (?, ?, 0) ON CONFLICT DO NOTHING", bare)
    db.executemany("INSERT INTO actor_names (actor_id, name, key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", names)


def _merge_actor(actor: Actor, kb: Any, upserted: dict[str, list], merges: list, names: list) -> None:
    """One article's view of an actor, merged into the global row: names add up, known fields stay.

    The merge is idempotent: when the values last merged into this actor's row (``upserted``,
    within one transaction) are these very values, merging them again changes nothing and is
    skipped, and so is a name already inserted (a batch of articles names Mali hundreds of times).
    """
    entry = kb.get(actor.id) if kb is not None else None
    name = entry.names[0] if entry is not None else (actor.names[0] if actor.names else actor.id)
    known = upserted.setdefault(actor.id, [None, set()])  # [last values merged, names inserted]
    values = (actor.type, name, actor.part_of, actor.affiliated_with, actor.role, actor.wikidata, actor.in_kb)
    if known[0] != values:
        known[0] = values
        merges.append((actor.id, actor.type, name, actor.part_of, actor.affiliated_with, actor.role,
                       actor.wikidata, 1 if actor.in_kb else 0))
    for n in dict.fromkeys([name, *actor.names]):
        if n not in known[1]:  # inserting a name again is a no-op
            known[1].add(n)
            names.append((actor.id, n, rows.name_key(n)))


# ------------------------------------------------------------------- claims
def _report(r: dict) -> Any:
    return xclaims.Report(
        article_id=r["article_id"], fact_id=r["fact_id"], outlet=r["outlet"], story_id=r["story_id"],
        published=r["published"], type=r["type"], source=r["source"], target=r["target"],
        modality=r["modality"], speaker=r["speaker"], when=rows.loads(r["when_json"]), place=r["place"],
        quantity=rows.loads(r["quantity"]), evidence=r["evidence"])


def _insert_claims(db: Database, fresh: list[tuple[str, Any, str, dict]]) -> None:
    """Claims rows (key, claim, its JSON text, the stored claim of each fact), their links to
    facts and actors, and their facts' claim ids."""
    claims, reports, sides, moved = [], [], [], []
    for key, claim, text, linked in fresh:
        data = rows.loads(text)
        start, end = rows.when_bounds(claim.when)
        if start is None and end is None:  # no time of its own: the span of its reports
            start = rows.date_bounds(claim.first_reported)[0]
            end = rows.date_bounds(claim.latest_reported)[1]
        m = claim.modalities
        claims.append((claim.id, key, claim.type, claim.source, claim.target, claim.place, start, end,
                       claim.independent_sources, len(data.get("articles") or []), m.get("asserted", 0),
                       m.get("reported", 0), m.get("hedged", 0), m.get("hypothetical", 0), m.get("negated", 0),
                       len(claim.contradictions), claim.first_reported, claim.latest_reported, text))
        reports += [(claim.id, f) for f in sorted({r.fact_id for r in claim.reports})]
        ends = [(claim.source, "source")] + ([(claim.target, "target")] if claim.target not in (None, claim.source) else [])
        sides += [(actor, claim.id, role, claim.independent_sources, claim.first_reported, start or "", claim.type, end)
                  for actor, role in ends]
        moved += [(claim.id, r.fact_id) for r in claim.reports if linked[r.fact_id] != claim.id]
    db.executemany(
        "INSERT INTO claims (id, claim_key, type, source, target, place, date_start, date_end, "
        "independent_sources, n_articles, n_asserted, n_reported, n_hedged, n_hypothetical, n_negated, "
        "n_contradictions, first_reported, latest_reported, data) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", claims)
    db.executemany("INSERT INTO claim_reports (claim_id, fact_id) VALUES (?, ?)", reports)
    db.executemany(
        "INSERT INTO claim_actors (actor_id, claim_id, role, independent_sources, first_reported, date_start, "
        "type, date_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", sides)
    db.executemany("UPDATE facts SET claim_id = ? WHERE fact_id = ?", moved)
