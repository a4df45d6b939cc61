"""Exports of the sample corpus' claims: JSONL, ACLED-like CSV, GraphML, Parquet (read back)."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from recoupe.cli import main
from recoupe.store.export import CSV_COLUMNS, dominant_modality, export

ACLED = ["event_date", "event_type", "actor1", "actor2", "location", "latitude", "longitude", "source", "notes"]
NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


def exported(store, fmt: str, tmp_path) -> str:
    """Run ``recoupe export`` and return the file it wrote."""
    path = tmp_path / f"claims.{fmt}"
    result = CliRunner(mix_stderr=False).invoke(main, ["export", "--format", fmt, "--db", store.url, "-o", str(path)])
    assert result.exit_code == 0, result.stderr
    assert f"{store.count_claims()} claims exported" in result.stderr
    assert not path.with_name(path.name + ".part").exists()
    return str(path)


def test_jsonl_has_claims_with_evidence(sample_store, tmp_path):
    with open(exported(sample_store, "jsonl", tmp_path), encoding="utf-8") as f:
        lines = [json.loads(line) for line in f]
    assert [c["id"] for c in lines] == [c["id"] for c in sample_store.claims(limit=500)]
    for c in lines:
        assert c["evidence"] == sample_store.evidence(c["id"])
        assert sorted({e["article_id"] for e in c["evidence"]}) == c["articles"]


def test_csv_has_acled_columns(sample_store, tmp_path):
    with open(exported(sample_store, "csv", tmp_path), encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames[:len(ACLED)] == ACLED
        rows = list(reader)
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    claims = {c["id"]: c for c in sample_store.claims(limit=500)}
    assert sorted(r["claim_id"] for r in rows) == sorted(claims)
    for r in rows:
        c = claims[r["claim_id"]]
        assert r["event_type"] == c["type"] and r["actor1"] == c["source_name"]
        assert int(r["independent_sources"]) == c["independent_sources"]
        assert sum(int(r[f"n_{m}"]) for m in c["modalities"]) == sum(c["modalities"].values())
        assert r["notes"] in {e["evidence"] for e in sample_store.evidence(c["id"])}
        assert r["event_date"][:4].isdigit()
    kidal = [r for r in rows if r["location"] == "Kidal"]
    assert kidal and float(kidal[0]["latitude"]) == pytest.approx(18.44, abs=0.05)
    assert kidal[0]["country"] == "mali"


def test_graphml_opens_as_a_graph(sample_store, tmp_path):
    root = ET.parse(exported(sample_store, "graphml", tmp_path)).getroot()
    keys = {k.get("id"): k for k in root.findall("g:key", NS)}
    assert keys["actor_type"].get("for") == "node" and keys["independent_sources"].get("attr.type") == "int"
    graph = root.find("g:graph", NS)
    nodes = {n.get("id"): {d.get("key"): d.text for d in n.findall("g:data", NS)} for n in graph.findall("g:node", NS)}
    edges = graph.findall("g:edge", NS)
    claims = sample_store.claims(limit=500)
    assert len(edges) == sum(1 for c in claims if c["target"])
    for e in edges:
        assert e.get("source") in nodes and e.get("target") in nodes
        data = {d.get("key"): d.text for d in e.findall("g:data", NS)}
        claim = sample_store.claim(e.get("id"))
        assert data["claim_type"] == claim["type"] and int(data["independent_sources"]) == claim["independent_sources"]
        assert data["first_reported"] == claim["first_reported"]
    assert nodes["wagner"]["actor_type"] == "group" and nodes["wagner"]["label"] == "Wagner"
    for key in {d.get("key") for n in graph for d in n.findall("g:data", NS)}:
        assert key in keys  # every value refers to a declared attribute


def test_parquet_reads_back(sample_store, tmp_path):
    import pyarrow.parquet as pq

    table = pq.read_table(exported(sample_store, "parquet", tmp_path))
    assert table.num_rows == sample_store.count_claims()
    assert table.schema.field("independent_sources").type == "int64"
    assert table.schema.field("latitude").type == "double"
    rows = {r["claim_id"]: r for r in table.to_pylist()}
    for c in sample_store.claims(limit=500):
        assert rows[c["id"]]["articles"] == c["articles"]
        assert rows[c["id"]]["event_type"] == c["type"]


def test_empty_store_exports(stores):
    with stores.open() as store:
        for fmt in ("jsonl", "csv", "graphml"):
            out = io.StringIO()
            assert export(store, fmt, out) == 0
        assert out.getvalue().startswith("<?xml")


def test_parquet_needs_a_file(sample_store):
    result = CliRunner(mix_stderr=False).invoke(main, ["export", "--format", "parquet", "--db", sample_store.url])
    assert result.exit_code == 2 and "-o FILE" in result.stderr


def test_dominant_modality():
    assert dominant_modality({"asserted": 1, "negated": 3}) == "negated"
    assert dominant_modality({"asserted": 2, "hedged": 2}) == "asserted"
    assert dominant_modality({}) is None
