"""Datasette plugin: harden the public site (issue 25).

- Datasette's debug and introspection pages (threads, messages, permission and pattern
  debuggers, the databases list with the file's path, plugins, versions, actor, token) answer
  404, and the ``problems`` table (absolute file paths of the editors' inputs) 403, unless
  ``quotetrack serve --debug`` (plugin config ``quotetrack_guard: {debug: true}``).
- A reader's bad parameter (``_sort`` by an unknown column) answers 400, not 500.
"""

import re

from datasette import hookimpl

CLOSED_PAGES = re.compile(
    r"^/-/(threads|messages|allow-debug|patterns|databases|permissions|actor|auth-token|plugins|versions)"
    r"(\.json)?/?$"
)
HIDDEN_TABLES = {("quotes", "problems")}
# DatasetteErrors that Datasette 0.65 raises with status 500 for a bad query-string parameter
BAD_PARAMETER = re.compile(r"^Cannot sort table by ")
CLOSED_PATH = "/-/closed"  # no route: Datasette answers its own 404 page


def _debug(datasette) -> bool:
    return bool((datasette.plugin_config("quotetrack_guard") or {}).get("debug"))


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def guarded(scope, receive, send):
            if scope.get("type") == "http" and CLOSED_PAGES.match(scope.get("path", "")) and not _debug(datasette):
                scope = dict(scope, path=CLOSED_PATH, raw_path=CLOSED_PATH.encode())
            await app(scope, receive, send)

        return guarded

    return wrap


@hookimpl
def permission_allowed(datasette, actor, action, resource):
    if action == "view-table" and tuple(resource or ()) in HIDDEN_TABLES and not _debug(datasette):
        return False
    return None


@hookimpl
def handle_exception(datasette, request, exception):
    # runs before Datasette's own handler, which renders the page with this status
    if getattr(exception, "status", None) == 500 and BAD_PARAMETER.match(str(getattr(exception, "message", ""))):
        exception.status = 400
    return None
