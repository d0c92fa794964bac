"""Pages for people: the Q&A page at /, the embeddable /widget.js, and the table view."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from budgetqa.originals import kept_file
from budgetqa.service.errors import ApiError
from budgetqa.service.lookup import document_id, table_of
from budgetqa.service.state import AppState, get_state
from budgetqa.service.tableview import Target, render

STATIC = Path(__file__).resolve().parent / "static"

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(get_state)]
Param = Annotated[str | None, Query(max_length=500)]


@router.get("/")
def index() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


@router.get("/widget.js")
def widget() -> FileResponse:
    return FileResponse(STATIC / "widget.js", media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300"})


@router.get("/documents/{doc}/tables/{table}/view", response_class=HTMLResponse)
def table_view(doc: str, table: str, request: Request, state: State,
               row: Param = None, code: Param = None, col: Param = None, side: Param = None) -> HTMLResponse:
    """The table as laid out, with the cell named by row/code/col/side highlighted."""
    root = request.scope.get("root_path", "").rstrip("/")
    try:
        with state.store.lock.reading():
            doc_id = document_id(state.store, doc)
            found = table_of(state.store, doc_id, table)
            item = next(d for d in state.store.documents() if d["doc_id"] == doc_id)
    except ApiError as exc:
        return HTMLResponse(_error_page(exc, root), status_code=exc.status_code)
    source = found.source_file or (item["files"][0]["file_name"] if len(item["files"]) == 1 else "")
    pdf = None
    if kept_file(state.settings.data_dir, item["files"], source):
        pdf = f"{root}/documents/{quote(doc_id)}/files/{quote(source)}"
    return HTMLResponse(render(doc_id, item["title"], found, Target(row, code, col, side), root, pdf))


@router.get("/documents/{doc}/files/{file_name}")
def source_pdf(doc: str, file_name: str, state: State) -> FileResponse:
    """The kept copy of one of a document's PDFs (open it at a page with #page=N)."""
    with state.store.lock.reading():
        doc_id = document_id(state.store, doc)
        files = next(d["files"] for d in state.store.documents() if d["doc_id"] == doc_id)
    path = kept_file(state.settings.data_dir, files, file_name)
    if path is None:
        raise ApiError(404, "not_found", f"No kept copy of {file_name!r} for document {doc_id}.")
    return FileResponse(path, media_type="application/pdf",
                        headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(file_name)}"})


def _error_page(exc: ApiError, root: str) -> str:
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(exc.message_zh)}</title><link rel="stylesheet" href="{root}/static/page.css"></head>
<body><main><h1>{escape(exc.message_zh)}</h1><p lang="en">{escape(exc.message_en)}</p>
<p><a href="{root}/">返回预算公开问答</a></p></main></body></html>
"""
