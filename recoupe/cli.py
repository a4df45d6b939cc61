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

    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        for result in extract_results(articles(), workers=workers, cluster=target):
            if isinstance(result, InputError):
                errors += 1
                click.echo(f"recoupe: error: {result}", err=True)
                continue
            out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
            out.flush()
            done += 1
            if progress_every and done % progress_every == 0:
                _progress(done, errors)
    except ClusterError as exc:  # the workers cannot run the extractor
        click.echo(f"recoupe: error: {exc}", err=True)
        sys.exit(2)
    finally:
        if output:
            out.close()
        if target is not None:
            target.close()
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


if __name__ == "__main__":
    main()
