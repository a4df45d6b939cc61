"""Score extraction output against gold annotations (ONTOLOGY.md, section 5).

Actors match when their ids are equal or a normalised name of one is a
name of the other; facts match one-to-one on type, source and target
(either order for symmetric types); attributes are compared on matched pairs.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from .facts.lexicon import SYMMETRIC
from .jsonl import jsonl

LEADING = ("le ", "la ", "les ", "l'", "the ", "du ", "des ", "de ")
ATTRIBUTES = ("modality", "speaker", "when", "quantity", "place")


def normalise(name: Any) -> str:
    """Lowercase, no accents, no leading article, punctuation as spaces."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    text = text.replace("’", "'").strip()
    for article in LEADING:
        if text.startswith(article):
            text = text[len(article):]
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _listed(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class GoldIndex:
    """The gold actors of one article, to map system references to gold ids."""

    def __init__(self, gold: dict):
        self.keys: dict[str, str] = {}
        for actor in gold.get("actors", []):
            for name in [actor["id"]] + _listed(actor.get("names")):
                key = normalise(name)
                self.keys.setdefault(key, actor["id"])
                self.keys.setdefault(key.replace(" ", "-"), actor["id"])

    def resolve(self, ref: Any, system_actors: dict[str, dict]) -> Optional[str]:
        """The gold id a system actor (or id) stands for, else a private key."""
        if ref is None:
            return None
        actor = ref if isinstance(ref, dict) else system_actors.get(ref, {"id": ref})
        for name in [actor.get("id")] + _listed(actor.get("names")) + _listed(actor.get("name")):
            if name is None:
                continue
            key = normalise(name)
            for candidate in (key, key.replace(" ", "-")):
                if candidate in self.keys:
                    return self.keys[candidate]
        return "sys:" + normalise(actor.get("id"))


@dataclass
class Counts:
    """True positives, system and gold sizes."""

    tp: int = 0
    system: int = 0
    gold: int = 0

    def prf(self) -> dict[str, float]:
        p = self.tp / self.system if self.system else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


@dataclass
class Report:
    """Scores of one evaluation run."""

    articles: int = 0
    covered: int = 0
    actors: Counts = field(default_factory=Counts)
    facts: Counts = field(default_factory=Counts)
    attributes: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in ATTRIBUTES})
    by_type: dict[str, list[int]] = field(default_factory=dict)  # type -> [gold, matched, system]

    def as_dict(self) -> dict:
        return {
            "articles": self.articles, "covered": self.covered,
            "actors": self.actors.prf(),
            "facts": {**self.facts.prf(), "gold": self.facts.gold, "system": self.facts.system, "matched": self.facts.tp},
            "attributes": {k: {"accuracy": (v[0] / v[1] if v[1] else None), "n": v[1]} for k, v in self.attributes.items()},
            "by_type": {k: dict(zip(("gold", "matched", "system"), v)) for k, v in sorted(self.by_type.items())},
        }


def _core_match(gold: dict, fact: dict, index: GoldIndex, actors: dict) -> float:
    """0 if the core (type, source, target) does not match, else 1 plus half a point for the modality."""
    if fact.get("type") not in _listed(gold["type"]):
        return 0
    source, target = index.resolve(fact.get("source"), actors), index.resolve(fact.get("target"), actors)
    g_source, g_target = _listed(gold["source"]), _listed(gold.get("target"))
    ok = source in g_source and (not g_target or target in g_target)
    if not ok and fact.get("type") in SYMMETRIC:
        ok = target in g_source and (not g_target or source in g_target)
    return 1 + 0.5 * (fact.get("modality") == gold.get("modality")) if ok else 0


def _when_ok(gold: Any, system: Any) -> bool:
    def first(w):
        if isinstance(w, dict):
            w = w.get("start") or w.get("end")
        return str(w) if w else ""
    g, s = first(gold), first(system)
    return bool(s) and s[:len(g)] == g


def _quantity_ok(gold: dict, system: Any) -> bool:
    if not isinstance(system, dict):
        return False
    return all(system.get(k, system.get("value")) == gold[k] for k in ("value", "min", "max")
               if gold.get(k) is not None)


def _speaker_ok(gold: dict, fact: dict, index: GoldIndex, actors: dict) -> bool:
    accepted = _listed(gold["speaker"])
    speaker = fact.get("speaker")
    raw = normalise((speaker.get("id") if isinstance(speaker, dict) else speaker) or "")
    return index.resolve(speaker, actors) in accepted or raw in {normalise(x) for x in accepted}


def _score_attributes(report: Report, gold: dict, fact: dict, index: GoldIndex, actors: dict) -> None:
    att = report.attributes
    att["modality"][1] += 1
    att["modality"][0] += fact.get("modality") == gold.get("modality")
    if gold.get("speaker"):
        att["speaker"][1] += 1
        att["speaker"][0] += _speaker_ok(gold, fact, index, actors)
    if gold.get("when"):
        att["when"][1] += 1
        att["when"][0] += _when_ok(gold["when"], fact.get("when"))
    quantity = gold.get("quantity")
    if quantity and any(k in quantity for k in ("value", "min", "max")):
        att["quantity"][1] += 1
        att["quantity"][0] += _quantity_ok(quantity, fact.get("quantity"))
    if gold.get("place"):
        att["place"][1] += 1
        place = fact.get("place")
        place = place.get("name") if isinstance(place, dict) else place
        att["place"][0] += bool(place) and normalise(place) == normalise(gold["place"])


def match_facts(gold_facts: list[dict], facts: list[dict], index: GoldIndex, actors: dict) -> list[tuple[int, int]]:
    """One-to-one (gold, system) index pairs, best-scoring pairs first."""
    pairs = sorted(((_core_match(g, f, index, actors), i, j) for i, g in enumerate(gold_facts)
                    for j, f in enumerate(facts)), reverse=True)
    used_gold, used_system, matched = set(), set(), []
    for value, i, j in pairs:
        if value and i not in used_gold and j not in used_system:
            used_gold.add(i)
            used_system.add(j)
            matched.append((i, j))
    return matched


def score_article(report: Report, gold: dict, output: dict) -> None:
    """Add one article's comparison to a report."""
    index = GoldIndex(gold)
    actor_list = [a for a in output.get("actors", []) if isinstance(a, dict)]
    actors = {a.get("id"): a for a in actor_list}
    gold_ids = {a["id"] for a in gold["actors"]}
    system_ids = {index.resolve(a, actors) for a in actor_list}
    report.actors.tp += len(gold_ids & system_ids)
    report.actors.system += len(system_ids)
    report.actors.gold += len(gold_ids)
    facts = [f for f in output.get("facts", []) if isinstance(f, dict)]
    matched = match_facts(gold["facts"], facts, index, actors)
    used_gold = {i for i, _ in matched}
    report.facts.tp += len(matched)
    report.facts.system += len(facts)
    report.facts.gold += len(gold["facts"])
    for i, g in enumerate(gold["facts"]):
        row = report.by_type.setdefault(str(_listed(g["type"])[0]), [0, 0, 0])
        row[0] += 1
        row[1] += i in used_gold
    for f in facts:
        report.by_type.setdefault(str(f.get("type")), [0, 0, 0])[2] += 1
    for i, j in matched:
        _score_attributes(report, gold["facts"][i], facts[j], index, actors)


def score(golds: dict[str, dict], outputs: dict[str, dict]) -> Report:
    """Score outputs (by article id) against golds; missing outputs count as empty."""
    report = Report(articles=len(golds), covered=sum(1 for k in golds if k in outputs))
    for article_id, gold in golds.items():
        score_article(report, gold, outputs.get(article_id, {}))
    return report


def load_golds(gold_dir: str | Path) -> dict[str, dict]:
    """Every gold annotation of a folder, by article id."""
    golds = {}
    for path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        golds[gold["id"]] = gold
    return golds


def evaluate_paths(gold_dir: str, articles: str, output: Optional[str] = None) -> dict:
    """Extract the articles of a path and score them against a gold folder."""
    from .ingest import read_articles
    from .model import Article
    from .pipeline import Extractor

    extractor = Extractor()
    outputs: dict[str, dict] = {}
    items = (a for a in read_articles([articles]) if isinstance(a, Article))
    for result in extractor.extract_all(items):
        outputs[result.article.id] = result.to_json()
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            for value in outputs.values():
                fh.write(jsonl(value) + "\n")
    return score(load_golds(gold_dir), outputs).as_dict()


def format_report(report: dict) -> str:
    """The report as a readable table."""
    a, f = report["actors"], report["facts"]
    lines = [f"articles {report['articles']} (output for {report['covered']})",
             f"actors  P {a['p']:.3f}  R {a['r']:.3f}  F1 {a['f1']:.3f}",
             f"facts   P {f['p']:.3f}  R {f['r']:.3f}  F1 {f['f1']:.3f}  "
             f"(gold {f['gold']}, system {f['system']}, matched {f['matched']})",
             "attributes on matched facts:"]
    for name, value in report["attributes"].items():
        acc = "-" if value["accuracy"] is None else f"{value['accuracy']:.3f}"
        lines.append(f"  {name:9s} {acc}  (n={value['n']})")
    lines.append(f"{'type':14s} {'gold':>5s} {'matched':>8s} {'system':>7s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    for fact_type, row in report["by_type"].items():
        c = Counts(row["matched"], row["system"], row["gold"]).prf()
        lines.append(f"{fact_type:14s} {row['gold']:5d} {row['matched']:8d} {row['system']:7d} "
                     f"{c['p']:6.3f} {c['r']:6.3f} {c['f1']:6.3f}")
    return "\n".join(lines)
