"""Datasette plugin: a page per claim (``/quotes/claim/<id>``) and links to it.

Loaded with ``--plugins-dir plugins`` like ``quotetrack_sql.py``. The page shows a claim's
statement, its speaker, the first article and outlet that carried it, every other article
with its date and language, and how each direct quote's words differ from most outlets'
(``claim_drift``). Its template is ``templates/claim.html``, read by this plugin, so the
site needs no template folder of its own. Every ``claim_group_id`` cell links to the page.
"""

from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

DATABASE = "quotes"
TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "claim.html"
CLAIM_SQL = """
select claim_groups.*, coalesce(speakers.name, claim_groups.speaker) as speaker_name
from claim_groups left join speakers on speakers.id = claim_groups.speaker_id
where claim_groups.id = :id
"""
CARRIERS_SQL = """
select id, article_id, title, outlet, published, url, language, kind, cue,
  speaker, speaker_mention, content, content_2, claim_drift
from quotes where claim_group_id = :id
order by coalesce(published, '9999-12-31'), article_id, content_start
"""


def claim_path(claim_id: str) -> str:
    return f"/{DATABASE}/claim/{claim_id}"


async def claim_page(datasette, request):
    """The claim page, or 404 for an unknown id."""
    claim_id = request.url_vars["claim_id"]
    db = datasette.get_database(DATABASE)
    claim = (await db.execute(CLAIM_SQL, {"id": claim_id})).first()
    if claim is None:  # Datasette's error page, without the traceback NotFound would log
        html = await datasette.render_template(
            "error.html",
            {
                "ok": False,
                "status": 404,
                "title": "Claim not found",
                "error": f"No claim {claim_id}: the build may have regrouped it.",
            },
            request=request,
        )
        return Response.html(html, status=404)
    carriers = [dict(row) for row in await db.execute(CARRIERS_SQL, {"id": claim_id})]
    template = datasette.jinja_env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    html = await datasette.render_template(
        template,
        {
            "claim": dict(claim),
            "first": carriers[0] if carriers else None,
            "others": carriers[1:],
            "database": DATABASE,
        },
        request=request,
    )
    return Response.html(html)


@hookimpl
def register_routes():
    return [(rf"^/{DATABASE}/claim/(?P<claim_id>c-[0-9a-f]+)$", claim_page)]


@hookimpl
def render_cell(value, column, table, database):
    """A claim id, wherever it is shown, links to its page."""
    if database == DATABASE and column == "claim_group_id" and isinstance(value, str) and value:
        return Markup(f'<a href="{claim_path(escape(value))}">{escape(value)}</a>')
    return None
