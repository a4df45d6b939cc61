#!/usr/bin/env python3
"""Per-article differences between an extraction output and gold annotations.

    python tools/diff_gold.py GOLD_DIR OUT.jsonl [ARTICLE_ID]

Prints, per article, the gold actors missed and the extra ones, then the
facts matched with a wrong attribute (OK), the gold facts missed (MISS)
and the system facts that match nothing (XTRA), with their evidence.
"""
from __future__ import annotations

import json
import os
import sys

from recoupe.evaluate import GoldIndex, load_golds, match_facts

ATTRIBUTES = ("modality", "speaker", "when", "quantity", "place")


def report(article_id: str, gold: dict, output: dict) -> None:
    """Print the differences of one article."""
    index = GoldIndex(gold)
    actors = {a["id"]: a for a in output.get("actors", [])}
    gold_ids = {a["id"] for a in gold["actors"]}
    system = {index.resolve(a, actors): a["id"] for a in output.get("actors", [])}
    print("=====", article_id, "missing actors:", sorted(gold_ids - set(system)),
          "extra:", sorted(v for k, v in system.items() if k not in gold_ids))
    facts = output.get("facts", [])
    matched = match_facts(gold["facts"], facts, index, actors)
    for i, j in matched:
        g, f = gold["facts"][i], facts[j]
        wrong = [k for k in ATTRIBUTES if g.get(k) and str(g.get(k)) != str(f.get(k))]
        if wrong:
            print("  OK  ", g["type"], g["source"], g.get("target"),
                  " | ".join(f"{k}: gold={g.get(k)} sys={f.get(k)}" for k in wrong))
            if os.environ.get("DIFF_EVIDENCE"):
                print("       gold:", g["evidence"][:140])
                print("       sys: ", f["evidence"][:140], f"[{f.get('trigger')}, speaker={f.get('speaker')}]")
    for i, g in enumerate(gold["facts"]):
        if i not in {m[0] for m in matched}:
            print("  MISS", g["type"], g["source"], g.get("target"), g["modality"], "||", g["evidence"][:110])
    for j, f in enumerate(facts):
        if j not in {m[1] for m in matched}:
            print("  XTRA", f["type"], f["source"], f.get("target"), f["modality"], f.get("trigger"), "||", f["evidence"][:100])


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    golds = load_golds(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as fh:
        outputs = {o["id"]: o for o in map(json.loads, filter(str.strip, fh))}
    only = sys.argv[3] if len(sys.argv) > 3 else None
    for article_id, gold in golds.items():
        if only is None or article_id == only:
            report(article_id, gold, outputs.get(article_id, {}))


if __name__ == "__main__":
    main()
