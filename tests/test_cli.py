"""The command line: streaming JSONL, bad inputs reported on one line, exit codes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

RECOUPE = [sys.executable, "-m", "recoupe.cli"]


def run(args, stdin: bytes = b"", cwd=None):
    return subprocess.run(RECOUPE + args, input=stdin, capture_output=True, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "a.json").write_text(json.dumps({
        "id": "a", "date": "2022-02-01", "lang": "fr",
        "text": "Les autorités maliennes ont expulsé l'ambassadeur de France le 31 janvier."}), encoding="utf-8")
    (folder / "b.txt").write_text(" date 2023-05 La Turquie a livré des drones au Burkina Faso.", encoding="utf-8")
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"Le Mali \xff\xfe a sign\xe9 un accord.")
    return folder


def test_extract_goes_past_bad_inputs_and_fails_at_the_end(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    proc = run(["extract", str(corpus), "-o", str(out)])
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.decode().splitlines() if "error:" in line]
    assert len(errors) == 2
    assert any("broken.json" in e for e in errors) and any("bad.txt" in e for e in errors)
    assert "Traceback" not in proc.stderr.decode()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    reject = [f for f in rows[0]["facts"] if f["type"] == "reject"]
    assert reject and reject[0]["source"] == "mali" and reject[0]["target"] == "france"
    text = json.loads((corpus / "a.json").read_text())["text"]
    start, end = reject[0]["evidence_span"]
    assert text[start:end] == reject[0]["evidence"]


def test_extract_reads_jsonl_on_stdin_and_writes_stdout():
    lines = [json.dumps({"id": f"s{i}", "date": "2024-01", "text": t}) for i, t in enumerate([
        "Le Niger a dénoncé l'accord militaire avec les États-Unis.",
        "Des soldats russes sont arrivés à Niamey."])]
    proc = run(["extract", "-"], stdin=("\n".join(lines) + "\n").encode())
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["id"] for r in rows] == ["s0", "s1"]


def test_missing_path_is_one_line_and_exit_1(tmp_path):
    proc = run(["extract", str(tmp_path / "nope.json")])
    assert proc.returncode == 1
    assert "nope.json" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()
