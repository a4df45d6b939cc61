"""recoupe's command line: one click group, thin commands over the library."""
from __future__ import annotations

import errno
import json
import logging
import sys
from typing import Any, NoReturn, Optional, TextIO

import click

from . import __version__
from .facts.lexicon import FACT_TYPES
from .errors import one_line, reason_of
from .jsonl import jsonl



def _progress(done: int, errors: int, stream: TextIO = sys.stderr) -> None:
    """One progress line on stderr, rewritten in place when it is a terminal."""
    end = "\r" if stream.isatty() else "\n"
    stream.write(f"recoupe: {done} articles, {errors} errors{end}")
    stream.flush()


@click.group()
@click.version_option(__version__, prog_name="recoupe")
@click.option("-v", "--verbose", is_flag=True, help="Log debugging details to stderr.")
def main(verbose: bool) -> None:
    """recoupe: a source-grounded knowledge graph of security affairs from the press."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write JSONL here (default: stdout).")
@click.option("--progress-every", default=50, show_default=True, help="Report progress every N articles on stderr (0: never).")
@click.option("-w", "--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Worker processes on this machine, each loading the model once.")
@click.option("--cluster", metavar="ADDRESS", help="Run on the Dask distributed cluster whose scheduler is at ADDRESS (tcp://host:8786).")
def extract(paths: tuple[str, ...], output: Optional[str], progress_every: int, workers: int,
            cluster: Optional[str]) -> None:
    """Extract actors and facts from articles (files, folders, or - for JSONL on stdin).

    Writes one JSON object per article, in input order, also with --workers or
    --cluster. Bad inputs, and articles the extractor fails on, are reported on
    stderr, one line each; the exit code is 1 if any failed.
    """
    from .errors import ClusterError
    from .ingest import read_articles
    from .model import InputError
    from .parallel import connect, extract_results
    from .pipeline import Extractor

    try:  # before any input is read: a wrong address is the user's first thing to fix
        target = connect(cluster) if cluster else None
    except ClusterError as exc:
        click.echo(f"recoupe: error: {exc}", err=True)
        sys.exit(2)
    errors = 0
    done = 0

    def articles():
        nonlocal errors
        for item in read_articles(paths, stdin=sys.stdin):
            if isinstance(item, InputError):
                errors += 1
                click.echo(f"recoupe: error: {item}", err=True)
                continue
            yield item

    try:
        out = open(output, "w", encoding="utf-8") if output else sys.stdout
        try:
            local = Extractor() if workers == 1 and target is None else None  # this process's own
            for result in extract_results(articles(), workers=workers, cluster=target, extractor=local):
                if isinstance(result, InputError):
                    errors += 1
                    click.echo(f"recoupe: error: {result}", err=True)
                    continue
                out.write(jsonl(result.to_json()) + "\n")
                out.flush()
                done += 1
                if progress_every and done % progress_every == 0:
                    _progress(done, errors)
        finally:
            if output:
                out.close()
            if target is not None:
                target.close()
    except ClusterError as exc:  # the workers cannot run the extractor
        click.echo(f"recoupe: error: {exc}", err=True)
        sys.exit(2)
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise  # the reader went away (| head): click ends quietly
        _fail(f"{output or '<stdout>'}: cannot write ({exc.strerror or exc})")
    if progress_every:
        _progress(done, errors)
    if errors:
        sys.exit(1)


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.argument("articles", type=click.Path(exists=True))
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Also keep the system output (JSONL) here.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate_cmd(gold_dir: str, articles: str, output: Optional[str], as_json: bool) -> None:
    """Extract ARTICLES and score them against the gold annotations in GOLD_DIR."""
    from .evaluate import evaluate_paths, format_report

    report = evaluate_paths(gold_dir, articles, output)
    click.echo(json.dumps(report, indent=1, ensure_ascii=False) if as_json else format_report(report))


@main.command()
@click.option("--db", "db_url", envvar="RECOUPE_DB", help="Store URL or path (default: recoupe.db here, or $RECOUPE_DB; postgresql://... for PostgreSQL).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; anything but loopback exposes the API.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token-file", type=click.Path(exists=True, dir_okay=False),
              help="File holding the bearer token for POST /api/articles (else $RECOUPE_TOKEN; none: ingest refused).")
@click.option("--cors-origin", "cors_origins", multiple=True, help="Origin allowed to call the API from its pages (repeatable; none by default).")
def serve(db_url: Optional[str], host: str, port: int, token_file: Optional[str], cors_origins: tuple[str, ...]) -> None:
    """Serve the REST API (/api, described at /openapi.json) and the web page (/)."""
    import os
    from pathlib import Path

    import uvicorn

    from .web.app import create_app

    token = os.environ.get("RECOUPE_TOKEN", "").strip()
    if token_file:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"{token_file}: cannot read the token ({exc})")
        if not token:
            raise click.ClickException(f"{token_file}: empty token file")
    _store(db_url).close()  # fail now, in one line, rather than on the first request
    app = create_app(db_url, token=token or None, cors_origins=cors_origins)
    click.echo(f"recoupe: starting on http://{host}:{port}/ (ingest {'enabled' if token else 'disabled: no token'})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


# ---------------------------------------------------------------- store and queries
# Thin commands over recoupe.store: a readable table by default, JSON lines with --json.

_DB_HELP = "Store URL or path (default: recoupe.db here, or $RECOUPE_DB; postgresql://... for PostgreSQL)."
_MODALITIES = ("asserted", "reported", "hedged", "hypothetical", "negated")
_SHORT_MODALITY = {"asserted": "as", "reported": "rep", "hedged": "hed", "hypothetical": "hyp", "negated": "neg"}


def _store(db_url: Optional[str], **kwargs):
    """Open the store or stop with one line naming it and the reason (exit 1)."""
    from .store import StoreError, open_store

    try:
        return open_store(db_url, **kwargs)
    except StoreError as exc:
        raise click.ClickException(str(exc))
    except Exception as exc:  # noqa: BLE001 - any failure to open is one line, not a traceback
        raise click.ClickException(f"{db_url or 'recoupe.db'}: cannot open the store ({type(exc).__name__}: {exc})")


def _fail(message: str) -> NoReturn:
    """One error line on stderr, exit code 1."""
    click.echo(f"recoupe: error: {message}", err=True)
    sys.exit(1)


def _json_line(obj: Any) -> None:
    click.echo(jsonl(obj))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return " ".join(str(value).split())


def _table(headers: list[str], rows: list[list[Any]], widths: Optional[list[int]] = None) -> None:
    """Columns padded to their content, capped at ``widths``; the last one takes what the terminal has left."""
    import shutil

    cells = [[_cell(v) for v in row] for row in rows]
    caps = widths or [40] * len(headers)
    cols = [min(max([len(h)] + [len(r[i]) for r in cells]), caps[i]) for i, h in enumerate(headers)]
    room = shutil.get_terminal_size((120, 24)).columns - sum(cols[:-1]) - 2 * (len(cols) - 1)
    cols[-1] = max(len(headers[-1]), min(cols[-1], room)) if room > 0 else cols[-1]

    def line(values: list[str]) -> str:
        out = [(v if len(v) <= w else v[:max(w - 1, 0)] + "…").ljust(w) for v, w in zip(values, cols)]
        return "  ".join(out).rstrip()

    click.echo(line(headers))
    click.echo(line(["-" * w for w in cols]))
    for row in cells:
        click.echo(line(row))


def _modality_profile(modalities: Optional[dict]) -> str:
    """"as:3 hed:5 neg:1", the order of certainty."""
    modalities = modalities or {}
    return " ".join(f"{_SHORT_MODALITY[m]}:{modalities[m]}" for m in _MODALITIES if modalities.get(m))


def _when(claim: dict) -> str:
    when = claim.get("when")
    if isinstance(when, dict):
        return f"{when.get('start') or '…'}/{when.get('end') or '…'}"
    return when or ""


def _resolve_actor(store, text: str) -> str:
    """An actor id from an id or a name; stops with the candidates when the name is ambiguous."""
    if store.actor(text) is not None:
        return text
    from .store.rows import name_key

    found = store.actors(text, limit=10)
    exact = [a for a in found if any(name_key(n) == name_key(text) for n in a["names"])]
    if len(exact) == 1 or len(found) == 1:
        return (exact or found)[0]["id"]
    if not found:
        _fail(f"no actor {text!r} in {store.location}")
    _fail(f"actor {text!r} is ambiguous: " + ", ".join(f"{a['id']} ({a['name']})" for a in (exact or found)[:8]))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", "db_url", envvar="RECOUPE_DB", help=_DB_HELP)
@click.option("--progress-every", default=50, show_default=True, help="Report progress every N articles on stderr (0: never).")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per article: its id and what happened to it.")
@click.option("-w", "--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Extract in this many processes on this machine; this process stores the results in order.")
@click.option("--cluster", metavar="ADDRESS", help="Extract on the Dask distributed cluster at ADDRESS (tcp://host:8786).")
def ingest(paths: tuple[str, ...], db_url: Optional[str], progress_every: int, as_json: bool,
           workers: int, cluster: Optional[str]) -> None:
    """Extract articles and store them, their actors, facts and claims (files, folders, or -).

    Each article is committed on its own: an interrupted run loses nothing stored, and a
    rerun skips what is already there (same content) and replaces what changed. Bad inputs
    get one line each on stderr; the exit code is 1 if any failed.
    """
    import itertools
    from collections import Counter

    from .ingest import read_articles
    from .model import InputError
    from .pipeline import Extractor

    store = _store(db_url)
    counts: Counter = Counter()

    def report(article_id: str, status: str, origin: str = "", reason: str = "") -> None:
        counts[status] += 1
        if as_json:
            _json_line({"id": article_id, "status": status, **({"origin": origin} if origin else {}),
                        **({"reason": reason} if reason else {})})
        done = sum(counts.values())
        if progress_every and done % progress_every == 0:
            click.echo(f"recoupe: {done} articles ({counts['added']} added, {counts['skipped']} skipped, "
                       f"{counts['replaced']} replaced, {counts['error']} errors)", err=True)

    def articles():
        """Readable articles not yet stored in this version: extraction is the slow part."""
        for item in read_articles(paths, stdin=sys.stdin):
            if isinstance(item, InputError):
                click.echo(f"recoupe: error: {item}", err=True)
                report("", "error", item.origin, item.reason)
            elif store.is_stored(item):
                report(item.id, "skipped")
            else:
                yield item

    def failed(article, what: str, exc: Exception) -> None:
        reason = f"{what} ({reason_of(exc)})"
        click.echo(f"recoupe: error: {article.origin or article.id}: {reason}", err=True)
        report(article.id, "error", article.origin, reason)

    def store_one(result) -> None:
        """Store one result; kept apart from extraction so results may come from other workers."""
        try:
            status = store.ingest_result(result)
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
            failed(result.article, "cannot store", exc)
            return
        report(result.article.id, status)

    def extract_elsewhere(todo) -> None:
        """Results from worker processes or a Dask cluster, stored here in input order."""
        from .errors import ClusterError
        from .parallel import connect, extract_results

        target = None
        try:
            target = connect(cluster) if cluster else None
            for result in extract_results(todo, workers=workers, cluster=target):
                if isinstance(result, InputError):
                    click.echo(f"recoupe: error: {result}", err=True)
                    report("", "error", result.origin, result.reason)
                else:
                    store_one(result)
        except ClusterError as exc:
            store.close()
            click.echo(f"recoupe: error: {exc}", err=True)
            sys.exit(2)
        finally:
            if target is not None:
                target.close()

    try:
        pending = articles()
        first = next(pending, None)  # load the model only when something needs extracting
        if first is not None and (workers > 1 or cluster):
            extract_elsewhere(itertools.chain([first], pending))
        elif first is not None:
            extractor = Extractor()
            store.gazetteer, store.kb = extractor.gazetteer, extractor.kb  # one copy of each per process
            for result in extractor.extract_all(itertools.chain([first], pending),
                                                on_error=lambda a, exc: failed(a, "extraction failed", exc)):
                store_one(result)
    except Exception as exc:  # noqa: BLE001 - the store itself failed (server gone): one line
        if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
            raise  # the reader went away (| head): click ends quietly
        _fail(f"{store.location}: {type(exc).__name__}: {one_line(str(exc), 300)}")
    finally:
        store.close()
    summary = (f"recoupe: ingest: {counts['added']} added, {counts['skipped']} skipped, "
               f"{counts['replaced']} replaced, {counts['error']} errors ({store.location})")
    click.echo(summary, err=True)
    if counts["error"]:
        sys.exit(1)


@main.command()
@click.option("--db", "db_url", envvar="RECOUPE_DB", help=_DB_HELP)
@click.option("--actor", help="Actor id or name (source or target).")
@click.option("--type", "type_", type=click.Choice(FACT_TYPES), help="Fact type.")
@click.option("--since", help="Claims whose time ends on or after this date (YYYY[-MM[-DD]]).")
@click.option("--until", help="Claims whose time starts on or before this date (YYYY[-MM[-DD]]).")
@click.option("--modality", type=click.Choice(_MODALITIES), help="Claims with at least one report of this modality.")
@click.option("--min-sources", type=click.IntRange(0), help="At least this many independent sources.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 500))
@click.option("--offset", default=0, type=click.IntRange(0))
@click.option("--json", "as_json", is_flag=True, help="JSON lines (one claim each).")
def claims(db_url: Optional[str], actor: Optional[str], type_: Optional[str], since: Optional[str],
           until: Optional[str], modality: Optional[str], min_sources: Optional[int], limit: int, offset: int,
           as_json: bool) -> None:
    """Claims (happenings cross-checked across articles), most independent sources first."""
    from .store import StoreError

    with _store(db_url) as store:
        actor_id = _resolve_actor(store, actor) if actor else None
        filters = dict(actor=actor_id, type=type_, since=since, until=until, modality=modality,
                       min_sources=min_sources)
        try:
            found = store.claims(**filters, limit=limit, offset=offset)
            total = store.count_claims(**filters)
        except StoreError as exc:
            raise click.UsageError(str(exc))
    if as_json:
        for claim in found:
            _json_line(claim)
        return
    _table(["id", "type", "source", "target", "when", "place", "src", "art", "modalities", "first", "!"],
           [[c["id"], c["type"], c.get("source_name"), c.get("target_name") if c.get("target") else "", _when(c),
             c.get("place"), c["independent_sources"], len(c.get("articles") or []),
             _modality_profile(c.get("modalities")), c.get("first_reported"),
             "!" if c.get("contradictions") else ""] for c in found],
           [14, 13, 22, 22, 21, 16, 3, 3, 22, 10, 1])
    click.echo(f"recoupe: {len(found)} of {total} claims (offset {offset}); src: independent sources, "
               f"art: articles, !: contradictions", err=True)


@main.command(name="actor")
@click.argument("actor_id")
@click.option("--db", "db_url", envvar="RECOUPE_DB", help=_DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="The profile as one JSON line.")
def actor_cmd(actor_id: str, db_url: Optional[str], as_json: bool) -> None:
    """An actor's profile: its relations over time (with whom, what, when, how sure)."""
    with _store(db_url) as store:
        profile = store.actor(_resolve_actor(store, actor_id))
    if as_json:
        _json_line(profile)
        return
    facts = [f"{profile['id']} ({profile['type'] or 'unknown type'})", "names: " + ", ".join(profile["names"])]
    for key in ("role", "part_of", "affiliated_with", "wikidata"):
        if profile.get(key):
            facts.append(f"{key}: {profile[key]}")
    if not profile["in_kb"]:
        facts.append("not in the knowledge base")
    click.echo("\n".join(facts) + "\n")
    _table(["when", "first", "type", "role", "with", "modalities", "src", "claim"],
           [[_when(r), r.get("first_reported"), r["type"], "→" if r["role"] == "source" else "←",
             r.get("other_name") or r.get("other") or "", _modality_profile(r.get("modalities")),
             r.get("independent_sources"), r["claim_id"]] for r in profile["relations"]],
           [21, 10, 13, 4, 28, 22, 3, 14])


@main.command()
@click.argument("claim_id")
@click.option("--db", "db_url", envvar="RECOUPE_DB", help=_DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="JSON lines (one report each).")
def evidence(claim_id: str, db_url: Optional[str], as_json: bool) -> None:
    """The sentences a claim rests on: outlets, dates, links, modality, speaker, copies."""
    with _store(db_url) as store:
        claim = store.claim(claim_id)
        if claim is None:
            _fail(f"no claim {claim_id!r} in {store.location}")
        found = store.evidence(claim_id)
    if as_json:
        for item in found:
            _json_line(item)
        return
    target = f" → {claim.get('target_name')}" if claim.get("target") else ""
    click.echo(f"{claim['id']}: {claim['type']} {claim.get('source_name')}{target}"
               f"{' ' + _when(claim) if _when(claim) else ''}{' at ' + claim['place'] if claim.get('place') else ''}")
    click.echo(f"{claim['independent_sources']} independent sources, {len(found)} reports "
               f"({_modality_profile(claim.get('modalities'))})")
    for c in claim.get("contradictions") or []:
        click.echo(f"contradiction: {_cell(c)}")
    for item in found:
        who = f", according to {item['speaker']}" if item.get("speaker") else ""
        click.echo(f"\n{item.get('date') or 'undated'}  {item.get('outlet') or '?'}  {item['article_id']}  "
                   f"[{item['modality']}{who}]")
        if item.get("title"):
            click.echo(f"  {item['title']}")
        if item.get("url"):
            click.echo(f"  {item['url']}")
        click.echo(f"  « {' '.join(item['evidence'].split())} »")
        if item.get("copies"):
            click.echo(f"  same story: {', '.join(item['copies'])}")


@main.command()
@click.argument("text")
@click.option("--db", "db_url", envvar="RECOUPE_DB", help=_DB_HELP)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500))
@click.option("--offset", default=0, type=click.IntRange(0))
@click.option("--json", "as_json", is_flag=True, help="JSON lines (one article each).")
def search(text: str, db_url: Optional[str], limit: int, offset: int, as_json: bool) -> None:
    """Full-text search over stored articles (every word must occur; case and accents ignored)."""
    with _store(db_url) as store:
        found = store.search(text, limit=limit, offset=offset)
    if as_json:
        for item in found:
            _json_line(item)
        return
    _table(["date", "outlet", "article", "title", "snippet"],
           [[r.get("date"), r.get("outlet"), r["article_id"], r.get("title"), r["snippet"]] for r in found],
           [10, 20, 16, 40, 200])
    if not found:
        click.echo(f"recoupe: no article matches {text!r}", err=True)


@main.command()
@click.argument("q", required=False)
@click.option("--db", "db_url", envvar="RECOUPE_DB", help=_DB_HELP)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 500))
@click.option("--json", "as_json", is_flag=True, help="JSON lines (one actor each).")
def actors(q: Optional[str], db_url: Optional[str], limit: int, as_json: bool) -> None:
    """Actors whose id or a name contains Q, most-claimed first."""
    with _store(db_url) as store:
        found = store.actors(q, limit=limit)
    if as_json:
        for item in found:
            _json_line(item)
        return
    _table(["id", "type", "claims", "names"], [[a["id"], a["type"], a["claims"], ", ".join(a["names"])] for a in found],
           [28, 8, 6, 200])


@main.command()
@click.option("--db", "db_url", envvar="RECOUPE_DB", help=_DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="The counts as one JSON line.")
def stats(db_url: Optional[str], as_json: bool) -> None:
    """Row counts of the store's tables."""
    with _store(db_url) as store:
        counts = store.stats()
        where = store.location
    if as_json:
        _json_line(counts)
        return
    _table(["table", "rows"], [[k, v] for k, v in counts.items()], [20, 12])
    click.echo(f"recoupe: {where}", err=True)


@main.command(name="export")
@click.option("--format", "fmt", type=click.Choice(("jsonl", "csv", "graphml", "parquet")), required=True)
@click.option("--db", "db_url", envvar="RECOUPE_DB", help=_DB_HELP)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write here (default: stdout; required for parquet).")
def export_cmd(fmt: str, db_url: Optional[str], output: Optional[str]) -> None:
    """Export every claim: JSONL with evidence, ACLED-like CSV, GraphML (Gephi) or Parquet."""
    import os

    from .store.export import BINARY, export

    if fmt in BINARY and not output:
        raise click.UsageError(f"--format {fmt} writes a binary file: give -o FILE")
    with _store(db_url) as store:
        def progress(n: int) -> None:
            click.echo(f"recoupe: {n} claims exported", err=True)

        if not output:
            count = export(store, fmt, sys.stdout, progress)
        else:
            # A device, a pipe or a link (/dev/stdout) is written to, never replaced by a file.
            direct = os.path.lexists(output) and (os.path.islink(output) or not os.path.isfile(output))
            partial = output if direct else output + ".part"  # else no half-written export under the real name
            try:
                with open(partial, "wb" if fmt in BINARY else "w", encoding=None if fmt in BINARY else "utf-8",
                          newline=None if fmt in BINARY else "") as out:
                    count = export(store, fmt, out, progress)
                if not direct:
                    os.replace(partial, output)
            except OSError as exc:
                raise click.ClickException(f"{output}: cannot write ({exc.strerror or exc})")
            finally:
                if not direct and os.path.exists(partial):
                    os.remove(partial)
    click.echo(f"recoupe: {count} claims exported as {fmt}{' to ' + output if output else ''}", err=True)


if __name__ == "__main__":
    main()
