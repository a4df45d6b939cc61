"""Tests of recoupe.actors.kb: the shipped knowledge base, its schema, queries, and broken files."""
from __future__ import annotations

import importlib.util
import json
import textwrap
from pathlib import Path

import pytest
import yaml

from recoupe.actors.kb import DATA_DIR, Alias, KnowledgeBase, Role
from recoupe.errors import KnowledgeBaseError

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = DATA_DIR / "schema.json"

# spec/ONTOLOGY.md, section 6 ("Common ids"), copied as is.
COMMON_IDS = {
    "state": """mali burkina-faso niger chad mauritania algeria libya morocco senegal ivory-coast
        nigeria france russia usa uk germany spain italy sweden belgium estonia turkey china
        ukraine iran""",
    "igo": "un un-security-council nato nspa eu ecowas au g5-sahel aes hrw amnesty-international",
    "force": """fama burkina-army niger-army chad-army algeria-army barkhane serval sabre takuba
        minusma eutm-mali eucap-sahel g5-sahel-force french-army us-africom""",
    "group": "wagner africa-corps sadat csp-dpa cma jnim isgs isis-sahel aqim ansar-dine mujao jihadists vdp",
    "company": "baykar norinco",
}

# Surface forms the brief forbids: generic words, and lowercase forms of names.
FORBIDDEN_ALIASES = {"Union", "Alliance", "Etat", "État", "Force", "us", "niger", "mali"}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    """The shipped knowledge base, loaded once for the module."""
    return KnowledgeBase.load()


def data_files() -> list[Path]:
    """The shipped YAML data files."""
    return sorted(DATA_DIR.glob("*.yaml"))


def write_kb(directory: Path, files: dict[str, str]) -> Path:
    """Write YAML files (name -> text, dedented) into ``directory`` and return it."""
    for name, text in files.items():
        (directory / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


HEADER = """\
description: a test file
sources: [written for the test]
actors:
"""

VALID_STATES = HEADER + """\
  - id: mali
    type: state
    names: [Mali]
    metonyms: [Bamako]
    demonyms: [malien, malienne]
    army: fama
  - id: fama
    type: force
    names: [Forces armées maliennes, FAMa]
    part_of: mali
"""


def person_file(roles: str, extra: str = "") -> str:
    """A persons file with one person whose roles block is ``roles`` (already indented)."""
    return HEADER + "  - id: jean-dupont\n    type: person\n    names: [Jean Dupont]\n" + extra + roles


TWO_ROLES = """\
    roles:
      - title: defence minister
        org: mali
        start: "2012-05"
        end: "2017-05"
      - title: foreign minister
        org: mali
        start: "2017-05"
        end: "2022-05"
"""


# ------------------------------------------------------------------ the shipped data


def test_shipped_kb_loads_and_has_every_type(kb):
    """The package's knowledge base loads, validates, and holds actors of all six types."""
    types = {actor.type for actor in kb.actors.values()}
    assert types == {"state", "igo", "force", "group", "company", "person"}
    assert len(kb.actors) > 400


def test_every_data_file_has_description_and_sources():
    """Each data file says what it ships and cites where it comes from."""
    for path in data_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["description"].strip(), path.name
        assert data["sources"] and all(s.strip() for s in data["sources"]), path.name


def test_schema_validates_every_entry_and_file():
    """schema.json accepts every shipped entry and file (and is itself a valid schema)."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    entry_validator = validator_class(schema)
    file_validator = validator_class({"$ref": "#/$defs/file", "$defs": schema["$defs"]})
    for path in data_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        file_validator.validate(data)
        for entry in data["actors"]:
            errors = [e.message for e in entry_validator.iter_errors(entry)]
            assert not errors, (path.name, entry.get("id"), errors)


def test_schema_rejects_what_the_loader_rejects():
    """The schema and the loader agree on a few typical mistakes."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    bad = [
        {"id": "Mali", "type": "state", "names": ["Mali"]},
        {"id": "mali", "type": "country", "names": ["Mali"]},
        {"id": "wagner", "type": "group", "names": ["Wagner"], "metonyms": ["Moscou"]},
        {"id": "x", "type": "person", "names": ["X"]},
        {"id": "x", "type": "person", "names": ["X"], "roles": [{"title": "t", "org": "mali", "start": "2021-13"}]},
        {"id": "x", "type": "group", "names": ["X"], "colour": "red"},
    ]
    for entry in bad:
        assert not validator.is_valid(entry), entry


def test_at_least_110_persons_each_with_roles_and_affiliation(kb):
    """At least 110 persons; each has roles, and a main body unless no role acts for one."""
    persons = [a for a in kb.actors.values() if a.type == "person"]
    assert len(persons) >= 110
    for person in persons:
        assert person.roles, person.id
        orgs = [role.org for role in person.roles if role.org is not None]
        assert all(org in kb.actors for org in orgs), person.id
        if orgs:
            assert person.affiliated_with in kb.actors, person.id
    acting = [p for p in persons if any(role.org for role in p.roles)]
    assert len(acting) >= 110


def test_states_cover_the_un_members(kb):
    """At least the 193 UN member states (plus observers and disputed states) are states."""
    states = [a for a in kb.actors.values() if a.type == "state"]
    assert len(states) >= 193


def load_country_generator():
    """The tools/gen_countries.py module."""
    spec = importlib.util.spec_from_file_location("gen_countries", ROOT / "tools" / "gen_countries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_iso_country_is_a_state(kb):
    """Every ISO 3166-1 country that is not a dependent territory is a state of the KB."""
    pycountry = pytest.importorskip("pycountry")
    generator = load_country_generator()
    curated = generator.parse_curated(generator.CURATED)
    for country in pycountry.countries:
        if country.alpha_2 in generator.EXCLUDED:
            continue
        row = curated.get(country.alpha_2)
        assert row is not None, f"{country.alpha_2} {country.name} has no curated row"
        actor = kb.get(row["id"])
        assert actor is not None and actor.type == "state", (country.alpha_2, row["id"])


def test_countries_yaml_is_up_to_date_with_its_generator():
    """countries.yaml is exactly what tools/gen_countries.py writes (edit the generator, not the YAML)."""
    pytest.importorskip("pycountry")
    generator = load_country_generator()
    assert generator.build() == (DATA_DIR / "countries.yaml").read_text(encoding="utf-8")


def test_common_ids_of_the_ontology_exist_with_their_type(kb):
    """Every id of ONTOLOGY.md section 6 is in the KB, with the type the ontology gives it."""
    for kind, ids in COMMON_IDS.items():
        for actor_id in ids.split():
            actor = kb.get(actor_id)
            assert actor is not None, actor_id
            assert actor.type == kind, (actor_id, actor.type)


def test_relations_of_the_ontology(kb):
    """The relations that ONTOLOGY.md section 2 says every system should know."""
    assert kb.get("nspa").part_of == "nato"
    assert kb.get("minusma").part_of == "un"
    assert kb.get("barkhane").part_of == "france"
    assert kb.get("fama").part_of == "mali"
    assert kb.get("wagner").affiliated_with == "russia"
    assert kb.army_of("mali") == "fama"
    assert kb.army_of("burkina-faso") == "burkina-army"
    assert kb.army_of("wagner") is None
    assert kb.army_of("no-such-state") is None


def test_every_army_is_a_force_of_its_state(kb):
    """A state's army is a force that is part of that state."""
    for actor in kb.actors.values():
        if actor.army:
            army = kb.get(actor.army)
            assert army.type == "force" and army.part_of == actor.id, actor.id


def test_key_names_metonyms_and_demonyms(kb):
    """A sample of the aliases the linker relies on, from each kind."""
    aliases = {(a.text, a.actor_id, a.kind) for a in kb.aliases()}
    for expected in [
        ("Etats-Unis", "usa", "name"), ("États-Unis", "usa", "name"), ("US", "usa", "name"),
        ("Maison Blanche", "usa", "metonym"), ("Pentagone", "usa", "metonym"),
        ("Élysée", "france", "metonym"), ("Quai d'Orsay", "france", "metonym"),
        ("Kremlin", "russia", "metonym"), ("Koulouba", "mali", "metonym"),
        ("Kosyam", "burkina-faso", "metonym"), ("Côte d'Ivoire", "ivory-coast", "name"),
        ("Tchad", "chad", "name"), ("Centrafrique", "central-african-republic", "name"),
        ("maliennes", "mali", "demonym"), ("burkinabè", "burkina-faso", "demonym"),
        ("nigérien", "niger", "demonym"), ("nigériane", "nigeria", "demonym"),
        ("OTAN", "nato", "name"), ("CEDEAO", "ecowas", "name"), ("Cédéao", "ecowas", "name"),
        ("EIGS", "isgs", "name"), ("GSIM", "jnim", "name"), ("AQMI", "aqim", "name"),
        ("Goïta", "assimi-goita", "name"), ("Le Drian", "jean-yves-le-drian", "name"),
        ("Sergueï Lavrov", "sergey-lavrov", "name"), ("Poutine", "vladimir-poutine", "name"),
        ("Tiani", "abdourahamane-tiani", "name"), ("djihadistes", "jihadists", "name"),
        ("civils", "civilians", "name"),
    ]:
        assert expected in aliases, expected
    assert all(isinstance(a, Alias) and a.kind in {"name", "metonym", "demonym"} for a in kb.aliases())


def test_no_forbidden_or_lowercase_country_aliases(kb):
    """No generic word stands alone as an alias, and French demonyms are lowercase."""
    for alias in kb.aliases():
        assert alias.text not in FORBIDDEN_ALIASES, alias
        assert alias.text == alias.text.strip() and "  " not in alias.text, alias
    for actor in kb.actors.values():
        for demonym in actor.demonyms:
            # French forms are lowercase (the linker capitalises nouns itself); English ones capitalised
            assert demonym == demonym.lower() or demonym[0].isupper(), (actor.id, demonym)
            assert actor.type in ("state", "igo"), actor.id


def test_aliases_are_unique_across_actors(kb):
    """No surface form (case and accents ignored) belongs to two actors."""
    owner: dict[str, str] = {}
    for alias in kb.aliases():
        key = KnowledgeBase.slug(alias.text.replace("-", " "))
        assert owner.setdefault(key, alias.actor_id) == alias.actor_id, alias


# ------------------------------------------------------------------ queries


def test_role_at_picks_the_role_of_the_date(kb):
    """Le Drian was defence minister, then foreign minister; role_at follows the date."""
    assert kb.role_at("jean-yves-le-drian", "2015-03-01").title == "defence minister of France"
    assert kb.role_at("jean-yves-le-drian", "2019").title == "foreign minister of France"
    assert kb.role_at("jean-yves-le-drian", "2024-06").title == "foreign minister of France"  # last role
    assert kb.role_at("jean-yves-le-drian", None).title == "foreign minister of France"
    assert kb.role_at("mali", "2020") is None
    assert kb.role_at("no-such-person", "2020") is None


def test_role_at_on_a_small_kb(tmp_path):
    """Latest-starting role that holds wins; outside every role, the last one is returned."""
    write_kb(tmp_path, {"states.yaml": VALID_STATES, "persons.yaml": person_file(TWO_ROLES + """\
      - title: adviser
        org: null
""")})
    kb = KnowledgeBase.load(tmp_path)
    assert kb.role_at("jean-dupont", "2013").title == "defence minister"
    assert kb.role_at("jean-dupont", "2017-05").title == "foreign minister"  # both hold: latest start
    assert kb.role_at("jean-dupont", "2030").title == "adviser"  # open role without dates holds
    assert kb.role_at("jean-dupont", "1990").title == "adviser"
    assert kb.role_at("jean-dupont", "1990").org is None


def test_role_holds_at():
    """Date bounds are inclusive at their own precision; missing bounds are open."""
    role = Role(title="t", org="mali", start="2021-05", end="2022-08")
    assert role.holds_at(None)
    assert role.holds_at("2021") and role.holds_at("2021-05") and role.holds_at("2021-05-01")
    assert role.holds_at("2022-08-31") and role.holds_at("2022")
    assert not role.holds_at("2021-04-30") and not role.holds_at("2022-09") and not role.holds_at("2020")
    assert Role(title="t", org=None, start=None, end=None).holds_at("1900")
    assert Role(title="t", org=None, start="2020", end=None).holds_at("2999-01-01")
    assert not Role(title="t", org=None, start=None, end="2020").holds_at("2021")


def test_get_and_slug(kb):
    """get() returns the actor or None; slug() follows the ontology's id rule."""
    assert kb.get("mali").names[0] == "Mali"
    assert kb.get("atlantis") is None
    assert KnowledgeBase.slug("Assimi Goïta") == "assimi-goita"
    assert KnowledgeBase.slug("Côte d'Ivoire") == "cote-d-ivoire"
    assert KnowledgeBase.slug("Bah N’Daw") == "bah-n-daw"
    assert KnowledgeBase.slug("  Al-Qaïda  au  Maghreb ") == "al-qaida-au-maghreb"
    assert KnowledgeBase.slug("État islamique (EI)") == "etat-islamique-ei"
    assert KnowledgeBase.slug("Jean-Yves Le Drian") == "jean-yves-le-drian"
    for actor_id in kb.actors:
        assert KnowledgeBase.slug(actor_id) == actor_id


def test_load_reads_no_data_at_import():
    """Importing the module loads nothing: a KnowledgeBase comes only from load()."""
    import recoupe.actors.kb as module

    assert not any(isinstance(value, KnowledgeBase) for value in vars(module).values())


# ------------------------------------------------------------------ broken knowledge bases

BROKEN = {
    "unknown reference": ("persons.yaml", person_file(TWO_ROLES, "    affiliated_with: atlantis\n"), "atlantis"),
    "unknown role org": ("persons.yaml", person_file(TWO_ROLES.replace("org: mali", "org: atlantis", 1)), "atlantis"),
    "role without org": ("persons.yaml", person_file(TWO_ROLES.replace("        org: mali\n", "", 1)), "org"),
    "bad date": ("persons.yaml", person_file(TWO_ROLES.replace('"2012-05"', '"2012-13"')), "2012-13"),
    "unquoted date": ("persons.yaml", person_file(TWO_ROLES.replace('"2012-05"', "2012-05-01")), "start"),
    "start after end": ("persons.yaml", person_file(TWO_ROLES.replace('"2012-05"', '"2018-01"')), "after"),
    "bad slug": ("groups.yaml", HEADER + "  - id: Groupe_Wagner\n    type: group\n    names: [Wagner]\n", "Groupe_Wagner"),
    "bad type": ("groups.yaml", HEADER + "  - id: wagner\n    type: militia\n    names: [Wagner]\n", "militia"),
    "unknown key": ("groups.yaml", HEADER + "  - id: wagner\n    type: group\n    names: [Wagner]\n    leader: x\n", "leader"),
    "no names": ("groups.yaml", HEADER + "  - id: wagner\n    type: group\n    names: []\n", "names"),
    "metonym on a group": ("groups.yaml", HEADER + "  - id: wagner\n    type: group\n    names: [Wagner]\n    metonyms: [Moscou]\n", "metonyms"),
    "roles on a state": ("more.yaml", HEADER + "  - id: niger\n    type: state\n    names: [Niger]\n    roles: []\n", "roles"),
    "person without role": ("persons.yaml", person_file(""), "role"),
    "army not a force": ("more.yaml", HEADER + "  - id: niger\n    type: state\n    names: [Niger]\n    army: mali\n", "army"),
    "duplicate name": ("groups.yaml", HEADER + "  - id: malians\n    type: group\n    names: [MALI]\n", "mali"),
    "duplicate id in one file": ("more.yaml", HEADER + "  - id: niger\n    type: state\n    names: [Niger]\n"
                                 "  - id: niger\n    type: state\n    names: [Niamey]\n", "duplicate id"),
    "bad YAML": ("groups.yaml", HEADER + "  - id: wagner\n    names: [Wagner\n", "YAML"),
    "no actors list": ("groups.yaml", "description: x\nsources: [y]\n", "actors"),
    "unknown top-level key": ("groups.yaml", HEADER.replace("actors:", "authors: []\nactors:") + "  []\n", "authors"),
    "bad wikidata": ("groups.yaml", HEADER + "  - id: wagner\n    type: group\n    names: [Wagner]\n    wikidata: 1234\n", "wikidata"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_kb_raises_naming_the_file(tmp_path, case):
    """Each kind of mistake raises KnowledgeBaseError with a one-line message naming the file."""
    name, text, needle = BROKEN[case]
    write_kb(tmp_path, {"states.yaml": VALID_STATES, name: text})
    with pytest.raises(KnowledgeBaseError) as info:
        KnowledgeBase.load(tmp_path)
    message = str(info.value)
    assert name in message and needle.lower() in message.lower(), message
    assert "\n" not in message and message.startswith("[E200]")


def test_duplicate_id_across_files_names_both(tmp_path):
    """An id defined in two files is reported with both file names."""
    write_kb(tmp_path, {"states.yaml": VALID_STATES,
                        "zmore.yaml": HEADER + "  - id: mali\n    type: state\n    names: [Mali bis]\n"})
    with pytest.raises(KnowledgeBaseError, match=r"zmore\.yaml.*'mali'.*duplicate id.*states\.yaml"):
        KnowledgeBase.load(tmp_path)


def test_empty_directory_raises(tmp_path):
    """A directory without YAML files is an error, not an empty KB."""
    with pytest.raises(KnowledgeBaseError, match="no \\*.yaml"):
        KnowledgeBase.load(tmp_path)


def test_valid_small_kb_loads(tmp_path):
    """The fixtures used above are valid on their own."""
    write_kb(tmp_path, {"states.yaml": VALID_STATES, "persons.yaml": person_file(TWO_ROLES)})
    kb = KnowledgeBase.load(tmp_path)
    assert set(kb.actors) == {"mali", "fama", "jean-dupont"}
    assert kb.get("jean-dupont").roles[0] == Role("defence minister", "mali", "2012-05", "2017-05", ())
    assert Alias("Bamako", "mali", "metonym") in kb.aliases()
