"""Cross-checking: copies of one story, outlets, and claims gathered from the reports of many articles."""
from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.crosscheck import (COPY_THRESHOLD, Report, band_keys, claim_key, group_claims, is_copy,
                                normalise_for_copies, outlet_of, pack, signature, similarity, unpack)
from recoupe.ingest import read_articles
from recoupe.model import Article

ROOT = Path(__file__).resolve().parent.parent

# A story written for these tests, and the forms its republication takes.
STORY = (
    "Les autorités maliennes ont reçu mardi à Bamako un nouveau lot d'équipements militaires livrés par la "
    "Russie, dont quatre hélicoptères de combat et des radars de surveillance aérienne, a constaté notre "
    "correspondant sur le tarmac de l'aéroport international Modibo-Keïta.\n\n"
    "Cette livraison intervient alors que les relations entre Bamako et Paris ne cessent de se dégrader depuis "
    "l'annonce du retrait progressif des soldats français engagés dans l'opération Barkhane au nord du pays.\n\n"
    "« Ces appareils renforceront la capacité de nos forces à frapper les groupes terroristes partout sur le "
    "territoire », a déclaré le ministre de la Défense lors d'une courte cérémonie, sans préciser le montant de "
    "la transaction ni ses modalités de paiement.\n\n"
    "Plusieurs diplomates occidentaux en poste dans la capitale redoutent que cette coopération accrue avec "
    "Moscou ne prépare l'arrivée de paramilitaires étrangers, une hypothèse que le gouvernement de transition "
    "a toujours fermement démentie devant la presse nationale et internationale.\n\n"
    "Selon une source sécuritaire, d'autres livraisons seraient attendues dans les prochaines semaines, "
    "notamment des véhicules blindés et des munitions destinés aux unités déployées dans la région de Mopti."
)

REPUBLISHED = (
    "Mali : nouvelle livraison d'hélicoptères russes à Bamako\n"
    "Par Awa Traoré\n\n"
    "Bamako, 5 octobre 2021 – Les autorités maliennes ont reçu mardi à Bamako un nouveau lot d'équipements "
    "militaires livrés par la Russie, dont quatre hélicoptères de combat et des radars de surveillance aérienne, "
    "a constaté un journaliste sur le tarmac de l'aéroport international Modibo-Keïta.\n\n"
    "Cette livraison intervient alors que les relations entre Bamako et Paris ne cessent de se dégrader depuis "
    "l'annonce du retrait progressif des soldats français engagés dans l'opération Barkhane au nord du pays.\n\n"
    "Lire aussi : Barkhane, la fin d'une époque\n\n"
    "« Ces appareils renforceront la capacité de nos forces à frapper les groupes terroristes partout sur le "
    "territoire », a déclaré le ministre de la Défense lors d'une courte cérémonie, sans préciser le montant de "
    "la transaction ni ses modalités de paiement.\n\n"
    "Plusieurs diplomates occidentaux en poste dans la capitale redoutent que cette coopération accrue avec "
    "Moscou ne prépare l'arrivée de paramilitaires étrangers, une hypothèse que le gouvernement de transition "
    "a toujours démentie devant la presse nationale et internationale.\n\n"
    "Selon une source sécuritaire, d'autres livraisons seraient attendues dans les prochaines semaines, "
    "notamment des véhicules blindés et des munitions destinés aux unités déployées dans la région de Mopti. (AFP)\n"
    "Photo : AFP"
)

# Same actors, same weeks, different story.
OTHER_STORY = (
    "L'armée malienne affirme avoir repoussé jeudi une attaque de combattants djihadistes contre un poste "
    "avancé près de Boni, dans la région de Mopti, au cours de laquelle plusieurs assaillants auraient été tués.\n\n"
    "Les hélicoptères de combat livrés récemment par la Russie ont été engagés pour la première fois, selon un "
    "communiqué de l'état-major qui ne précise pas le bilan des pertes dans les rangs des soldats.\n\n"
    "Les relations entre Bamako et Paris restent tendues depuis l'annonce du retrait des soldats français de "
    "l'opération Barkhane, et le gouvernement de transition accuse la France d'abandon en plein vol."
)


# --- copies ----------------------------------------------------------------

def test_normalisation_drops_headline_byline_dateline_and_credits():
    text = normalise_for_copies(REPUBLISHED)
    assert text.startswith("les autorites maliennes ont recu mardi a bamako")
    assert text.endswith("dans la region de mopti")
    for clutter in ("awa traore", "lire aussi", "photo", "5 octobre 2021", "afp"):
        assert clutter not in text
    assert text == " ".join(text.split()) and text == text.lower()


BODY = ("Les soldats ont quitté la base de Ménaka ce matin après des semaines de tension avec les autorités "
        "locales et les groupes armés de la région.")


@pytest.mark.parametrize("dateline", [
    "BAMAKO (AFP) - ", "Ouagadougou, le 3 mars 2023 (AIB) - ", "Niamey, 12/03/2023 – ",
    "Paris, 1er février 2022 — ", "Tombouctou (Mali), le 4 mai 2021 (AFP) – ",
])
def test_normalisation_drops_a_dateline(dateline):
    assert normalise_for_copies(dateline + BODY) == normalise_for_copies(BODY)
    assert normalise_for_copies(BODY).startswith("les soldats ont quitte")


@pytest.mark.parametrize("line, dropped", [
    ("Par Awa Traoré", True), ("De notre correspondant à Gao", True), ("Photo : AFP / Souleymane Ag Anara", True),
    ("Lire aussi Mali : la junte dénonce l'accord d'Alger", True),
    ("Par ailleurs, les renforts tchadiens sont arrivés dans la ville.", False),
    ("Source de tensions, la présence de Wagner divise les partenaires européens du Mali.", False),
])
def test_clutter_lines_inside_the_text(line, dropped):
    text = f"{BODY}\n{line}\n{BODY}"
    assert (normalise_for_copies(text) == normalise_for_copies(f"{BODY}\n{BODY}")) is dropped


def test_normalisation_keeps_a_brief_of_short_lines():
    assert normalise_for_copies("Attaque près de Gao.\nDeux soldats tués.") == "attaque pres de gao deux soldats tues"


def test_republished_story_is_a_copy_and_another_story_is_not():
    original, copy, other = signature(STORY), signature(REPUBLISHED), signature(OTHER_STORY)
    assert similarity(original, copy) > 0.8
    assert is_copy(original, copy) and set(band_keys(original)) & set(band_keys(copy))
    assert similarity(original, other) < 0.1
    assert not is_copy(original, other) and not is_copy(copy, other)


def test_truncated_copy_is_a_copy():
    paragraphs = STORY.split("\n\n")
    truncated = "\n\n".join(paragraphs[:3])  # the first three of five paragraphs
    assert is_copy(signature(STORY), signature(truncated))
    assert not is_copy(signature(STORY), signature(paragraphs[0]))  # one paragraph is no copy


def test_empty_text_is_a_copy_of_nothing():
    empty = signature("  \n« — »\n")
    assert band_keys(empty) == []
    assert similarity(empty, empty) == 0.0 and not is_copy(empty, signature(STORY))


def test_signature_is_reproducible_across_processes():
    code = ("import sys, json; from recoupe.crosscheck import signature; "
            "print(json.dumps(signature(sys.stdin.read())))")
    out = subprocess.run([sys.executable, "-c", code], input=STORY, capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONHASHSEED": "12345"}, cwd=ROOT)
    assert tuple(json.loads(out.stdout)) == signature(STORY)


def test_signature_values_are_fixed():
    # Stored signatures must stay comparable with new ones: the hashing may never drift silently.
    sig = signature("Les soldats maliens ont repris le contrôle de la ville de Kidal mardi.")
    assert len(sig) == 128 and all(0 <= v < 2**32 for v in sig)
    assert band_keys(sig)[:2] == FIXED_BAND_KEYS


FIXED_BAND_KEYS = ["00:8cf563cd3ce08fcc", "01:de650e5ada592f7f"]  # computed once, on the first version


def test_pack_round_trip_and_bad_bytes():
    sig = signature(STORY)
    data = pack(sig)
    assert len(data) == 4 * len(sig) and unpack(data) == sig
    with pytest.raises(ValueError, match="multiple of 4"):
        unpack(data[:-1])
    with pytest.raises(ValueError, match="different lengths"):
        similarity(sig, sig[:64])


@pytest.mark.parametrize("url, outlet", [
    ("https://www.lemonde.fr/afrique/article/2021/10/01/x.html", "lemonde.fr"),
    ("https://amp.lemonde.fr/x", "lemonde.fr"),
    ("https://m.lemonde.fr/x", "lemonde.fr"),
    ("https://blogs.lemonde.fr/x", "lemonde.fr"),
    ("http://WWW.RFI.FR:80/fr/afrique", "rfi.fr"),
    ("www.jeuneafrique.com/1234/politique", "jeuneafrique.com"),
    ("https://www.bbc.co.uk/afrique/x", "bbc.co.uk"),
    ("https://sahel-info.blogspot.com/2021/10/x.html", "sahel-info.blogspot.com"),
    (None, None), ("", None), ("   ", None), ("mailto:", None),
])
def test_outlet_of(url, outlet):
    assert outlet_of(url) == outlet


def _corpus_pairs(articles_dir: Path, copies_file: Path) -> tuple[dict, set]:
    articles = {a.id: a for a in read_articles([str(articles_dir)]) if isinstance(a, Article)}
    listed = {tuple(sorted(p)) for p in json.loads(copies_file.read_text(encoding="utf-8"))}
    return articles, listed


def _check_copies(articles: dict, listed: set) -> None:
    sigs = {i: signature(a.text) for i, a in articles.items()}
    keys = {i: set(band_keys(s)) for i, s in sigs.items()}
    assert listed and all(x in sigs and y in sigs for x, y in listed)
    for x, y in itertools.combinations(sorted(sigs), 2):
        found = is_copy(sigs[x], sigs[y]) and bool(keys[x] & keys[y])
        assert found == ((x, y) in listed), (x, y, similarity(sigs[x], sigs[y]))
        # With a margin on both sides: an estimate a few standard deviations off changes nothing.
        if (x, y) in listed:
            assert similarity(sigs[x], sigs[y]) >= COPY_THRESHOLD + 0.15
        else:
            assert similarity(sigs[x], sigs[y]) <= COPY_THRESHOLD - 0.2


def test_sample_corpus_copies_are_exactly_the_listed_pairs():
    _check_copies(*_corpus_pairs(ROOT / "examples" / "articles", ROOT / "examples" / "copies.json"))


def test_dev_corpus_copies_are_exactly_the_listed_pairs(dev_corpus):
    _check_copies(*_corpus_pairs(dev_corpus / "articles", dev_corpus / "copies.json"))


# --- claims -----------------------------------------------------------------

def report(article: str, type: str, source: str, target: str | None, evidence: str, *, index: int = 0,
           outlet: str | None = None, story: str | None = None, published: str | None = None,
           modality: str = "asserted", speaker: str | None = None, when=None, place: str | None = None,
           quantity: dict | None = None) -> Report:
    """A report as the store builds it from one fact of one article."""
    return Report(article_id=article, fact_id=f"{article}#{index}", outlet=outlet, story_id=story or article,
                  published=published, type=type, source=source, target=target, modality=modality,
                  speaker=speaker, when=when, place=place, quantity=quantity, evidence=evidence)


def deployment_reports() -> list[Report]:
    """Five articles on Wagner in Mali: two copies of one story, two of one outlet, a denial."""
    return [
        report("a1", "deploy", "wagner", "mali", "Environ 1 000 mercenaires de Wagner sont déployés au Mali.",
               outlet="lemonde.fr", published="2021-12-24", when="2021-12", quantity={"value": 1000, "unit": "troops"}),
        report("a2", "deploy", "wagner", "mali", "Environ 1 000 mercenaires de Wagner sont déployés au Mali.",
               outlet="pressafrik.com", story="a1", published="2021-12-26", when="2021-12",
               quantity={"value": 1000, "unit": "troops"}),
        report("a3", "deploy", "wagner", "mali", "Quelque 400 hommes de Wagner seraient arrivés au Mali.",
               outlet="rfi.fr", published="2021-12-20", modality="hedged", quantity={"value": 400, "unit": "troops"}),
        report("a4", "deploy", "wagner", "mali", "Selon Washington, Wagner a déployé ses hommes au Mali.",
               outlet="rfi.fr", published="2021-12-28", modality="reported", speaker="usa"),
        report("a5", "deploy", "wagner", "mali", "Bamako dément tout déploiement de Wagner sur son sol.",
               published="2021-12-25", modality="negated", speaker="mali"),
    ]


def test_one_claim_with_profile_sources_and_contradictions():
    (claim,) = group_claims(deployment_reports())
    out = claim.to_json()
    assert (out["type"], out["source"], out["target"]) == ("deploy", "wagner", "mali")
    assert out["articles"] == ["a1", "a2", "a3", "a4", "a5"]
    # a1+a2 one story; a3+a4 one outlet; a5 has no url: three independent sources.
    assert out["independent_sources"] == 3
    assert out["modalities"] == {"asserted": 2, "reported": 1, "hedged": 1, "negated": 1}
    assert (out["first_reported"], out["latest_reported"]) == ("2021-12-20", "2021-12-28")
    assert out["when"] == "2021-12"
    assert [(q["value"], q["fact_ids"]) for q in out["quantities"]] == [(400, ["a3#0"]), (1000, ["a1#0", "a2#0"])]
    assert {"kind": "modality", "asserted": ["a1#0", "a2#0", "a4#0"], "negated": ["a5#0"]} in out["contradictions"]
    assert {"kind": "quantity", "unit": "troops", "values": {"400": ["a3#0"], "1000": ["a1#0", "a2#0"]}} \
        in out["contradictions"]
    json.dumps(out)  # plain JSON


def test_hedged_against_asserted_and_close_quantities_are_no_contradiction():
    reports = [
        report("b1", "fight", "jnim", "fama", "Une vingtaine de soldats ont été tués dans l'embuscade.",
               when="2022-08-07", place="Tessit", quantity={"value": 20, "unit": "killed"}),
        report("b2", "fight", "fama", "jnim", "L'embuscade aurait fait 25 morts parmi les soldats.",
               when="2022-08-07", place="Tessit", modality="hedged", quantity={"value": 25, "unit": "killed"}),
        report("b3", "fight", "jnim", "fama", "Entre 20 et 30 soldats ont péri à Tessit.",
               when="2022-08-08", quantity={"min": 20, "max": 30, "unit": "killed"}),
        report("b4", "fight", "jnim", "fama", "Les assaillants pourraient revenir en force, avec 300 hommes.",
               when="2022-08-08", modality="hypothetical", quantity={"value": 300, "unit": "killed"}),
    ]
    (claim,) = group_claims(reports)
    assert claim.contradictions == []
    assert claim.modalities == {"asserted": 2, "hedged": 1, "hypothetical": 1}
    assert claim.place == "Tessit" and claim.when == "2022-08-07"


def test_symmetric_types_ignore_the_order_of_the_actors():
    reports = [
        report("c1", "fight", "jnim", "fama", "Les jihadistes du JNIM ont attaqué l'armée malienne.", when="2023-03-02"),
        report("c2", "fight", "fama", "jnim", "Les FAMa ont riposté à l'assaut du JNIM.", when="2023-03-02"),
        report("c3", "support", "russia", "mali", "Moscou soutient Bamako.", when="2023-03-02"),
        report("c4", "support", "mali", "russia", "Bamako soutient Moscou à l'ONU.", when="2023-03-02"),
    ]
    claims = group_claims(reports)
    assert [(c.type, c.source, c.target, len(c.reports)) for c in claims] == [
        ("fight", "fama", "jnim", 2), ("support", "mali", "russia", 1), ("support", "russia", "mali", 1)]
    assert claim_key("fight", "jnim", "fama") == claim_key("fight", "fama", "jnim") == ("fight", "fama", "jnim")
    assert claim_key("withdraw", "france", None) == ("withdraw", "france", "")


def test_time_splits_distinct_happenings_and_gathers_close_dates():
    def attack(article: str, when, published: str) -> Report:
        return report(article, "fight", "isgs", "niger-army", "Une attaque a visé un poste de l'armée nigérienne.",
                      when=when, published=published)

    reports = [
        attack("d1", "2023-08-15", "2023-08-16"),
        attack("d2", "2023-08-16", "2023-08-17"),  # the same attack dated a day later
        attack("d3", "2023-08", "2023-08-30"),  # the month only: joins the most reported
        attack("d4", "2023-09-02", "2023-09-03"),  # another attack, two weeks later
        attack("d5", None, "2023-09-04"),  # no date: the nearest happening before its article
        attack("d6", None, "2024-02-10"),  # no date, months later: a happening of its own
    ]
    claims = group_claims(reports)
    assert sorted(sorted(r.article_id for r in c.reports) for c in claims) == [
        ["d1", "d2", "d3"], ["d4", "d5"], ["d6"]]
    by_first = {min(r.article_id for r in c.reports): c for c in claims}
    assert by_first["d1"].when == "2023-08-15" and by_first["d4"].when == "2023-09-02"
    assert by_first["d6"].when is None and by_first["d6"].first_reported == "2024-02-10"


def test_anchor_prevents_chaining_a_series_of_attacks():
    reports = [report(f"e{day}", "fight", "jnim", "burkina-army", "Nouvelle attaque contre l'armée burkinabè.",
                      when=f"2023-05-{day:02d}") for day in (1, 4, 7, 10, 13)]
    claims = group_claims(reports)
    assert len(claims) == 3  # 1+4, 7+10, 13: every report within three days of its anchor


def test_places_must_agree_unless_one_is_unknown():
    reports = [
        report("f1", "capture", "fama", "csp-dpa", "L'armée a pris Kidal.", when="2023-11-14", place="Kidal"),
        report("f2", "capture", "fama", "csp-dpa", "Les FAMa sont entrées dans Kidal.", when="2023-11-14", place="KIDAL"),
        report("f3", "capture", "fama", "csp-dpa", "L'armée a repris la ville.", when="2023-11-15"),
        report("f4", "capture", "fama", "csp-dpa", "L'armée a pris Anéfis.", when="2023-11-14", place="Anéfis"),
        report("f5", "capture", "fama", "csp-dpa", "Kidal est tombée.", when="2023-11-14",
               place={"name": "Kidal", "country": "mali", "lat": 18.44, "lon": 1.41}),  # a geocoded place
    ]
    claims = group_claims(reports)
    assert sorted((c.place, sorted(r.article_id for r in c.reports)) for c in claims) == [
        ("Anéfis", ["f4"]), ("Kidal", ["f1", "f2", "f3", "f5"])]
    assert len({c.id for c in claims}) == 2


def test_reports_without_any_date_join_the_most_reported_happening():
    base = deployment_reports()
    undated = report("g1", "deploy", "wagner", "mali", "Wagner est présent au Mali.")
    claims = group_claims(base + [undated])
    assert len(claims) == 1 and "g1" in claims[0].to_json()["articles"]
    (alone,) = group_claims([undated])
    assert alone.when is None and alone.first_reported is None and alone.independent_sources == 1


def test_same_fact_id_counts_once_and_bad_dates_are_no_dates():
    r = report("h1", "withdraw", "france", "mali", "La France a retiré ses troupes du Mali.", when="2022-08-15")
    odd = report("h2", "withdraw", "france", "mali", "Retrait achevé.", when="2022-02-30", published="août 2022")
    (claim,) = group_claims([r, r, odd])
    assert [x.fact_id for x in claim.reports] == ["h1#0", "h2#0"]


def test_ids_come_from_content_and_stay_when_later_reports_join():
    reports = deployment_reports()
    (first,) = group_claims(reports[:2])
    (later,) = group_claims(reports)
    assert first.id == later.id and first.id.startswith("c-") and len(first.id) == 14
    other = group_claims([replace(reports[0], type="train")])[0]
    assert other.id != first.id


def test_claims_are_the_same_in_another_process():
    # Python's string hashing differs between processes: nothing in the claims may depend on it.
    reports = deployment_reports() + [
        report("j1", "fight", "jnim", "fama", "Le JNIM a attaqué un camp militaire.", when="2022-08-07", place="Tessit",
               outlet="rfi.fr", quantity={"value": 42, "unit": "killed"}),
        report("j2", "fight", "fama", "jnim", "L'armée a repoussé l'assaut.", when="2022-08-08", outlet="x.com",
               modality="negated", quantity={"value": 17, "unit": "killed"}),
    ]
    code = ("import sys, json; from recoupe.crosscheck import Report, group_claims; "
            "print(json.dumps([c.to_json() for c in group_claims(Report(**d) for d in json.load(sys.stdin))]))")
    stdin = json.dumps([r.__dict__ for r in reversed(reports)])
    out = subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "777"}, cwd=ROOT)
    assert json.loads(out.stdout) == [c.to_json() for c in group_claims(reports)]


def test_independent_sources_join_through_chains_of_stories_and_outlets():
    evidence = "Le Tchad a envoyé des renforts au Niger."
    reports = [
        report("i1", "deploy", "chad", "niger", evidence, outlet="x.com", story="i1", when="2024-01"),
        report("i2", "deploy", "chad", "niger", evidence, outlet="y.com", story="i1", when="2024-01"),
        report("i3", "deploy", "chad", "niger", evidence, outlet="y.com", story="i3", when="2024-01"),
        report("i4", "deploy", "chad", "niger", evidence, outlet=None, story="i4", when="2024-01"),
        report("i5", "deploy", "chad", "niger", evidence, outlet=None, story="i5", when="2024-01"),
    ]
    (claim,) = group_claims(reports)
    assert claim.independent_sources == 3  # {i1, i2, i3}, {i4}, {i5}


# --- properties -------------------------------------------------------------

_reports = st.builds(
    lambda art, idx, pair, outlet, story, pub, mod, when, place, qty: report(
        art, pair[0], pair[1], pair[2], "Un fait rapporté par la presse.", index=idx, outlet=outlet,
        story=story or art, published=pub, modality=mod, when=when, place=place, quantity=qty),
    st.sampled_from([f"p{i}" for i in range(8)]),
    st.integers(0, 2),
    st.sampled_from([("fight", "jnim", "fama"), ("fight", "fama", "jnim"), ("deploy", "wagner", "mali"),
                     ("withdraw", "france", None)]),
    st.sampled_from([None, "lemonde.fr", "rfi.fr"]),
    st.sampled_from([None, "p0", "p1"]),
    st.sampled_from([None, "2023", "2023-11", "2023-11-12", "2023-11-30"]),
    st.sampled_from(["asserted", "reported", "hedged", "hypothetical", "negated"]),
    st.sampled_from([None, "2023", "2023-11", "2023-11-10", "2023-11-12", "2023-11-25", "2023-12-01",
                     {"start": "2023-11-01", "end": "2023-11-05"}, {"start": "2023-10"}]),
    st.sampled_from([None, "Kidal", "Gao"]),
    st.sampled_from([None, {"value": 500, "unit": "troops"}, {"value": 2000, "unit": "troops"},
                     {"min": 1500, "max": 2000, "unit": "troops"}]),
)


def _dedupe_by_fact_id(reports: list[Report]) -> list[Report]:
    return list({r.fact_id: r for r in reports}.values())


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(_reports, max_size=25), st.randoms(use_true_random=False))
def test_claims_do_not_depend_on_the_order_of_reports(reports, rnd):
    # Reports may share a fact id (a rerun passing a fact twice, or changed): they count once, whatever the order.
    shuffled = list(reports)
    rnd.shuffle(shuffled)
    first = [c.to_json() for c in group_claims(reports)]
    assert first == [c.to_json() for c in group_claims(shuffled)]
    ids = [c["id"] for c in first]
    assert len(ids) == len(set(ids))
    # Every report is in exactly one claim, of its own key.
    placed = sorted(f for c in first for f in c["fact_ids"])
    assert placed == sorted({r.fact_id for r in reports})
    for claim in group_claims(reports):
        key = claim_key(claim.type, claim.source, claim.target)
        assert all(claim_key(r.type, r.source, r.target) == key for r in claim.reports)
        assert 1 <= claim.independent_sources <= len({r.article_id for r in claim.reports})
        assert all(r in reports for r in claim.reports)
        assert sum(claim.modalities.values()) == len(claim.reports)


@settings(max_examples=60, deadline=None, database=None)
@given(st.lists(_reports, min_size=1, max_size=20).map(_dedupe_by_fact_id))
def test_a_rerun_gives_the_same_ids_per_claim_key(reports):
    # The store regroups one claim key at a time: grouping keys apart gives the same claims as all at once.
    together = {c.id: c.to_json() for c in group_claims(reports)}
    apart = {}
    for key in {claim_key(r.type, r.source, r.target) for r in reports}:
        part = [r for r in reports if claim_key(r.type, r.source, r.target) == key]
        apart.update({c.id: c.to_json() for c in group_claims(part)})
    assert together == apart


def test_no_victims_against_some_is_a_contradiction_and_units_are_apart():
    reports = [
        report("k1", "fight", "isgs", "civilians", "L'attaque n'a fait aucune victime, selon le gouverneur.",
               when="2024-06-10", modality="reported", speaker="niger", quantity={"value": 0, "unit": "killed"}),
        report("k2", "fight", "isgs", "civilians", "Douze villageois ont été tués lors de l'attaque.",
               when="2024-06-10", quantity={"value": 12, "unit": "killed"}),
        report("k3", "fight", "isgs", "civilians", "Quelque 300 habitants ont fui après l'attaque.",
               when="2024-06-11", quantity={"value": 300, "unit": "people"}),
    ]
    (claim,) = group_claims(reports)
    assert claim.contradictions == [{"kind": "quantity", "unit": "killed", "values": {"0": ["k1#0"], "12": ["k2#0"]}}]


def test_two_counts_in_one_article_are_no_contradiction():
    def troops(article: str, index: int, value: int, evidence: str) -> Report:
        return report(article, "deploy", "france", "mali", evidence, index=index, when="2013-02",
                      quantity={"value": value, "unit": "troops"})

    one_article = [troops("l1", 0, 220, "Un renfort de 220 parachutistes a été déployé au Mali."),
                   troops("l1", 1, 4500, "La France compte désormais 4 500 soldats au Mali.")]
    assert group_claims(one_article)[0].contradictions == []
    agreeing = one_article + [troops("l2", 0, 4500, "Quelque 4 500 militaires français sont présents au Mali.")]
    assert group_claims(agreeing)[0].contradictions == []
    disagreeing = one_article + [troops("l3", 0, 1000, "Un millier de soldats français sont engagés au Mali.")]
    (claim,) = group_claims(disagreeing)
    assert claim.contradictions == [{"kind": "quantity", "unit": "troops",
                                     "values": {"220": ["l1#0"], "1000": ["l3#0"], "4500": ["l1#1"]}}]
