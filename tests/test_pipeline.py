"""The extractor's stream: batches and memory zones change nothing in the results, and free
what the model learnt from each article (memory flat in corpus size)."""
from __future__ import annotations

import json
from pathlib import Path

from recoupe.model import Article

TEXTS = [
    "Le Niger a demandé le retrait des troupes françaises stationnées à Niamey. Réf. {code}",
    "Des drones turcs ont été livrés au Burkina Faso, selon des sources sécuritaires. Réf. {code}",
    "Le Mali et la Russie ont signé un accord de coopération militaire à Bamako. Réf. {code}",
]


def _articles(n: int, prefix: str) -> list[Article]:
    return [Article(id=f"{prefix}{i}", text=TEXTS[i % 3].format(code=f"{prefix}{i:05d}qz"), date="2024-02-10",
                    lang="fr") for i in range(n)]


def test_zones_and_batches_give_the_results_of_one_article_at_a_time(extractor, monkeypatch):
    articles = _articles(7, "Zb")
    one_by_one = [json.dumps(extractor.extract(a).to_json(), ensure_ascii=False) for a in articles]
    monkeypatch.setattr(extractor, "zone_size", 3)
    monkeypatch.setattr(extractor, "batch_size", 2)
    streamed = [json.dumps(r.to_json(), ensure_ascii=False) for r in extractor.extract_all(articles)]
    assert streamed == one_by_one
    assert any(r["facts"] for r in map(json.loads, streamed))


def test_words_of_a_streamed_article_do_not_stay_in_the_vocabulary(extractor):
    streamed = _articles(4, "Zs")
    results = list(extractor.extract_all(streamed))
    assert [r.article.id for r in results] == [a.id for a in streamed]
    assert not any(f"Zs{i:05d}qz" in extractor.nlp.vocab.strings for i in range(4))
    # outside the stream (one article, no memory zone) the model keeps every new word
    kept = _articles(1, "Zk")[0]
    extractor.extract(kept)
    assert "Zk00000qz" in extractor.nlp.vocab.strings


def test_lemmas_of_a_streamed_article_s_words_do_not_stay_cached(extractor):
    """spaCy's lemmatizer caches every word it lemmatizes; the words a memory zone freed leave
    that cache with it (else it grows with the corpus)."""
    from spacy.strings import hash_string

    lemmatizer = extractor.nlp.get_pipe("lemmatizer")
    list(extractor.extract_all(_articles(4, "Zl")))
    cached = {key[0] for key in lemmatizer.cache}
    assert not any(hash_string(f"Zl{i:05d}qz") in cached for i in range(4))
    assert hash_string("troupes") in cached  # the model's own words stay


def test_priming_the_tokenizer_keeps_no_word_of_the_corpus(extractor):
    """The primer splits the coming texts outside memory zones, but only chunks of strings the
    model already had: the vocabulary does not grow, and the texts tokenize as before."""
    from recoupe.nlp import TokenizerPrimer

    nlp = extractor.nlp
    texts = [t.format(code=f"Zp{i:05d}qz") for i, t in enumerate(TEXTS)]
    with nlp.memory_zone():
        before = [[t.text for t in nlp.make_doc(text)] for text in texts]
    strings = len(nlp.vocab.strings)
    primer = TokenizerPrimer(nlp)
    primer.prime(texts)
    assert len(nlp.vocab.strings) == strings
    assert not any(f"Zp{i:05d}qz" in nlp.vocab.strings for i in range(3))
    assert primer.room < nlp.tokenizer.max_cache_size  # the known chunks were primed
    with nlp.memory_zone():
        assert [[t.text for t in nlp.make_doc(text)] for text in texts] == before


def test_line_breaks_and_final_punctuation_end_sentences_and_nothing_else(extractor):
    text = "Sommet à Bamako\nSelon Reuters, des soldats auraient été déployés à Gao. Le Mali dément."
    doc = extractor.nlp(text)
    assert [s.text.strip() for s in doc.sents] == [
        "Sommet à Bamako", "Selon Reuters, des soldats auraient été déployés à Gao.", "Le Mali dément."]


def test_the_pipeline_gives_every_token_the_model_s_own_attributes(extractor):
    """The attribute rules done on arrays (PosTags) and the line-break component give the same
    tags, parts of speech, morphology, lemmas, parse and entities as the model's own components."""
    import spacy
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

    from recoupe.ingest import read_articles

    reference = spacy.load("fr_core_news_md")
    reference.add_pipe("recoupe_line_breaks", before="parser")
    assert "attribute_ruler" in reference.pipe_names and "attribute_ruler" not in extractor.nlp.pipe_names
    texts = [a.text for a in read_articles([str(Path(__file__).resolve().parent.parent / "examples" / "articles")]) if isinstance(a, Article)]
    texts.append("Deux lignes\n\n  avec des espaces \t et\u00a0des tabulations.\n")
    attrs = [TAG, POS, MORPH, LEMMA, DEP, HEAD, SENT_START]
    entities = extractor.nlp.get_pipe("recoupe_entities")
    read_tokens = same_entity = 0
    for ours, theirs in zip(extractor.nlp.pipe(texts), reference.pipe(texts)):
        assert (ours.to_array(attrs) == theirs.to_array(attrs)).all()
        # entities where the recogniser reads (SelectiveEntities): the model's own, but for a
        # few tokens at the edges of the sentences it reads (it sees four tokens each side)
        read = entities._selected(ours)
        agree = (ours.to_array([ENT_IOB, ENT_TYPE])[read] == theirs.to_array([ENT_IOB, ENT_TYPE])[read]).all(axis=1)
        read_tokens, same_entity = read_tokens + len(read), same_entity + int(agree.sum())
    assert read_tokens > 1000 and same_entity >= 0.99 * read_tokens


def test_entities_are_read_only_where_a_name_may_be_unknown(extractor):
    """A sentence whose capitalised words are all known names is not given to the recogniser;
    one with an unknown name is, and its entities are the model's."""
    import spacy

    text = ("Le Mali et la France ont parlé de Barkhane à Bamako.\n"
            "Le colonel Ibrahim Sanogho, inconnu de la base, commande à Tessit.")
    entities = extractor.nlp.get_pipe("recoupe_entities")
    doc = extractor.nlp(text)
    first, second = list(doc.sents)
    read = entities._selected(doc)
    assert read == list(range(second.start, second.end))
    persons = [e.text for e in doc.ents if e.label_ == "PER"]
    assert persons == [e.text for e in spacy.load("fr_core_news_md")(second.text).ents if e.label_ == "PER"]
    assert "Ibrahim Sanogho" in persons


def test_reading_fewer_sentences_changes_no_result(extractor):
    """The sample corpus gives the same actors and facts whether the recogniser reads every
    sentence or only those that may hold an unknown name."""
    from recoupe.ingest import read_articles

    articles = [a for a in read_articles([str(Path(__file__).resolve().parent.parent / "examples" / "articles")])
                if isinstance(a, Article)]
    entities = extractor.nlp.get_pipe("recoupe_entities")
    selective = [r.to_json() for r in extractor.extract_all(articles)]
    known, entities.known = entities.known, None
    try:
        everything = [r.to_json() for r in extractor.extract_all(articles)]
    finally:
        entities.known = known
    assert selective == everything


def test_sentences_found_once_are_spacy_s_sentences(extractor):
    """doc.sents, span.sent and token.sent answer from sentences found once per doc: the same
    spans as spaCy's, with the same texts."""
    from recoupe.ingest import read_articles
    from recoupe.nlp.text import keep_sentences

    texts = [a.text for a in read_articles([str(Path(__file__).resolve().parent.parent / "examples" / "articles")])
             if isinstance(a, Article)] + ["", "\n", "Une seule phrase sans point"]
    for doc in extractor.nlp.pipe(texts):
        ours = [(s.start, s.end, s.text) for s in doc.sents]
        of_tokens = [(t.sent.start, t.sent.end) for t in doc]
        del doc.user_hooks["sents"], doc.user_span_hooks["sent"]  # spaCy's own
        assert ours == [(s.start, s.end, s.text) for s in doc.sents]
        assert of_tokens == [(t.sent.start, t.sent.end) for t in doc]
        keep_sentences(doc)


def test_docs_do_not_outlive_their_articles(extractor):
    """Nothing the rules keep in a doc refers back to it: each doc is freed as soon as its
    article is done, not at the garbage collector's next full pass (memory stays flat)."""
    import gc

    from spacy.tokens import Doc

    list(extractor.extract_all(_articles(2, "Zw")))
    gc.collect()
    gc.disable()
    try:
        results = list(extractor.extract_all(_articles(6, "Zd")))
        alive = sum(1 for o in gc.get_objects() if isinstance(o, Doc))
    finally:
        gc.enable()
    assert len(results) == 6 and alive == 0
