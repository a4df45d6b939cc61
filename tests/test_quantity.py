"""Quantities: the number regex is tried only just before the digits and words a quantity needs;
that finds exactly the matches of trying it everywhere, on written phrases and real articles."""
from __future__ import annotations

from pathlib import Path

from recoupe.facts.quantity import _number_re, _numbers
from recoupe.ingest import read_articles
from recoupe.model import Article

ROOT = Path(__file__).resolve().parent.parent
PHRASES = [
    "au moins 1.500 soldats", "entre 200 et 400 civils", "plus de   \u00a0 12 000 hommes", "$ 20 milliards",
    "€5 millions", "quelques milliers de soldats", "plusieurs drones", "une vingtaine de drones", "des centaines",
    "more than  between 3 and 4 aircraft", "jusqu'à 3–5 hélicoptères", "x12 y", "AB12,5cd", "٣ jours",
    "un accord", "l'unité", "quelque  peu", "UNE DIZAINE DE MORTS", "1,000 troops", "mi-171",
]


def test_numbers_are_the_matches_of_the_regex_everywhere():
    folders = [ROOT / "examples" / "articles", ROOT.parent / "shared" / "corpus" / "dev" / "articles"]
    texts = PHRASES + [a.text for a in read_articles([str(f) for f in folders if f.is_dir()]) if isinstance(a, Article)]
    texts += [line for text in texts for line in text.split("\n")]
    found = 0
    for text in texts:
        text = text.replace("’", "'")
        expected = [(m.span(), m.groupdict()) for m in _number_re().finditer(text)]
        assert [(m.span(), m.groupdict()) for m in _numbers(text)] == expected, text[:80]
        found += len(expected)
    assert found > 100
