"""The REST API and the web page, over real stores (SQLite and PostgreSQL), through a real uvicorn server.

Each store is ingested once per module from the sample corpus (examples/articles) plus
one article written here whose title, link and text carry markup, to show that the
page renders it as text. Browser tests drive Debian's Chromium with Playwright; they
skip when /usr/bin/chromium is absent, except under CI=true, where they fail.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterator, Optional

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "out" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOKEN = "jeton-de-test-7f3a"

# Written for these tests: markup in every field the page shows.
TRAP = {
    "id": "w-piege",
    "url": "javascript:alert('url')",
    "date": "2024-03-05",
    "lang": "fr",
    "title": "Essai <script>alert('titre')</script> de balisage",
    "text": ("Gao, 5 mars 2024 – Le groupe Wagner a déployé trois cents hommes au Mali <script>alert(1)</script> "
             "selon un officier <img src=x onerror=alert(1)> de l'armée malienne.\n\n"
             "La France a vivement critiqué le Mali pour ce déploiement."),
}


# ------------------------------------------------------------------ helpers
def http(method: str, url: str, body: Any = None, headers: Optional[dict] = None,
         raw: Optional[bytes] = None) -> tuple[int, dict, Any]:
    """One request; returns (status, lower-cased headers, parsed JSON body or text)."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json",
                                                                             **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, head, payload = response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        status, head, payload = err.code, err.headers, err.read()
    head = {k.lower(): v for k, v in head.items()}
    text = payload.decode("utf-8")
    return status, head, json.loads(text) if "json" in head.get("content-type", "") else text


def get(url: str, **headers: str) -> tuple[int, Any]:
    status, _, body = http("GET", url, headers=headers)
    return status, body


@contextlib.contextmanager
def running(app) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1, on a free port, in a thread; yield its base URL."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(1000):  # bounded wait for start-up
        if server.started or not thread.is_alive():
            break
        threading.Event().wait(0.01)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


# ------------------------------------------------------------------ fixtures
# ``stores`` (conftest.py) runs each test using these fixtures on SQLite and on PostgreSQL;
# what does not depend on the backend (the page, headers, the command) runs on SQLite only.
SQLITE_ONLY = pytest.mark.parametrize("stores", ["sqlite"], indirect=True)


@pytest.fixture(scope="module")
def trap_result(extractor):
    from recoupe.ingest.records import build_article

    return extractor.extract(build_article(TRAP, "trap", default_id=None, max_chars=100_000))


@pytest.fixture(scope="module")
def sample_db(stores, sample_results, trap_result) -> str:
    """A store holding the sample corpus and the article with markup; its URL."""
    from recoupe.store import open_store

    assert len(sample_results) >= 18
    url = stores.url()
    store = open_store(url)
    try:
        for result in [*sample_results, trap_result]:
            store.ingest_result(result)
    finally:
        store.close()
    return url


@pytest.fixture(scope="module")
def base(sample_db) -> Iterator[str]:
    """The read-only server: no token configured, so ingest is refused."""
    from recoupe.web.app import create_app

    with running(create_app(sample_db)) as url:
        yield url


@pytest.fixture(scope="module")
def openapi(base) -> dict:
    status, doc = get(base + "/openapi.json")
    assert status == 200
    return doc


@pytest.fixture(scope="module")
def trap_claim(base) -> str:
    """The claim of the deploy fact whose evidence sentence carries the markup."""
    status, article = get(base + "/api/articles/w-piege")
    assert status == 200
    deploy = [f for f in article["facts"] if f["type"] == "deploy" and f["source"] == "wagner"]
    assert deploy and deploy[0]["claim_id"]
    return deploy[0]["claim_id"]


def validate(openapi: dict, path: str, method: str, status: int, body: Any) -> None:
    """Check that ``status`` is documented for the route and that ``body`` is valid against its schema."""
    operation = openapi["paths"][path][method]
    assert str(status) in operation["responses"], f"{method.upper()} {path}: {status} is not documented"
    content = operation["responses"][str(status)].get("content", {})
    schema = content["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": openapi["components"]}).validate(body)


# ------------------------------------------------------------------ OpenAPI
@SQLITE_ONLY
def test_every_api_route_is_documented(base, openapi):
    from fastapi.routing import APIRoute

    from recoupe.web.app import create_app

    routes = {(r.path, m.lower()) for r in create_app(None).routes
              if isinstance(r, APIRoute) and r.path.startswith("/api") for m in r.methods}
    documented = {(p, m) for p, ops in openapi["paths"].items() for m in ops}
    assert routes == documented
    expected = {"/api/actors", "/api/actors/{actor_id}", "/api/claims", "/api/claims/{claim_id}",
                "/api/claims/{claim_id}/evidence", "/api/articles", "/api/articles/{article_id}", "/api/search",
                "/api/places", "/api/stats"}
    assert expected <= {p for p, _ in documented}
    assert ("/api/articles", "post") in documented
    for path, ops in openapi["paths"].items():
        for method, op in ops.items():
            assert "application/json" in op["responses"]["200"]["content"], f"{method} {path}"


def test_get_routes_answer_valid_documents(base, openapi):
    """Each GET route, with real ids from the store, answers 200 with a body valid against its schema."""
    _, page = get(base + "/api/claims?actor=mali&limit=5")
    claim_id = page["items"][0]["id"]
    calls = [
        ("/api/actors", "/api/actors?q=wagn"),
        ("/api/actors", "/api/actors"),
        ("/api/actors/{actor_id}", "/api/actors/mali"),
        ("/api/claims", "/api/claims?actor=mali&type=withdraw&since=2013&until=2025-06&modality=asserted"
                        "&min_sources=1&limit=3&offset=1"),
        ("/api/claims/{claim_id}", f"/api/claims/{claim_id}"),
        ("/api/claims/{claim_id}/evidence", f"/api/claims/{claim_id}/evidence"),
        ("/api/articles", "/api/articles?limit=4&offset=2"),
        ("/api/articles/{article_id}", "/api/articles/s01"),
        ("/api/search", "/api/search?q=Kidal"),
        ("/api/places", "/api/places"),
        ("/api/stats", "/api/stats"),
    ]
    for template, url in calls:
        status, body = get(base + url)
        assert status == 200, (url, body)
        validate(openapi, template, "get", status, body)
    assert {t for t, _ in calls} == {p for p, ops in openapi["paths"].items() if "get" in ops}
    # and the answers say something
    _, wagner = get(base + "/api/actors?q=wagn")
    assert "wagner" in [a["id"] for a in wagner["items"]]
    _, found = get(base + "/api/search?q=Kidal")
    assert found["items"] and all("kidal" in (h["snippet"] or "").lower() for h in found["items"])
    _, places = get(base + "/api/places")
    assert any(p["name"] == "Kidal" and p["lat"] and p["lon"] for p in places)


def _fill(path: str, op: dict, values: dict) -> str:
    """A URL for one operation of the OpenAPI document: path and required query parameters from ``values``."""
    query = []
    for param in op.get("parameters", []):
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", urllib.request.quote(values[param["name"]]))
        elif param.get("required"):
            query.append(f"{param['name']}={urllib.request.quote(values[param['name']])}")
    return path + ("?" + "&".join(query) if query else "")


def test_the_page_actions_work_from_the_openapi_description(base, openapi):
    """Search an actor, open it, open one of its claims and its evidence, using only what the document says."""
    paths = openapi["paths"]
    search_op = paths["/api/actors"]["get"]
    assert "q" in {p["name"] for p in search_op["parameters"]}
    status, found = get(base + "/api/actors?q=barkhane")
    validate(openapi, "/api/actors", "get", status, found)
    actor_id = found["items"][0]["id"]
    url = _fill("/api/actors/{actor_id}", paths["/api/actors/{actor_id}"]["get"], {"actor_id": actor_id})
    status, actor = get(base + url)
    validate(openapi, "/api/actors/{actor_id}", "get", status, actor)
    claim_id = actor["relations"][0]["claim_id"]
    for template in ("/api/claims/{claim_id}", "/api/claims/{claim_id}/evidence"):
        status, body = get(base + _fill(template, paths[template]["get"], {"claim_id": claim_id}))
        validate(openapi, template, "get", status, body)
    assert body and all(e["evidence"] for e in body)
    article_id = body[0]["article_id"]
    status, article = get(base + _fill("/api/articles/{article_id}", paths["/api/articles/{article_id}"]["get"],
                                       {"article_id": article_id}))
    validate(openapi, "/api/articles/{article_id}", "get", status, article)
    assert claim_id in {f["claim_id"] for f in article["facts"]}


def test_claims_filters_and_pagination(base):
    _, everything = get(base + "/api/claims?limit=500")
    total = everything["total"]
    assert total == len(everything["items"]) > 10
    _, first = get(base + "/api/claims?limit=4")
    _, second = get(base + "/api/claims?limit=4&offset=4")
    assert first["total"] == second["total"] == total
    ids = [c["id"] for c in first["items"] + second["items"]]
    assert ids == [c["id"] for c in everything["items"][:8]]
    _, deploys = get(base + "/api/claims?type=deploy&limit=500")
    assert deploys["total"] == len(deploys["items"]) == sum(c["type"] == "deploy" for c in everything["items"])
    _, mali = get(base + "/api/claims?actor=mali&limit=500")
    assert mali["items"] and all("mali" in (c["source"], c["target"]) for c in mali["items"])
    _, strong = get(base + "/api/claims?min_sources=2&limit=500")
    assert all(c["independent_sources"] >= 2 for c in strong["items"])
    assert strong["total"] < total


def test_evidence_points_into_the_article_text(base):
    _, page = get(base + "/api/claims?min_sources=2&limit=1")
    claim = page["items"][0]
    status, evidence = get(base + f"/api/claims/{claim['id']}/evidence")
    assert status == 200 and len(evidence) >= 2
    assert sorted({e["article_id"] for e in evidence}) == claim["articles"]
    for item in evidence:
        _, article = get(base + f"/api/articles/{item['article_id']}")
        start, end = item["evidence_span"]
        assert article["text"][start:end] == item["evidence"]


def test_actor_profile_has_relations_over_time(base):
    status, actor = get(base + "/api/actors/mali")
    assert status == 200 and actor["type"] == "state"
    assert len(actor["relations"]) >= 5
    assert {r["role"] for r in actor["relations"]} == {"source", "target"}
    assert all(r["claim_id"] and r["type"] for r in actor["relations"])


@pytest.mark.parametrize("url", [
    "/api/claims?offset=-1",
    "/api/claims?limit=0",
    "/api/claims?limit=ten",
    "/api/claims?type=bombard",
    "/api/claims?modality=certain",
    "/api/claims?min_sources=0",
    "/api/claims?since=2024-13-45x",
    "/api/claims?since=2024-13",
    "/api/actors?offset=-5",
    "/api/actors?q=" + "x" * 300,
    "/api/search",
    "/api/search?q=",
    "/api/articles?limit=-1",
    "/api/claims/nope",
    "/api/claims/nope/evidence",
    "/api/actors/nobody",
    "/api/articles/none",
    "/api/actors/ma%00li",
    "/api/claims?actor=ma%00li",
    "/api/search?q=Kidal%00",
    "/api/stats?x=%00",
])
def test_bad_requests_get_a_json_error_not_a_500(base, openapi, url):
    status, head, body = http("GET", base + url)
    assert 400 <= status < 500, (url, status, body)
    assert "json" in head["content-type"] and isinstance(body["error"], str) and body["error"]
    template = next(p for p in openapi["paths"] if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", p), url.split("?")[0]))
    validate(openapi, template, "get", status, body)


def test_page_sizes_are_capped(base):
    _, page = get(base + "/api/claims?limit=100000")
    assert page["limit"] == 500 and len(page["items"]) <= 500
    _, actors = get(base + "/api/actors?limit=9999")
    assert actors["limit"] == 500


def test_parameters_are_bound_not_formatted_into_sql(base):
    _, before = get(base + "/api/stats")
    for value in ["mali' OR '1'='1", "mali\"; DROP TABLE claims; --", "%", "_", 'NEAR("a" *', "é\\"]:
        quoted = urllib.request.quote(value)
        status, page = get(base + f"/api/claims?actor={quoted}")
        assert status == 200 and page["total"] == 0
        status, _ = get(base + f"/api/search?q={quoted}")
        assert status == 200
        status, _ = get(base + f"/api/actors/{quoted}")
        assert status == 404
    _, after = get(base + "/api/stats")
    assert after == before


@SQLITE_ONLY
def test_security_headers_and_no_cors_by_default(base):
    for path in ("/", "/api/stats", "/static/app.js"):
        status, head, _ = http("GET", base + path, headers={"Origin": "http://autre.example"})
        assert status == 200
        assert "script-src 'self'" in head["content-security-policy"]
        assert "default-src 'none'" in head["content-security-policy"]
        assert head["x-content-type-options"] == "nosniff"
        assert "access-control-allow-origin" not in head


@SQLITE_ONLY
def test_cors_only_for_the_origins_given(sample_db):
    from recoupe.web.app import create_app

    with running(create_app(sample_db, cors_origins=["http://localhost:5173"])) as url:
        _, head, _ = http("GET", url + "/api/stats", headers={"Origin": "http://localhost:5173"})
        assert head["access-control-allow-origin"] == "http://localhost:5173"
        _, head, _ = http("GET", url + "/api/stats", headers={"Origin": "http://autre.example"})
        assert "access-control-allow-origin" not in head


@SQLITE_ONLY
def test_page_and_assets_ship_in_the_package(base):
    status, head, html = http("GET", base + "/")
    assert status == 200 and head["content-type"].startswith("text/html")
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "the page must load nothing from elsewhere"
    for asset in ("/static/app.js", "/static/app.css", "/static/countries-110m.json"):
        status, _, body = http("GET", base + asset)
        assert status == 200 and body
    _, _, topo = http("GET", base + "/static/countries-110m.json")
    assert topo["type"] == "Topology" and len(topo["objects"]["countries"]["geometries"]) > 150
    _, _, script = http("GET", base + "/static/app.js")
    assert "innerHTML" not in script and "http://" not in script.replace("http://www.w3.org/2000/svg", "")


# ------------------------------------------------------------------ ingest over HTTP
@pytest.fixture(scope="module")
def ingest_base(stores, extractor) -> Iterator[str]:
    """A server over an empty store, with a token, reusing the session's extractor."""
    from recoupe.web.app import create_app

    with running(create_app(stores.url(), token=TOKEN, extractor=extractor)) as url:
        yield url


def post(url: str, body: Any = None, token: Optional[str] = TOKEN, raw: Optional[bytes] = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return http("POST", url + "/api/articles", body=body, headers=headers, raw=raw)


ONE = {"id": "p1", "date": "2023-05-02", "lang": "fr", "url": "https://presse.example/p1",
       "title": "Bamako reçoit des drones",
       "text": "Bamako, 2 mai 2023 – La Turquie a livré au Mali une dizaine de drones Bayraktar TB2, "
               "a indiqué mardi le ministère malien de la Défense."}


def test_post_is_refused_without_the_token(ingest_base, base, openapi):
    status, _, body = post(ingest_base, ONE, token=None)
    assert status == 401 and body["error"]
    validate(openapi, "/api/articles", "post", status, body)
    status, _, body = post(ingest_base, ONE, token="mauvais")
    assert status == 401
    # a server with no token configured refuses every POST, whatever it carries
    status, _, body = post(base, ONE, token="anything")
    assert status == 403 and "no token" in body["error"]
    validate(openapi, "/api/articles", "post", status, body)
    _, stats = get(ingest_base + "/api/stats")
    assert stats["articles"] == 0


def test_post_ingests_a_batch_and_reports_each_article(ingest_base, openapi):
    from recoupe.ingest import MAX_CHARS

    bad_date = {**ONE, "id": "p3", "date": "hier"}
    too_long = {**ONE, "id": "p4", "text": "Le Mali. " * (MAX_CHARS // 9 + 1)}
    status, _, body = post(ingest_base, [ONE, {"id": "p2"}, ONE, 7, bad_date, too_long])
    assert status == 207, body  # some failed
    validate(openapi, "/api/articles", "post", status, body)
    assert [r["status"] for r in body["results"]] == ["added", "error", "error", "error", "error", "error"]
    assert body["added"] == 1 and body["errors"] == 5
    assert "text" in body["results"][1]["error"] and "duplicate" in body["results"][2]["error"]
    assert "date" in body["results"][4]["error"] and "too long" in body["results"][5]["error"]
    assert [r["id"] for r in body["results"]] == ["p1", "p2", "p1", None, "p3", "p4"]
    status, article = get(ingest_base + "/api/articles/p1")
    assert status == 200 and article["facts"]
    assert any(f["type"] == "arms_transfer" for f in article["facts"])
    # the same article again is skipped; a changed text replaces its facts
    status, _, again = post(ingest_base, ONE)
    assert status == 200 and again["results"][0]["status"] == "skipped"
    validate(openapi, "/api/articles", "post", status, again)
    status, _, refused = post(ingest_base, [{"id": "p5"}, {"id": "p6", "text": " "}])
    assert status == 422 and refused["errors"] == 2  # all failed
    validate(openapi, "/api/articles", "post", status, refused)
    changed = {**ONE, "text": "Bamako, 2 mai 2023 – La France a critiqué le Mali pour son rapprochement avec Moscou."}
    _, _, replaced = post(ingest_base, changed)
    assert replaced["results"][0]["status"] == "replaced"
    _, article = get(ingest_base + "/api/articles/p1")
    assert all(f["type"] != "arms_transfer" for f in article["facts"])
    assert all("Turquie" not in f["evidence"] for f in article["facts"])


def test_post_bad_bodies_store_nothing(ingest_base, openapi, monkeypatch):
    from recoupe.web import app as web_app

    _, before = get(ingest_base + "/api/stats")
    status, _, body = post(ingest_base, raw=b'{"id": "x", "text": ')
    assert status == 400 and "JSON" in body["error"]
    validate(openapi, "/api/articles", "post", status, body)
    status, _, body = post(ingest_base, raw="é".encode("latin-1"))
    assert status == 400
    status, _, body = post(ingest_base, [{}] * (web_app.MAX_BATCH + 1))
    assert status == 413
    monkeypatch.setattr(web_app, "MAX_BODY_BYTES", 1000)
    status, _, body = post(ingest_base, {**ONE, "id": "big", "text": "Le Mali. " * 300})
    assert status == 413 and body["error"]
    validate(openapi, "/api/articles", "post", status, body)
    _, after = get(ingest_base + "/api/stats")
    assert after == before


@SQLITE_ONLY
def test_request_body_is_documented(openapi):
    body = openapi["paths"]["/api/articles"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**body, "components": openapi["components"]}).validate([ONE, TRAP])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator({**body, "components": openapi["components"]}).validate({"id": "x"})
    assert openapi["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


# ------------------------------------------------------------------ the serve command
def _listening_on_loopback_only(port: int) -> bool:
    """True when the only listening TCP sockets on ``port`` are bound to 127.0.0.1 (from /proc/net/tcp*)."""
    addresses = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as handle:
            for line in list(handle)[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hexport = local.split(":")
                if int(hexport, 16) == port and state == "0A":
                    addresses.append(address)
    return bool(addresses) and all(a == "0100007F" for a in addresses)


@SQLITE_ONLY
def test_serve_binds_loopback_and_serves(sample_db, tmp_path):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    env = {**os.environ, "RECOUPE_TOKEN": ""}
    proc = subprocess.Popen([sys.executable, "-m", "recoupe.cli", "serve", "--db", sample_db, "--port", str(port)],
                            stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        status = None
        for _ in range(300):  # bounded polling until it answers
            try:
                status, stats = get(f"http://127.0.0.1:{port}/api/stats")
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, proc.stderr.read()
                threading.Event().wait(0.1)
        assert status == 200 and stats["articles"] >= 19
        assert _listening_on_loopback_only(port)
        status, _, body = post(f"http://127.0.0.1:{port}", ONE)
        assert status == 403
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert "starting on http://127.0.0.1:" in proc.stderr.read()


def test_serve_port_in_use_fails_in_one_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "recoupe.cli", "serve", "--port", str(port)],
                                capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode != 0
    assert "address already in use" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--db", "/nonexistent-dir/x/recoupe.db"], "/nonexistent-dir/x/recoupe.db"),
    (["--token-file", "EMPTY"], "empty token file"),
    (["--port", "70000"], "70000"),
])
def test_serve_bad_options_fail_in_one_line(tmp_path, args, message):
    empty = tmp_path / "token"
    empty.write_text("\n")
    args = [str(empty) if a == "EMPTY" else a for a in args]
    result = subprocess.run([sys.executable, "-m", "recoupe.cli", "serve", *args], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr


# ------------------------------------------------------------------ the page in Chromium
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("/usr/bin/chromium is missing (.ci/run installs Debian's chromium)")
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base):
    """A fresh page that records dialogs, script errors and any request leaving the server."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.events = {"dialogs": [], "errors": [], "outside": []}
    tab.on("dialog", lambda d: (tab.events["dialogs"].append(d.message), d.dismiss()))
    tab.on("pageerror", lambda e: tab.events["errors"].append(str(e)))
    # console errors include Content-Security-Policy violations and failed loads
    tab.on("console", lambda m: tab.events["errors"].append(m.text) if m.type == "error" else None)
    tab.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith("data:")
           else tab.events["outside"].append(r.url))
    yield tab
    context.close()
    assert tab.events["errors"] == [], tab.events["errors"]
    assert tab.events["outside"] == [], tab.events["outside"]


def screenshot(tab, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / name), full_page=True)


@SQLITE_ONLY
def test_page_search_actor_timeline_and_evidence(page, base):
    page.goto(base + "/")
    page.wait_for_selector("#top-actors li")
    page.wait_for_selector("#latest-articles li")
    assert page.inner_text("#latest-articles li:first-child").startswith("Essai <script>")  # the last stored
    page.fill("#actor-search", "wagn")
    page.click("#suggestions button[data-actor-id=wagner]")
    page.wait_for_selector("#timeline circle.dot")
    assert page.inner_text("#actor-name") == "Wagner"
    assert page.locator("#actor-meta a[href='#actor/russia']").count() == 1  # affiliated with
    _, actor = get(base + "/api/actors/wagner")
    dots = page.locator("#timeline circle.dot")
    drawn = {dots.nth(i).get_attribute("data-claim-id") for i in range(dots.count())}
    assert drawn and drawn <= {r["claim_id"] for r in actor["relations"]}
    page.click("#relations-box summary")
    assert page.locator("#relations tbody tr").count() == len(actor["relations"])
    colours = {dots.nth(i).get_attribute("fill") for i in range(dots.count())}
    assert colours and len(page.locator("#legend .legend-item").all()) == 5
    page.wait_for_selector("#network path.edge")
    page.wait_for_selector("#map circle.place")
    assert page.locator("#map path.country").count() > 150

    claim_id = dots.first.get_attribute("data-claim-id")
    dots.first.click()
    page.wait_for_selector("#evidence mark")
    _, evidence = get(base + f"/api/claims/{claim_id}/evidence")
    marks = page.locator("#evidence mark").all_inner_texts()
    assert sorted(marks) == sorted(e["evidence"] for e in evidence)
    first = page.locator("#evidence .evidence-item").first
    assert evidence[0]["date"] in first.inner_text()
    if evidence[0]["url"]:
        assert first.locator(".source a").get_attribute("href") == evidence[0]["url"]
    screenshot(page, "actor-evidence.png")


@SQLITE_ONLY
def test_page_shows_merged_copies(page, base):
    _, page_claims = get(base + "/api/claims?limit=500")
    with_copies = None
    for claim in page_claims["items"]:
        _, evidence = get(base + f"/api/claims/{claim['id']}/evidence")
        if any(e["copies"] for e in evidence):
            with_copies = (claim["id"], evidence)
            break
    assert with_copies, "the sample corpus has republished stories"
    claim_id, evidence = with_copies
    page.goto(base + f"/#claim/{claim_id}")
    page.wait_for_selector("#evidence .copies")
    shown = page.locator("#evidence .copies").first.inner_text()
    assert all(c in shown for c in next(e["copies"] for e in evidence if e["copies"]))
    screenshot(page, "claim-copies.png")


@SQLITE_ONLY
def test_page_network_follows_the_filters(page, base):
    page.goto(base + "/")
    page.wait_for_selector("#network path.edge")
    page.select_option("#net-type", "withdraw")
    page.fill("#net-since", "2020")
    page.click("#network-filters button[type=submit]")
    page.wait_for_selector("#network[data-state=ready]")
    _, expected = get(base + "/api/claims?type=withdraw&since=2020&limit=500")
    edges = page.locator("#network path.edge")
    assert edges.count() == sum(1 for c in expected["items"] if c["target"]) > 0
    assert all(t.startswith("withdraw:") for t in page.locator("#network path.edge title").all_text_contents())
    assert {edges.nth(i).get_attribute("data-claim-id") for i in range(edges.count())} \
        <= {c["id"] for c in expected["items"]}


@SQLITE_ONLY
def test_page_renders_article_markup_as_text(page, base, trap_claim):
    page.goto(base + f"/#claim/{trap_claim}")
    page.wait_for_selector("#evidence [data-article-id=w-piege] mark")
    item = page.locator("#evidence [data-article-id=w-piege]")
    assert "<script>alert(1)</script>" in item.locator("mark").inner_text()
    assert "<img src=x onerror=alert(1)>" in item.locator("mark").inner_text()
    assert "<script>alert('titre')</script>" in item.inner_text()
    assert item.locator(".source a").count() == 0  # a javascript: link stays text
    page.goto(base + "/#article/w-piege")
    page.wait_for_selector("#panel-body .article-text")
    assert "<img src=x onerror=alert(1)>" in page.inner_text("#panel-body .article-text")
    assert page.locator("#panel img, #panel script").count() == 0
    assert page.locator("script").count() == 1  # the page's own app.js only
    page.wait_for_timeout(300)  # give an injected handler the chance to fire, were there one
    assert page.events["dialogs"] == []
    screenshot(page, "markup-as-text.png")


@SQLITE_ONLY
def test_page_full_text_search_opens_an_article(page, base):
    page.goto(base + "/")
    page.fill("#text-search", "Kidal")
    page.press("#text-search", "Enter")
    page.wait_for_selector("#results li a")
    _, found = get(base + "/api/search?q=Kidal")
    links = page.locator("#results li a")
    assert links.count() == len(found["items"]) > 0
    links.first.click()
    page.wait_for_selector("#panel-body .article-text")
    _, article = get(base + f"/api/articles/{found['items'][0]['article_id']}")
    assert page.inner_text("#panel-body .article-text").strip() == article["text"].strip()
    assert page.locator("#panel-body .facts li").count() == len(article["facts"])


@SQLITE_ONLY
def test_page_map_place_lists_its_claims(page, base):
    page.goto(base + "/")
    page.wait_for_selector("#map circle.place[data-place=Kidal]")
    page.wait_for_load_state("networkidle")  # the page's first requests done (a loaded machine is slow)
    page.click("#map circle.place[data-place=Kidal]")
    page.wait_for_selector("#panel-body .place-claims a")
    _, claims = get(base + "/api/claims?limit=500")
    at_kidal = {c["id"] for c in claims["items"] if c["place"] == "Kidal"}
    listed = page.locator("#panel-body .place-claims a")
    assert {listed.nth(i).get_attribute("data-claim-id") for i in range(listed.count())} == at_kidal
    listed.first.click()
    page.wait_for_selector("#evidence mark")
    assert "Kidal" in page.inner_text("#evidence")
