"""Exports of a store's claims: JSONL (with evidence), ACLED-like CSV, GraphML (Gephi), Parquet."""
from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from typing import IO, Any, Callable, Iterator, Optional

from recoupe.facts.lexicon import SYMMETRIC
from recoupe.jsonl import jsonl

from .queries import MODALITIES
from .store import Store

FORMATS = ("jsonl", "csv", "graphml", "parquet")
BINARY = {"parquet"}
# ACLED's own column names first, then what recoupe adds
CSV_COLUMNS = ("event_date", "event_type", "actor1", "actor2", "location", "latitude", "longitude", "source",
               "notes", "country", "modality", *(f"n_{m}" for m in MODALITIES), "independent_sources",
               "n_articles", "first_reported", "latest_reported", "contradictions", "actor1_id", "actor2_id",
               "claim_id")
_INT_COLUMNS = {*(f"n_{m}" for m in MODALITIES), "independent_sources", "n_articles", "contradictions"}
_FLOAT_COLUMNS = {"latitude", "longitude"}


def export(store: Store, fmt: str, out: IO, progress: Optional[Callable[[int], None]] = None) -> int:
    """Write every claim of ``store`` to ``out`` (text, or binary for parquet); return how many."""
    writers = {"jsonl": _jsonl, "csv": _csv, "graphml": _graphml, "parquet": _parquet}
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r} (expected one of {', '.join(FORMATS)})")
    return writers[fmt](store, out, progress or (lambda n: None))


def dominant_modality(modalities: dict[str, int]) -> Optional[str]:
    """The most frequent modality of a claim's reports; ties go to the more certain one."""
    if not modalities:
        return None
    return max(MODALITIES, key=lambda m: (modalities.get(m, 0), -MODALITIES.index(m)))


def _counted(items: Iterator[Any], progress: Callable[[int], None]) -> Iterator[Any]:
    for n, item in enumerate(items, 1):
        if n % 500 == 0:
            progress(n)
        yield item


def _jsonl(store: Store, out: IO, progress: Callable[[int], None]) -> int:
    n = 0
    for claim in _counted(store.all_claims(), progress):
        claim["evidence"] = store.evidence(claim["id"])
        out.write(jsonl(claim) + "\n")
        n += 1
    return n


def claim_rows(store: Store) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Each claim with its flat, ACLED-like row."""
    for claim in store.all_claims():
        evidence = store.evidence(claim["id"])
        when = claim.get("when")
        date = (when.get("start") or when.get("end")) if isinstance(when, dict) else when
        place = store.gazetteer.lookup(claim["place"]) if claim.get("place") else None
        mods = claim.get("modalities") or {}
        outlets = sorted({e["outlet"] for e in evidence if e.get("outlet")})
        row = {
            "event_date": date or claim.get("first_reported"), "event_type": claim["type"],
            "actor1": claim.get("source_name"), "actor2": claim.get("target_name") if claim.get("target") else None,
            "location": claim.get("place"),
            "latitude": place.lat if place else None, "longitude": place.lon if place else None,
            "source": "; ".join(outlets) if outlets else None,
            "notes": evidence[0]["evidence"] if evidence else None,
            "country": place.country if place else None, "modality": dominant_modality(mods),
            "independent_sources": claim.get("independent_sources"), "n_articles": len(claim.get("articles") or []),
            "first_reported": claim.get("first_reported"), "latest_reported": claim.get("latest_reported"),
            "contradictions": len(claim.get("contradictions") or []),
            "actor1_id": claim["source"], "actor2_id": claim.get("target"), "claim_id": claim["id"],
        }
        row.update({f"n_{m}": mods.get(m, 0) for m in MODALITIES})
        yield claim, row


def _csv(store: Store, out: IO, progress: Callable[[int], None]) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="raise")
    writer.writeheader()
    n = 0
    for _, row in _counted(claim_rows(store), progress):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
        n += 1
    return n


def _parquet(store: Store, out: IO, progress: Callable[[int], None]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = [pa.field(c, pa.int64() if c in _INT_COLUMNS else pa.float64() if c in _FLOAT_COLUMNS else pa.string())
              for c in CSV_COLUMNS]
    fields.append(pa.field("articles", pa.list_(pa.string())))
    schema = pa.schema(fields)
    columns: dict[str, list] = {f.name: [] for f in fields}
    n = 0
    for claim, row in _counted(claim_rows(store), progress):
        for c in CSV_COLUMNS:
            columns[c].append(row[c])
        columns["articles"].append(claim.get("articles") or [])
        n += 1
    pq.write_table(pa.table(columns, schema=schema), out)
    return n


def _graphml(store: Store, out: IO, progress: Callable[[int], None]) -> int:
    """Actors as nodes (label, type), claims as edges (type, dates, source counts); Gephi reads it."""
    ns = "http://graphml.graphdrawing.org/xmlns"
    root = ET.Element("graphml", xmlns=ns)
    keys = [("label", "node", "string"), ("actor_type", "node", "string"), ("claims", "node", "int"),
            ("claim_type", "edge", "string"), ("claim_id", "edge", "string"), ("when", "edge", "string"),
            ("first_reported", "edge", "string"), ("latest_reported", "edge", "string"),
            ("independent_sources", "edge", "int"), ("articles", "edge", "int"), ("modalities", "edge", "string"),
            ("dominant_modality", "edge", "string"), ("contradictions", "edge", "int"), ("place", "edge", "string"),
            ("weight", "edge", "double")]
    for name, domain, kind in keys:
        ET.SubElement(root, "key", {"id": name, "for": domain, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, "graph", id="recoupe", edgedefault="directed")
    nodes: dict[str, ET.Element] = {}
    edges: list[ET.Element] = []

    def node(actor_id: str) -> None:
        if actor_id not in nodes:
            nodes[actor_id] = ET.Element("node", id=actor_id)

    n = 0
    for claim in _counted(store.all_claims(), progress):
        n += 1
        if not claim.get("target"):  # a deployment "au Sahel" has no second actor: no edge
            node(claim["source"])
            continue
        node(claim["source"])
        node(claim["target"])
        attrs = {"id": claim["id"], "source": claim["source"], "target": claim["target"]}
        if claim["type"] in SYMMETRIC:
            attrs["directed"] = "false"
        edge = ET.Element("edge", attrs)
        when = claim.get("when")
        mods = claim.get("modalities") or {}
        values = {
            "claim_type": claim["type"], "claim_id": claim["id"],
            "when": json.dumps(when, sort_keys=True) if isinstance(when, dict) else when,
            "first_reported": claim.get("first_reported"), "latest_reported": claim.get("latest_reported"),
            "independent_sources": claim.get("independent_sources"), "articles": len(claim.get("articles") or []),
            "modalities": " ".join(f"{m}:{mods[m]}" for m in MODALITIES if mods.get(m)),
            "dominant_modality": dominant_modality(mods), "contradictions": len(claim.get("contradictions") or []),
            "place": claim.get("place"), "weight": float(claim.get("independent_sources") or 1),
        }
        _data(edge, values)
        edges.append(edge)
    profiles = {r["id"]: r for r in store.db.rows("SELECT id, type, name, n_claims AS claims FROM actors")}
    for actor_id, element in sorted(nodes.items()):
        profile = profiles.get(actor_id) or {}
        _data(element, {"label": profile.get("name") or actor_id, "actor_type": profile.get("type"),
                        "claims": profile.get("claims")})
        graph.append(element)
    graph.extend(edges)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
    return n


def _data(element: ET.Element, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if value is None or value == "":
            continue
        ET.SubElement(element, "data", key=key).text = str(value)
