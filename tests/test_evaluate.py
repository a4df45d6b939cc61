"""`recoupe eval` agrees with the shared, independent scorer on the dev corpus."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from recoupe.evaluate import load_golds, score


def test_scores_agree_with_shared_scorer(extractor, dev_corpus, tmp_path):
    from recoupe.ingest import read_articles
    from recoupe.model import Article

    out = tmp_path / "dev.jsonl"
    outputs = {}
    with open(out, "w", encoding="utf-8") as fh:
        for result in extractor.extract_all(a for a in read_articles([str(dev_corpus / "articles")]) if isinstance(a, Article)):
            outputs[result.article.id] = result.to_json()
            fh.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    ours = score(load_golds(dev_corpus / "gold"), outputs).as_dict()
    scorer = dev_corpus.parent.parent / "tools" / "score.py"
    theirs = json.loads(subprocess.run([sys.executable, str(scorer), str(dev_corpus / "gold"), str(out), "--json"],
                                       capture_output=True, check=True).stdout)
    for part in ("actors", "facts"):
        for key in ("p", "r", "f1"):
            assert ours[part][key] == pytest.approx(theirs[part][key])
    for name, (accuracy, n) in theirs["attributes"].items():
        assert ours["attributes"][name]["n"] == n
        if accuracy is not None:
            assert ours["attributes"][name]["accuracy"] == pytest.approx(accuracy)


def test_scoring_counts_a_name_match_and_symmetric_order():
    gold = {"g": {"id": "g", "actors": [{"id": "mali", "type": "state", "names": ["Mali", "Bamako"]},
                                         {"id": "russia", "type": "state", "names": ["Russie"]}],
                  "facts": [{"type": "meet", "source": "mali", "target": "russia", "modality": "asserted",
                             "evidence": "x"}]}}
    system = {"g": {"id": "g", "actors": [{"id": "bamako-gov", "names": ["Bamako"]}, {"id": "russia"}],
                    "facts": [{"type": "meet", "source": "russia", "target": "bamako-gov", "modality": "hedged"}]}}
    report = score(gold, system).as_dict()
    assert report["actors"]["f1"] == 1.0
    assert report["facts"]["f1"] == 1.0
    assert report["attributes"]["modality"]["accuracy"] == 0.0
