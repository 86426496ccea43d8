"""Datasette hooks for the NCPI site: the evidence, force and forces pages, and links from
table cells to them. Registered by ncpi.browse.app.make_datasette."""
from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from ncpi.browse import pages
from ncpi.browse.metadata import DATABASE

# A findings or statements row's text links to its evidence page (Datasette renders the
# primary-key cell itself, as a link to the plain row page).
EVIDENCE_LINKS = {"findings": ("finding_id", "/evidence/finding/"),
                  "statements": ("statement_id", "/evidence/statement/")}


async def _html(datasette, request, template: str, context: dict) -> Response:
    context = {**context, "database": DATABASE}
    return Response.html(await datasette.render_template(template, context, request=request))


async def evidence_view(datasette, request):
    kind, row_id = request.url_vars["kind"], request.url_vars["row_id"]
    db = datasette.get_database(DATABASE)
    page = await db.execute_fn(lambda con: pages.evidence(con, kind, row_id))
    if page is None:
        raise NotFound(f"No {kind} with id {row_id}")
    return await _html(datasette, request, "ncpi_evidence.html", page)


async def force_view(datasette, request):
    force_id = request.url_vars["force_id"]
    theme = request.args.get("theme") or None
    db = datasette.get_database(DATABASE)
    page = await db.execute_fn(lambda con: pages.force_page(con, force_id, theme))
    if page is None:
        raise NotFound(f"No force with id {force_id}")
    return await _html(datasette, request, "ncpi_force.html", page)


async def forces_view(datasette, request):
    db = datasette.get_database(DATABASE)
    forces = await db.execute_fn(pages.forces_index)
    return await _html(datasette, request, "ncpi_forces.html", {"forces": forces})


@hookimpl
def register_routes():
    return [
        (r"^/evidence/(?P<kind>finding|statement)/(?P<row_id>[^/]+)$", evidence_view),
        (r"^/force/(?P<force_id>[^/]+)$", force_view),
        (r"^/forces$", forces_view),
    ]


@hookimpl
def render_cell(row, value, column, table, database):
    if database != DATABASE or not isinstance(value, str):
        return None
    if column == "force_id":
        return Markup(f'<a href="/force/{escape(value)}">{escape(value)}</a>')
    key, prefix = EVIDENCE_LINKS.get(table, (None, None))
    if column == "text" and key and key in row.keys():
        return Markup(f'<a href="{prefix}{escape(row[key])}" title="evidence">{escape(value)}</a>')
    return None
