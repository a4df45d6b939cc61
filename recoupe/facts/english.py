"""Facts of English articles, read without a parser.

PyPI has no English spaCy model this project can pin, so an English article gets
the French model's tokens and sentences only: its tags and trees are noise on
English.  This fallback reads word forms (lexicons/en/triggers.yaml) and the
actors the linker found, by their place in the sentence:

- the side that acts is named before the trigger, in its clause (coordinated
  names all act: "Campbell and Zeine met"), else the nearest actor before it;
- the other side is the first actor named after the trigger, else, for
  movements and visits, the country the article is about ("withdraw troops from
  the country");
- modality and speaker come from cue words ("will", "agreed to", "reportedly",
  "according to X").

It is coarser than the French extractor, which reads the syntax; its facts have
the same shape and go through the same merging.
"""
from __future__ import annotations

from collections import Counter
from itertools import combinations
from dataclasses import dataclass
from typing import Iterable, Optional

from spacy.tokens import Span

from ..actors.linker import LinkedArticle
from ..data import load_yaml
from ..model import Article, Fact
from ..textnorm import slug
from .extractor import UNITS_FOR, FactExtractor, _trimmed
from .merge import merge_facts
from .quantity import find_quantities
from .timex import as_when, find_times

# words that open a new clause: the acting side of a trigger is named after the last one
CLAUSE_OPENERS = frozenset({",", ";", ":", "that", "which", "who", "as", "while", "when", "after",
                            "before", "since", "because", "but", "(", "—", "–"})
MOVEMENTS = frozenset({"deploy", "withdraw"})
# the French extractor's units, for the types positions can tell; without a parse, the
# headcount in a support sentence is seldom the support's
ENGLISH_UNITS = {t: u for t, u in UNITS_FOR.items() if t in MOVEMENTS | {"arms_transfer", "fight"}} | {
    "support": UNITS_FOR["support"] - {"troops"}}
PRONOUNS = frozenset({"it", "they", "them", "its", "their"})
COORDINATION = frozenset({"and", ",", "as", "well", "both", "the"})  # what may sit between coordinated names


@dataclass(frozen=True)
class Mention:
    """An actor named in a sentence: token span, the collective actor it stands for."""

    start: int
    end: int
    body: str
    place: bool  # named as a place ("in Niger")


@dataclass(frozen=True)
class EnglishLexicon:
    """The English trigger forms, themes and cues (lexicons/en/triggers.yaml)."""

    words: dict[str, list[tuple[str, Optional[str]]]]  # form -> (fact type, theme or None)
    phrases: list[tuple[tuple[str, ...], str]]
    themes: dict[str, frozenset[str]]
    symmetric: frozenset[str]
    host_target: frozenset[str]
    cues: dict[str, frozenset[str]]
    speech_verbs: frozenset[str]
    orders: frozenset[str]  # "ordered them out", "told the troops to leave": an expulsion
    modifiers: frozenset[str]  # nouns that qualify equipment or troops ("attack helicopters")
    blockers: frozenset[str]  # words after which a form is no trigger ("seized power": a coup)
    joint_only: frozenset[str]  # forms that are triggers with coordinated sides only ("agreed")
    pair_phrases: frozenset[tuple[str, ...]]  # "the two countries": the two states named last

    @classmethod
    def load(cls) -> "EnglishLexicon":
        raw = load_yaml("lexicons/en/triggers.yaml")
        words: dict[str, list[tuple[str, Optional[str]]]] = {}
        phrases = []
        for fact_type, spec in raw["types"].items():
            for form in spec.get("words", []):
                words.setdefault(form.lower(), []).append((fact_type, None))
            for theme, forms in spec.get("themed", {}).items():
                for form in forms:
                    words.setdefault(form.lower(), []).append((fact_type, theme))
            phrases += [(tuple(w.lower() for w in p), fact_type) for p in spec.get("phrases", [])]
        return cls(words, phrases, {k: frozenset(v) for k, v in raw["themes"].items()},
                   frozenset(raw["symmetric"]), frozenset(raw["host_target"]),
                   {k: frozenset(v) for k, v in raw["modality"].items()}, frozenset(raw["speech_verbs"]),
                   frozenset(raw["orders"]), frozenset(raw["modifiers"]), frozenset(raw["blockers"]),
                   frozenset(raw["joint_only"]), frozenset(tuple(p) for p in raw["pair_phrases"]))


class EnglishFactExtractor:
    """Extracts the facts of English articles from word forms and positions."""

    def __init__(self, lexicon: Optional[EnglishLexicon] = None):
        self.lex = lexicon or EnglishLexicon.load()

    def extract(self, linked: LinkedArticle, article: Article) -> list[Fact]:
        """Every fact of an English article, repeated mentions merged."""
        facts: list[Fact] = []
        previous: list[str] = []  # the actors the sentence before names first: what "they" are
        by_sentence = _mentions_by_sentence(linked)
        for sent in linked.doc.sents:
            if all(t.i in linked.clutter or t.is_space for t in sent):
                continue
            mentions = by_sentence.get(sent.start, [])
            facts += self._sentence_facts(sent, mentions, linked, article, previous)
            previous = [m.body for m in mentions if not m.place][:1] or previous
        return merge_facts(facts)

    # -- one sentence ------------------------------------------------------------
    def _sentence_facts(self, sent: Span, mentions: list[Mention], linked: LinkedArticle, article: Article,
                        previous: list[str]) -> list[Fact]:
        words = [t.lower_ for t in sent]
        triggers = list(self._triggers(words))
        if not triggers or not mentions:
            return []
        times = find_times(sent.text, article.date, offset=sent.start_char)
        quantities = find_quantities(sent)
        speaker = self._speaker(sent, words, mentions, linked)
        start, end = _trimmed(sent)
        out = []
        for i, length, fact_type in triggers:
            at = sent.start + i
            sources = self._sources(words, mentions, i, sent.start)
            pair = self._pair_before(words, i, linked, sent.start)
            if pair and fact_type in self.lex.symmetric:
                sources = pair  # "the two countries signed a memorandum"
            if words[i] in self.lex.joint_only and len(sources) < 2:
                continue  # "the US and Niger have agreed" is an agreement; "the US agreed to leave" is not
            if fact_type in self.lex.symmetric and len(sources) > 1:
                pairs = list(combinations(sources, 2))  # "Campbell and Zeine met"
            else:
                targets = _targets(words, mentions, i + length, sent.start, sources)
                if i + length < len(words) and words[i + length] in PRONOUNS:
                    targets = [p for p in previous if p not in sources] or targets  # "accused them of"
                if fact_type in MOVEMENTS:  # where a force goes or leaves: a country
                    targets = [t for t in targets if linked.actors.get(t) and linked.actors[t].type == "state"][:1]
                if not targets and fact_type in self.lex.host_target:
                    targets = _country_at_stake(linked, sources)
                pairs = [(s, t) for s in sources for t in targets if s != t and not linked.same_side(s, t)]
            if not pairs:
                continue
            if fact_type == "withdraw":
                fact_type, pairs = self._ordered_out(words, mentions, i, sent.start, pairs, fact_type)
            modality = self._modality(words, i, speaker is not None)
            when = self._when(_clause_times(times, sent, words, i), sent, at, modality, article)
            quantity = FactExtractor.quantity_for(sent[i], fact_type, quantities, ENGLISH_UNITS)
            for source, target in pairs:
                out.append(Fact(type=fact_type, source=source, target=target, modality=modality,
                                evidence=article.text[start:end], evidence_start=start, evidence_end=end,
                                trigger=sent[i].text, when=when, quantity=quantity,
                                speaker=speaker,
                                when_stated=when is not None and when != article.date))
        return out

    def _triggers(self, words: list[str]) -> Iterable[tuple[int, int, str]]:
        """(index in the sentence, length in words, fact type) of each trigger; not a word that
        qualifies the next ("attack helicopters", "combat troops")."""
        present = set(words)
        qualified = self.lex.themes["troops"] | self.lex.themes["weapon"]
        for i, word in enumerate(words):
            following = words[i + 1] if i + 1 < len(words) else ""
            # "attack helicopters", "seized power": no trigger on its own (a phrase may still be)
            blocked = word in self.lex.modifiers and following in qualified or following in self.lex.blockers
            for fact_type, theme in [] if blocked else self.lex.words.get(word, []):
                if theme is None or present & self.lex.themes[theme]:
                    yield i, 1, fact_type
            for phrase, fact_type in self.lex.phrases:
                if tuple(words[i:i + len(phrase)]) == phrase:
                    yield i, len(phrase), fact_type

    def _ordered_out(self, words: list[str], mentions: list[Mention], i: int, offset: int,
                     pairs: list[tuple[str, str]], fact_type: str) -> tuple[str, list[tuple[str, str]]]:
        """ "the junta ordered them out", "ordered the French troops to leave": who orders a
        force to leave rejects it (ONTOLOGY.md); the departure is not a fact of its own."""
        order = next((j for j in range(max(0, i - 8), i) if words[j] in self.lex.orders), None)
        if order is None:
            return fact_type, pairs
        orderers = self._sources(words, mentions, order, offset)
        ordered = [m.body for m in mentions if offset + order < m.start < offset + i + 1 and m.body not in orderers]
        ordered = ordered or [s for s, _ in pairs if s not in orderers]
        return "reject", [(o, t) for o in orderers for t in dict.fromkeys(ordered) if o != t]

    def _pair_before(self, words: list[str], i: int, linked: LinkedArticle, offset: int) -> list[str]:
        """The two states named last before "the two countries" just before the trigger."""
        opener = _last_opener(words, i)
        window = words[opener + 1:i]
        at = next((opener + 1 + k for k in range(len(window)) if tuple(window[k:k + 2]) in self.lex.pair_phrases), None)
        if at is None:
            return []
        states: list[str] = []
        for m in sorted(linked.mentions, key=lambda m: -m.start):
            actor = linked.actors.get(m.actor_id)
            if m.start < offset + at and actor and actor.type == "state" and m.actor_id not in states:
                states.append(m.actor_id)
            if len(states) == 2:
                return states
        return []

    @staticmethod
    def _sources(words: list[str], mentions: list[Mention], i: int, offset: int) -> list[str]:
        """Who acts: the nearest actor named before the trigger (not as a place, if one is) and
        those coordinated with it ("Burkina Faso, Mali and Niger ... signed"); "the
        al-Qaeda-linked JNIM" is the JNIM only."""
        earlier = [m for m in mentions if m.end <= offset + i]
        named = [m for m in earlier if not m.place] or earlier
        if not named:
            return []
        group = [named[-1]]
        for m in reversed(named[:-1]):
            between = words[m.end - offset:group[-1].start - offset]
            if m.body == group[-1].body and not set(between) & CLAUSE_OPENERS - {","}:
                group.append(m)  # "U.S. Deputy Secretary Kurt Campbell": one side, twice named
            elif between and set(between) <= COORDINATION and ("and" in between or "," in between):
                group.append(m)
            else:
                break
        return list(dict.fromkeys(m.body for m in reversed(group)))

    def _modality(self, words: list[str], i: int, reported: bool) -> str:
        cues = self.lex.cues
        clause = set(words[_last_opener(words, i, CLAUSE_OPENERS - {","}) + 1:i])
        if set(words[max(0, i - 6):i]) & cues["negation"]:  # "no public announcement about the withdrawal"
            return "negated"
        if clause & cues["hypothetical"]:
            return "hypothetical"
        if set(words) & cues["hedged"]:
            return "hedged"
        return "reported" if reported else "asserted"

    def _speaker(self, sent: Span, words: list[str], mentions: list[Mention],
                 linked: LinkedArticle) -> Optional[str]:
        """Who the sentence reports: "according to X", "X said", "X reported"; "unknown" when
        it reports without naming whom; None for the article's own voice."""
        for i in range(len(words) - 1):
            if (words[i], words[i + 1]) == ("according", "to"):
                return _named_at(sent, linked, mentions, sent.start + i + 2) or "unknown"
        for i, word in enumerate(words):
            if word in self.lex.speech_verbs:
                named = [m for m in mentions if m.end <= sent.start + i]
                media = _medium_before(sent, linked, i)
                return media or (named[-1].body if named else "unknown")
        return None

    @staticmethod
    def _when(times, sent: Span, at: int, modality: str, article: Article):
        if times:
            char = sent.doc[at].idx
            return as_when(min(times, key=lambda t: abs(t.start - char)))
        return article.date if modality in ("asserted", "reported", "hedged") else None


def _mentions_by_sentence(linked: LinkedArticle) -> dict[int, list[Mention]]:
    """Each sentence's actor mentions (by its first token), each as the collective actor it
    stands for, in text order."""
    found: dict[int, list[Mention]] = {}
    for m in sorted(linked.mentions, key=lambda m: m.start):
        if body := linked.body_of(m.actor_id):
            found.setdefault(linked.doc[m.start].sent.start, []).append(Mention(m.start, m.end, body, bool(m.place_use)))
    return found


def _last_opener(words: list[str], i: int, openers: frozenset[str] = CLAUSE_OPENERS) -> int:
    """The index of the last clause opener before word i, -1 when the clause starts the sentence."""
    return max([j for j in range(i) if words[j] in openers] + [-1])


def _targets(words: list[str], mentions: list[Mention], j: int, offset: int, sources: list[str]) -> list[str]:
    """The other side: the actors named after the trigger, up to the next clause ("target ISIL
    fighters and the JNIM, ...")."""
    closer = min([k for k in range(j, len(words)) if words[k] in CLAUSE_OPENERS] + [len(words)])
    named = [m.body for m in mentions if offset + j <= m.start < offset + closer and m.body not in sources]
    if not named:  # "withdraw troops from the country under military rule, ...": further on
        named = [m.body for m in mentions if m.start >= offset + j and m.body not in sources][:1]
    return list(dict.fromkeys(named))


def _clause_times(times, sent: Span, words: list[str], i: int):
    """The time expressions before the trigger or in its own clause ("Niger announced in March
    that it had suspended", but "agreed to withdraw troops from the country under military rule
    since July 2023": not the date of the rule)."""
    inside = {k for t in times for k in range(len(words)) if t.start <= sent[k].idx < t.end}
    closer = min([k for k in range(i + 1, len(words)) if words[k] in CLAUSE_OPENERS and k not in inside
                  and words[k - 1] not in ("known", "such")] + [len(words)])  # "known as", "since 2021"
    last = sent[closer - 1].idx + len(sent[closer - 1])
    return [t for t in times if t.end <= last]


def _country_at_stake(linked: LinkedArticle, sources: list[str]) -> list[str]:
    """The host country, else the state the article names most besides the acting sides."""
    if linked.host and linked.host not in sources:
        return [linked.host]
    counts = Counter(m.actor_id for m in linked.mentions if m.actor_id not in sources
                     and m.actor_id in linked.actors and linked.actors[m.actor_id].type == "state")
    return [counts.most_common(1)[0][0]] if counts else []


def _named_at(sent: Span, linked: LinkedArticle, mentions: list[Mention], at: int) -> Optional[str]:
    """The actor or medium named right at a token ("according to Reuters"), before any
    punctuation ("according to reports, with Washington ..." names no one)."""
    end = next((i for i in range(at, min(at + 4, sent.end)) if sent.doc[i].is_punct), min(at + 4, sent.end))
    for i in range(at, end):
        if i in linked.media_tokens:
            return slug(linked.media_tokens[i])
    nearby = [m for m in mentions if at <= m.start < end]
    return nearby[0].body if nearby else None


def _medium_before(sent: Span, linked: LinkedArticle, i: int) -> Optional[str]:
    media = [linked.media_tokens[j] for j in range(sent.start, sent.start + i) if j in linked.media_tokens]
    return slug(media[-1]) if media else None
