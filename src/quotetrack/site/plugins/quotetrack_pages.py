"""Datasette plugin: the site's own pages and the links between them.

- ``/quotes/speakers/<id>``: a speaker (spellings, outlets, statements per month, statements)
- ``/quotes/articles/<id>``: an article with each statement marked where it stands
- ``/-/search?q=``: speakers by any spelling of their name, then statements by their words
- ``/-/overview``: most-quoted speakers per month, statements by outlet, type and gender

The data comes from ``quotetrack.pages``; the HTML from ``templates/``. Table cells link a
claim to its speaker and its place in the article (``render_cell``). Loaded from
``--plugins-dir plugins``, as ``quotetrack serve`` does.
"""

import json
from urllib.parse import urlencode

from datasette import Response, hookimpl
from datasette.utils import tilde_decode, tilde_encode
from markupsafe import Markup, escape

from quotetrack import pages
from quotetrack.publish import DATABASE_NAME

ARTICLE_PREVIEW = 160  # characters of an article's text shown in the articles table


@hookimpl
def register_routes():
    return [
        (rf"^/{DATABASE_NAME}/speakers/(?P<speaker_id>[^/.]+)$", speaker_view),
        (rf"^/{DATABASE_NAME}/articles/(?P<article_id>[^/.]+)$", article_view),
        (r"^/-/search$", search_view),
        (r"^/-/overview$", overview_view),
    ]


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters["speaker_url"] = lambda speaker_id: speaker_url(datasette, speaker_id)
    env.filters["article_url"] = lambda article_id: article_url(datasette, article_id)
    env.filters["statement_url"] = lambda row: statement_url(datasette, row["article_id"], row["id"])


def speaker_url(datasette, speaker_id: str) -> str:
    return datasette.urls.path(f"{DATABASE_NAME}/speakers/{tilde_encode(speaker_id)}")


def article_url(datasette, article_id: str) -> str:
    return datasette.urls.path(f"{DATABASE_NAME}/articles/{tilde_encode(article_id)}")


def statement_url(datasette, article_id: str, quote_id: str) -> str:
    """Where a statement stands: its mark on the article page."""
    return f"{article_url(datasette, article_id)}#q-{quote_id}"


async def _page(datasette, request, table: str, fn, *args):
    """Check the reader may see ``table``, then run ``fn(conn, *args)`` on the database."""
    await datasette.ensure_permissions(
        request.actor, [("view-table", (DATABASE_NAME, table)), ("view-database", DATABASE_NAME), "view-instance"]
    )
    return await datasette.get_database(DATABASE_NAME).execute_fn(lambda conn: fn(conn, *args))


def _page_number(request) -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


async def _render(datasette, request, template: str, context: dict) -> Response:
    html = await datasette.render_template(template, {**context, "database": DATABASE_NAME}, request=request)
    return Response.html(html)


async def _not_found(datasette, request, message: str) -> Response:
    """Datasette's error page, without the traceback a raised NotFound prints to the log."""
    context = {"ok": False, "error": message, "status": 404, "title": None}
    html = await datasette.render_template("error.html", context, request=request)
    return Response.html(html, status=404)


async def speaker_view(datasette, request):
    speaker_id = tilde_decode(request.url_vars["speaker_id"])
    data = await _page(datasette, request, "speakers", pages.speaker_page, speaker_id, _page_number(request))
    if data is None:
        return await _not_found(datasette, request, f"No speaker with id {speaker_id}")
    csv_url = (
        datasette.urls.path(f"{DATABASE_NAME}/claims.csv")
        + "?"
        + urlencode({"speaker_id": speaker_id, "_sort_desc": "published", "_size": "max", "_stream": "on"})
    )
    return await _render(datasette, request, "speaker.html", {**data, "csv_url": csv_url})


async def article_view(datasette, request):
    article_id = tilde_decode(request.url_vars["article_id"])
    data = await _page(datasette, request, "articles", pages.article_page, article_id)
    if data is None:
        return await _not_found(datasette, request, f"No article with id {article_id}")
    return await _render(datasette, request, "article.html", data)


async def search_view(datasette, request):
    query = request.args.get("q", "")
    data = await _page(datasette, request, "quotes", pages.search_page, query, _page_number(request))
    return await _render(datasette, request, "search.html", {**data, "search_query": data["query"]})


async def overview_view(datasette, request):
    data = await _page(datasette, request, "quotes", pages.overview_page)
    return await _render(datasette, request, "overview.html", data)


# the only columns render_cell changes: any other cell returns at once (a page of 1,000
# claims has 20,000 cells, and reading the whole row for each cost 0.2 s)
LINKED_COLUMNS = frozenset(
    {"speaker", "quote", "content", "title", "speaker_id", "article_id", "name", "roles", "text"}
)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Link claims and quotes to their speaker and their place in the article; show roles
    as text and an article's text as a short preview linking to its page."""
    if column not in LINKED_COLUMNS or database != DATABASE_NAME:
        return None
    value = _raw(value)
    if value is None:
        return None
    cell = _CellReader(row)
    if column == "speaker" and cell("speaker_id"):
        return _link(speaker_url(datasette, cell("speaker_id")), value)
    if column in ("quote", "content"):
        quote_id = cell("quote_id") or (cell("id") if table == "quotes" else None)
        if cell("article_id") and quote_id:
            href = statement_url(datasette, cell("article_id"), quote_id)
            # no dir on the span: the cell takes its direction from the quote's first letter
            # (quotetrack.css), which an isolated span would hide from it
            return Markup(
                f'<span class="quote-text">{escape(value)}</span> '
                f'<a class="in-article" href="{escape(href)}">in&nbsp;the&nbsp;article</a>'
            )
    if column == "title" and cell("article_id"):
        return _link(article_url(datasette, cell("article_id")), value)
    if column == "speaker_id" and table in ("quotes", "claims", None):
        return _link(speaker_url(datasette, value), cell("speaker") or value)
    if column == "article_id":
        return _link(article_url(datasette, value), cell("title") or value)
    if table == "speakers" and column == "name":
        return _link(speaker_url(datasette, cell("id")), value)
    if table == "speakers" and column == "roles":
        return "; ".join(json.loads(value or "[]"))
    if table == "articles" and column == "text":
        preview = " ".join(value[: ARTICLE_PREVIEW * 2].split())[:ARTICLE_PREVIEW]
        return _link(article_url(datasette, cell("id")), preview + "…")
    return None


class _CellReader:
    """Another cell of the same row by column name, ``None`` when the row has no such column."""

    def __init__(self, row):
        self.row = row

    def __call__(self, column: str):
        try:
            return _raw(self.row[column])
        except (IndexError, KeyError):
            return None


def _raw(value):
    """A cell's own value: Datasette hands a foreign key over as its value and label."""
    return value.get("value") if isinstance(value, dict) else value


def _link(href: str, text) -> Markup:
    return Markup(f'<a href="{escape(href)}" dir="auto">{escape(text)}</a>')
