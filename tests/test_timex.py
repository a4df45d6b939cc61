"""Time expressions: each pattern runs only on sentences with the words it needs; that check
never hides a date, on written phrases and on the real articles of the sample and dev corpora."""
from __future__ import annotations

from pathlib import Path

import pytest

from recoupe.facts.timex import _CASE, _may_match, _patterns, find_times
from recoupe.ingest import read_articles
from recoupe.model import Article

ROOT = Path(__file__).resolve().parent.parent
PHRASES = [
    "du 27 mars au 1er avril 2024", "de lundi à mercredi prochains", "mardi 3 mars 2020", "March 5, 2021",
    "le 12/03/2021", "depuis le mois de juin 2019", "en août", "à la fin JUILLET", "depuis 2018", "d'ici 2025",
    "il y a trois semaines", "Il y a plus de 2 ans", "two weeks ago", "le mois dernier", "la semaine dernière",
    "la semaine prochaine", "l'année dernière", "cette année", "l'an prochain", "ce mois-ci", "avant-hier",
    "HIER", "aujourd’hui", "ce jour", "demain", "ce vendredi soir", "le 9 juin dernier",
]


def _texts(dev_folder: Path) -> list[str]:
    paths = [str(ROOT / "examples" / "articles")] + ([str(dev_folder)] if dev_folder.is_dir() else [])
    return PHRASES + [a.text for a in read_articles(paths) if isinstance(a, Article)]


def test_every_match_has_the_words_its_pattern_needs():
    texts = _texts(ROOT.parent / "shared" / "corpus" / "dev" / "articles")
    matched = set()
    for text in texts:
        text = text.replace("’", "'")
        for n, (pattern, _, _, needs) in enumerate(_patterns()):
            for m in pattern.finditer(text):
                found = m.group(0)
                assert _may_match(needs, found, found.translate(_CASE).lower()), (n, found)
                matched.add(n)
    assert len(matched) >= len(_patterns()) - 2  # the phrases reach (nearly) every pattern


@pytest.mark.parametrize("phrase, value", [
    ("Ils sont arrivés HIER à Gao.", "2024-03-14"),
    ("Le camp a été attaqué du 27 mars au 1er avril.", {"start": "2024-03-27", "end": "2024-04-01"}),
    ("Les troupes sont parties il y a trois semaines.", "2024-02"),
    ("Une réunion est prévue la semaine prochaine.", "2024-03"),
])
def test_written_phrases_resolve_against_the_publication_date(phrase, value):
    assert [t.value for t in find_times(phrase, "2024-03-15")] == [value]
