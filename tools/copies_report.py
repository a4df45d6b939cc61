#!/usr/bin/env python3
"""Similarity of the republished pairs of a corpus, and of its closest other pair.

    python tools/copies_report.py ARTICLES COPIES.json

For every pair listed in COPIES.json (a list of [id, id]): the estimated
Jaccard (MinHash) and the exact Jaccard of the normalised word shingles, and
whether the two share an LSH band key.  Then the most similar pairs that are
not listed.  This is how the threshold in
recoupe/data/crosscheck/crosscheck.yaml was chosen; exit 1 if a listed pair
is not a copy or an unlisted one is.
"""
from __future__ import annotations

import itertools
import json
import sys

from recoupe.crosscheck import COPY_THRESHOLD, band_keys, is_copy, normalise_for_copies, signature, similarity
from recoupe.crosscheck.copies import _settings
from recoupe.ingest import read_articles
from recoupe.model import Article


def shingles(text: str) -> set[str]:
    """The exact word shingles that signature() summarises."""
    words, k = normalise_for_copies(text).split(), _settings()["k"]
    return {" ".join(words[i:i + k]) for i in range(max(1, len(words) - k + 1))}


def main(articles_path: str, copies_path: str) -> int:
    """Print the figures; return the exit status."""
    articles = {a.id: a for a in read_articles([articles_path]) if isinstance(a, Article)}
    with open(copies_path, encoding="utf-8") as fh:
        listed = {tuple(sorted(pair)) for pair in json.load(fh)}
    sigs = {i: signature(a.text) for i, a in articles.items()}
    keys = {i: set(band_keys(s)) for i, s in sigs.items()}
    sets = {i: shingles(a.text) for i, a in articles.items()}
    rows = []
    for x, y in itertools.combinations(sorted(articles), 2):
        exact = len(sets[x] & sets[y]) / (len(sets[x] | sets[y]) or 1)
        rows.append(((x, y) in listed, similarity(sigs[x], sigs[y]), exact, bool(keys[x] & keys[y]), x, y))
    print(f"{len(articles)} articles, {len(listed)} listed pairs, threshold {COPY_THRESHOLD}")
    failures = 0
    for is_listed, est, exact, shared, x, y in sorted(rows, key=lambda r: (not r[0], -r[1])):
        if not is_listed and est < 0.01:
            continue
        verdict = is_copy(sigs[x], sigs[y]) and shared
        failures += verdict != is_listed
        print(f"{'listed  ' if is_listed else 'unlisted'} {x:>8} {y:>8}  minhash {est:.3f}  exact {exact:.3f}  "
              f"band {'yes' if shared else 'no '}  {'copy' if verdict else '-'}")
    others = [r for r in rows if not r[0]]
    if others:
        top = max(others, key=lambda r: r[1])
        print(f"highest unlisted: {top[4]} {top[5]} minhash {top[1]:.3f}; "
              f"candidates from bands: {sum(r[3] for r in others)} of {len(others)} unlisted pairs")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
