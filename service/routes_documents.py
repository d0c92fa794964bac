"""Documents and their tables (public), upload and delete (admin)."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from budgetqa.ingest.bounded import read_bounded
from budgetqa.ingest.errors import IngestError
from budgetqa.ingest.filenames import visible_name
from budgetqa.ingest.pipeline import IngestResult, ingest_file, restore_version
from budgetqa.originals import keep
from budgetqa.service.auth import Admin
from budgetqa.service.errors import ADMIN_RESPONSES, ApiError, ErrorBody, from_ingest
from budgetqa.service.lookup import document_id, table_of
from budgetqa.service.state import AppState, get_state
from budgetqa.settings import Settings
from budgetqa.views import document_json, table_grid, table_json

router = APIRouter(tags=["documents"])
State = Annotated[AppState, Depends(get_state)]

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary",
                                    "description": "A disclosure: PDF or UTF-8 text dump."}},
        }}},
    }
}


class Deleted(BaseModel):
    deleted: str


@router.get("/documents", summary="Documents in the store")
def list_documents(state: State) -> list[dict]:
    with state.store.lock.reading():
        return [document_json(d) for d in state.store.documents()]


@router.get("/documents/{doc}", summary="One document (id, id prefix or a unique part of the department)")
def get_document(doc: str, state: State) -> dict:
    with state.store.lock.reading():
        doc_id = document_id(state.store, doc)
        return next(document_json(d) for d in state.store.documents() if d["doc_id"] == doc_id)


@router.get("/documents/{doc}/tables", summary="A document's tables (without cells)")
def list_tables(doc: str, state: State) -> list[dict]:
    with state.store.lock.reading():
        return [table_json(t, with_cells=False) for t in state.store.tables(document_id(state.store, doc))]


@router.get("/documents/{doc}/tables/{table}", summary="One table with its cells (JSON), or as laid out (CSV)",
            responses={200: {"content": {"application/json": {}, "text/csv": {}}}})
def get_table(
    doc: str, table: str, state: State,
    format: Annotated[Literal["json", "csv"], Query(description="json: cells; csv: rows as printed.")] = "json",
) -> Response:
    with state.store.lock.reading():
        doc_id = document_id(state.store, doc)
        found = table_of(state.store, doc_id, table)
    if format == "json":
        return JSONResponse(table_json(found))
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table_grid(found))
    return Response("\ufeff" + buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{doc_id}-{found.table_id}.csv"'})


@router.get("/documents/{doc}/audit", summary="Audit a document: every identity checked, every figure reconciled",
            responses={200: {"content": {"application/json": {}, "text/html": {}}}})
def audit(
    doc: str, state: State,
    format: Annotated[Literal["json", "html"], Query(description="json: the AuditReport; html: a report page.")] = "json",
) -> Response:
    from budgetqa.audit import audit_document, render_html

    with state.store.lock.reading():
        document = state.store.load(document_id(state.store, doc))
    report = audit_document(document)
    if format == "html":
        return Response(render_html(report), media_type="text/html; charset=utf-8")
    return JSONResponse(report.model_dump(mode="json"))


@router.post("/documents", status_code=201, response_model=IngestResult, dependencies=[Admin],
             openapi_extra=UPLOAD_BODY, summary="Upload and ingest a PDF or text file (admin)",
             responses={**ADMIN_RESPONSES, 200: {"description": "The same file was already ingested (unchanged)."},
                        202: {"description": "Kept as a candidate version only: less complete than the "
                                             "current version (see `warnings`)."},
                        413: {"model": ErrorBody, "description": "Over the size, page or memory limit."},
                        415: {"model": ErrorBody, "description": "Not a PDF or text."},
                        422: {"model": ErrorBody,
                              "description": "Not a readable disclosure (corrupt, empty, scanned, timed out …)."}})
async def upload(request: Request, response: Response, state: State) -> IngestResult:
    form = await request.form(max_files=1, max_fields=4)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ApiError(422, "missing_file")
        with tempfile.TemporaryDirectory(prefix="upload-", dir=upload_dir(state.settings)) as folder:
            path = Path(folder) / safe_name(upload.filename)
            with path.open("wb") as out:
                while chunk := await upload.read(1 << 20):
                    out.write(chunk)
            result = await run_in_threadpool(_ingest, state, path)
    finally:
        await form.close()
    if result.status in ("unchanged", "candidate"):
        response.status_code = 200 if result.status == "unchanged" else 202
    return result


@router.get("/documents/{doc}/versions", dependencies=[Admin], responses=ADMIN_RESPONSES,
            summary="A document's kept versions: files, hashes, times, counts, status (admin)")
def list_versions(doc: str, state: State) -> list[dict]:
    with state.store.lock.reading():
        return state.store.document_versions(_kept_id(state, doc))


@router.post("/documents/{doc}/versions/{version}/restore", response_model=IngestResult, dependencies=[Admin],
             responses=ADMIN_RESPONSES,
             summary="Make a kept version of a document current again (admin)")
def restore(doc: str, version: int, state: State) -> IngestResult:
    with state.admin_lock:
        doc_id = _kept_id(state, doc)
        try:
            result = restore_version(state.store, doc_id, version, state.settings)
        except IngestError as exc:
            raise from_ingest(exc) from exc
    if result is None:
        raise ApiError(404, "unknown_version", f"Document {doc_id} has no version {version}.")
    return result


def _kept_id(state: AppState, doc: str) -> str:
    """A stored document's id, or the exact id of a deleted one whose versions are kept."""
    if doc in state.store.version_doc_ids():
        return doc
    return document_id(state.store, doc)


@router.delete("/documents/{doc_id}", response_model=Deleted, dependencies=[Admin], responses=ADMIN_RESPONSES,
               summary="Delete a document by its exact id (admin)")
def delete_document(doc_id: str, state: State) -> Deleted:
    with state.admin_lock:
        if not state.store.delete(doc_id, state.settings):
            raise ApiError(404, "unknown_document", f"No document with id {doc_id!r}.")
    return Deleted(deleted=doc_id)


def _ingest(state: AppState, path: Path) -> IngestResult:
    with state.admin_lock:
        try:
            result = ingest_file(state.store, path, state.settings, read=read_bounded)
        except IngestError as exc:
            raise from_ingest(exc) from exc
        if state.settings.keep_files:
            keep(path, state.settings.data_dir)
        return result


def upload_dir(settings: Settings) -> Path:
    """Where uploads wait while they are parsed (emptied at start-up: a killed server leaves nothing)."""
    folder = settings.data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def clean_uploads(settings: Settings) -> None:
    """Remove upload folders left behind by a server that was killed."""
    for left in upload_dir(settings).iterdir():
        if left.is_dir():
            shutil.rmtree(left, ignore_errors=True)
        else:
            left.unlink(missing_ok=True)


def safe_name(name: str | None) -> str:
    """The upload's base name without path parts, control or format characters (bidi overrides such as
    U+202E: category Cc or Cf); it becomes the file's name."""
    base = visible_name(name or "").replace("\\", "/").split("/")[-1].strip(" .")
    if len(base) > 150:
        suffix = Path(base).suffix[:10]
        base = base[: 150 - len(suffix)] + suffix
    return base or "upload"
