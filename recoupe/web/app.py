"""The REST API and the web page of recoupe, over a store (``recoupe.store``).

    app = create_app("recoupe.db", token="...")

Every route under ``/api`` is typed (``recoupe.web.schemas``), so ``/openapi.json``
documents each answer. The page (``/``) is static: ``recoupe/web/static`` ships its
HTML, script, style and country boundaries, and nothing is fetched from elsewhere.

Safety: the answers carry a Content-Security-Policy that allows only this
origin's scripts and no inline code; CORS stays off unless origins are given;
limits are capped at ``MAX_LIMIT``; ``POST /api/articles`` needs the configured
bearer token and is refused (403) when none is configured.
"""
from __future__ import annotations

import asyncio
import datetime
import hmac
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any, Optional, Sequence, Union

from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from recoupe import __version__
from recoupe.errors import StoreError
from recoupe.web import schemas as s

LOGGER = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
MAX_LIMIT = 500
MAX_BODY_BYTES = 20_000_000  # a POST body larger than this is refused before it is parsed
MAX_BATCH = 200  # articles per POST
STORE_WORKERS = 4  # threads (each with its own store connection) serving the API's queries

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
ERRORS = {400: {"model": s.ErrorOut}, 404: {"model": s.ErrorOut}, 422: {"model": s.ErrorOut}}


class StoreRunner:
    """Runs store calls on a few worker threads, each owning its own open store.

    A SQLite connection belongs to the thread that opened it, and FastAPI runs
    handlers on a pool of threads; so each worker opens its own store (lazily)
    and keeps it. Several workers let reads run side by side (SQLite in WAL
    mode and PostgreSQL both allow it) while the event loop stays free.
    """

    def __init__(self, url: Optional[str], workers: int = STORE_WORKERS):
        self.url = url
        self.pools = [ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"recoupe-store-{i}")
                      for i in range(workers)]
        self.stores: list[Any] = [None] * workers
        self.pending = [0] * workers
        self.lock = threading.Lock()

    def _call(self, worker: int, method: str, *args: Any, **kwargs: Any) -> Any:
        if self.stores[worker] is None:
            from recoupe.store import open_store

            self.stores[worker] = open_store(self.url)
        return getattr(self.stores[worker], method)(*args, **kwargs)

    async def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """``await runner("claims", type="deploy")`` calls ``store.claims(type="deploy")`` on the least busy worker."""
        with self.lock:
            worker = min(range(len(self.pools)), key=self.pending.__getitem__)
            self.pending[worker] += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self.pools[worker], partial(self._call, worker, method, *args, **kwargs))
        finally:
            with self.lock:
                self.pending[worker] -= 1

    def _close(self, worker: int) -> None:
        if self.stores[worker] is not None:
            self.stores[worker].close()
            self.stores[worker] = None

    def close(self) -> None:
        """Close each store on its own thread, then stop the threads."""
        for worker, pool in enumerate(self.pools):
            pool.submit(self._close, worker).result()
            pool.shutdown(wait=True)


class LazyExtractor:
    """The extraction pipeline, loaded on the first POST only (loading the model takes seconds).

    One article at a time: two concurrent POSTs must not share the spaCy pipeline mid-document.
    """

    def __init__(self, extractor: Any = None):
        self.extractor = extractor
        self.lock = threading.Lock()

    def extract(self, article: Any) -> Any:
        """The ``ArticleResult`` of one article (blocking: call it off the event loop)."""
        with self.lock:
            if self.extractor is None:
                from recoupe.pipeline import Extractor

                self.extractor = Extractor()
            return self.extractor.extract(article)


def _error(status: int, message: str, headers: Optional[dict] = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    """One line naming the first bad parameter and why, e.g. "offset: Input should be greater than or equal to 0"."""
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "invalid parameter " + "; ".join(parts)


def _no_nul(request: Request) -> None:
    """Refuse a NUL character in the path or a query value (422): PostgreSQL cannot store or compare one."""
    if "\x00" in request.url.path or any("\x00" in v for v in request.query_params.values()):
        raise HTTPException(422, "invalid parameter: contains a NUL character")


def _cap(limit: int) -> int:
    return min(limit, MAX_LIMIT)


def _check_date(name: str, value: Optional[str]) -> Optional[str]:
    """A "YYYY[-MM[-DD]]" filter that is a real calendar date, else 422 (the pattern alone lets 2024-13 by)."""
    if value:
        parts = [int(p) for p in value.split("-")] + [1, 1]
        try:
            datetime.date(*parts[:3])
        except ValueError:
            raise HTTPException(422, f"invalid parameter {name}: {value!r} is not a date") from None
    return value


def create_app(store_url: Optional[str], token: Optional[str] = None, *,
               cors_origins: Sequence[str] = (), extractor: Any = None) -> FastAPI:
    """The FastAPI application over the store at ``store_url`` (see ``recoupe.store.open_store``).

    ``token``: the bearer token that ``POST /api/articles`` requires (None: ingest refused).
    ``cors_origins``: origins allowed to call the API from other pages (none by default).
    ``extractor``: an already loaded ``recoupe.pipeline.Extractor`` (else loaded on first POST).
    """
    runner = StoreRunner(store_url)
    lazy = LazyExtractor(extractor)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        runner.close()

    app = FastAPI(
        title="recoupe",
        version=__version__,
        description="Claims cross-checked across the press, their evidence, actors and articles.",
        docs_url=None, redoc_url=None,  # the stock doc pages load scripts from a CDN: /openapi.json only
        lifespan=lifespan,
        dependencies=[Depends(_no_nul)],
    )
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(_request: Request, exc: RequestValidationError):
        return _error(422, _validation_message(exc))

    @app.exception_handler(StoreError)
    async def store_refused(_request: Request, exc: StoreError):
        return _error(400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def internal_error(_request: Request, exc: Exception):
        LOGGER.error("internal error: %s: %s", type(exc).__name__, exc)
        return _error(500, "internal error (see the server log)")

    _add_read_routes(app, runner)
    _add_ingest_route(app, runner, lazy, token)
    _add_page(app)
    return app


def _add_read_routes(app: FastAPI, store: StoreRunner) -> None:
    """The GET routes under /api: thin calls to the store."""
    Limit = Query(50, ge=1, description=f"page size, capped at {MAX_LIMIT}")
    Offset = Query(0, ge=0)

    @app.get("/api/actors", response_model=s.ActorPage, responses=ERRORS, tags=["actors"])
    async def actors(q: Optional[str] = Query(None, max_length=200, description="part of a name or alias"),
                     limit: int = Limit, offset: int = Offset):
        """Actors whose name or alias matches ``q``, most-claimed first."""
        items = await store("actors", q=q or None, limit=_cap(limit), offset=offset)
        return {"limit": _cap(limit), "offset": offset, "items": items}

    @app.get("/api/actors/{actor_id}", response_model=s.Actor, responses=ERRORS, tags=["actors"])
    async def actor(actor_id: str = PathParam(max_length=200)):
        """An actor's profile and its relations over time."""
        found = await store("actor", actor_id)
        if found is None:
            raise HTTPException(404, f"no actor {actor_id!r}")
        return found

    @app.get("/api/claims", response_model=s.ClaimPage, responses=ERRORS, tags=["claims"])
    async def claims(actor: Optional[str] = Query(None, max_length=200, description="actor id, as source or target"),
                     type: Optional[s.FactType] = Query(None, description="fact type"),
                     since: Optional[str] = Query(None, pattern=s.DATE_PATTERN, description="YYYY[-MM[-DD]]"),
                     until: Optional[str] = Query(None, pattern=s.DATE_PATTERN, description="YYYY[-MM[-DD]]"),
                     modality: Optional[s.Modality] = Query(None, description="claims with at least one report of it"),
                     min_sources: Optional[int] = Query(None, ge=1, description="at least this many independent sources"),
                     limit: int = Limit, offset: int = Offset):
        """Claims matching every filter given, one page of them, with the total for pagination."""
        filters = dict(actor=actor, type=type, since=_check_date("since", since), until=_check_date("until", until),
                       modality=modality, min_sources=min_sources)
        items = await store("claims", **filters, limit=_cap(limit), offset=offset)
        total = await store("count_claims", **filters)
        return {"total": total, "limit": _cap(limit), "offset": offset, "items": items}

    @app.get("/api/claims/{claim_id}", response_model=s.Claim, responses=ERRORS, tags=["claims"])
    async def claim(claim_id: str = PathParam(max_length=200)):
        """One claim: its reports' articles, independent sources, modality profile and contradictions."""
        found = await store("claim", claim_id)
        if found is None:
            raise HTTPException(404, f"no claim {claim_id!r}")
        return found

    @app.get("/api/claims/{claim_id}/evidence", response_model=list[s.Evidence], responses=ERRORS, tags=["claims"])
    async def evidence(claim_id: str = PathParam(max_length=200)):
        """The sentences a claim rests on, with their article's outlet, date, link and merged copies."""
        if await store("claim", claim_id) is None:
            raise HTTPException(404, f"no claim {claim_id!r}")
        return await store("evidence", claim_id)

    @app.get("/api/articles", response_model=s.ArticlePage, responses=ERRORS, tags=["articles"])
    async def articles(limit: int = Limit, offset: int = Offset):
        """Stored articles, without their text."""
        items = await store("articles", limit=_cap(limit), offset=offset)
        return {"limit": _cap(limit), "offset": offset, "items": items}

    @app.get("/api/articles/{article_id}", response_model=s.Article, responses=ERRORS, tags=["articles"])
    async def article(article_id: str = PathParam(max_length=500)):
        """One article with its text, facts (with their claim) and actor mentions."""
        found = await store("article", article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return found

    @app.get("/api/search", response_model=s.SearchPage, responses=ERRORS, tags=["articles"])
    async def search(q: str = Query(..., min_length=1, max_length=500, description="words to find in articles"),
                     limit: int = Limit, offset: int = Offset):
        """Full-text search over the articles."""
        items = await store("search", q, limit=_cap(limit), offset=offset)
        return {"limit": _cap(limit), "offset": offset, "items": items}

    @app.get("/api/places", response_model=list[s.Place], responses=ERRORS, tags=["places"])
    async def places():
        """Places of facts that the gazetteer knows, with their coordinates and number of claims."""
        return await store("places")

    @app.get("/api/stats", response_model=s.Stats, responses=ERRORS, tags=["store"])
    async def stats():
        """Row counts per table of the store."""
        return await store("stats")


def _add_ingest_route(app: FastAPI, store: StoreRunner, lazy: LazyExtractor, token: Optional[str]) -> None:
    """POST /api/articles: extract and store articles sent by an authorised client."""
    bearer = HTTPBearer(auto_error=False, description="the token set with RECOUPE_TOKEN or --token-file")
    body_schema = {"anyOf": [{"$ref": "#/components/schemas/ArticleIn"},
                             {"type": "array", "items": {"$ref": "#/components/schemas/ArticleIn"},
                              "maxItems": MAX_BATCH}]}

    def authorise(credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer)) -> None:
        if not token:
            raise HTTPException(403, "ingest is disabled: the server has no token configured")
        given = credentials.credentials if credentials else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})

    @app.post("/api/articles", response_model=s.IngestOut, tags=["articles"], dependencies=[Depends(authorise)],
              responses={**ERRORS,
                         207: {"model": s.IngestOut, "description": "some articles were stored, some refused"},
                         422: {"model": Union[s.IngestOut, s.ErrorOut],
                               "description": "every article was refused (or a bad parameter)"},
                         401: {"model": s.ErrorOut}, 403: {"model": s.ErrorOut}, 413: {"model": s.ErrorOut}},
              openapi_extra={"requestBody": {"required": True,
                                             "content": {"application/json": {"schema": body_schema}}}})
    async def ingest(request: Request, response: Response):
        """Extract and store one article or a list of them (recoupe's input shape).

        Each article is stored in its own transaction; a bad article gets
        ``status: "error"`` with the reason and the others go on. The HTTP
        status says how it went, as the exit code of ``recoupe ingest`` does:
        200 when no article failed, 207 when some did, 422 when all did.
        """
        objects = await _read_body(request)
        results = await _ingest_objects(objects, store, lazy)
        counts = {k: sum(1 for r in results if r["status"] == k) for k in ("added", "skipped", "replaced", "error")}
        if counts["error"]:
            response.status_code = 422 if counts["error"] == len(results) else 207
        return {"added": counts["added"], "skipped": counts["skipped"], "replaced": counts["replaced"],
                "errors": counts["error"], "results": results}

    # FastAPI only lists models that a route names: add the request body's model by hand
    original = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = original()
            schema["components"]["schemas"]["ArticleIn"] = s.ArticleIn.model_json_schema(
                ref_template="#/components/schemas/{model}")
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


async def _read_body(request: Request) -> list:
    """The JSON body as a list of objects; 413 when too large, 400 when not JSON."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise HTTPException(413, f"body over {MAX_BODY_BYTES} bytes")
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            raise HTTPException(413, f"body over {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(bytes(raw).decode("utf-8"))
    except UnicodeDecodeError:
        raise HTTPException(400, "body is not UTF-8") from None
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        raise HTTPException(400, f"body is not valid JSON ({str(exc).splitlines()[0][:120]})") from None
    objects = data if isinstance(data, list) else [data]
    if len(objects) > MAX_BATCH:
        raise HTTPException(413, f"{len(objects)} articles in one request, at most {MAX_BATCH}")
    return objects


async def _ingest_objects(objects: list, store: StoreRunner, lazy: LazyExtractor) -> list[dict]:
    """Check, extract and store each object in order; one result per object."""
    from recoupe.ingest import MAX_CHARS
    from recoupe.ingest.common import Rejected
    from recoupe.ingest.records import build_article

    results: list[dict] = []
    seen: set[str] = set()
    for index, obj in enumerate(objects):
        item: dict[str, Any] = {"index": index, "id": obj.get("id") if isinstance(obj, dict) else None}
        if not isinstance(item["id"], str):
            item["id"] = None
        try:
            article = build_article(obj, f"body[{index}]", default_id=None, max_chars=MAX_CHARS)  # as for files
        except Rejected as exc:
            results.append({**item, "status": "error", "error": exc.reason})
            continue
        item["id"] = article.id
        if article.id in seen:
            results.append({**item, "status": "error", "error": "duplicate id in this request"})
            continue
        seen.add(article.id)
        try:
            if await store("is_stored", article):  # this very version is stored: spare the extraction
                results.append({**item, "status": "skipped"})
                continue
            result = await asyncio.to_thread(lazy.extract, article)
            status = await store("ingest_result", result)
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            LOGGER.warning("ingest of %s failed", article.id, exc_info=True)
            results.append({**item, "status": "error", "error": f"{type(exc).__name__}: {exc}"[:300]})
            continue
        results.append({**item, "status": status, "facts": len(result.facts) if status != "skipped" else None})
    return results


def _add_page(app: FastAPI) -> None:
    """The single page and its assets, served from the package."""

    @app.get("/", include_in_schema=False)
    async def index():
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
