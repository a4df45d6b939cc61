"""recoupe's command line: one click group, thin commands over the library."""
from __future__ import annotations

import json
import logging
import sys
from typing import Optional, TextIO

import click

from . import __version__


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
def extract(paths: tuple[str, ...], output: Optional[str], progress_every: int) -> None:
    """Extract actors and facts from articles (files, folders, or - for JSONL on stdin).

    Writes one JSON object per article, in input order. Bad inputs are
    reported on stderr, one line each; the exit code is 1 if any failed.
    """
    from .ingest import read_articles
    from .model import InputError
    from .pipeline import Extractor

    extractor = Extractor()
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

    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        for result in extractor.extract_all(articles()):
            out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
            out.flush()
            done += 1
            if progress_every and done % progress_every == 0:
                _progress(done, errors)
    finally:
        if output:
            out.close()
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
@click.option("--db", "db_url", help="Store URL or path (default: recoupe.db here; postgresql://... for PostgreSQL).")
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

    from .store import open_store
    from .web.app import create_app

    token = os.environ.get("RECOUPE_TOKEN", "").strip()
    if token_file:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"{token_file}: cannot read the token ({exc})")
        if not token:
            raise click.ClickException(f"{token_file}: empty token file")
    try:  # fail now, in one line, rather than on the first request
        open_store(db_url).close()
    except Exception as exc:  # noqa: BLE001 - any failure to open is reported the same way
        raise click.ClickException(f"{db_url or 'recoupe.db'}: cannot open the store ({exc})")
    app = create_app(db_url, token=token or None, cors_origins=cors_origins)
    click.echo(f"recoupe: serving http://{host}:{port}/ (ingest {'enabled' if token else 'disabled: no token'})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


if __name__ == "__main__":
    main()
