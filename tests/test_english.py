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
