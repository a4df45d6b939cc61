"""``recoupe ingest`` as a real process: bad inputs, summary, exit codes, reruns, replacement."""
from __future__ import annotations

import json
import subprocess
import sys

from recoupe.store import open_store

RECOUPE = [sys.executable, "-m", "recoupe.cli"]


def run(args, cwd=None):
    return subprocess.run(RECOUPE + args, capture_output=True, text=True, cwd=cwd, timeout=600)


def test_ingest_goes_past_bad_inputs_reruns_and_replaces(stores, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps({
        "id": "a", "date": "2022-02-01", "lang": "fr", "url": "https://www.quotidien.example/a",
        "text": "Les autorités maliennes ont expulsé l'ambassadeur de France le 31 janvier."}), encoding="utf-8")
    (folder / "b.txt").write_text(" date 2023-05 La Turquie a livré des drones au Burkina Faso.", encoding="utf-8")
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    url = stores.url()

    first = run(["ingest", str(folder), "--db", url])
    assert first.returncode == 1, first.stderr
    errors = [line for line in first.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and "broken.json" in errors[0]
    assert "Traceback" not in first.stderr
    assert "2 added, 0 skipped, 0 replaced, 1 errors" in first.stderr
    with open_store(url) as store:
        assert sorted(a["id"] for a in store.articles()) == ["a", "b"]
        assert [c["type"] for c in store.claims(actor="france")] == ["reject"]
        before = store.stats()

    (folder / "broken.json").unlink()
    again = run(["ingest", str(folder), "--db", url, "--json"])
    assert again.returncode == 0, again.stderr
    assert [json.loads(line) for line in again.stdout.splitlines()] == [
        {"id": "a", "status": "skipped"}, {"id": "b", "status": "skipped"}]
    with open_store(url) as store:
        assert store.stats() == before

    (folder / "b.txt").write_text(" date 2023-05 La Turquie a livré des drones au Niger.", encoding="utf-8")
    changed = run(["ingest", str(folder), "--db", url])
    assert changed.returncode == 0, changed.stderr
    assert "0 added, 1 skipped, 1 replaced, 0 errors" in changed.stderr
    with open_store(url) as store:
        transfers = store.claims(type="arms_transfer")
        assert [(c["source"], c["target"]) for c in transfers] == [("turkey", "niger")]
        assert store.stats()["articles"] == 2


def test_ingest_default_store_is_recoupe_db_here(tmp_path):
    (tmp_path / "a.txt").write_text(" date 2024-01 Le Niger a rompu avec la France.", encoding="utf-8")
    proc = run(["ingest", "a.txt"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "recoupe.db").is_file()
    listed = run(["stats", "--json"], cwd=tmp_path)
    assert json.loads(listed.stdout)["articles"] == 1


def test_unreachable_store_is_one_line(tmp_path):
    proc = run(["claims", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    assert proc.returncode == 1
    assert "cannot connect" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
