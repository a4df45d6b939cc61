"""Tests of recoupe.ingest: every input format, and every bad input giving a one-line InputError."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from recoupe.ingest import read_articles
from recoupe.ingest.dates import parse_date
from recoupe.ingest.language import detect_language, normalise_lang, stopwords
from recoupe.model import Article, InputError

FR_TEXT = (
    "Le conseil municipal a voté le budget de la commune après un long débat. "
    "La maire a défendu les dépenses pour les écoles et pour la piscine."
)
EN_TEXT = (
    "The town council approved the budget after a long debate. "
    "The mayor said that the new spending would go to the schools and to the pool."
)


def read(paths, **kwargs) -> list:
    """All items of read_articles, as a list."""
    return list(read_articles([str(p) for p in paths], **kwargs))


def write_json(path: Path, data) -> Path:
    """Write ``data`` as JSON and return the path."""
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def only_error(items: list, name: str) -> InputError:
    """Check that ``items`` is one InputError, one line, naming ``name``; return it."""
    assert len(items) == 1, items
    return check_error(items[0], name)


def check_error(item, name: str) -> InputError:
    """Check that ``item`` is an InputError whose str() is one line naming ``name``."""
    assert isinstance(item, InputError), item
    message = str(item)
    assert "\n" not in message and "\r" not in message
    assert name in message
    assert "Traceback" not in message
    assert item.reason and len(item.reason) < 250
    return item


# --- good inputs -------------------------------------------------------------------------


def test_json_object_with_every_key(tmp_path):
    path = write_json(
        tmp_path / "a1.json",
        {
            "id": "a1",
            "url": "https://example.org/budget",
            "lang": "fr",
            "date": "2023-05-17",
            "title": "Le budget est voté",
            "text": FR_TEXT,
            "source": "an extra key, ignored",
        },
    )
    [article] = read([path])
    assert article == Article(
        id="a1",
        text=FR_TEXT,
        date="2023-05-17",
        lang="fr",
        url="https://example.org/budget",
        title="Le budget est voté",
        origin=str(path),
    )


def test_json_object_without_id_takes_the_file_stem_and_detects_the_language(tmp_path):
    path = write_json(tmp_path / "budget-2023.json", {"text": EN_TEXT, "lang": None})
    [article] = read([path])
    assert article.id == "budget-2023"
    assert article.lang == "en"
    assert article.date is None and article.url is None and article.title is None


def test_json_int_id_becomes_a_string(tmp_path):
    [article] = read([write_json(tmp_path / "x.json", {"id": 42, "text": FR_TEXT})])
    assert article.id == "42"


def test_json_list(tmp_path):
    path = write_json(
        tmp_path / "list.json",
        [
            {"id": "l1", "text": FR_TEXT, "date": "2022-06"},
            {"id": "l2", "text": EN_TEXT, "date": "2021"},
            {"text": FR_TEXT},
        ],
    )
    first, second, third = read([path])
    assert (first.id, first.date, first.lang, first.origin) == ("l1", "2022-06", "fr", f"{path}[0]")
    assert (second.id, second.date, second.lang, second.origin) == ("l2", "2021", "en", f"{path}[1]")
    assert check_error(third, f"{path}[2]").reason == "missing 'id'"


def test_jsonl_skips_blank_lines_and_names_lines(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "j1", "text": FR_TEXT}),
        "",
        "   ",
        json.dumps({"id": "j2", "text": EN_TEXT, "date": "2020-02-29"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, second = read([path])
    assert (first.id, first.origin, first.lang) == ("j1", f"{path}:1", "fr")
    assert (second.id, second.origin, second.date) == ("j2", f"{path}:4", "2020-02-29")


def test_jsonl_item_without_id_is_an_error(tmp_path):
    path = tmp_path / "noid.jsonl"
    path.write_text(json.dumps({"text": FR_TEXT}) + "\n", encoding="utf-8")
    assert only_error(read([path]), f"{path}:1").reason == "missing 'id'"


def test_txt_without_header(tmp_path):
    text = "Premier paragraphe  avec deux espaces.\n\n\tSecond paragraphe, indenté.\n"
    path = tmp_path / "note du jour.txt"
    path.write_text("\n\n" + text + "\n\n", encoding="utf-8")
    [article] = read([path])
    assert article.id == "note du jour"
    assert article.date is None
    assert article.text == text.strip()  # only the whole text is stripped


def test_txt_header_date_and_rest_of_line_kept(tmp_path):
    path = tmp_path / "entete.txt"
    path.write_text(
        " date 2022-06 Le conseil municipal a voté le budget.\n\nLa séance a duré trois heures.\n",
        encoding="utf-8",
    )
    [article] = read([path])
    assert article.date == "2022-06"
    assert article.text == "Le conseil municipal a voté le budget.\n\nLa séance a duré trois heures."
    assert article.lang == "fr"


def test_txt_header_with_day_and_nothing_else_on_the_line(tmp_path):
    path = tmp_path / "jour.txt"
    path.write_text("\n  \ndate 2021-03-04   \nThe council met on Thursday and it approved the budget.\n")
    [article] = read([path])
    assert article.date == "2021-03-04"
    assert article.text == "The council met on Thursday and it approved the budget."
    assert article.lang == "en"


def test_txt_word_date_inside_the_text_is_not_a_header(tmp_path):
    path = tmp_path / "mot.txt"
    path.write_text("La date du scrutin reste inconnue.\ndate 2022-06 sur la deuxième ligne.\n")
    [article] = read([path])
    assert article.date is None
    assert article.text.startswith("La date du scrutin")


CLUTTERED_HTML = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Le conseil municipal vote le budget | La Gazette du Val</title>
<meta property="og:title" content="Le conseil municipal vote le budget">
<meta property="article:published_time" content="2023-05-17T09:30:00+02:00">
</head>
<body>
<header><nav><ul>
<li><a href="/">Accueil</a></li><li><a href="/sport">Rubrique sport</a></li>
<li><a href="/meteo">Rubrique météo</a></li>
</ul></nav></header>
<div id="cookie-banner" class="cookie-consent">Nous utilisons des témoins de connexion pour
mesurer notre audience. Accepter tout ?</div>
<main><article>
<h1>Le conseil municipal vote le budget</h1>
<p>Mercredi soir, le conseil municipal a adopté le budget de la commune après trois heures de
débats animés entre la majorité et l'opposition.</p>
<p>La maire a défendu une hausse des dépenses consacrées aux écoles et à la rénovation de la
piscine, tandis que l'opposition a regretté l'absence de baisse des impôts locaux.</p>
<p>Le prochain conseil se réunira au début du mois de juillet pour examiner le plan de
circulation du centre-ville.</p>
</article></main>
<footer><p>Tous droits réservés. Mentions légales. Plan du site.</p></footer>
</body>
</html>
"""


def test_html_main_text_title_and_date(tmp_path):
    path = tmp_path / "budget.html"
    path.write_text(CLUTTERED_HTML, encoding="utf-8")
    [article] = read([path])
    assert article.id == "budget"
    assert "le conseil municipal a adopté le budget de la commune" in article.text
    assert "plan de circulation du centre-ville" in article.text
    for clutter in ("Rubrique sport", "Accueil", "témoins de connexion", "Mentions légales"):
        assert clutter not in article.text
    assert article.title == "Le conseil municipal vote le budget"
    assert article.date == "2023-05-17"
    assert article.lang == "fr"


def test_html_short_page_falls_back_to_paragraphs(tmp_path):
    path = tmp_path / "court.htm"
    path.write_text(
        "<html><body><nav><p>Menu principal</p></nav><p>Une phrase brève.</p></body></html>",
        encoding="utf-8",
    )
    [article] = read([path])
    assert article.text == "Une phrase brève."


def test_html_declared_latin1_is_decoded(tmp_path):
    page = CLUTTERED_HTML.replace('charset="utf-8"', 'charset="iso-8859-1"')
    path = tmp_path / "latin.html"
    path.write_bytes(page.encode("latin-1"))
    [article] = read([path])
    assert "débats animés" in article.text


def test_folder_walk_order_and_skipped_files(tmp_path):
    root = tmp_path / "in"
    (root / "b" / "deep").mkdir(parents=True)
    write_json(root / "a.json", {"id": "a", "text": FR_TEXT})
    (root / "b" / "c.txt").write_text(FR_TEXT)
    (root / "b" / "deep" / "z.TXT").write_text(EN_TEXT)
    (root / "b" / "d.jsonl").write_text(json.dumps({"id": "d", "text": EN_TEXT}) + "\n")
    (root / "e.html").write_text(CLUTTERED_HTML)
    (root / "notes.md").write_text("# pas un article")
    (root / "data.csv").write_text("a,b\n1,2\n")
    (root / ".hidden.json").write_text("not even JSON")
    (root / "ajson").write_text("no extension")
    ids = [item.id for item in read([root])]
    assert ids == ["a", "c", "d", "z", "e"]


def test_several_paths_keep_their_order(tmp_path):
    one = write_json(tmp_path / "one.json", {"id": "one", "text": FR_TEXT})
    two = write_json(tmp_path / "two.json", {"id": "two", "text": EN_TEXT})
    assert [a.id for a in read([two, one])] == ["two", "one"]


def test_stdin_jsonl_bytes():
    data = (
        json.dumps({"id": "s1", "text": FR_TEXT}) + "\n\n" + json.dumps({"id": "s2", "text": EN_TEXT})
    ).encode("utf-8")
    first, second = read(["-"], stdin=io.BytesIO(data))
    assert (first.id, first.origin) == ("s1", "<stdin>:1")
    assert (second.id, second.origin) == ("s2", "<stdin>:3")


def test_stdin_text_stream_reads_its_bytes():
    good = json.dumps({"id": "s1", "text": FR_TEXT}).encode("utf-8")
    bad = b'{"id": "s2", "text": "caf\xe9"}'
    stream = io.TextIOWrapper(io.BytesIO(good + b"\n" + bad + b"\n"), encoding="utf-8")
    first, second = read(["-"], stdin=stream)
    assert first.id == "s1"
    assert check_error(second, "<stdin>:2").reason.startswith("invalid UTF-8 at byte")


def test_stdin_string_io():
    stream = io.StringIO(json.dumps({"id": "s1", "text": EN_TEXT}) + "\n")
    [article] = read(["-"], stdin=stream)
    assert article.id == "s1" and article.lang == "en"


# --- decoding ----------------------------------------------------------------------------


def test_missing_file(tmp_path):
    path = tmp_path / "absent.json"
    assert only_error(read([path]), str(path)).reason == "no such file or directory"


def test_invalid_utf8_names_the_byte(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Une ligne sans accent. Puis ".encode() + b"caf\xe9 au lait.")
    error = only_error(read([path]), str(path))
    assert error.reason == f"invalid UTF-8 at byte {len('Une ligne sans accent. Puis caf')}"


def test_invalid_utf8_in_a_jsonl_line(tmp_path):
    path = tmp_path / "mixed.jsonl"
    good = json.dumps({"id": "ok", "text": FR_TEXT}).encode()
    path.write_bytes(good + b"\n" + b'{"id": "ko", "text": "\xff"}\n')
    first, second = read([path])
    assert first.id == "ok"
    assert check_error(second, f"{path}:2").reason == f"invalid UTF-8 at byte {len(good) + 1 + 22}"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_accepted(tmp_path, encoding):
    bom = "\ufeff".encode(encoding)
    path = tmp_path / "seize.txt"
    path.write_bytes(bom + "date 2020-01 Un texte en UTF-16, accentué : é è à.".encode(encoding))
    [article] = read([path])
    assert article.text == "Un texte en UTF-16, accentué : é è à."
    assert article.date == "2020-01"


def test_utf16_jsonl_is_accepted(tmp_path):
    path = tmp_path / "seize.jsonl"
    body = json.dumps({"id": "u16", "text": FR_TEXT}, ensure_ascii=False) + "\r\n"
    path.write_bytes(b"\xff\xfe" + body.encode("utf-16-le"))
    [article] = read([path])
    assert article.id == "u16" and article.text == FR_TEXT


def test_utf8_bom_is_accepted(tmp_path):
    json_path = tmp_path / "bom.json"
    json_path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "b1", "text": FR_TEXT}).encode())
    jsonl_path = tmp_path / "bom.jsonl"
    jsonl_path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "b2", "text": FR_TEXT}).encode())
    txt_path = tmp_path / "bom.txt"
    txt_path.write_bytes(b"\xef\xbb\xbf date 2019-11 " + FR_TEXT.encode())
    first, second, third = read([json_path, jsonl_path, txt_path])
    assert (first.id, second.id) == ("b1", "b2")
    assert third.date == "2019-11" and third.text == FR_TEXT


def test_crlf_and_cr_are_normalised(tmp_path):
    txt = tmp_path / "windows.txt"
    txt.write_bytes(b"Ligne une.\r\nLigne deux.\rLigne trois.\r\n")
    jsonl = tmp_path / "windows.jsonl"
    jsonl.write_bytes(
        json.dumps({"id": "w1", "text": "Un\r\ndeux"}).encode()
        + b"\r\n"
        + json.dumps({"id": "w2", "text": "Trois"}).encode()
        + b"\r"
        + json.dumps({"id": "w3", "text": "Quatre"}).encode()
        + b"\r\n"
    )
    items = read([txt, jsonl])
    assert items[0].text == "Ligne une.\nLigne deux.\nLigne trois."
    assert [(a.id, a.text, a.origin) for a in items[1:]] == [
        ("w1", "Un\ndeux", f"{jsonl}:1"),
        ("w2", "Trois", f"{jsonl}:2"),
        ("w3", "Quatre", f"{jsonl}:3"),
    ]


def test_nul_bytes(tmp_path):
    path = tmp_path / "binaire.txt"
    path.write_bytes(b"Un texte\x00avec un octet nul.")
    assert only_error(read([path]), str(path)).reason == "contains NUL bytes"


def test_nul_character_in_json_text(tmp_path):
    path = write_json(tmp_path / "nul.json", {"id": "n", "text": "avant\u0000apr\u00e8s"})
    assert only_error(read([path]), str(path)).reason == "contains NUL bytes"


# --- empty and oversized -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_or_blank_json_text(tmp_path, text):
    path = write_json(tmp_path / "vide.json", {"id": "v", "text": text})
    assert only_error(read([path]), str(path)).reason == "empty text"


def test_blank_txt_and_header_only_txt(tmp_path):
    blank = tmp_path / "blanc.txt"
    blank.write_text("  \n\n \t \n")
    header_only = tmp_path / "entete.txt"
    header_only.write_text(" date 2022-06   \n\n")
    first, second = read([blank, header_only])
    assert check_error(first, str(blank)).reason == "empty text"
    assert check_error(second, str(header_only)).reason == "empty text"


def test_empty_json_file(tmp_path):
    path = tmp_path / "rien.json"
    path.write_bytes(b"")
    assert only_error(read([path]), str(path)).reason == "empty file"


def test_text_too_long(tmp_path):
    path = write_json(tmp_path / "long.json", {"id": "long", "text": "mot " * 30})
    error = only_error(read([path], max_chars=100), str(path))
    assert error.reason == "text too long (120 characters, limit 100)"


def test_huge_file_is_rejected_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    path.write_text("x" * 500)
    monkeypatch.setattr(
        "recoupe.ingest.decoding.decode", lambda *a, **k: pytest.fail("decoded a huge file")
    )
    error = only_error(read([path], max_chars=100), str(path))
    assert error.reason == "text too long (file of 500 bytes, limit 100 characters)"


def test_jsonl_line_too_long_others_kept(tmp_path):
    path = tmp_path / "long.jsonl"
    lines = [
        json.dumps({"id": "short1", "text": "Court."}),
        json.dumps({"id": "long", "text": "x" * 1000}),
        json.dumps({"id": "short2", "text": "Bref."}),
    ]
    path.write_text("\n".join(lines))
    first, second, third = read([path], max_chars=100)
    assert (first.id, third.id) == ("short1", "short2")
    assert check_error(second, f"{path}:2").reason.startswith("text too long")


# --- broken JSON, types, ids, dates ------------------------------------------------------


def test_broken_json(tmp_path):
    path = tmp_path / "casse.json"
    path.write_text('{"id": "c", "text": "Une phrase."')
    error = only_error(read([path]), str(path))
    assert error.reason.startswith("invalid JSON:") and "line 1" in error.reason


def test_json_of_the_wrong_shape(tmp_path):
    path = tmp_path / "chaine.json"
    path.write_text('"juste une chaîne"')
    error = only_error(read([path]), str(path))
    assert error.reason == "expected a JSON object or a list of objects, got string"


def test_deeply_nested_json_does_not_raise(tmp_path):
    path = tmp_path / "profond.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    error = only_error(read([path]), str(path))
    assert error.reason.startswith("invalid JSON")


def test_jsonl_broken_line_among_good_ones(tmp_path):
    path = tmp_path / "lot.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "g1", "text": FR_TEXT}),
                '{"id": "g2", "text": "pas fini',
                json.dumps({"id": "g3", "text": EN_TEXT}),
                "[1, 2]",
                json.dumps({"id": "g5", "text": FR_TEXT}),
            ]
        )
    )
    items = read([path])
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article", "InputError", "Article"]
    assert [i.id for i in items if isinstance(i, Article)] == ["g1", "g3", "g5"]
    assert check_error(items[1], f"{path}:2").reason.startswith("invalid JSON:")
    assert check_error(items[3], f"{path}:4").reason == "expected a JSON object, got array"


@pytest.mark.parametrize(
    "key, value, reason",
    [
        ("text", 12, "'text' must be a string, got number"),
        ("text", ["a", "b"], "'text' must be a string, got array"),
        ("title", 3, "'title' must be a string or null, got number"),
        ("url", ["https://example.org"], "'url' must be a string or null, got array"),
        ("id", 1.5, "'id' must be a string, got number"),
        ("id", True, "'id' must be a string, got boolean"),
        ("id", "  ", "'id' is empty"),
        ("lang", 1, "'lang' must be a string or null, got number"),
        ("lang", "de", "unsupported lang 'de' (expected 'fr', 'en' or null)"),
        ("date", ["2020"], "'date' must be a string or null, got array"),
    ],
)
def test_wrong_types_name_the_key(tmp_path, key, value, reason):
    record = {"id": "t", "text": FR_TEXT, key: value}
    path = write_json(tmp_path / "types.json", record)
    assert only_error(read([path]), str(path)).reason == reason


def test_missing_text(tmp_path):
    path = write_json(tmp_path / "sans.json", {"id": "s", "title": "Un titre seul"})
    assert only_error(read([path]), str(path)).reason == "missing 'text'"


def test_language_tags_are_normalised(tmp_path):
    path = write_json(tmp_path / "tag.json", {"id": "t", "text": FR_TEXT, "lang": "FR-fr"})
    [article] = read([path])
    assert article.lang == "fr"


def test_duplicate_ids_within_and_across_files(tmp_path):
    jsonl = tmp_path / "dup.jsonl"
    jsonl.write_text(
        json.dumps({"id": "d1", "text": FR_TEXT})
        + "\n"
        + json.dumps({"id": "d1", "text": EN_TEXT})
        + "\n"
    )
    txt = tmp_path / "d1.txt"
    txt.write_text(FR_TEXT)
    first, second, third = read([jsonl, txt])
    assert first.id == "d1"
    assert check_error(second, f"{jsonl}:2").reason == f"duplicate id 'd1' (first seen in {jsonl}:1)"
    assert check_error(third, str(txt)).reason == f"duplicate id 'd1' (first seen in {jsonl}:1)"


def test_bad_date_in_json_and_in_txt_header(tmp_path):
    json_path = write_json(tmp_path / "date.json", {"id": "d", "text": FR_TEXT, "date": "2024-13-45"})
    txt_path = tmp_path / "date.txt"
    txt_path.write_text(" date 2024-13-45 " + FR_TEXT)
    first, second = read([json_path, txt_path])
    assert check_error(first, str(json_path)).reason == "invalid date '2024-13-45'"
    assert check_error(second, str(txt_path)).reason == "invalid date '2024-13-45'"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2021", "2021"),
        ("2021-10", "2021-10"),
        ("2021-10-02", "2021-10-02"),
        ("2021-10-02T16:38+0200", "2021-10-02"),
        ("2021-10-02T16:38:05Z", "2021-10-02"),
        ("2021-10-02 16:38:05.123+02:00", "2021-10-02"),
        ("02/10/2021", "2021-10-02"),
        ("2/3/2021", "2021-03-02"),
        (" 2024-02-29 ", "2024-02-29"),
        ("2023-02-29", None),
        ("2024-13-45", None),
        ("2024-00", None),
        ("31/02/2021", None),
        ("2021-10-02T25:00", None),
        ("0000", None),
        ("hier", None),
        ("", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_json_date_formats_are_normalised(tmp_path):
    path = tmp_path / "dates.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"id": f"d{i}", "text": FR_TEXT, "date": date})
            for i, date in enumerate(["2021-10-02T16:38+0200", "02/10/2021", 2021, None, ""])
        )
    )
    assert [a.date for a in read([path])] == ["2021-10-02", "2021-10-02", "2021", None, None]


# --- HTML that has no text or would break a parser ---------------------------------------


@pytest.mark.parametrize(
    "name, page",
    [
        ("head-only.html", "<html><head><title>Rien</title></head></html>"),
        ("no-body.htm", "<!DOCTYPE html><html></html>"),
        ("comment.html", "<!-- seulement un commentaire -->"),
        ("scripts.html", "<html><body><script>var x = 1;</script><nav><p>Menu</p></nav></body></html>"),
    ],
)
def test_html_without_text(tmp_path, name, page):
    path = tmp_path / name
    path.write_text(page)
    assert only_error(read([path]), str(path)).reason == "no main text found"


def test_html_ten_thousand_nested_divs(tmp_path):
    path = tmp_path / "nested.html"
    path.write_text(
        "<html><body>" + "<div>" * 10_000 + "<p>Tout au fond.</p>" + "</div>" * 10_000 + "</body></html>"
    )
    items = read([path])
    assert len(items) == 1
    if isinstance(items[0], InputError):
        check_error(items[0], str(path))
    else:
        assert "Tout au fond." in items[0].text


def test_empty_html_file(tmp_path):
    path = tmp_path / "vide.html"
    path.write_text("   \n")
    assert only_error(read([path]), str(path)).reason == "empty file"


# --- files that cannot be read -----------------------------------------------------------


def test_dangling_symlink_in_a_folder(tmp_path):
    folder = tmp_path / "liens"
    folder.mkdir()
    (folder / "perdu.json").symlink_to(tmp_path / "nulle-part.json")
    error = only_error(read([folder]), "perdu.json")
    assert error.reason == "no such file or directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_permission_denied(tmp_path):
    path = write_json(tmp_path / "secret.json", {"id": "s", "text": FR_TEXT})
    path.chmod(0)
    try:
        assert only_error(read([path]), str(path)).reason == "permission denied"
    finally:
        path.chmod(0o600)


def test_open_failure_gives_the_os_reason(tmp_path, monkeypatch):
    path = write_json(tmp_path / "secret.json", {"id": "s", "text": FR_TEXT})

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", refuse)
    assert only_error(read([path]), str(path)).reason == "permission denied"


def test_fifo_is_not_read(tmp_path):
    path = tmp_path / "tube.jsonl"
    os.mkfifo(path)
    assert only_error(read([path]), str(path)).reason == "not a regular file"


def test_folder_named_like_a_file_is_walked(tmp_path):
    folder = tmp_path / "x.json"
    folder.mkdir()
    write_json(folder / "inside.json", {"id": "inside", "text": FR_TEXT})
    assert [a.id for a in read([folder])] == ["inside"]


def test_explicit_file_of_unsupported_type(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(FR_TEXT)
    error = only_error(read([path]), str(path))
    assert error.reason.startswith("unsupported file type '.md'")


def test_file_name_with_a_newline_gives_a_one_line_error(tmp_path):
    path = tmp_path / "deux\nlignes.json"
    path.write_text("{")
    error = only_error(read([path]), "lignes.json")
    assert "\n" not in error.origin


def test_a_batch_of_bad_inputs_never_raises(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.json").write_bytes(b"\xff\xfe\x00")
    (bad / "b.json").write_bytes(b"\x00\x01\x02")
    (bad / "c.jsonl").write_bytes(b"\n".join([b"{", b"[]", b"null", b"\"x\"", b"{\"id\": {}}", b"\xc3"]))
    (bad / "d.txt").write_bytes(b"\xc3\x28")
    (bad / "e.html").write_bytes(b"<html><body>" + b"<b>" * 20_000 + b"</body></html>")
    (bad / "f.htm").write_bytes(b"<?xml version='1.0' encoding='utf-8'?><html><p>Oui.</p></html>")
    (bad / "g.json").write_text("[1, null, {}, {\"id\": null, \"text\": null}]")
    good = write_json(tmp_path / "good.json", {"id": "good", "text": FR_TEXT})
    items = read([bad, tmp_path / "absent", good], stdin=io.BytesIO(b"{\n\xff\n"))
    assert isinstance(items[-1], Article) and items[-1].id == "good"
    for item in items[:-1]:
        if isinstance(item, InputError):
            check_error(item, str(bad) if "absent" not in item.origin else "absent")


# --- language detection ------------------------------------------------------------------


def test_detect_language():
    assert detect_language(FR_TEXT) == "fr"
    assert detect_language(EN_TEXT) == "en"
    assert detect_language("Bamako, Kidal, Gao. 2021.") is None
    assert detect_language("") is None


def test_normalise_lang():
    assert normalise_lang("en-GB") == "en"
    assert normalise_lang("French") == "fr"
    assert normalise_lang("es") is None


def test_stopword_lists_are_disjoint_and_sized():
    lists = stopwords()
    assert 50 <= len(lists["fr"]) <= 80 and 50 <= len(lists["en"]) <= 80
    assert not lists["fr"] & lists["en"]


def test_paths_may_be_path_objects_or_one_bare_string(tmp_path):
    path = write_json(tmp_path / "seul.json", {"id": "seul", "text": FR_TEXT})
    assert [a.id for a in read_articles([path])] == ["seul"]
    assert [a.id for a in read_articles(str(path))] == ["seul"]
