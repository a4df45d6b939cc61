"""Read side of the store: claims, evidence, actors, articles, search, places, counts.

Every function takes an open ``Database`` and returns plain dicts and lists (JSON-ready).
"""
from __future__ import annotations

from typing import Any, Optional

from recoupe.errors import StoreError

from . import rows
from .db import Database

MAX_LIMIT = 500
MODALITIES = ("asserted", "reported", "hedged", "hypothetical", "negated")
TABLES = ("articles", "band_keys", "actors", "actor_names", "mentions", "facts", "claims", "claim_reports",
          "claim_actors")


# Past any table's size, and inside the 64-bit integers that SQLite and PostgreSQL bind:
# a larger number from a client (?offset=1e30) would make the driver fail (OverflowError).
MAX_OFFSET = 2**62
MAX_COUNT = 2**31 - 1  # for counts compared with INTEGER columns (min_sources)


def cap(limit: Optional[int], offset: Optional[int] = 0) -> tuple[int, int]:
    """Bounded paging: 1..MAX_LIMIT rows, 0 <= offset <= MAX_OFFSET."""
    limit = 50 if limit is None else int(limit)
    return max(1, min(limit, MAX_LIMIT)), max(0, min(int(offset or 0), MAX_OFFSET))


# ------------------------------------------------------------------ claims
def _claim_filters(actor: Optional[str], type: Optional[str], since: Optional[str], until: Optional[str],
                   modality: Optional[str], min_sources: Optional[int]) -> tuple[str, str, list[Any]]:
    """What ``claims`` and ``count_claims`` read: (FROM, WHERE, parameters).

    With an actor, the rows are the actor's in ``claim_actors``, which carries each claim's type,
    dates and sources (its index holds them, in the list's order): claims are joined only for a
    modality. Otherwise they are the claims, whose indexes hold the same columns.
    """
    t = "ca" if actor else "c"
    source = "claims c"
    if actor:
        source = "claim_actors ca" + (" JOIN claims c ON c.id = ca.claim_id" if modality else "")
    where: list[str] = []
    params: list[Any] = []
    if actor:
        where.append("ca.actor_id = ?")
        params.append(actor)
    if type:
        where.append(f"{t}.type = ?")
        params.append(type)
    if since:
        start = rows.date_bounds(since)[0]
        if start is None:
            raise StoreError(f"since {since!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
        where.append(f"{t}.date_end >= ?")
        params.append(start)
    if until:
        end = rows.date_bounds(until)[1]
        if end is None:
            raise StoreError(f"until {until!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
        # claim_actors writes a claim without dates as '' (claims: NULL, which no range matches)
        where.append("ca.date_start <> '' AND ca.date_start <= ?" if actor else "c.date_start <= ?")
        params.append(end)
    if modality:
        if modality not in MODALITIES:
            raise StoreError(f"modality {modality!r}: expected one of {', '.join(MODALITIES)}")
        where.append(f"c.n_{modality} > 0")  # a column from the fixed list above, not user text
    if min_sources is not None:
        where.append(f"{t}.independent_sources >= ?")
        params.append(min(int(min_sources), MAX_COUNT))
    return source, (" WHERE " + " AND ".join(where)) if where else "", params


_CLAIM_SELECT = ("SELECT c.data, s.name AS source_name, t.name AS target_name FROM claims c "
                 "LEFT JOIN actors s ON s.id = c.source LEFT JOIN actors t ON t.id = c.target")
_CLAIM_ORDER = " ORDER BY c.independent_sources DESC, c.first_reported DESC NULLS LAST, c.id"


def _claim_json(r: dict) -> dict:
    out = rows.loads(r["data"])
    out["source_name"] = r["source_name"] or out.get("source")
    out["target_name"] = r["target_name"] or out.get("target")
    return out


def claims(db: Database, actor: Optional[str] = None, type: Optional[str] = None, since: Optional[str] = None,
           until: Optional[str] = None, modality: Optional[str] = None, min_sources: Optional[int] = None,
           limit: int = 50, offset: int = 0) -> list[dict]:
    """Claims matching every given filter, most independent sources first.

    The page's claim ids come from an index walked in the list's order (the rows skipped by the
    offset are index entries only); then those claims alone are read, with their actors' names.
    """
    source, where, params = _claim_filters(actor, type, since, until, modality, min_sources)
    limit, offset = cap(limit, offset)
    t, key = ("ca", "ca.claim_id") if actor else ("c", "c.id")
    page = (f"SELECT {key} AS id, {t}.independent_sources AS sources, {t}.first_reported AS first FROM {source}"
            f"{where} ORDER BY {t}.independent_sources DESC, {t}.first_reported DESC NULLS LAST, {key} "
            "LIMIT ? OFFSET ?")
    found = db.rows(
        f"SELECT c.data, s.name AS source_name, t.name AS target_name FROM ({page}) p "
        "JOIN claims c ON c.id = p.id LEFT JOIN actors s ON s.id = c.source LEFT JOIN actors t ON t.id = c.target "
        "ORDER BY p.sources DESC, p.first DESC NULLS LAST, p.id", (*params, limit, offset))
    return [_claim_json(r) for r in found]


def count_claims(db: Database, actor: Optional[str] = None, type: Optional[str] = None,
                 since: Optional[str] = None, until: Optional[str] = None, modality: Optional[str] = None,
                 min_sources: Optional[int] = None) -> int:
    """How many claims ``claims`` would list with these filters, counted on an index."""
    source, where, params = _claim_filters(actor, type, since, until, modality, min_sources)
    return int(db.scalar(f"SELECT count(*) FROM {source}{where}", params))


def all_claims(db: Database):
    """Every claim, in the order of ``claims``, streamed (exports)."""
    for r in db.stream(_CLAIM_SELECT + _CLAIM_ORDER):
        yield _claim_json(r)


def claim(db: Database, claim_id: str) -> Optional[dict]:
    r = db.row(_CLAIM_SELECT + " WHERE c.id = ?", (claim_id,))
    return _claim_json(r) if r else None


def evidence(db: Database, claim_id: str) -> list[dict]:
    """The sentences a claim rests on, oldest article first, with each article's copies."""
    found = db.rows(
        "SELECT f.article_id, f.fact_id, a.outlet, a.url, a.date, a.title, f.evidence, f.evidence_start, "
        "f.evidence_end, f.modality, f.speaker, a.story_id, f.place_name, f.place_country, f.place_lat, "
        "f.place_lon FROM claim_reports r JOIN facts f ON f.fact_id = r.fact_id "
        "JOIN articles a ON a.id = f.article_id WHERE r.claim_id = ? "
        "ORDER BY coalesce(a.date, ''), a.seq, f.idx", (claim_id,))
    stories = {r["story_id"] for r in found}
    members = _story_members(db, stories)
    out = []
    for r in found:
        item = {k: r[k] for k in ("article_id", "fact_id", "outlet", "url", "date", "title", "evidence",
                                  "modality", "speaker", "story_id")}
        item["evidence_span"] = [r["evidence_start"], r["evidence_end"]]
        item["place"] = _place(r)
        item["copies"] = [a for a in members.get(r["story_id"], []) if a != r["article_id"]]
        out.append(item)
    return out


def _story_members(db: Database, stories: set[str]) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for story in sorted(stories):
        members[story] = [r["id"] for r in db.rows(
            "SELECT id FROM articles WHERE story_id = ? ORDER BY seq LIMIT ?", (story, MAX_LIMIT))]
    return members


def _place(r: dict) -> Optional[dict]:
    if not r.get("place_name"):
        return None
    out = {"name": r["place_name"], "country": r["place_country"]}
    if r.get("place_lat") is not None:
        out.update(lat=r["place_lat"], lon=r["place_lon"])
    return out


# ------------------------------------------------------------------ actors
def _names(db: Database, ids: list[str]) -> dict[str, list[str]]:
    """Names of several actors at once, the display name first."""
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    out: dict[str, list[str]] = {i: [] for i in ids}
    for r in db.rows(f"SELECT n.actor_id, n.name FROM actor_names n JOIN actors a ON a.id = n.actor_id "
                     f"WHERE n.actor_id IN ({marks}) ORDER BY n.actor_id, "
                     f"CASE WHEN n.name = a.name THEN 0 ELSE 1 END, n.name", ids):
        out[r["actor_id"]].append(r["name"])
    return out


def actor(db: Database, actor_id: str, relations_limit: int = MAX_LIMIT) -> Optional[dict]:
    """An actor's profile: its base relations and its claims over time (with whom, what, when, how sure)."""
    a = db.row("SELECT id, type, name, part_of, affiliated_with, role, wikidata, in_kb, n_claims "
               "FROM actors WHERE id = ?", (actor_id,))
    if a is None:
        return None
    found = db.rows(
        "SELECT ca.role, c.id, c.type, c.source, c.target, c.data, o.name AS other_name FROM claim_actors ca "
        "JOIN claims c ON c.id = ca.claim_id "
        "LEFT JOIN actors o ON o.id = CASE WHEN ca.role = 'source' THEN c.target ELSE c.source END "
        "WHERE ca.actor_id = ? ORDER BY ca.date_start DESC, ca.claim_id DESC LIMIT ?",
        (actor_id, max(1, min(int(relations_limit), MAX_LIMIT))))
    relations = []
    for r in reversed(found):  # the latest relations when there are too many, oldest first
        data = rows.loads(r["data"])
        other = r["target"] if r["role"] == "source" else r["source"]
        relations.append({
            "claim_id": r["id"], "type": r["type"], "role": r["role"], "other": other,
            "other_name": r["other_name"] or other, "when": data.get("when"),
            "first_reported": data.get("first_reported"), "latest_reported": data.get("latest_reported"),
            "modalities": data.get("modalities"), "independent_sources": data.get("independent_sources"),
        })
    return {
        "id": a["id"], "type": a["type"], "name": a["name"], "names": _names(db, [a["id"]])[a["id"]],
        "part_of": a["part_of"], "affiliated_with": a["affiliated_with"], "role": a["role"],
        "wikidata": a["wikidata"], "in_kb": bool(a["in_kb"]), "claims": a["n_claims"], "relations": relations,
    }


def actors(db: Database, q: Optional[str] = None, limit: int = 50, offset: int = 0) -> list[dict]:
    """Actors whose id or a name contains ``q`` (case and accents ignored), most-claimed first."""
    limit, offset = cap(limit, offset)
    if q and q.strip():
        key = rows.name_key(q)
        pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found = db.rows(
            "SELECT id, type, name, n_claims FROM actors WHERE id = ? OR id IN "
            "(SELECT actor_id FROM actor_names WHERE key LIKE ? ESCAPE '\\') "
            "ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END, n_claims DESC, id LIMIT ? OFFSET ?",
            (rows.name_key(q).replace(" ", "-"), pattern, rows.name_key(q).replace(" ", "-"), limit, offset))
    else:
        found = db.rows("SELECT id, type, name, n_claims FROM actors ORDER BY n_claims DESC, id LIMIT ? OFFSET ?",
                        (limit, offset))
    names = _names(db, [r["id"] for r in found])
    return [{"id": r["id"], "type": r["type"], "name": r["name"], "names": names.get(r["id"]) or [r["name"]],
             "claims": r["n_claims"]} for r in found]


# ---------------------------------------------------------------- articles
_FACT_SELECT = ("SELECT fact_id, idx, type, source, target, modality, speaker, when_json, place, place_name, "
                "place_country, place_lat, place_lon, quantity, evidence, evidence_start, evidence_end, "
                "trigger_word, claim_id FROM facts")


def _fact_json(r: dict) -> dict:
    out = {"fact_id": r["fact_id"], "type": r["type"], "source": r["source"], "target": r["target"],
           "modality": r["modality"]}
    for key, value in (("speaker", r["speaker"]), ("when", rows.loads(r["when_json"])), ("place", r["place"]),
                       ("quantity", rows.loads(r["quantity"]))):
        if value:
            out[key] = value
    geo = _place(r)
    if geo:
        out["place_geo"] = geo
    out.update(evidence=r["evidence"], evidence_span=[r["evidence_start"], r["evidence_end"]],
               trigger=r["trigger_word"] or "", claim_id=r["claim_id"])
    return out


def article(db: Database, article_id: str) -> Optional[dict]:
    a = db.row("SELECT id, url, outlet, date, lang, title, text, story_id FROM articles WHERE id = ?", (article_id,))
    if a is None:
        return None
    a["facts"] = [_fact_json(r) for r in db.rows(_FACT_SELECT + " WHERE article_id = ? ORDER BY idx", (article_id,))]
    a["mentions"] = db.rows("SELECT start_char AS start, end_char AS \"end\", actor_id FROM mentions "
                            "WHERE article_id = ? ORDER BY start_char, actor_id", (article_id,))
    return a


def articles(db: Database, limit: int = 50, offset: int = 0) -> list[dict]:
    """Stored articles (without text) in stored order."""
    limit, offset = cap(limit, offset)
    return db.rows("SELECT a.id, a.url, a.outlet, a.date, a.lang, a.title, a.story_id, "
                   "(SELECT count(*) FROM facts f WHERE f.article_id = a.id) AS facts "
                   "FROM articles a ORDER BY a.seq LIMIT ? OFFSET ?", (limit, offset))


def search(db: Database, text: str, limit: int = 50, offset: int = 0) -> list[dict]:
    """Articles containing every word of ``text`` (case and accents ignored), best match first."""
    words = rows.search_words(text)
    if not words:
        return []
    limit, offset = cap(limit, offset)
    found = db.rows(db.search_sql(), (db.search_query(words), limit, offset))
    return [{"article_id": r["id"], "title": r["title"], "date": r["date"], "outlet": r["outlet"], "url": r["url"],
             "snippet": rows.snippet(r["text"], words)} for r in found]


def places(db: Database) -> list[dict]:
    """Geocoded places of facts, with the number of claims at each."""
    return db.rows(
        "SELECT place_name AS name, place_country AS country, place_lat AS lat, place_lon AS lon, "
        "count(DISTINCT claim_id) AS claims FROM facts WHERE place_name IS NOT NULL "
        "GROUP BY place_name, place_country, place_lat, place_lon ORDER BY claims DESC, name")


def stats(db: Database) -> dict:
    """Row counts per table, stories, and the schema version."""
    out: dict[str, Any] = {t: int(db.scalar(f"SELECT count(*) FROM {t}")) for t in TABLES}
    out["stories"] = int(db.scalar("SELECT count(DISTINCT story_id) FROM articles"))
    out["schema_version"] = int(db.scalar("SELECT max(version) FROM schema_version"))
    return out
