"""Datasette plugin: the SQL functions the canned queries in ``metadata.yml`` call.

Loaded with ``--plugins-dir plugins`` (``quotetrack serve`` does it), so a plain
``datasette data/quotes.db -m metadata.yml --plugins-dir plugins`` serves the same site.
"""

from datasette import hookimpl

from quotetrack.publish import register_sql_functions


@hookimpl
def prepare_connection(conn):
    """Add ``name_key()`` to every connection, so ``:name`` matches any spelling."""
    register_sql_functions(conn)
