"""Load the trigger, theme, modality and attribution lexicons (data/lexicons/fr)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..data import load_yaml
from ..errors import LexiconError
from ..textnorm import fold, lemma_forms

FACT_TYPES = ("deploy", "withdraw", "arms_transfer", "train", "support", "request", "reject", "threaten",
              "criticize", "capture", "fight", "agreement", "cooperate", "meet", "tension")
SYMMETRIC = frozenset({"fight", "agreement", "cooperate", "meet", "tension"})
CANDIDATES_CACHE = 1 << 16  # words whose candidate triggers are kept
POS_OF_SECTION = {"verbs": ("VERB", "AUX"), "nouns": ("NOUN", "PROPN"), "adjectives": ("ADJ", "VERB")}


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry: a lemma that may announce a fact of ``type``."""

    type: str
    lemma: str
    pos: tuple[str, ...]
    section: str  # verbs, nouns, adjectives, phrases
    theme: Optional[str] = None
    inverse: bool = False
    agent: bool = False
    phrase: tuple[str, ...] = ()
    modality: Optional[str] = None  # the trigger's own modality ("promettre": hypothetical)
    no_reflexive: bool = False  # not in its reflexive use ("s'engager à": to commit, not to deploy)


@dataclass(frozen=True)
class Theme:
    """What a trigger's complement must name for an ambiguous trigger to count."""

    name: str
    lemmas: frozenset[str] = frozenset()
    exclude_lemmas: frozenset[str] = frozenset()
    actor_types: frozenset[str] = frozenset()
    places: bool = False
    complement_marks: frozenset[str] = frozenset()
    reflexive: bool = False
    place_marks: frozenset[str] = frozenset()  # a place in a complement with these prepositions ("entrer dans Kidal")
    following: int = 0  # the lemmas also count within this many words after a nominal trigger


@dataclass
class Lexicon:
    """Every French lexicon the fact extractor reads."""

    by_lemma: dict[str, list[Trigger]] = field(default_factory=dict)
    phrases: list[Trigger] = field(default_factory=list)
    frames: dict[str, dict] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    modality: dict = field(default_factory=dict)
    attribution: dict = field(default_factory=dict)
    _phrase_index: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)
    _indexed: int = field(default=0, repr=False, compare=False)  # phrases in the index
    _candidates: dict[tuple, tuple] = field(default_factory=dict, repr=False, compare=False)
    _stamp: tuple = field(default=(), repr=False, compare=False)  # the lexicon's size when cached

    def phrases_from(self, *firsts: str) -> list[Trigger]:
        """The phrase triggers whose first (folded) word is one of ``firsts``, in lexicon order:
        the only ones a token can start (looking up every phrase at every token is slow)."""
        for n in range(self._indexed, len(self.phrases)):  # phrases added since the last call
            self._phrase_index.setdefault(self.phrases[n].phrase[0], []).append(n)
        self._indexed = len(self.phrases)
        numbers = sorted({n for first in set(firsts) for n in self._phrase_index.get(first, ())})
        return [self.phrases[n] for n in numbers]

    def candidates(self, lemma: str, text: str, pos: str) -> tuple[tuple[Trigger, ...], tuple[Trigger, ...]]:
        """What a token with this lemma, text and part of speech may trigger, before any check of
        its context: the entries of its first lemma candidate that has some, and the phrases it
        may start.  The rules ask for the same few thousand words at every token: the answers
        are kept (a bounded cache, cleared when entries are added to the lexicon)."""
        stamp = (len(self.by_lemma), len(self.phrases))
        if stamp != self._stamp or len(self._candidates) >= CANDIDATES_CACHE:
            self._candidates.clear()
            self._stamp = stamp
        key = (lemma, text, pos)
        found = self._candidates.get(key)
        if found is None:
            entries: list[Trigger] = []
            for form in lemma_forms(lemma, text, pos):
                entries = self.triggers_for(form, pos)
                if entries:
                    break
            found = self._candidates[key] = (tuple(entries), tuple(self.phrases_from(fold(lemma), fold(text))))
        return found

    def triggers_for(self, lemma: str, pos: str) -> list[Trigger]:
        """Lexicon entries whose lemma and part of speech fit a token."""
        return [t for t in self.by_lemma.get(fold(lemma), []) if pos in t.pos]


def _folded_set(values) -> frozenset[str]:
    return frozenset(fold(str(v)) for v in values or ())


def load_lexicon(lang: str = "fr") -> Lexicon:
    """Read and check the lexicons of one language."""
    base = f"lexicons/{lang}"
    raw = load_yaml(f"{base}/triggers.yaml")
    lex = Lexicon(frames=raw["frames"])
    for fact_type, sections in raw["types"].items():
        if fact_type not in FACT_TYPES:
            raise LexiconError(f"{base}/triggers.yaml: unknown fact type {fact_type!r}")
        for section, entries in sections.items():
            if section == "phrases":  # a list of words, or {words: [...], theme: CLASS}
                for entry in entries:
                    words, theme = (entry["words"], entry.get("theme")) if isinstance(entry, dict) else (entry, None)
                    lex.phrases.append(Trigger(fact_type, fold(words[0]), ("VERB", "NOUN", "AUX"), section,
                                               theme=theme, phrase=tuple(fold(w) for w in words)))
                continue
            if section not in POS_OF_SECTION:
                raise LexiconError(f"{base}/triggers.yaml: {fact_type}: unknown section {section!r}")
            for lemma, options in (entries or {}).items():
                options = options or {}
                trigger = Trigger(fact_type, fold(lemma), POS_OF_SECTION[section], section,
                                  theme=options.get("theme"), inverse=bool(options.get("inverse")),
                                  agent=bool(options.get("agent")), modality=options.get("modality"),
                                  no_reflexive=bool(options.get("no_reflexive")))
                lex.by_lemma.setdefault(trigger.lemma, []).append(trigger)
    for name, spec in load_yaml(f"{base}/themes.yaml")["classes"].items():
        lex.themes[name] = Theme(name, _folded_set(spec.get("lemmas")), _folded_set(spec.get("exclude_lemmas")),
                                 frozenset(spec.get("actor_types", ())), bool(spec.get("places")),
                                 _folded_set(spec.get("complement_marks")), bool(spec.get("reflexive")),
                                 _folded_set(spec.get("place_marks")), int(spec.get("following", 0)))
    for trigger_list in lex.by_lemma.values():
        for trigger in trigger_list:
            if trigger.theme and trigger.theme not in lex.themes:
                raise LexiconError(f"{base}/triggers.yaml: {trigger.lemma}: unknown theme {trigger.theme!r}")
    lex.modality = load_yaml(f"{base}/modality.yaml")
    lex.attribution = load_yaml(f"{base}/attribution.yaml")
    return lex
