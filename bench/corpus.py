"""Benchmark corpora generated from the sample corpus (examples/articles).

Article ``i`` is sample ``i % 18`` with its own id, url, outlet and date
(the publication date moves by whole days) and one closing reference line
whose code is new for every article: a long stream of real articles brings
new words all the time, and the model's vocabulary must not grow with them.
The texts are the project's own sample articles, so the store and API
benchmarks can reuse this generator for their 100,000-article store.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Iterator

from recoupe.ingest import read_articles
from recoupe.model import Article

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "articles"
OUTLETS = ["example.org", "sahel-info.example", "bamako-soir.example", "niamey-matin.example",
           "ouaga-hebdo.example", "dakar-presse.example", "nouakchott-news.example"]


def sample_articles() -> list[Article]:
    """The sample corpus, in file order."""
    return [a for a in read_articles([str(SAMPLE)]) if isinstance(a, Article)]


def _shifted(date: str | None, days: int) -> str | None:
    """The date ``days`` later, at the same precision (YYYY, YYYY-MM or YYYY-MM-DD)."""
    if not date:
        return date
    parts = [int(p) for p in date.split("-")]
    day = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    moved = day + dt.timedelta(days=days)
    return moved.isoformat()[: len(date)]


def generated(n: int) -> Iterator[dict]:
    """``n`` article records (the JSON objects `recoupe extract` reads)."""
    base = sample_articles()
    for i in range(n):
        a = base[i % len(base)]
        outlet = OUTLETS[i % len(OUTLETS)]
        yield {
            "id": f"{a.id}-{i:06d}",
            "url": f"https://{outlet}/{a.id}/{i:06d}",
            "lang": a.lang or "fr",
            "date": _shifted(a.date, (i // len(base)) % 3650),
            "title": a.title,
            "text": f"{a.text}\n\nRéf. {outlet.split('.')[0].upper()}-{i:06d}",
        }


def write_corpus(path: Path, n: int) -> dict:
    """Write ``n`` generated articles as JSONL; their count and words."""
    words = 0
    with open(path, "w", encoding="utf-8") as out:
        for record in generated(n):
            words += len(record["text"].split())
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return {"articles": n, "words": words}
