"""Extraction results for a large store, generated from the sample corpus' real extraction.

Extracting 100,000 articles takes hours; storing them is what the store and API benchmarks
measure.  So the sample articles (examples/articles) are extracted once by the real extractor,
and ``results(n)`` recombines what it found into ``n`` ArticleResults, in a fixed way (the same
``seed`` gives the same results on any machine):

1. **units**: every line of a sample text of at least ``MIN_WORDS`` words, with the mentions
   inside it and the facts whose evidence sentence lies inside it (all of them do);
2. **days**: ``ARTICLES_PER_DAY`` articles a day, day after day from ``START`` (100,000
   articles cover 13 years, 2013-2025); each day has ``TOPICS`` topics, each a sample article
   and an actor swap of its own;
3. **actor swaps**: each actor of a topic is kept with probability ``KEEP`` (the sample's own
   actors: Mali, France, Wagner... stay the most claimed), else replaced by another actor of the
   same type from the knowledge base (recoupe/data/actors), drawn with Zipf weights over a
   fixed shuffled order, so that the store has hundreds of actors, a few of them frequent and a
   long tail.  The replacement's name (its demonym or metonym when the mention was one) is
   written in place of each mention in the text, and every offset after it (mentions, evidence
   spans) moves with it; facts' sources, targets and speakers follow the swap;
4. **an article** of a day takes a topic (weights ``TOPIC_WEIGHTS``), keeps each unit of the
   topic's sample with probability ``UNIT_KEEP`` (at least two, in their order), and adds
   0-2 units of other samples with a swap of its own; its date is the day, and every fact's
   ``when`` moves by as many days as the date moved from its sample's date (same precision);
   outlet drawn with Zipf weights from ``OUTLETS``, id ``gen-NNNNNN``, its own url.  Articles of a
   day on one topic report the same happenings (same facts, same dates) from several outlets:
   claims with several reports and independent sources;
5. **rewording**: each word of four letters or more outside a mention is replaced, with
   probability ``REWORD``, by a word of the samples' vocabulary.  Without it every article made
   from one sample's lines would be a near-duplicate of the others (recoupe's copy threshold is
   a Jaccard of 0.30 on word 5-grams), and the whole store a few giant stories; with it, two
   articles built from the same lines share under a third of their 5-grams;
6. **copies**: an article is, with probability ``COPY``, a republication by another outlet of an
   earlier article of its day (the same text with an agency credit): one story, many outlets.

The texts are rearranged, partly reworded sample lines, not prose; the rows are the real
extractor's output on the samples: types, modalities, times, places, quantities and evidence
sentences as recoupe finds them, on the renamed actors.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import random
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterator, Optional

from recoupe.model import Actor, Article, ArticleResult, Fact, Mention

SEED = 5
START = dt.date(2013, 1, 1)
ARTICLES_PER_DAY = 21
TOPICS = 3
TOPIC_WEIGHTS = (0.5, 0.3, 0.2)
KEEP = 0.5
UNIT_KEEP = 0.5
COPY = 0.1
REWORD = 0.15
MIN_WORDS = 15
OUTLETS = [f"{name}.example" for name in (
    "sahel-info", "bamako-soir", "niamey-matin", "ouaga-hebdo", "dakar-presse", "nouakchott-news",
    "tchad-infos", "le-republicain", "essor-quotidien", "aube-niger", "fasozine", "sidwaya",
    "lefaso-net", "maliweb", "journal-du-mali", "actuniger", "tamtaminfo", "alwihda", "seneweb",
    "cridem", "le-quotidien", "liberation-afrique", "monde-afrique", "rfi-afrique", "jeune-afrique",
    "afrique-xxi", "apanews", "anadolu-fr", "africanews-fr", "aa-sahel", "ouest-france-monde",
    "la-croix-afrique", "tv5-afrique", "france24-afrique", "dw-afrique", "bbc-afrique",
    "voa-afrique", "sputnik-afrique", "le-point-afrique", "l-express-afrique")]


@dataclass(frozen=True)
class Unit:
    """One line of a sample article and what the extractor found in it (offsets inside the line)."""

    sample: int
    text: str
    mentions: tuple[Mention, ...]
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Sample:
    """One extracted sample article, cut into units."""

    result: ArticleResult
    units: tuple[Unit, ...]
    day: dt.date  # first day of its date


def parameters(n: int, seed: int = SEED) -> dict:
    """Everything that decides the generated results (the store cache key is made of it)."""
    return {"articles": n, "seed": seed, "start": START.isoformat(), "per_day": ARTICLES_PER_DAY,
            "topics": TOPICS, "topic_weights": TOPIC_WEIGHTS, "keep": KEEP, "unit_keep": UNIT_KEEP,
            "copy": COPY, "reword": REWORD, "min_words": MIN_WORDS, "outlets": len(OUTLETS), "version": 1}


def cut(results: list[ArticleResult]) -> list[Sample]:
    """The samples' units: lines of at least MIN_WORDS words, with their mentions and facts."""
    samples = []
    for index, result in enumerate(results):
        text, units, at = result.article.text, [], 0
        for line in text.split("\n"):
            start, end = at, at + len(line)
            at = end + 1
            if len(line.split()) < MIN_WORDS:
                continue
            mentions = tuple(replace(m, start=m.start - start, end=m.end - start)
                             for m in result.mentions if start <= m.start and m.end <= end)
            facts = tuple(replace(f, evidence_start=f.evidence_start - start, evidence_end=f.evidence_end - start)
                          for f in result.facts if start <= f.evidence_start and f.evidence_end <= end)
            units.append(Unit(index, line, mentions, facts))
        samples.append(Sample(result, tuple(units), _first_day(result.article.date)))
    return samples


def _first_day(date: Optional[str]) -> dt.date:
    parts = [int(p) for p in (date or "2020").split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def shift_date(value: Optional[str], days: int) -> Optional[str]:
    """``value`` ("YYYY", "YYYY-MM" or "YYYY-MM-DD") ``days`` later, at the same precision."""
    if not isinstance(value, str) or not value:
        return value
    try:
        moved = _first_day(value) + dt.timedelta(days=days)
    except ValueError:
        return value
    return moved.isoformat()[: len(value)]


def shift_when(when, days: int):
    """A fact's ``when`` (a date or {"start", "end"}) moved by ``days``."""
    if isinstance(when, dict):
        return {k: shift_date(v, days) for k, v in when.items()}
    return shift_date(when, days)


# ------------------------------------------------------------------ actors
class Swapper:
    """Replacement actors of the same type, Zipf-weighted over a fixed shuffled order per type."""

    def __init__(self, kb, seed: int):
        self.kb = kb
        self.by_type: dict[str, list[str]] = {}
        for actor in sorted(kb.actors.values(), key=lambda a: a.id):
            self.by_type.setdefault(actor.type, []).append(actor.id)
        self.cumulative: dict[str, list[float]] = {}
        for kind, ids in self.by_type.items():
            random.Random(f"{seed}:order:{kind}").shuffle(ids)
            total, acc = 0.0, []
            for rank in range(len(ids)):
                total += 1.0 / (rank + 1)
                acc.append(total)
            self.cumulative[kind] = acc

    def mapping(self, rng: random.Random, actors: dict[str, str]) -> dict[str, str]:
        """A swap of ``actors`` (id -> type): some kept, the others to distinct actors of their type."""
        taken, out = set(actors), {}
        for actor_id in sorted(actors):
            ids = self.by_type.get(actors[actor_id])
            if not ids or rng.random() < KEEP:
                continue
            acc = self.cumulative[actors[actor_id]]
            for _ in range(8):  # a free actor of the type (the frequent ones are often taken)
                pick = ids[min(bisect.bisect_left(acc, rng.random() * acc[-1]), len(ids) - 1)]
                if pick not in taken:
                    out[actor_id] = pick
                    taken.add(pick)
                    break
        return out

    def form(self, old_id: str, new_id: str, text: str) -> str:
        """The replacement's surface form for a mention ``text`` of ``old_id`` (same kind if it has one)."""
        old, new = self.kb.get(old_id), self.kb.get(new_id)
        low = text.lower()
        if old is not None:
            if new.demonyms and any(low == d.lower() for d in old.demonyms):
                return new.demonyms[0]
            if new.metonyms and any(low == m.lower() for m in old.metonyms):
                return new.metonyms[0]
        return new.names[0]

    def actor(self, new_id: str, date: str) -> Actor:
        """The Actor row of a replacement, from the knowledge base (as the linker builds it)."""
        entry = self.kb.get(new_id)
        role = self.kb.role_at(new_id, date) if entry.type == "person" else None
        return Actor(id=entry.id, type=entry.type, names=[entry.names[0]], part_of=entry.part_of,
                     affiliated_with=entry.affiliated_with, role=role.title if role else None,
                     wikidata=entry.wikidata)


_WORD = re.compile(r"[^\W\d_]{4,}")


def _rewrite(unit: Unit, mapping: dict[str, str], swapper: Swapper, rng: random.Random,
             vocabulary: list[str]) -> tuple[str, list[Mention], list[Fact]]:
    """A unit's text with swapped actors' mentions renamed and some words reworded, and its
    mentions and facts moved to match (evidence is the new text of the same sentence)."""
    edits = []  # (start, end, new text), never overlapping
    for m in unit.mentions:
        if m.actor_id in mapping and not any(o is not m and o.start < m.end and m.start < o.end for o in unit.mentions):
            edits.append((m.start, m.end, swapper.form(m.actor_id, mapping[m.actor_id], m.text)))
    for word in _WORD.finditer(unit.text):
        if rng.random() < REWORD and not any(m.start < word.end() and word.start() < m.end for m in unit.mentions):
            new = rng.choice(vocabulary)
            edits.append((word.start(), word.end(), new.capitalize() if word.group()[0].isupper() else new))
    edits.sort()
    pieces, at, delta = [], 0, 0
    starts, old_ends, deltas = [], [], []
    for start, end, new in edits:
        pieces += [unit.text[at:start], new]
        at = end
        delta += len(new) - (end - start)
        starts.append(start)
        old_ends.append(end)
        deltas.append(delta)
    pieces.append(unit.text[at:])
    text = "".join(pieces)

    def moved(x: int) -> int:
        """The new offset of old offset ``x`` (inside a rewritten span: the span's new start)."""
        i = bisect.bisect_right(starts, x) - 1
        if i < 0:
            return x
        if x >= old_ends[i]:
            return x + deltas[i]
        return starts[i] + (deltas[i - 1] if i else 0)

    mentions = [Mention(moved(m.start), moved(m.end), "", mapping.get(m.actor_id, m.actor_id)) for m in unit.mentions]
    mentions = [replace(m, text=text[m.start:m.end]) for m in mentions]
    facts = []
    for f in unit.facts:
        start, end = moved(f.evidence_start), moved(f.evidence_end)
        facts.append(replace(f, source=mapping.get(f.source, f.source),
                             target=mapping.get(f.target, f.target) if f.target else f.target,
                             speaker=mapping.get(f.speaker, f.speaker) if f.speaker else f.speaker,
                             evidence=text[start:end], evidence_start=start, evidence_end=end))
    return text, mentions, facts


# ------------------------------------------------------------------ articles
class Generator:
    """``results(n)``: n ArticleResults, deterministic for a seed (see the module docstring)."""

    def __init__(self, sample_results: list[ArticleResult], kb, seed: int = SEED):
        self.samples = cut(sample_results)
        self.swapper = Swapper(kb, seed)
        self.kb = kb
        self.seed = seed
        self.pool = [u for s in self.samples for u in s.units]
        self.vocabulary = sorted({w.group().lower() for u in self.pool for w in _WORD.finditer(u.text)})
        self.outlet_weights = [1.0 / (r + 1) ** 0.8 for r in range(len(OUTLETS))]

    def _types(self, units: list[Unit]) -> dict[str, str]:
        """Actor id -> type of every actor of some units (mentions and facts' ends)."""
        known = {a.id: a.type for s in self.samples for a in s.result.actors}
        ids = {m.actor_id for u in units for m in u.mentions}
        ids |= {x for u in units for f in u.facts for x in (f.source, f.target, f.speaker) if x}
        out = {}
        for actor_id in ids:
            entry = self.kb.get(actor_id)
            kind = known.get(actor_id) or (entry.type if entry else None)
            if kind:
                out[actor_id] = kind
        return out

    @lru_cache(maxsize=64)
    def _topics(self, day: int) -> tuple[tuple[int, tuple], ...]:
        """The day's topics: (sample index, swap mapping as sorted pairs)."""
        rng = random.Random(f"{self.seed}:day:{day}")
        out = []
        for index in rng.sample(range(len(self.samples)), TOPICS):
            mapping = self.swapper.mapping(rng, self._types(list(self.samples[index].units)))
            out.append((index, tuple(sorted(mapping.items()))))
        return tuple(out)

    def result(self, i: int) -> ArticleResult:
        """The ``i``-th generated article's result."""
        day = i // ARTICLES_PER_DAY
        rng = random.Random(f"{self.seed}:article:{i}")
        first_of_day = day * ARTICLES_PER_DAY
        outlet = rng.choices(OUTLETS, self.outlet_weights)[0]
        if i > first_of_day and rng.random() < COPY:
            return self._copy(self.result(rng.randrange(first_of_day, i)), i, outlet)
        index, topic_mapping = rng.choices(self._topics(day), TOPIC_WEIGHTS)[0]
        sample = self.samples[index]
        kept = [u for u in sample.units if rng.random() < UNIT_KEEP]
        if len(kept) < 2:
            kept = sorted(rng.sample(sample.units, min(2, len(sample.units))), key=sample.units.index)
        extra = [u for u in rng.sample(self.pool, rng.randrange(3)) if u.sample != index]
        own = self.swapper.mapping(rng, self._types(extra)) if extra else {}
        date = (START + dt.timedelta(days=day)).isoformat()
        parts = [(u, dict(topic_mapping)) for u in kept] + [(u, own) for u in extra]
        return self._compose(i, date, outlet, sample.result.article.title, parts, rng)

    def _compose(self, i: int, date: str, outlet: str, title: Optional[str],
                 parts: list[tuple[Unit, dict]], rng: random.Random) -> ArticleResult:
        """Units (each with its swap) joined into one article, dates moved to ``date``."""
        texts, mentions, facts, used = [], [], [], {}
        at = 0
        day = dt.date.fromisoformat(date)
        for unit, mapping in parts:
            text, unit_mentions, unit_facts = _rewrite(unit, mapping, self.swapper, rng, self.vocabulary)
            days = (day - self.samples[unit.sample].day).days
            mentions += [replace(m, start=m.start + at, end=m.end + at) for m in unit_mentions]
            facts += [replace(f, evidence_start=f.evidence_start + at, evidence_end=f.evidence_end + at,
                              when=shift_when(f.when, days)) for f in unit_facts]
            for old, new in mapping.items():
                used.setdefault(new, old)
            texts.append(text)
            at += len(text) + 2
        title = self._title(title, parts[0][1])
        article = Article(id=f"gen-{i:06d}", text="\n\n".join(texts), date=date, lang="fr",
                          url=f"https://www.{outlet}/{date[:4]}/{date[5:7]}/article-{i:06d}", title=title)
        return ArticleResult(article, self._actors(mentions, facts, used, date), facts, mentions)

    def _title(self, title: Optional[str], mapping: dict) -> Optional[str]:
        """The topic sample's title, with the names of its swapped actors replaced."""
        for old, new in mapping.items():
            entry, other = self.kb.get(old), self.kb.get(new)
            if title and entry and other:
                for name in sorted(entry.names, key=len, reverse=True):
                    title = title.replace(name, other.names[0])
        return title

    def _actors(self, mentions: list[Mention], facts: list[Fact], swapped: dict[str, str], date: str) -> list[Actor]:
        """The article's actors: the samples' own Actor rows for kept actors, the base's for replacements."""
        ids = [m.actor_id for m in mentions] + [x for f in facts for x in (f.source, f.target) if x]
        known = {a.id: a for s in self.samples for a in s.result.actors}
        out = []
        for actor_id in dict.fromkeys(ids):
            if actor_id in swapped and self.kb.get(actor_id) is not None:
                actor = self.swapper.actor(actor_id, date)
            elif actor_id in known:
                actor = known[actor_id]
            else:
                continue
            names = list(dict.fromkeys([*actor.names, *(m.text for m in mentions if m.actor_id == actor_id)]))
            out.append(replace(actor, names=names))
        return out

    def _copy(self, original: ArticleResult, i: int, outlet: str) -> ArticleResult:
        """A republication of ``original`` by ``outlet``: same text and results, an agency credit."""
        a = original.article
        article = Article(id=f"gen-{i:06d}", text=a.text + "\n\n(AFP)", date=a.date, lang=a.lang,
                          url=f"https://www.{outlet}/{a.date[:4]}/{a.date[5:7]}/article-{i:06d}", title=a.title)
        return ArticleResult(article, original.actors, original.facts, original.mentions)

    def results(self, n: int, start: int = 0) -> Iterator[ArticleResult]:
        """Results ``start`` .. ``n - 1``, in order."""
        for i in range(start, n):
            yield self.result(i)


def digest(sample_results: list[ArticleResult]) -> str:
    """A digest of what the extractor found in the samples: a new extractor output, a new store."""
    payload = [[r.to_json(), [(m.start, m.end, m.actor_id) for m in r.mentions]] for r in sample_results]
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
