"""Robustness of the readers (issue 6): property tests over generated inputs, for every reader.

Every reader (.json, .jsonl, .txt, .html, stdin) gets generated bad and good inputs; the
properties are the ingest contract: ``read_articles`` never raises, yields an ``Article`` or
a one-line ``InputError`` naming the input for each input, and goes on past bad ones.
Run with ``--hypothesis-show-statistics`` to see how many inputs each property ran.
"""
from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoupe.ingest import MAX_CHARS, read_articles
from recoupe.ingest.dates import parse_date
from recoupe.model import Article, InputError

# Fixed budgets, no wall-clock deadline (the machine is shared), no example database in the tree.
FAST = settings(max_examples=300, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(FAST, max_examples=60)  # trafilatura and lxml on every example

DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
SUFFIXES = (".json", ".jsonl", ".txt", ".html")
KEYS = ("id", "text", "date", "lang", "url", "title")
SENTENCES = (
    "Les forces armées maliennes ont repris le contrôle de Kidal le 14 novembre.",
    "Selon une source sécuritaire, une centaine de mercenaires seraient arrivés à Tombouctou.",
    "Niamey a dénoncé l'accord de coopération militaire avec Washington.",
    "Le ministre a démenti tout accord avec le groupe Wagner.",
)


@pytest.fixture(scope="module")
def folder():
    """One scratch folder per module; hypothesis reruns a test body many times in one fixture."""
    with tempfile.TemporaryDirectory(prefix="recoupe-robust-") as name:
        yield Path(name)


def read(paths, **kwargs) -> list:
    """All items of read_articles for ``paths``."""
    return list(read_articles([str(p) for p in paths], **kwargs))


def check_item(item, origin: str, max_chars: int = MAX_CHARS) -> None:
    """An item is an Article with a usable text, or a one-line InputError naming its input."""
    if isinstance(item, InputError):
        message = str(item)
        assert message.startswith(origin), (message, origin)
        assert "\n" not in message and "\r" not in message and "Traceback" not in message
        assert item.reason and len(item.reason) <= 200
        return
    assert isinstance(item, Article), item
    assert item.origin.startswith(origin)
    assert isinstance(item.id, str) and item.id.strip()
    assert item.text.strip()
    assert "\x00" not in item.text and "\r" not in item.text
    assert len(item.text) <= max_chars
    for value in (item.id, item.text, item.title or "", item.url or ""):
        value.encode("utf-8")  # raises on a lone surrogate: no output or store could take it
    assert item.date is None or (DATE.fullmatch(item.date) and parse_date(item.date) == item.date)
    assert item.lang in (None, "fr", "en")


# --- strategies --------------------------------------------------------------------------

# Text that a French wire could carry, plus the characters that break naive code.
ODD = st.sampled_from(["\r\n", "\r", "\n", "\t", "\u2028", "\u2029", "\x85", "\ufeff", "\u200b",
                       "\x0b", "\x0c", "\x1c", "’", "«\u00a0", "\u00a0»", "\u0301", "🇲🇱", "\x00",
                       "\ud800", "\udfff", "\\", '"', "<", "&amp;", "&#xD800;", "é", "ﬁ"])
TEXT = st.lists(st.one_of(st.sampled_from(SENTENCES), st.text(max_size=30), ODD), max_size=8).map("".join)

BAD_DATES = st.sampled_from(["2024-13-45", "2024-02-30", "2023-00", "0000", "99999", "2024-1-1x",
                             "demain", "", " ", "2024/13/01", "31/02/2024", "2024-06-01T25:00",
                             "2024-06-01T12:00:00+99", "１９９９", "２０２４-０１-０１"])
GOOD_DATES = st.dates(min_value=dt.date(1, 1, 1)).flatmap(
    lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4],
                               f"{d.isoformat()}T08:30:00Z", f"{d.day}/{d.month}/{d.year:04d}"]))

JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                         st.text(max_size=20))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)

# A value of a wrong JSON type for each key of an article object.
WRONG = {
    "id": st.one_of(st.floats(allow_nan=False), st.booleans(), st.lists(JSON_SCALARS, max_size=3),
                    st.dictionaries(st.text(max_size=4), JSON_SCALARS, max_size=2), st.just("  ")),
    "text": st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.lists(st.text(max_size=5), max_size=3),
                      st.just({}), st.just("   \n\t")),
    "date": st.one_of(BAD_DATES.filter(str.strip), st.floats(allow_nan=False), st.booleans(), st.just([2024])),
    "lang": st.one_of(st.sampled_from(["de", "deutsch", "xx-YY", "ar", "1"]), st.integers(), st.just(["fr"])),
    "url": st.one_of(st.integers(), st.booleans(), st.just(["https://exemple.org"]), st.just({"href": "x"})),
    "title": st.one_of(st.integers(), st.floats(allow_nan=False), st.just(["Titre"]), st.just({"fr": "Titre"})),
}

IDS = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12).filter(str.strip)


@st.composite
def good_objects(draw, ids=IDS) -> dict:
    """A valid article object (ONTOLOGY section 1), optional keys present or not."""
    obj = {"id": draw(ids), "text": draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4).map(" ".join))}
    if draw(st.booleans()):
        obj["date"] = draw(st.one_of(st.none(), GOOD_DATES))
    if draw(st.booleans()):
        obj["lang"] = draw(st.sampled_from([None, "fr", "FR", "fr-FR", "en", "english"]))
    for key in ("url", "title"):
        if draw(st.booleans()):
            obj[key] = draw(st.one_of(st.none(), st.text(max_size=30)))
    return obj


@st.composite
def broken_objects(draw) -> tuple[dict, str]:
    """A valid article object with one key of a wrong type or value; returns it and the key."""
    obj = draw(good_objects())
    key = draw(st.sampled_from(KEYS))
    obj[key] = draw(WRONG[key])
    return obj, key


def encode(text: str, how: str) -> bytes:
    """Encode text as a file of one of the encodings recoupe accepts."""
    if how == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8", "surrogatepass")
    if how in ("utf-16-le", "utf-16-be"):
        bom = codecs.BOM_UTF16_LE if how == "utf-16-le" else codecs.BOM_UTF16_BE
        return bom + text.encode(how, "surrogatepass")
    if how == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    return text.encode("utf-8", "surrogatepass")


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "crlf"])


# --- properties --------------------------------------------------------------------------


@FAST
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES[:3]), prefix=st.sampled_from(
    [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b'{"id": "x", "text": "', b"[", b" date 2024-13-45 "]))
def test_random_bytes_never_raise(folder, data, suffix, prefix):
    """Any bytes in a .json, .jsonl or .txt file: items, never an exception."""
    path = folder / f"octets{suffix}"
    path.write_bytes(prefix + data)
    items = read([path])
    for item in items:
        check_item(item, str(path))
    if suffix == ".txt":
        assert len(items) == 1
    if suffix == ".jsonl":  # at most one item per line
        assert len(items) <= len(re.split(rb"\r\n|\r|\n", prefix + data))


@SLOW
@given(data=st.binary(max_size=2000), prefix=st.sampled_from([b"", b"<html><body><p>", codecs.BOM_UTF16_LE]))
def test_random_bytes_as_html_never_raise(folder, data, prefix):
    """Any bytes in an .html file: exactly one item (the page's text, or why there is none)."""
    path = folder / "octets.html"
    path.write_bytes(prefix + data)
    [item] = read([path])
    check_item(item, str(path))


@FAST
@given(obj=good_objects(), how=ENCODINGS, as_list=st.booleans())
def test_valid_json_objects_are_read_as_given(folder, obj, how, as_list):
    """A valid object, in any accepted encoding, alone or in a list, gives its Article."""
    path = folder / "valide.json"
    path.write_bytes(encode(json.dumps([obj] if as_list else obj, ensure_ascii=False), how))
    [item] = read([path])
    check_item(item, str(path))
    assert isinstance(item, Article), item
    assert item.id == obj["id"] and item.text == obj["text"]
    assert item.date == (parse_date(obj["date"]) if obj.get("date") else None)
    assert item.title == ((obj.get("title") or "").strip() or None)


@FAST
@given(case=broken_objects(), how=ENCODINGS)
def test_json_objects_with_a_wrong_key_name_it(folder, case, how):
    """An object with one key of the wrong type (or an impossible date...) is refused, naming the key."""
    obj, key = case
    path = folder / "mauvais.json"
    path.write_bytes(encode(json.dumps(obj), how))
    [item] = read([path])
    check_item(item, str(path))
    assert isinstance(item, InputError), (obj, item)
    named = {"text": ("'text'", "empty text"), "date": ("'date'", "date"), "lang": ("lang",)}.get(key, (f"'{key}'",))
    assert any(word in item.reason for word in named), (key, item.reason)


@FAST
@given(value=JSON_VALUES)
def test_any_json_value_is_an_article_or_an_error(folder, value):
    """Any JSON document at all (wrong shapes and types): items, never an exception."""
    path = folder / "quelconque.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    items = read([path])
    for item in items:
        check_item(item, str(path))
    assert len(items) == (len(value) if isinstance(value, list) else 1)


@st.composite
def bad_lines(draw) -> bytes:
    """A JSONL line that is not an article: broken JSON, wrong shapes, bad bytes, bad keys."""
    kind = draw(st.sampled_from(["truncated", "shape", "bytes", "key", "surrogate", "missing"]))
    if kind == "truncated":
        return json.dumps(draw(good_objects())).encode()[:-1]
    if kind == "shape":
        return json.dumps(draw(st.one_of(JSON_SCALARS, st.lists(JSON_SCALARS, max_size=3)))).encode()
    if kind == "bytes":
        return b"{" + draw(st.binary(min_size=1, max_size=60)).replace(b"\n", b"").replace(b"\r", b"")
    if kind == "surrogate":
        return b'{"id": "s\\ud800", "text": "Texte."}'
    if kind == "missing":
        return json.dumps({"id": "sans-texte", "title": "Titre"}).encode()
    obj, _ = draw(broken_objects())
    return json.dumps(obj).encode()


JSONL_IDS = ["a1", "a2", "a3", "é4", "5"]
JSONL_LINES = st.one_of(
    good_objects(ids=st.sampled_from(JSONL_IDS)).map(lambda o: ("good", json.dumps(o, ensure_ascii=False).encode())),
    bad_lines().map(lambda line: ("bad", line)),
    st.sampled_from([b"", b"  \t"]).map(lambda line: ("blank", line)),
)


@FAST
@given(lines=st.lists(JSONL_LINES, max_size=12), eol=st.sampled_from([b"\n", b"\r\n", b"\r"]),
       source=st.sampled_from(["file", "stdin"]))
def test_jsonl_one_item_per_line_in_order(folder, lines, eol, source):
    """JSONL (file or stdin) with broken lines among good ones: one item per non-blank line,
    in order, named by its line; good lines are read; later copies of an id are refused."""
    data = eol.join(line for _, line in lines) + eol
    if source == "file":
        path = folder / "lot.jsonl"
        path.write_bytes(data)
        origin, items = str(path), read([path])
    else:
        origin, items = "<stdin>", read(["-"], stdin=io.BytesIO(data))
    expected = [(n, kind, line) for n, (kind, line) in enumerate(lines, start=1) if kind != "blank"]
    assert len(items) == len(expected)
    seen: set[str] = set()
    for (lineno, kind, line), item in zip(expected, items):
        check_item(item, f"{origin}:{lineno}")
        if kind == "good":
            article_id = json.loads(line)["id"]
            duplicate = article_id in seen
            seen.add(article_id)
            assert isinstance(item, InputError) == duplicate, (line, item)
            if duplicate:
                assert "duplicate id" in item.reason
            else:
                assert item.id == article_id
        else:
            assert isinstance(item, InputError), (line, item)


@FAST
@given(body=TEXT, header=st.one_of(st.none(), GOOD_DATES.filter(lambda d: "T" not in d and "/" not in d), BAD_DATES),
       how=ENCODINGS)
def test_txt_any_text_with_or_without_a_date_header(folder, body, header, how):
    """A .txt file of any text, with a good, an impossible or no date header."""
    text = body if header is None else f" date {header} {body}"
    path = folder / "texte.txt"
    path.write_bytes(encode(text, how))
    [item] = read([path])
    check_item(item, str(path))
    if isinstance(item, Article):
        assert item.id == "texte"
        if header is not None and re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", header):
            assert item.date == parse_date(header)


TAGS = st.sampled_from(["div", "p", "span", "article", "main", "nav", "footer", "script", "b", "table",
                        "td", "ul", "li", "section", "h1", "title", "head", "body", "html", "br", "!--"])


@st.composite
def html_pages(draw) -> str:
    """Tag soup: random nesting, unclosed or stray tags, entities, sentences in between."""
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(TAGS)
        kind = draw(st.sampled_from(["open", "close", "text", "attr"]))
        if kind == "open":
            parts.append(f"<{tag}>")
        elif kind == "close":
            parts.append(f"</{tag}>")
        elif kind == "attr":
            parts.append(f'<{tag} class="{draw(st.sampled_from(["cookie", "content", "x"]))}" lang="fr">')
        else:
            parts.append(draw(TEXT))
    return "".join(parts)


@SLOW
@given(page=html_pages(), depth=st.sampled_from([0, 0, 300, 3000]), how=ENCODINGS)
def test_html_tag_soup(folder, page, depth, how):
    """Any tag soup, deeply nested or not: one item; an Article's text comes from the page."""
    page = "<div>" * depth + page + "</div>" * depth
    path = folder / "page.html"
    path.write_bytes(encode(page, how))
    [item] = read([path])
    check_item(item, str(path))


@FAST
@given(value=st.one_of(st.text(max_size=30), BAD_DATES, GOOD_DATES,
                       st.tuples(st.integers(-1, 10_000), st.integers(-1, 99), st.integers(-1, 99)).map(
                           lambda t: "%04d-%02d-%02d" % t)))
def test_parse_date_gives_a_real_date_or_none(value):
    """Any string: None or a real calendar date in one of the three shapes."""
    date = parse_date(value)
    if date is not None:
        assert DATE.fullmatch(date)
        parts = [int(p) for p in date.split("-")] + [1, 1]
        dt.date(parts[0], parts[1], parts[2])  # raises if not a real day


# --- targeted cases ----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".txt", ".json", ".jsonl", ".html", "stdin"])
def test_fifty_megabyte_single_line_is_refused_by_size(tmp_path, suffix, monkeypatch):
    """A 50 MB single line is refused from its size, never decoded, parsed or extracted."""
    line = b'{"id": "enorme", "text": "' + b"a" * (50 * 2**20) + b'"}'
    monkeypatch.setattr("recoupe.ingest.json_reader.parse_json",
                        lambda *a, **k: pytest.fail("parsed a 50 MB line"))
    if suffix == "stdin":
        [item] = read(["-"], stdin=io.BytesIO(line))
        origin = "<stdin>:1"
    else:
        path = tmp_path / f"enorme{suffix}"
        path.write_bytes(line)
        [item] = read([path])
        origin = str(path) + (":1" if suffix == ".jsonl" else "")
    check_item(item, origin)
    assert isinstance(item, InputError) and item.reason.startswith("text too long"), item


def test_lone_surrogates_and_undecodable_file_names_are_refused(tmp_path):
    """JSON escapes of lone surrogates, and file names that are not UTF-8, cannot become an
    article (the tokenizer, the JSON output and the databases all refuse them)."""
    (tmp_path / "s.jsonl").write_text('{"id": "a", "text": "Le Mali a expuls\\udce9 un diplomate."}\n'
                                      '{"id": "b\\ud800", "text": "Texte."}\n'
                                      '{"id": "c", "text": "Texte.", "title": "\\udfff"}\n'
                                      '{"id": "d", "text": "Le Mali \\ud83c\\uddf2\\ud83c\\uddf1 a signé."}\n')
    (tmp_path / "sans-id.json").write_text('{"text": "Texte."}')
    raw = bytes(tmp_path) + b"/caf\xe9.txt"
    with open(raw, "wb") as handle:
        handle.write("Le Niger a expulsé l'attaché de défense.".encode())
    items = read([tmp_path])
    by_origin = {i.origin: i for i in items}
    reasons = sorted(i.reason for i in items if isinstance(i, InputError))
    assert reasons == ["invalid Unicode in 'id' (lone surrogate at character 1)",
                       "invalid Unicode in 'text' (lone surrogate at character 16)",
                       "invalid Unicode in 'title' (lone surrogate at character 0)",
                       "invalid Unicode in the file name (lone surrogate at character 3)"], reasons
    assert by_origin[f"{tmp_path}/s.jsonl:4"].text == "Le Mali 🇲🇱 a signé."  # a real pair is fine
    assert by_origin[f"{tmp_path}/sans-id.json"].id == "sans-id"
    for item in items:
        check_item(item, str(tmp_path))


@pytest.mark.parametrize("tag", ["div", "b", "table", "p", "li", "span"])
def test_html_ten_thousand_nested_tags(tmp_path, tag):
    """10,000 nested tags of each kind (closed or not): one item, no crash, no recursion error;
    when the parser's depth limit loses the text, the reason says so."""
    path = tmp_path / f"{tag}.html"
    path.write_text("<html><body>" + f"<{tag}>" * 10_000 + SENTENCES[0] + f"</{tag}>" * (10_000 if tag != "p" else 0))
    [item] = read([path])
    check_item(item, str(path))
    if isinstance(item, InputError):
        assert item.reason == "no main text found (tags nested too deeply for the HTML parser)", item


@pytest.mark.parametrize("page", ["<html><head><title>Titre seul</title></head></html>", "<html>", "<body></body>",
                                  "<!DOCTYPE html>", "<?xml version='1.0'?><html/>", "<html><body>   </body></html>"])
def test_html_with_no_body(tmp_path, page):
    """Pages with no body or nothing in it: one error saying no main text was found."""
    path = tmp_path / "vide.html"
    path.write_text(page)
    [item] = read([path])
    check_item(item, str(path))
    assert isinstance(item, InputError) and item.reason == "no main text found", item
