"""Datasette plugin: the SQL functions the canned queries in ``metadata.yml`` call.

Loaded from this folder by ``quotetrack serve``; a plain ``datasette`` command given
``--plugins-dir`` this folder and ``-m`` the ``metadata.yml`` beside it serves the same site.
"""

from datasette import hookimpl

from quotetrack.publish import register_sql_functions


@hookimpl
def prepare_connection(conn):
    """Add ``name_key()`` to every connection, so ``:name`` matches any spelling."""
    register_sql_functions(conn)
