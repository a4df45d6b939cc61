"""Queries over the sample corpus, in Python and on the command line, on SQLite and PostgreSQL."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from recoupe.cli import main
from recoupe.store import StoreError

CLAIM_KEYS = {"id", "type", "source", "target", "articles", "independent_sources", "modalities",
              "first_reported", "latest_reported", "contradictions", "source_name", "target_name"}


@pytest.fixture(scope="module")
def every_claim(sample_store):
    claims = sample_store.claims(limit=500)
    assert 0 < len(claims) < 500
    return claims


def run(sample_store, *args: str):
    """The command line on the same store (stdout and stderr apart)."""
    return CliRunner(mix_stderr=False).invoke(main, [*args, "--db", sample_store.url])


# ------------------------------------------------------------------ claims
def test_claims_have_the_issue_fields(every_claim, sample_results):
    assert all(CLAIM_KEYS <= set(c) for c in every_claim)
    # every fact of the extraction is reported by exactly one claim
    fact_ids = sorted(f"{r.article.id}#{i}" for r in sample_results for i in range(len(r.facts)))
    assert sorted(f for c in every_claim for f in c["fact_ids"]) == fact_ids
    for c in every_claim:
        assert sum(c["modalities"].values()) == len(c["fact_ids"])
        assert 1 <= c["independent_sources"] <= len(c["articles"])
        assert c["first_reported"] <= c["latest_reported"]


def test_claims_are_ordered_and_paged(sample_store, every_claim):
    sources = [c["independent_sources"] for c in every_claim]
    assert sources == sorted(sources, reverse=True)
    assert sample_store.claims(limit=5, offset=5) == every_claim[5:10]
    assert sample_store.count_claims() == len(every_claim)
    assert len(sample_store.claims(limit=10_000)) == len(every_claim)  # capped, not refused


def test_filters_match_a_scan(sample_store, every_claim):
    def check(expected, **filters):
        found = sample_store.claims(limit=500, **filters)
        assert [c["id"] for c in found] == [c["id"] for c in expected], filters
        assert sample_store.count_claims(**filters) == len(expected)
        return found

    assert check([c for c in every_claim if "mali" in (c["source"], c["target"])], actor="mali")
    assert check([c for c in every_claim if c["type"] == "deploy"], type="deploy")
    for modality in ("asserted", "reported", "hedged", "hypothetical", "negated"):
        check([c for c in every_claim if c["modalities"].get(modality)], modality=modality)
    assert sample_store.count_claims(modality="hypothetical") > 0
    assert check([c for c in every_claim if c["independent_sources"] >= 2], min_sources=2)
    both = check([c for c in every_claim if c["type"] == "withdraw" and "mali" in (c["source"], c["target"])],
                 type="withdraw", actor="mali")
    assert both
    assert check([], actor="no-such-actor") == []


def test_date_filters(sample_store, every_claim):
    later = sample_store.claims(since="2024", limit=500)
    earlier = sample_store.claims(until="2023-12-31", limit=500)
    assert later and earlier
    for c in later:
        assert max(filter(None, [_end(c["when"]), c["latest_reported"]])) >= "2024"
    capture = [c for c in every_claim if c["type"] == "capture" and isinstance(c["when"], str)
               and c["when"].startswith("2023-11")]
    assert capture  # Kidal, November 2023
    when = capture[0]["when"]
    assert capture[0]["id"] in {c["id"] for c in sample_store.claims(since=when, until=when)}
    assert capture[0]["id"] not in {c["id"] for c in sample_store.claims(until="2023-10")}
    with pytest.raises(StoreError):
        sample_store.claims(since="novembre")
    with pytest.raises(StoreError):
        sample_store.claims(modality="certain")


def _end(when):
    return when.get("end") or when.get("start") if isinstance(when, dict) else when


def test_claim_and_evidence(sample_store, every_claim):
    top = every_claim[0]
    assert sample_store.claim(top["id"]) == top
    assert sample_store.claim("c-000000000000") is None
    evidence = sample_store.evidence(top["id"])
    assert sorted({e["article_id"] for e in evidence}) == top["articles"]
    for e in evidence:
        art = sample_store.article(e["article_id"])
        start, end = e["evidence_span"]
        assert art["text"][start:end] == e["evidence"]
        assert e["url"] == art["url"] and e["date"] == art["date"] and e["story_id"] == art["story_id"]
        assert e["article_id"] not in e["copies"]
    assert sample_store.evidence("c-000000000000") == []


# ------------------------------------------------------------------ actors
def test_actor_profile(sample_store):
    profile = sample_store.actor("wagner")
    assert profile["type"] == "group" and profile["affiliated_with"] == "russia" and profile["in_kb"]
    assert "Wagner" in profile["names"]
    assert profile["relations"] and profile["claims"] == len(profile["relations"])
    for r in profile["relations"]:
        claim = sample_store.claim(r["claim_id"])
        assert "wagner" == (claim["source"] if r["role"] == "source" else claim["target"])
        assert r["modalities"] == claim["modalities"] and r["independent_sources"] == claim["independent_sources"]
    assert sample_store.actor("fama")["part_of"] == "mali"
    assert sample_store.actor("nobody-at-all") is None


def test_actor_search(sample_store):
    found = sample_store.actors("armee malienne")  # accents and case do not matter
    assert found[0]["id"] == "fama"
    everyone = sample_store.actors(limit=500)
    counts = [a["claims"] for a in everyone]
    assert counts == sorted(counts, reverse=True)
    assert sample_store.actors("%") == [] and sample_store.actors("_") == []  # LIKE wildcards are plain text


# ---------------------------------------------------------------- articles
def test_search_is_full_text(sample_store):
    hits = sample_store.search("Ménaka")
    assert hits
    assert {h["article_id"] for h in hits} == {h["article_id"] for h in sample_store.search("menaka")}
    for h in hits:
        assert "ménaka" in sample_store.article(h["article_id"])["text"].lower()
        assert "[Ménaka]" in h["snippet"]
    assert sample_store.search("Ménaka zzzyx") == []
    # query syntax of the engines is not interpreted: quotes, operators and stars are plain text
    for hostile in ('"Kidal', "Kidal OR", "NEAR(x", "Kidal*", "'; DROP TABLE articles; --", "a & b | !c"):
        sample_store.search(hostile)
    assert sample_store.stats()["articles"] == 18


def test_places_are_geocoded(sample_store):
    places = {p["name"]: p for p in sample_store.places()}
    assert places["Kidal"]["country"] == "mali"
    assert places["Kidal"]["lat"] == pytest.approx(18.44, abs=0.05)
    assert places["Kidal"]["claims"] >= 1


def test_articles_and_stats(sample_store):
    arts = sample_store.articles(limit=500)
    assert len(arts) == 18 and "text" not in arts[0]
    stats = sample_store.stats()
    assert stats["articles"] == 18 and stats["facts"] == sum(a["facts"] for a in arts)


# --------------------------------------------------------------------- CLI
def test_cli_claims_json_lines(sample_store, every_claim):
    out = run(sample_store, "claims", "--json", "--actor", "mali", "--limit", "500")
    assert out.exit_code == 0, out.output
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [c["id"] for c in lines] == [c["id"] for c in sample_store.claims(actor="mali", limit=500)]
    by_name = run(sample_store, "claims", "--json", "--actor", "Mali", "--limit", "500")
    assert by_name.stdout == out.stdout  # a name resolves to its id


def test_cli_claims_table(sample_store, every_claim):
    out = run(sample_store, "claims", "--type", "capture")
    assert out.exit_code == 0
    header = out.stdout.splitlines()[0].split()
    assert header[:4] == ["id", "type", "source", "target"]
    assert all(c["id"] in out.stdout for c in every_claim if c["type"] == "capture")
    assert run(sample_store, "claims", "--since", "2024-13").exit_code == 2
    assert run(sample_store, "claims", "--actor", "zzz-nobody").exit_code == 1


def test_cli_actor_evidence_search(sample_store, every_claim):
    out = run(sample_store, "actor", "wagner")
    assert out.exit_code == 0 and "affiliated_with: russia" in out.stdout
    profile = json.loads(run(sample_store, "actor", "wagner", "--json").stdout)
    assert profile == sample_store.actor("wagner")
    assert run(sample_store, "actor", "zzz-nobody").exit_code == 1
    top = every_claim[0]
    ev = run(sample_store, "evidence", top["id"])
    assert ev.exit_code == 0
    for e in sample_store.evidence(top["id"]):
        assert " ".join(e["evidence"].split()) in ev.stdout
    lines = run(sample_store, "evidence", top["id"], "--json").stdout.splitlines()
    assert [json.loads(line) for line in lines] == sample_store.evidence(top["id"])
    missing = run(sample_store, "evidence", "c-000000000000")
    assert missing.exit_code == 1 and "no claim" in missing.stderr
    found = run(sample_store, "search", "Kidal", "--json")
    assert [json.loads(line)["article_id"] for line in found.stdout.splitlines()] == \
        [h["article_id"] for h in sample_store.search("Kidal", limit=20)]
