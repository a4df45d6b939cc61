"""Robustness of extraction and of ``recoupe extract`` (issue 6): generated texts through the
extractor, generated folders through the command, and every listed bad input in one batch.

The command must never show a traceback, must name each bad input on one line of stderr with
the reason, must go on with the other inputs and must exit 1 when some failed.
Run with ``--hypothesis-show-statistics`` to see how many inputs each property ran.
"""
from __future__ import annotations

import codecs
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from recoupe.facts.lexicon import FACT_TYPES
from recoupe.model import Article

RECOUPE = [sys.executable, "-m", "recoupe.cli"]
MODALITIES = {"asserted", "reported", "hedged", "hypothetical", "negated"}
ERROR_LINE = re.compile(r"recoupe: error: (.+?): (.+)")

SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Sentences in the style of the wire, written for these tests; fragments are recombined freely.
SENTENCES = [
    "Les forces armées maliennes ont repris le contrôle de Kidal le 14 novembre.",
    "Selon une source sécuritaire, une centaine de mercenaires russes seraient arrivés à Tombouctou.",
    "Niamey a dénoncé l'accord de coopération militaire avec Washington.",
    "Le ministre a démenti tout accord avec le groupe Wagner.",
    "L'armée burkinabè aurait frappé un convoi du JNIM près de Djibo, faisant « plusieurs dizaines » de morts.",
    "Paris pourrait retirer ses derniers soldats du Tchad d'ici à la fin de l'année.",
    "« Nous n'avons reçu aucun drone turc », a affirmé le porte-parole du gouvernement.",
    "La Minusma a quitté sa base d'Ansongo le 15 août 2023.",
]
FRAGMENTS = st.one_of(
    st.sampled_from(SENTENCES),
    st.sampled_from(["\n", "\n\n", " ", "\t", "\u00a0", "\u202f", "\u2028", "\x0b", "\x0c", "\x85", "\ufeff",
                     "\u200b", "«", "»", "…", "—", "’", "(", ")", "1 500", "3e", "le 31 février", "2024-13-45",
                     "Mali Mali Mali", "A" * 300, "🇲🇱", "e\u0301", "ﬁ", ".", "!!!", "Wagner»", "l'", "d’"]),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=40),
)
TEXTS = st.lists(FRAGMENTS, min_size=1, max_size=12).map("".join).filter(str.strip)


def run(args, stdin: bytes = b"", cwd=None) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess."""
    return subprocess.run(RECOUPE + [str(a) for a in args], input=stdin, capture_output=True, cwd=cwd, timeout=900)


PROGRESS_LINE = re.compile(r"recoupe: \d+ articles, \d+ errors")


def error_lines(stderr: str) -> dict[str, str]:
    """{origin: reason} of the error lines; each bad input must be named once, and stderr
    holds nothing else than these lines and progress lines (no library warnings)."""
    found: dict[str, str] = {}
    for line in stderr.splitlines():
        match = ERROR_LINE.fullmatch(line)
        assert match or PROGRESS_LINE.fullmatch(line), f"unexpected line on stderr: {line!r}"
        if match:
            assert match[1] not in found, f"{match[1]} named twice"
            found[match[1]] = match[2]
    return found


# --- the extractor on generated texts ----------------------------------------------------


@SETTINGS
@given(text=TEXTS, date=st.sampled_from([None, "2024", "2023-02", "2024-02-29", "0001-01-01", "9999-12-31"]))
def test_extractor_never_raises_and_spans_point_into_the_text(extractor, text, date):
    """Any text the readers accept: facts of known types and modalities whose evidence
    span is the evidence sentence, mentions that are spans of the text."""
    result = extractor.extract(Article(id="gen", text=text, date=date))
    for fact in result.facts:
        assert fact.type in FACT_TYPES and fact.modality in MODALITIES
        assert text[fact.evidence_start:fact.evidence_end] == fact.evidence
        json.dumps(result.to_json(), ensure_ascii=False).encode("utf-8")
    for mention in result.mentions:
        assert text[mention.start:mention.end] == mention.text


# --- the command on generated folders ----------------------------------------------------


@pytest.fixture(scope="module")
def cli(extractor):
    """``recoupe extract`` in-process (click's runner) with the session's extractor."""
    from recoupe import cli as module

    patch = pytest.MonkeyPatch()
    patch.setattr("recoupe.pipeline.Extractor", lambda *a, **k: extractor)
    yield lambda args, stdin=b"": CliRunner(mix_stderr=False).invoke(module.main, args, input=stdin)
    patch.undo()


GOOD = st.builds(lambda text, n: json.dumps({"id": f"bon{n}", "text": text, "date": "2024-03"}, ensure_ascii=False),
                 st.sampled_from(SENTENCES), st.integers(0, 3))
FILES = st.lists(st.tuples(st.sampled_from([".json", ".jsonl", ".txt", ".html"]), st.one_of(
    GOOD.map(str.encode), st.binary(max_size=300), TEXTS.map(str.encode),
    st.sampled_from([b"", b"{", b"\xff\xfe\x00", codecs.BOM_UTF16_LE + "Texte".encode("utf-16-le"),
                     b'{"id": "x", "text": 3}', b'{"id": "y"}', b'{"id": "z", "text": "T", "date": "2024-13-45"}',
                     b"\x00\x00", b"<html><head></head></html>", b" date 2024-13-45 Texte."]))), max_size=8)


@settings(SETTINGS, max_examples=40)
@given(files=FILES)
@example(files=[(".txt", f"{SENTENCES[0]}\x85{SENTENCES[1]}\u2028{SENTENCES[2]}".encode())])  # found by this test
def test_extract_command_on_generated_folders(cli, files):
    """A folder of generated files: each .txt/.html file gives its row or one error line naming
    it, every error names an input of the folder, ids are unique, exit code 1 exactly when
    some input failed, never a traceback."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for index, (suffix, data) in enumerate(files):
            (folder / f"f{index}{suffix}").write_bytes(data)
        result = cli(["extract", name, "--progress-every", "0"])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.stderr
        errors = error_lines(result.stderr)
        lines = result.stdout.split("\n")[:-1]
        assert result.stdout.splitlines() == lines  # no record cut by a Unicode line break (U+0085, U+2028)
        rows = [json.loads(line) for line in lines]
        ids = [r["id"] for r in rows]
        for index, (suffix, _) in enumerate(files):
            if suffix in (".txt", ".html"):  # one article per file: its row or its error line
                path = str(folder / f"f{index}{suffix}")
                assert (path in errors) != (f"f{index}" in ids), (path, errors, ids)
        for origin in errors:
            assert origin.startswith(name)
        assert len(set(ids)) == len(ids)  # duplicate ids were refused
        assert result.exit_code == (1 if errors else 0)


# --- every listed bad input in one batch, through the real command -----------------------


def write_bad_batch(folder: Path) -> tuple[list[str], dict[str, str]]:
    """Write good and bad inputs; return the ids that must come out and {origin: reason word}."""
    good = {"id": "bon", "date": "2024-03-02", "text": SENTENCES[2]}
    (folder / "01-bon.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    (folder / "02-octets.json").write_bytes(bytes(range(1, 256)) * 4)
    (folder / "03-latin1.txt").write_bytes("Le Mali a expulsé l'ambassadeur.".encode("latin-1"))
    (folder / "04-utf16.txt").write_bytes(codecs.BOM_UTF16_LE + f" date 2023-08\n{SENTENCES[7]}".encode("utf-16-le"))
    (folder / "05-crlf.jsonl").write_bytes(b"\r\n".join(json.dumps({"id": f"crlf{i}", "text": s}).encode()
                                                        for i, s in enumerate(SENTENCES[:2])) + b"\r\n")
    (folder / "06-nul.txt").write_bytes(b"Le Niger\x00 a signe.")
    with open(folder / "07-enorme.txt", "wb") as handle:  # 50 MB on one line: refused by its size
        handle.write(b"x" * (50 * 2**20))
    (folder / "08-sans-corps.html").write_text("<html><head><title>Rien</title></head></html>")
    (folder / "09-imbrique.html").write_text("<html><body>" + "<div>" * 10_000 + f"<p>{SENTENCES[3]}</p>"
                                             + "</div>" * 10_000 + "</body></html>")
    (folder / "10-types.json").write_text(json.dumps({"id": ["a"], "text": 12}))
    (folder / "11-sans-texte.json").write_text(json.dumps({"id": "sans-texte", "title": "Titre"}))
    (folder / "12-doublon.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    (folder / "13-lot.jsonl").write_text("\n".join([json.dumps({"id": "lot1", "text": SENTENCES[4]}),
                                                    '{"id": "lot2", "text": "pas fini',
                                                    json.dumps({"id": "lot3", "text": SENTENCES[5]})]) + "\n")
    (folder / "14-date.json").write_text(json.dumps({"id": "date", "date": "2024-13-45", "text": SENTENCES[0]}))
    (folder / "15-surrogat.jsonl").write_text('{"id": "sur", "text": "Bamako a d\\udce9menti."}\n')
    with open(os.path.join(os.fsencode(folder), b"16-caf\xe9.txt"), "wb") as handle:
        handle.write(SENTENCES[6].encode())
    # 09-imbrique.html: libxml2 stops at depth 256 and loses the paragraph; either its text
    # or "no main text found (tags nested too deeply...)" is acceptable: in neither list.
    ids = ["bon", "04-utf16", "crlf0", "crlf1", "lot1", "lot3"]
    bad = {"02-octets.json": "invalid UTF-8", "03-latin1.txt": "invalid UTF-8", "06-nul.txt": "NUL",
           "07-enorme.txt": "too long", "08-sans-corps.html": "no main text", "10-types.json": "'id'",
           "11-sans-texte.json": "missing 'text'", "12-doublon.json": "duplicate id", "13-lot.jsonl:2": "invalid JSON",
           "14-date.json": "invalid date", "15-surrogat.jsonl:1": "lone surrogate", "16-caf\\udce9.txt": "lone surrogate"}
    return ids, {f"{folder}/{name}": word for name, word in bad.items()}


def test_extract_every_listed_bad_input(tmp_path):
    """The issue's list in one folder: good inputs come out in order, each bad one is named
    once with its reason, no traceback, exit 1."""
    folder = tmp_path / "lot"
    folder.mkdir()
    ids, bad = write_bad_batch(folder)
    out = tmp_path / "out.jsonl"
    proc = run(["extract", folder, "-o", out])
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1 and "Traceback" not in stderr, stderr
    errors = error_lines(stderr)
    nested = f"{folder}/09-imbrique.html"
    assert set(errors) - {nested} == set(bad), stderr
    for origin, word in bad.items():
        assert word in errors[origin], (origin, errors[origin])
    rows = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert [i for i in rows if i != "09-imbrique"] == ids
    assert (nested in errors) != ("09-imbrique" in rows)


def test_extract_stdin_with_broken_lines(cli):
    """JSONL on stdin: broken lines named by their number, the others extracted, exit 1."""
    lines = [json.dumps({"id": "s1", "text": SENTENCES[0]}).encode(), b'{"id": "s2", "text": "\xff"}',
             b"[1, 2]", json.dumps({"id": "s1", "text": SENTENCES[1]}).encode(),
             json.dumps({"id": "s4", "text": SENTENCES[2], "date": "2024-02-30"}).encode(),
             json.dumps({"id": "s5", "text": SENTENCES[3]}).encode()]
    result = cli(["extract", "-"], stdin=b"\r\n".join(lines))
    assert result.exit_code == 1 and "Traceback" not in result.stderr, result.stderr
    assert sorted(error_lines(result.stderr)) == ["<stdin>:2", "<stdin>:3", "<stdin>:4", "<stdin>:5"]
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["s1", "s5"]


def test_extract_output_on_a_full_disk_is_one_line(cli):
    """Writing the output fails (no space left): one line naming the output, exit 1."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    result = cli(["extract", str(Path(__file__).parent.parent / "examples" / "articles" / "s01.json"),
                  "-o", "/dev/full"])
    assert result.exit_code == 1 and "Traceback" not in result.stderr, result.stderr
    assert error_lines(result.stderr) == {"/dev/full": "cannot write (No space left on device)"}


def test_an_article_whose_extraction_fails_does_not_stop_the_batch(cli, extractor, tmp_path, monkeypatch):
    """An extraction failure (a bug, not bad input) is reported for that article alone: its
    origin on one line, the articles before and after it extracted, exit 1."""
    real = extractor._result

    def failing(article, doc):
        if article.id == "piege":
            raise IndexError("list index out of range")
        return real(article, doc)

    monkeypatch.setattr(extractor, "_result", failing)
    path = tmp_path / "lot.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": s}, ensure_ascii=False) + "\n"
                            for i, s in [("avant", SENTENCES[0]), ("piege", SENTENCES[1]), ("apres", SENTENCES[2])]))
    result = cli(["extract", str(path), "--progress-every", "0"])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert error_lines(result.stderr) == {f"{path}:2": "extraction failed (IndexError: list index out of range)"}
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["avant", "apres"]
