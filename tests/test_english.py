"""The fallback extractor of English articles, on sentences written for these tests."""
from __future__ import annotations

from recoupe.model import Article


def facts_of(extractor, text: str, date: str = "2024-05-10"):
    result = extractor.extract(Article(id="en", text=text, date=date, lang="en"))
    return {(f.type, f.source, f.target): f for f in result.facts}


def test_a_withdrawal_agreed_to_is_planned_and_its_unnamed_country_is_the_host(extractor):
    text = ("Chad has ordered French troops out of the country. France agreed to withdraw "
            "about 1,000 soldiers from the country by January, officials said.")
    facts = facts_of(extractor, text)
    withdraw = facts.get(("withdraw", "france", "chad"))
    assert withdraw is not None and withdraw.modality == "hypothetical"
    assert withdraw.quantity == {"value": 1000, "unit": "troops"}


def test_coordinated_names_before_met_pair_up_and_according_to_names_the_speaker(extractor):
    text = "Malian Foreign Minister Abdoulaye Diop and Sergey Lavrov met in Moscow on Tuesday, according to Reuters."
    facts = facts_of(extractor, text)
    meet = facts.get(("meet", "mali", "russia")) or facts.get(("meet", "russia", "mali"))
    assert meet is not None and meet.modality == "reported" and meet.speaker == "reuters"


def test_suspending_an_agreement_is_a_rejection_and_the_agreement_a_fact(extractor):
    text = "Burkina Faso announced in February that it had suspended a defence agreement with France."
    facts = facts_of(extractor, text)
    reject = facts.get(("reject", "burkina-faso", "france"))
    assert reject is not None and reject.modality == "asserted" and reject.when == "2024-02"
    assert ("agreement", "burkina-faso", "france") in facts


def test_a_denied_delivery_is_negated_and_french_articles_keep_the_parser(extractor):
    facts = facts_of(extractor, "Turkey has never delivered drones to Niger, the ministry said.")
    delivery = facts.get(("arms_transfer", "turkey", "niger"))
    assert delivery is not None and delivery.modality == "negated"
    # the same words in a French article are no trigger: the French lexicon reads French
    result = extractor.extract(Article(id="fr", text="La Turquie a livré des drones au Niger.",
                                       date="2024-05-10", lang="fr"))
    assert [(f.type, f.source, f.target) for f in result.facts] == [("arms_transfer", "turkey", "niger")]


def test_three_coordinated_signatories_pair_up_and_an_adjective_name_does_not_act(extractor):
    text = "Mali, Niger and Burkina Faso signed a security pact in Niamey on Saturday."
    facts = facts_of(extractor, text, "2023-09-18")
    pairs = {frozenset((s, t)) for (kind, s, t) in facts if kind == "agreement"}
    assert pairs == {frozenset(p) for p in (("mali", "niger"), ("mali", "burkina-faso"), ("niger", "burkina-faso"))}
    text = "The al-Qaeda-linked JNIM group said it had attacked Burkinabe soldiers near Djibo."
    facts = facts_of(extractor, text)
    assert {s for (kind, s, t) in facts if kind == "fight"} == {"jnim"}


def test_ordering_a_force_to_leave_rejects_it_and_attack_helicopters_are_no_attack(extractor):
    text = "Last year the junta in Niamey ordered French troops to leave Niger."
    facts = facts_of(extractor, text)
    assert ("reject", "niger", "france") in facts and not any(k == "withdraw" for k, _, _ in facts)
    text = "Russia has offered to supply Mali with attack helicopters."
    facts = facts_of(extractor, text)
    assert not any(k == "fight" for k, _, _ in facts) and ("arms_transfer", "russia", "mali") in facts


def test_english_quantities_put_the_demonym_first_and_known_as_opens_no_clause(extractor):
    facts = facts_of(extractor, "About 400 French soldiers withdrew from Burkina Faso in February.", "2023-03-01")
    withdraw = facts.get(("withdraw", "france", "burkina-faso"))
    assert withdraw is not None and withdraw.quantity == {"value": 400, "unit": "troops"}
    assert withdraw.when == "2023-02"
    text = "Mali and Niger signed a defence pact known as the Liptako-Gourma Charter in September 2023."
    facts = facts_of(extractor, text, "2024-01-26")
    agreement = facts.get(("agreement", "mali", "niger")) or facts.get(("agreement", "niger", "mali"))
    assert agreement is not None and agreement.when == "2023-09"


def test_a_possessive_name_is_the_actor_and_seizing_power_is_no_capture(extractor):
    text = ("Niger's military council, which seized power in a coup last July, revoked in March "
            "an accord that allowed U.S. troops to operate in the country.")
    facts = facts_of(extractor, text, "2024-05-20")
    assert ("reject", "niger", "usa") in facts
    assert not any(kind == "capture" for kind, _, _ in facts)


def test_agreed_is_an_agreement_between_coordinated_sides_only(extractor):
    facts = facts_of(extractor, "The United States and Niger have agreed that American forces will leave.")
    assert ("agreement", "usa", "niger") in facts or ("agreement", "niger", "usa") in facts
    facts = facts_of(extractor, "The United States agreed to withdraw its troops from Niger.")
    assert not any(kind == "agreement" for kind, _, _ in facts)


def test_killing_is_a_fight_fighting_alongside_a_partnership_and_the_two_countries_the_last_named(extractor):
    facts = facts_of(extractor, "The JNIM group said it had killed about 20 Burkinabe soldiers near Djibo.")
    assert ("fight", "jnim", "burkina-faso") in facts or ("fight", "jnim", "burkina-army") in facts
    facts = facts_of(extractor, "Wagner fighters have been deployed in Mali since 2021, fighting alongside the Malian army.")
    assert ("cooperate", "wagner", "fama") in facts and ("fight", "wagner", "fama") not in facts
    text = "Russian officials visited Niamey in May. Russia and Niger were already close, and the two countries signed a memorandum in June."
    facts = facts_of(extractor, text)
    assert ("agreement", "russia", "niger") in facts or ("agreement", "niger", "russia") in facts
