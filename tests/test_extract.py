"""Extraction behaviour on sentences written for these tests (never copied from the press)."""
from __future__ import annotations

import pytest

from recoupe.model import Article


def facts_of(extractor, text: str, date: str = "2024-03-15"):
    result = extractor.extract(Article(id="t", text=text, date=date, lang="fr"))
    return result, [(f.type, f.source, f.target, f.modality) for f in result.facts]


def find(result, fact_type, source=None, target=None):
    for fact in result.facts:
        if fact.type == fact_type and (source is None or fact.source == source) and (
                target is None or fact.target == target):
            return fact
    return None


def test_evidence_offsets_point_into_the_text(extractor):
    text = "Titre de l'article\nLa Russie a livré au Mali six hélicoptères de combat en janvier 2022."
    result, _ = facts_of(extractor, text)
    fact = find(result, "arms_transfer", "russia", "mali")
    assert fact is not None
    assert text[fact.evidence_start:fact.evidence_end] == fact.evidence
    assert fact.quantity == {"value": 6, "unit": "helicopters"}
    assert fact.when == "2022-01"


def test_coordinated_subjects_give_one_fact_each(extractor):
    text = "L'armée malienne et les mercenaires du groupe Wagner ont pris le contrôle de la ville de Kidal."
    result, _ = facts_of(extractor, text, "2023-11-15")
    sources = {f.source for f in result.facts if f.type == "capture"}
    assert {"fama", "wagner"} <= sources
    assert all(f.place == "Kidal" for f in result.facts if f.type == "capture")


def test_conditional_is_hedged_and_selon_gives_the_speaker(extractor):
    text = "Selon Reuters, des soldats russes auraient été déployés à Tombouctou la semaine dernière."
    result, _ = facts_of(extractor, text)
    fact = find(result, "deploy", "russia", "mali")
    assert fact is not None
    assert fact.modality == "hedged"
    assert fact.speaker == "reuters"


def test_future_is_hypothetical(extractor):
    text = "La France déploiera 2.000 soldats supplémentaires au Niger avant la fin de l'année."
    result, _ = facts_of(extractor, text)
    fact = find(result, "deploy", "france", "niger")
    assert fact is not None and fact.modality == "hypothetical"
    assert fact.quantity == {"value": 2000, "unit": "troops"}


def test_negation(extractor):
    text = "Le gouvernement malien n'a jamais demandé l'aide de l'Algérie."
    result, _ = facts_of(extractor, text)
    fact = find(result, "request", "mali", "algeria")
    assert fact is not None and fact.modality == "negated"


def test_person_stands_for_their_state_and_speaks_for_a_quote(extractor):
    text = ("« Nous ne laisserons pas nos partenaires seuls », a déclaré Jean-Yves Le Drian.\n"
            "Jean-Yves Le Drian a menacé la junte malienne de sanctions.")
    result, _ = facts_of(extractor, text, "2021-10-02")
    fact = find(result, "threaten", "france", "mali")
    assert fact is not None and fact.modality == "asserted"
    persons = {a.id for a in result.actors if a.type == "person"}
    assert "jean-yves-le-drian" in persons


def test_unknown_person_still_becomes_an_actor(extractor):
    text = "Le commandant Issa Koulibaly Tembely a rencontré des responsables de l'ONU à Gao."
    result, _ = facts_of(extractor, text)
    ids = {a.id: a for a in result.actors}
    assert "issa-koulibaly-tembely" in ids and ids["issa-koulibaly-tembely"].type == "person"


def test_clutter_lines_give_nothing(extractor):
    text = ("Le Niger a expulsé l'ambassadeur de France.\n"
            "Lire aussi : Le Tchad accueille des soldats américains\n"
            "Par Aminata Diallo")
    result, _ = facts_of(extractor, text)
    assert find(result, "deploy") is None
    assert "aminata-diallo" not in {a.id for a in result.actors}


def test_a_place_is_not_an_actor(extractor):
    text = "Des combats ont opposé l'armée malienne aux rebelles du CSP-DPA à Tinzaouatène fin juillet."
    result, _ = facts_of(extractor, text, "2024-08-10")
    ids = {a.id for a in result.actors}
    assert "tinzaouatene" not in ids
    fact = find(result, "fight")
    assert fact is not None and fact.place == "Tinzaouatène" and fact.when == "2024-07"


# -- arguments across phrases and clauses ---------------------------------------

def test_counted_anaphora_refers_back_to_the_states_named(extractor):
    text = ("Le Tchad et le Niger ont dénoncé la présence des mercenaires. "
            "Les deux pays ont ensuite signé un accord de défense avec la Turquie.")
    result, facts = facts_of(extractor, text)
    assert ("agreement", "chad", "turkey", "asserted") in facts
    assert ("agreement", "niger", "turkey", "asserted") in facts


def test_relation_noun_names_both_sides(extractor):
    text = "Les relations entre Alger et Bamako se sont brusquement dégradées cet hiver."
    _, facts = facts_of(extractor, text)
    assert {(f[0], *sorted(f[1:3])) for f in facts} >= {("tension", "algeria", "mali")}


def test_object_control_makes_the_object_act(extractor):
    text = "Les autorités nigériennes ont poussé l'Allemagne à retirer ses soldats de Niamey."
    result, _ = facts_of(extractor, text)
    assert find(result, "withdraw", "germany", "niger") is not None
    assert find(result, "request", "niger", "germany") is not None


def test_support_verb_gives_the_noun_its_recipient(extractor):
    text = "Ankara a apporté son soutien à Ouagadougou après l'attaque."
    result, _ = facts_of(extractor, text)
    assert find(result, "support", "turkey", "burkina-faso") is not None


def test_predicate_nominal_subject_holds_the_role(extractor):
    text = "Le Maroc est devenu le principal partenaire de la Mauritanie dans la région."
    result, _ = facts_of(extractor, text)
    assert find(result, "cooperate", "morocco", "mauritania") is not None


def test_state_leaving_an_organisation_withdraws_from_it(extractor):
    text = "Le Niger a quitté le 29 janvier la Communauté économique des États de l'Afrique de l'Ouest."
    result, _ = facts_of(extractor, text, "2025-02-01")
    assert find(result, "withdraw", "niger", "ecowas") is not None


def test_no_fact_between_a_force_and_its_own_state(extractor):
    text = "La force Barkhane a mobilisé 4.500 militaires français au Sahel."
    _, facts = facts_of(extractor, text)
    assert not [f for f in facts if {f[1], f[2]} == {"barkhane", "france"}]


def test_passive_without_agent_takes_the_agent_of_the_event(extractor):
    text = "Une vingtaine de jihadistes ont été tués lors d'une frappe de l'armée nigérienne près de Tillabéri."
    result, _ = facts_of(extractor, text)
    fact = find(result, "fight", "niger-army", "jihadists")
    assert fact is not None and fact.quantity == {"value": 20, "unit": "killed"}


# -- speaker, modality, quantity ------------------------------------------------

def test_reporting_clause_after_the_claim_gives_the_speaker(extractor):
    text = "La France va retirer ses derniers soldats du Niger, a annoncé mardi Emmanuel Macron."
    result, _ = facts_of(extractor, text, "2023-09-27")
    fact = find(result, "withdraw", "france", "niger")
    assert fact is not None and fact.speaker == "emmanuel-macron"


def test_headcount_is_not_a_casualty_count_because_of_a_relative_clause(extractor):
    text = "Paris avait déployé 1.200 soldats au Tchad, qui ont perdu trois des leurs depuis janvier."
    result, _ = facts_of(extractor, text)
    fact = find(result, "deploy", "france", "chad")
    assert fact is not None and fact.quantity == {"value": 1200, "unit": "troops"}


def test_negation_of_a_main_clause_does_not_deny_its_subordinate(extractor):
    text = "Moscou n'a pas réagi, alors que des soldats russes étaient déjà déployés à Bamako."
    result, _ = facts_of(extractor, text)
    fact = find(result, "deploy", "russia", "mali")
    assert fact is not None and fact.modality != "negated"


def test_dateline_and_dated_nouns_are_not_the_fact_time(extractor):
    text = ("Niamey, 3 avril 2024 – Le Niger a dénoncé l'accord militaire de 2012 avec les États-Unis, "
            "a annoncé le gouvernement.")
    result, _ = facts_of(extractor, text, "2024-04-03")
    fact = find(result, "reject", "niger", "usa")
    assert fact is not None and fact.when == "2024-04-03" and not fact.when_stated


def test_short_acronyms_in_capital_headlines_are_words(extractor):
    text = "UN ACCORD EST SIGNÉ À NIAMEY\nLe Niger et le Tchad ont signé un accord de défense."
    result, _ = facts_of(extractor, text)
    assert "un" not in {a.id for a in result.actors}


def test_alongside_is_support_not_a_target(extractor):
    text = "Des commandos tchadiens combattent aux côtés de l'armée nigérienne contre les jihadistes."
    result, facts = facts_of(extractor, text)
    assert find(result, "support", "chad-army", "niger-army") is not None  # Chad's own army
    assert find(result, "fight", target="niger-army") is None


def test_sides_of_a_fight_noun_hanging_on_its_verb(extractor):
    text = "De violents combats ont éclaté près de Kidal entre l'armée malienne et les rebelles du CSP-DPA."
    result, _ = facts_of(extractor, text, "2023-10-05")
    assert find(result, "fight", "fama", "csp-dpa") is not None


def test_combat_aircraft_are_no_fight(extractor):
    text = "La Russie a livré trois hélicoptères de combat au Niger."
    _, facts = facts_of(extractor, text)
    assert [f for f in facts if f[0] == "arms_transfer"] and not [f for f in facts if f[0] == "fight"]


def test_entering_a_stronghold_captures_it_from_its_holder(extractor):
    text = "Les FAMa sont entrées jeudi dans Léré, bastion des rebelles du CSP-DPA."
    result, _ = facts_of(extractor, text, "2023-11-20")
    fact = find(result, "capture", "fama", "csp-dpa")
    assert fact is not None and fact.place == "Léré"


def test_calling_on_a_company_and_promising_money(extractor):
    text = ("Bamako a fait appel aux paramilitaires russes du groupe Wagner. "
            "L'Union européenne a promis 30 millions d'euros au Niger.")
    result, _ = facts_of(extractor, text)
    assert find(result, "request", "mali", "wagner") is not None
    promise = find(result, "support", "eu", "niger")
    assert promise is not None and promise.modality == "hypothetical"
    assert promise.quantity == {"value": 30000000, "unit": "eur"}


def test_singular_pronoun_is_the_person_named_earlier_in_the_sentence(extractor):
    text = ("La nouvelle a surpris à Paris, où Florence Parly a réagi lors d'une interview "
            "dans laquelle elle a menacé de retirer les soldats français du Mali.")
    result, _ = facts_of(extractor, text, "2021-09-20")
    assert find(result, "threaten", "france") is not None or find(result, "withdraw", "france", "mali") is not None
    assert not [f for f in result.facts if f.source not in ("france",)]


def test_words_quoted_inside_the_articles_own_sentence_stay_asserted(extractor):
    text = "L'armée française a mené « une opération de combat contre les djihadistes » près de Ménaka."
    result, _ = facts_of(extractor, text)
    fight = find(result, "fight")
    assert fight is not None and fight.modality == "asserted" and fight.speaker is None


def test_attacking_a_military_camp_hits_the_army_of_its_country(extractor):
    text = ("L'armée malienne a renforcé ses positions dans le centre. "
            "Mardi, le JNIM a attaqué le camp militaire de Diafarabé, au Mali.")
    result, _ = facts_of(extractor, text)
    assert find(result, "fight", "jnim", "fama") is not None


def test_an_attack_on_a_town_hits_its_country_and_a_claimed_attack_has_its_claimant(extractor):
    result, _ = facts_of(extractor, "Les jihadistes s'en sont pris à Tombouctou samedi.")
    assert find(result, "fight", "jihadists", "mali") is not None
    result, _ = facts_of(extractor, "Une embuscade revendiquée par l'EIGS contre une patrouille "
                                    "de l'armée nigérienne a fait six morts.")
    assert find(result, "fight", "isgs", "niger-army") is not None


def test_an_offensive_towards_a_stronghold_named_later_fights_its_holder(extractor):
    text = ("L'offensive des FAMa vers Anéfis a repris lundi. "
            "Elles sont entrées mardi dans Anéfis, bastion des rebelles du CSP-DPA.")
    result, _ = facts_of(extractor, text, "2023-10-12")
    assert find(result, "fight", "fama", "csp-dpa") is not None
    assert find(result, "capture", "fama", "csp-dpa") is not None


def test_the_title_in_the_sentence_says_whom_a_person_acts_for(extractor):
    # Philippe Lavigne later served NATO; here, with no date, "le général français" is France
    text = "Le général français Philippe Lavigne a demandé à la NSPA de prendre en charge l'armement de Takuba."
    result = extractor.extract(Article(id="t", text=text, date=None, lang="fr"))
    assert find(result, "request", "france", "nspa") is not None
    assert find(result, "support", "nspa", "takuba") is not None


def test_a_reflexive_subject_acts_whatever_the_parse_calls_the_pronoun(extractor):
    text = ("Le JNIM a revendiqué dimanche une attaque au Mali. "
            "Le lendemain, le groupe s'en est pris à Gao, selon l'AFP.")
    result, _ = facts_of(extractor, text)
    fact = find(result, "fight", "jnim", "mali")
    assert fact is not None and fact.place == "Gao"


def test_going_to_a_country_is_a_visit_but_surrendering_is_not(extractor):
    result, _ = facts_of(extractor, "Une délégation du Niger s'est rendue au Mali mardi.", "2023-08-05")
    assert find(result, "meet", "niger", "mali") is not None
    result, _ = facts_of(extractor, "Une dizaine de jihadistes se sont rendus aux forces armées maliennes.")
    assert find(result, "meet") is None


def test_a_conditional_the_model_reads_as_present_still_hedges(extractor):
    text = "Selon Reuters, les Russes reprocheraient aux militaires maliens leur manque de discipline."
    result, _ = facts_of(extractor, text)
    fact = find(result, "criticize", "russia")
    assert fact is not None and fact.modality == "hedged" and fact.speaker == "reuters"


def test_a_quotation_after_a_full_stop_is_its_own_sentence_with_its_postposed_speaker(extractor):
    text = ("Une intervention de l'Alliance paraît lointaine. « La coopération entre Takuba et "
            "l'OTAN est une preuve de confiance », estime le général Laurent Marboeuf.")
    result, _ = facts_of(extractor, text, "2021-06-10")
    fact = find(result, "cooperate")
    assert fact is not None and fact.modality == "reported" and fact.speaker == "laurent-marboeuf"


def test_a_quotation_carried_over_from_the_paragraph_before_leaves_the_next_in_the_articles_voice(extractor):
    # the second paragraph closes a quotation whose opening mark the page lost: paired across
    # the text, its straight quote would open a quotation over the third, the article's own
    text = ("Le chercheur ne cache pas son inquiétude.\n\n"
            'Les États de la région sont démunis", explique Ibrahim Sangaré, un chercheur malien.\n\n'
            "L'armée française a déployé 300 soldats au Niger en 2022.\n\n"
            'Le chercheur conclut : "Rien ne changera avant des années."')
    result, _ = facts_of(extractor, text, "2024-03-15")
    deploy = find(result, "deploy", "french-army", "niger")
    assert deploy is not None and deploy.modality == "asserted" and deploy.speaker is None


def test_the_side_a_sentence_leaves_implicit_comes_from_the_article(extractor):
    text = ("La Turquie a livré au Niger six drones Bayraktar TB2 en mai. "
            "En juillet, les autorités nigériennes ont reçu deux autres drones de combat.")
    result, _ = facts_of(extractor, text, "2022-08-01")
    transfers = [f for f in result.facts if f.type == "arms_transfer"]
    assert {(f.source, f.target) for f in transfers} == {("turkey", "niger")}
    assert len(transfers) == 2  # two deliveries: different months and quantities


def test_a_defeat_is_a_fight_against_the_armed_group_the_article_is_about(extractor):
    text = ("Les rebelles du CSP-DPA contrôlent la région de Tinzaouatène depuis des mois. "
            "Fin juillet, l'armée malienne et ses alliés russes ont subi une lourde défaite près de la frontière.")
    result, _ = facts_of(extractor, text, "2024-08-10")
    assert find(result, "fight", "fama", "csp-dpa") or find(result, "fight", "csp-dpa", "fama")
    # a general word with one side named is no fight of its own
    result, _ = facts_of(extractor, "Le JNIM est actif au Mali. La lutte se poursuivra, a assuré le ministre français.")
    assert not [f for f in result.facts if f.type == "fight"]


def test_demanding_that_a_force_leave_is_rejecting_it(extractor):
    result, _ = facts_of(extractor, "Bamako a exigé lundi le départ du contingent suédois.")
    assert find(result, "reject", "mali", "sweden") is not None
    assert find(result, "request") is None and find(result, "withdraw") is None
    # asked to withdraw, the Swedes withdraw: that is a request, and a withdrawal to come
    result, _ = facts_of(extractor, "Bamako a poussé la Suède à retirer ses soldats du Mali.")
    assert find(result, "request", "mali", "sweden") is not None


def test_a_verb_the_parser_hangs_on_the_first_subject_keeps_it(extractor):
    text = "Paris et ses partenaires reprochent aux autorités maliennes d'avoir fait appel à Wagner."
    result, _ = facts_of(extractor, text)
    assert find(result, "criticize", "france", "mali") is not None
    assert find(result, "request", "mali", "wagner") is not None


def test_a_country_after_a_noun_is_a_party_unless_the_noun_is_a_place_or_a_departure(extractor):
    result, _ = facts_of(extractor, "Moscou salue la volonté du Niger de coopérer avec la Russie.")
    assert find(result, "cooperate", "niger", "russia") is not None
    result, _ = facts_of(extractor, "Les soldats français ont achevé leur retrait du Niger.")
    assert find(result, "withdraw", "france", "niger") is not None


def test_a_happening_framed_in_a_contract_gives_the_agreement_too(extractor):
    text = "Dans le cadre d'un contrat signé en mars 2021, la Turquie a livré au Mali six drones."
    result, _ = facts_of(extractor, text, "2022-01-10")
    assert find(result, "arms_transfer", "turkey", "mali") is not None
    agreement = find(result, "agreement")
    assert agreement is not None and {agreement.source, agreement.target} == {"turkey", "mali"}
    assert agreement.when == "2021-03"


def test_a_meeting_in_a_circumstance_is_not_the_act_of_the_clause_subject(extractor):
    text = ("Le Mali, le Niger et le Burkina Faso ont signé une charte en septembre. "
            "À l'issue de la rencontre, les trois pays ont publié un communiqué.")
    result, _ = facts_of(extractor, text, "2023-10-01")
    assert not [f for f in result.facts if f.type == "meet" and f.trigger == "rencontre"]


def test_a_capture_is_taken_from_who_left_the_place_or_held_it(extractor):
    text = "Les FAMa sont entrées lundi dans Ber, que les combattants du CSP-DPA ont évacué dimanche."
    result, _ = facts_of(extractor, text, "2023-08-20")
    assert find(result, "capture", "fama", "csp-dpa") is not None
    text = "L'armée malienne a repris plusieurs positions tenues par les rebelles du CSP-DPA."
    result, _ = facts_of(extractor, text, "2023-08-20")
    assert find(result, "capture", "fama", "csp-dpa") is not None


def test_an_object_pronoun_is_the_actor_named_before_it(extractor):
    text = "Paris attribue l'attaque à des mercenaires du groupe Wagner et les accuse de mentir."
    result, _ = facts_of(extractor, text)
    assert find(result, "criticize", "france", "wagner") is not None


def test_members_together_and_an_ally_in_apposition_cooperate(extractor):
    text = "Le Tchad, allié de Paris, pourrait revoir sa position."
    result, _ = facts_of(extractor, text)
    fact = find(result, "cooperate")
    assert fact is not None and {fact.source, fact.target} == {"chad", "france"}
    assert fact.modality == "asserted"  # the main clause's "pourrait" is not the alliance's
    text = "Le Niger et le Mali, réunis au sein de l'AES, ont annoncé leur départ de la Cédéao."
    result, _ = facts_of(extractor, text)
    fact = find(result, "cooperate")
    assert fact is not None and {fact.source, fact.target} == {"niger", "mali"}


def test_a_state_force_striking_a_village_does_not_fight_the_country(extractor):
    text = ("L'armée française affirme avoir visé des jihadistes près de Douentza. "
            "Le 3 janvier, une frappe de la force Barkhane a visé un village du centre du Mali.")
    result, _ = facts_of(extractor, text, "2021-01-20")
    assert not [f for f in result.facts if f.type == "fight" and f.target == "mali"]
    assert find(result, "fight", target="jihadists") is not None


def test_a_demonstrative_plural_points_back_to_the_group(extractor):
    text = ("La société turque Sadat forme des combattants en Libye. "
            "Faut-il craindre le déploiement de ces mercenaires au Niger ?")
    result, _ = facts_of(extractor, text)
    fact = find(result, "deploy", "sadat", "niger")
    assert fact is not None and fact.modality == "hypothetical"


def test_a_state_force_fighting_in_a_country_operates_there_and_allies_of_x_are_not_x(extractor):
    result, _ = facts_of(extractor, "L'opération de l'OTAN en Libye, en 2011, a laissé de mauvais souvenirs.")
    assert find(result, "deploy", "nato", "libya") is not None
    assert find(result, "fight", "nato", "libya") is None
    result, _ = facts_of(extractor, "Seuls quelques alliés européens de la France ont rejoint la force au Sahel.")
    assert not [f for f in result.facts if f.source == "france"]


def test_a_stated_time_beats_the_publication_date_when_mentions_merge(extractor):
    text = ("Fin juillet, l'armée malienne a subi une lourde défaite face aux rebelles du CSP-DPA. "
            "Cette défaite de l'armée malienne face au CSP-DPA a surpris Bamako.")
    result, _ = facts_of(extractor, text, "2024-10-02")
    fights = [f for f in result.facts if f.type == "fight"]
    assert len(fights) == 1 and fights[0].when == "2024-07"


def test_a_pronoun_in_a_reported_clause_is_the_reporter(extractor):
    text = ("Le président nigérian a plaidé pour la fermeté. "
            "Paris a fait savoir qu'il soutenait les efforts de la Cédéao.")
    result, _ = facts_of(extractor, text, "2023-08-11")
    assert find(result, "support", "france", "ecowas") is not None
    assert find(result, "support", "nigeria") is None


def test_the_capital_where_leaders_meet_is_a_venue_not_a_party(extractor):
    text = "Les chefs d'État de la Cédéao, réunis jeudi à Abuja, ont durci le ton face à Niamey."
    result, _ = facts_of(extractor, text, "2023-08-11")
    assert not [f for f in result.facts if f.type == "meet" and "nigeria" in (f.source, f.target)]


def test_equipment_makers_supply_and_relations_with_x_name_x(extractor):
    text = "Une trentaine de blindés, produits par le groupe chinois Norinco, ont été livrés à l'armée malienne."
    result, _ = facts_of(extractor, text)
    assert find(result, "arms_transfer", "norinco", "fama") is not None
    text = "Bamako a annoncé la rupture de ses relations diplomatiques avec l'Ukraine."
    result, _ = facts_of(extractor, text)
    assert find(result, "reject", "mali", "ukraine") is not None
    text = "Le Niger, allié du Mali, a commandé des drones turcs."
    result, _ = facts_of(extractor, text)
    assert find(result, "arms_transfer", "turkey", "niger") is not None
    fact = find(result, "cooperate")
    assert fact is not None and {fact.source, fact.target} == {"niger", "mali"}


def test_a_participle_under_aurait_is_active_and_solliciter_de_names_the_asked(extractor):
    text = ("Le Mali subit la pression des jihadistes. Selon une source sécuritaire, la junte "
            "malienne aurait par ailleurs sollicité de Moscou l'envoi de renforts.")
    result, _ = facts_of(extractor, text)
    fact = find(result, "request", "mali", "russia")
    assert fact is not None and fact.modality == "hedged"


def test_a_participle_hung_on_a_noun_takes_its_stranded_auxiliarys_subject(extractor):
    text = "La Russie, premier fournisseur de l'armée malienne, a pour sa part livré en août deux hélicoptères au Mali."
    result, _ = facts_of(extractor, text, "2024-11-30")
    fact = find(result, "arms_transfer", "russia")
    assert fact is not None and fact.target in ("mali", "fama")


def test_a_generic_description_with_a_name_is_the_named_group(extractor):
    text = "Le groupe jihadiste JNIM a affirmé avoir tendu une embuscade à un convoi de l'armée malienne."
    result, _ = facts_of(extractor, text)
    fact = find(result, "fight", "jnim", "fama")
    assert fact is not None and fact.speaker == "jnim"


# -- speakers named again, by their institution, or not named -----------------------

def test_a_general_staff_with_its_demonym_is_the_army_and_its_communique_speaks_for_it(extractor):
    result, _ = facts_of(extractor, "Les derniers soldats français ont quitté le Niger le 22 décembre, a indiqué "
                                    "l'état-major nigérien dans un communiqué. « Les derniers conteneurs seront "
                                    "rapatriés par avion et les soldats français ont quitté Niamey », précise le "
                                    "communiqué.")
    withdraw = find(result, "withdraw", "france", "niger")
    assert withdraw is not None and withdraw.modality == "reported" and withdraw.speaker == "niger-army"


def test_the_source_one_learned_from_is_this_source(extractor):
    result, _ = facts_of(extractor, "C'est ce que le quotidien a appris de l'agence de presse russe Tass. D'après "
                                    "cette source, des instructeurs russes auraient été déployés au Burkina Faso.")
    deploy = find(result, "deploy", "russia", "burkina-faso")
    assert deploy is not None and deploy.speaker == "tass"


def test_an_anonymous_source_with_a_nationality_is_unknown(extractor):
    result, _ = facts_of(extractor, "Selon une source sécuritaire malienne, l'armée malienne aurait frappé des "
                                    "positions du JNIM près de Léré.")
    fight = find(result, "fight", "fama", "jnim")
    assert fight is not None and fight.speaker == "unknown"


def test_a_government_named_by_its_possessive_speaks_for_the_state_named_before(extractor):
    result, _ = facts_of(extractor, "Le Tchad a reçu des blindés russes en mars. Son gouvernement a toujours "
                                    "démenti la présence de mercenaires de Wagner sur son sol.")
    deploy = find(result, "deploy", "wagner", "chad")
    assert deploy is not None and deploy.modality == "negated" and deploy.speaker == "chad"


def test_a_group_named_beside_its_demonym_speaks_for_itself(extractor):
    result, _ = facts_of(extractor, "Le groupe paramilitaire russe Wagner a annoncé mardi sur sa chaîne Telegram "
                                    "avoir quitté la Centrafrique.")
    withdraw = find(result, "withdraw", "wagner")
    assert withdraw is not None and withdraw.speaker == "wagner"


def test_a_force_described_after_a_comma_is_deployed_with_its_size(extractor):
    """However the parser hangs "un contingent de ..." (here on a participle far before)."""
    result, _ = facts_of(extractor, "La cérémonie s'est tenue dimanche à Ouagadougou. Selon le communiqué, elle a "
                                    "été présidée par le chef de l'armée de terre burkinabè, le colonel Salif "
                                    "Ouédraogo et le lieutenant-colonel français Marc Duval, représentant le "
                                    "commandant de la force Sabre, un contingent de 400 forces spéciales.")
    deploy = find(result, "deploy", "sabre", "burkina-faso")
    assert deploy is not None and deploy.quantity and deploy.quantity.get("value") == 400
    assert deploy.modality == "reported"


def test_a_document_named_first_is_an_unknown_source(extractor):
    result, _ = facts_of(extractor, "D'après le texte, des instructeurs russes auraient été déployés au Niger.")
    deploy = find(result, "deploy", "russia", "niger")
    assert deploy is not None and deploy.modality == "hedged" and deploy.speaker == "unknown"


def test_a_warning_does_not_threaten_the_country_it_protects(extractor):
    """The side an intervention in the warning's content would hit is protected, however the
    parser hangs the clause in "que"."""
    result, facts = facts_of(extractor, "Le Tchad et le Niger ont averti dans une déclaration commune que toute "
                                        "intervention militaire au Mali serait considérée comme une agression "
                                        "contre leurs deux pays.")
    assert not [f for f in facts if f[0] == "threaten" and f[2] == "mali"]


def test_buyers_with_a_stressed_pronoun_take_the_maker_s_country_as_supplier(extractor):
    """ "ont eux aussi acheté" (the parser makes the pronoun the root), "des drones turcs" (and
    the adjective a clause), and coordinated buyers are not each other's supplier."""
    result, facts = facts_of(extractor, "Le Tchad et le Togo, partenaires du Niger, ont eux aussi acheté des "
                                        "drones turcs l'an dernier.")
    assert ("arms_transfer", "turkey", "chad", "asserted") in facts
    assert ("arms_transfer", "turkey", "togo", "asserted") in facts
    assert not find(result, "arms_transfer", "togo", "chad") and not find(result, "arms_transfer", "chad", "togo")


def test_supplying_men_deploys_them(extractor):
    result, facts = facts_of(extractor, "Une force africaine doit se déployer au Mali. Le Ghana, qui doit commander "
                                        "la force, devrait fournir quelque 500 hommes.")
    deploy = find(result, "deploy", "ghana", "mali")
    assert deploy is not None and deploy.modality == "hypothetical"
    assert not find(result, "arms_transfer", "ghana")


def test_the_accused_is_found_when_an_aside_misleads_the_parser(extractor):
    """ "X accuse, sans en apporter la preuve, Y d'avoir ...": the parser often hangs the accusing
    verb on the infinitive and makes Y its subject; this doc is given that parse by hand."""
    import numpy
    from spacy.attrs import DEP, HEAD

    text = "Niamey accuse également, sans en apporter la preuve, l'Algérie d'avoir fourni des armes aux rebelles."
    article = Article(id="t", text=text, date="2024-05-01", lang="fr")
    doc = extractor.nlp(text)
    words = [t.text for t in doc]
    heads, deps = [t.head.i for t in doc], [t.dep_ for t in doc]
    accuse, infinitive, accused = words.index("accuse"), words.index("fourni"), words.index("Algérie")
    heads[accuse], deps[accuse] = infinitive, "advcl"
    heads[infinitive], deps[infinitive] = infinitive, "ROOT"
    heads[accused], deps[accused] = infinitive, "nsubj"
    heads[-1] = infinitive  # the full stop follows the root
    rows = [[(h - i) % 2 ** 64, doc.vocab.strings.add(d)] for i, (h, d) in enumerate(zip(heads, deps))]
    doc.from_array([HEAD, DEP], numpy.array(rows, dtype="uint64"))
    assert doc[accuse].head.i == infinitive and doc[accused].dep_ == "nsubj"
    result = extractor._result(article, doc)
    assert find(result, "criticize", "niger", "algeria") is not None


def test_the_dead_are_counted_when_the_parser_takes_them_for_an_oblique(extractor):
    result, _ = facts_of(extractor, "Une frappe aérienne de l'armée burkinabè aurait tué au moins 24 civils, dont "
                                    "des femmes, à Djibo, le 3 avril dernier.")
    fight = find(result, "fight", "burkina-army", "civilians")
    assert fight is not None and fight.quantity == {"min": 24, "unit": "killed"}


def test_told_to_leave_is_expelled(extractor):
    """ "sommer X de quitter le pays", "inviter l'ambassadeur à quitter le territoire": an
    expulsion, a rejection by whoever tells them (ONTOLOGY.md), not a withdrawal of their own."""
    result, facts = facts_of(extractor, "Les autorités burkinabè ont sommé les diplomates français de quitter le pays.")
    assert find(result, "reject", "burkina-faso", "france") is not None
    assert not find(result, "withdraw", "france")
    result, _ = facts_of(extractor, "Le gouvernement tchadien a invité l'ambassadeur de France à quitter le "
                                    "territoire national sous 72 heures.")
    assert find(result, "reject", "chad", "france") is not None


def test_a_refusal_that_names_no_target_is_the_rejection_the_article_reports(extractor):
    # the second sentence names no target: it is the rejection of the first, said in the
    # article's own voice, so the one fact is asserted
    text = ("Selon un diplomate, le Tchad aurait rejeté la proposition de la France. "
            "Le gouvernement tchadien a finalement opposé un refus catégorique en mars.")
    result, _ = facts_of(extractor, text)
    rejects = [f for f in result.facts if f.type == "reject"]
    assert [(f.source, f.target, f.modality) for f in rejects] == [("chad", "france", "asserted")]


def test_a_bare_definite_noun_repeats_the_earlier_description_that_named_its_actor(extractor):
    # "les observateurs" takes up "les observateurs de l'Union africaine" two sentences before
    text = ("Les observateurs de l'Union africaine sont arrivés à Niamey lundi. Ils ont rencontré "
            "des responsables locaux. Les observateurs ont ensuite exhorté le Niger à libérer les "
            "prisonniers politiques.")
    result, _ = facts_of(extractor, text)
    assert find(result, "request", "au", "niger") is not None


def test_measures_taken_against_a_capital_are_not_its_capture(extractor):
    text = "Les autorités maliennes pourraient prendre des mesures contre Kiev dans les prochains jours."
    result, _ = facts_of(extractor, text)
    assert find(result, "capture") is None


def test_committing_oneself_is_no_deployment(extractor):
    # "s'engager à" commits; "engager des troupes" deploys them
    committed = "Les dirigeants militaires du Mali et du Niger se sont engagés à renforcer leur coopération."
    result, _ = facts_of(extractor, committed)
    assert find(result, "deploy") is None
    engaged = "Le Tchad a engagé 1.000 soldats au Mali en 2013."
    result, _ = facts_of(extractor, engaged, "2013-03-01")
    assert find(result, "deploy", "chad", "mali") is not None


def test_a_purpose_clause_after_a_passive_is_done_by_what_was_sent(extractor):
    text = "L'opération Serval avait été lancée en janvier 2013 pour soutenir l'armée malienne."
    result, _ = facts_of(extractor, text, "2014-03-15")
    assert find(result, "support", "serval", "fama") is not None


def test_an_indefinite_article_is_no_force_of_one(extractor):
    text = ("« Notre alliance avec Moscou est solide », a assuré un conseiller de la présidence, "
            "qui exclut toute réduction de la présence militaire russe au Mali.")
    result, _ = facts_of(extractor, text)
    assert all(f.quantity is None for f in result.facts)
    received = "Le Mali a reçu un hélicoptère de combat livré par la Russie."
    result, _ = facts_of(extractor, received)
    fact = find(result, "arms_transfer", "russia", "mali")
    assert fact is not None and fact.quantity == {"value": 1, "unit": "helicopters"}


def test_undertaking_to_reinforce_is_a_plan(extractor):
    text = "La MINUSMA a entrepris de renforcer ses effectifs au Mali avec 2.000 casques bleus supplémentaires."
    result, _ = facts_of(extractor, text, "2021-12-20")
    fact = find(result, "deploy", "minusma", "mali")
    assert fact is not None and fact.modality == "hypothetical"


def test_coordinated_demonyms_name_one_side_each(extractor):
    text = "Les armées malienne et nigérienne ont repris le contrôle de la ville de Ménaka."
    result, _ = facts_of(extractor, text)
    assert {f.source for f in result.facts if f.type == "capture"} >= {"fama", "niger-army"}


def test_a_warning_that_names_only_the_side_it_protects_threatens_the_bloc_of_the_article(extractor):
    text = ("La Cédéao a donné sept jours aux militaires nigériens pour rétablir le président. "
            "Les chefs d'État de la Cédéao se réuniront jeudi à Abuja. "
            "Les juntes malienne et burkinabè ont prévenu que toute intervention armée contre le Niger "
            "serait considérée comme une déclaration de guerre.")
    result, _ = facts_of(extractor, text, "2023-08-01")
    threats = {(f.source, f.target) for f in result.facts if f.type == "threaten"}
    assert threats == {("mali", "ecowas"), ("burkina-faso", "ecowas")}


def test_a_ruling_military_council_stands_for_its_state(extractor):
    text = "Le Conseil national pour la sauvegarde de la patrie (CNSP) a dénoncé jeudi les accords militaires avec la France."
    result, _ = facts_of(extractor, text, "2023-08-05")
    assert find(result, "reject", "niger", "france") is not None
    assert "cnsp" not in {a.id for a in result.actors}


def test_a_crisis_between_two_sides_is_a_tension(extractor):
    text = "La crise entre Paris et Bamako s'est encore aggravée cette semaine."
    result, _ = facts_of(extractor, text, "2022-08-15")
    fact = find(result, "tension")
    assert fact is not None and {fact.source, fact.target} == {"france", "mali"}


def test_the_parties_of_an_agreement_are_whom_it_binds(extractor):
    text = "La Mauritanie a suspendu l'accord de coopération qui la lie à l'Espagne."
    result, _ = facts_of(extractor, text)
    fact = find(result, "agreement")
    assert fact is not None and {fact.source, fact.target} == {"mauritania", "spain"}


def test_the_speaker_of_images_is_who_broadcast_them_and_a_bare_noun_takes_up_its_description(extractor):
    text = ("La Russie a livré en mai deux hélicoptères Mi-8 au Mali, d'après des images diffusées "
            "par la télévision publique ORTM.")
    result, _ = facts_of(extractor, text)
    fact = find(result, "arms_transfer", "russia", "mali")
    assert fact is not None and fact.modality == "reported" and fact.speaker == "ortm"
    text = ("Les rebelles du CSP-DPA tiennent la région depuis 2012. "
            "Selon les rebelles, des drones turcs ont été livrés au Mali.")
    result, _ = facts_of(extractor, text)
    fact = find(result, "arms_transfer", "turkey", "mali")
    assert fact is not None and fact.speaker == "csp-dpa"


def test_a_conditional_the_model_tags_as_a_future_hedges(extractor):
    text = "Des instructeurs turcs seraient présents au Mali depuis le mois de mars."
    result, _ = facts_of(extractor, text)
    fact = find(result, "deploy", "turkey", "mali")
    assert fact is not None and fact.modality == "hedged"
    text = "Des instructeurs turcs seront présents au Mali dès le mois prochain."
    result, _ = facts_of(extractor, text)
    fact = find(result, "deploy", "turkey", "mali")
    assert fact is not None and fact.modality == "hypothetical"


def test_the_deterioration_of_relations_between_two_sides_is_a_tension(extractor):
    text = "Cet incident illustre la dégradation continue des relations entre l'Algérie et le Mali."
    result, _ = facts_of(extractor, text)
    fact = find(result, "tension")
    assert fact is not None and {fact.source, fact.target} == {"algeria", "mali"}


def test_a_flat_refusal_is_a_rejection_of_whom_it_answers(extractor):
    text = "Le Niger a opposé une fin de non-recevoir à la Cédéao."
    result, _ = facts_of(extractor, text, "2023-08-23")
    assert find(result, "reject", "niger", "ecowas") is not None


def test_coming_to_a_capital_is_a_visit_whatever_the_day_hangs_on(extractor):
    # the place's preposition is compared folded ("à"); the parser may hang "à Niamey" on "lundi"
    text = "La diplomatie américaine est venue lundi à Niamey."
    result, _ = facts_of(extractor, text, "2023-08-08")
    assert find(result, "meet", "usa", "niger") is not None


def test_an_institution_placed_in_a_country_is_its_and_summoning_an_ambassador_is_a_protest(extractor):
    text = "À Dakar, le ministère des Affaires étrangères a convoqué l'ambassadeur d'Ukraine après la diffusion d'une vidéo."
    result, _ = facts_of(extractor, text, "2024-08-07")
    assert find(result, "criticize", "senegal", "ukraine") is not None
    assert find(result, "reject") is None


def test_an_infinitive_hung_on_a_complement_noun_is_done_by_the_clause_subject(extractor):
    text = "Le Burkina Faso a emboîté le pas au Mali jeudi en annonçant à son tour rompre avec Kiev."
    result, _ = facts_of(extractor, text, "2024-08-08")
    assert find(result, "reject", "burkina-faso", "ukraine") is not None


def test_ending_ones_own_presence_is_a_withdrawal_ending_an_agreement_a_rejection(extractor):
    result, _ = facts_of(extractor, "La France a mis fin à sa présence militaire au Niger en décembre.", "2024-01-10")
    assert find(result, "withdraw", "france", "niger") is not None and find(result, "reject") is None
    result, _ = facts_of(extractor, "Le Niger a mis fin à l'accord de défense avec la France.", "2024-01-10")
    assert find(result, "reject", "niger", "france") is not None and find(result, "withdraw") is None


def test_a_wire_dateline_is_its_own_sentence_not_the_subject(extractor):
    text = ("NIAMEY/ABUJA, 11 août (Reuters) - Les chefs d'État de la Cédéao, réunis jeudi à Abuja, "
            "ont ordonné l'activation de leur force d'attente en vue d'un éventuel retour à l'ordre au Niger.")
    result, _ = facts_of(extractor, text, "2023-08-11")
    fact = find(result, "deploy", "ecowas", "niger")
    assert fact is not None and fact.modality == "hypothetical"
    assert fact.evidence.startswith("Les chefs d'État")
