"""Ingest a file into the store: check it, read it, describe it, merge it, save it atomically."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from budgetqa.ingest.checks import check_page_count, file_kind, read_text, sha256_of
from budgetqa.ingest.completeness import shortfalls
from budgetqa.ingest.errors import IngestError
from budgetqa.ingest.filenames import visible_name
from budgetqa.ingest.front import front_pages
from budgetqa.ingest.glyphs import fold_glyphs
from budgetqa.ingest.identity import aliases, identity_key
from budgetqa.ingest.metadata import Metadata, detect_metadata
from budgetqa.ingest.narrative import PageText, read_narrative
from budgetqa.ingest.pdf_reader import read_pdf
from budgetqa.ingest.performance import PERFORMANCE_CHUNK, performance_chunks
from budgetqa.ingest.self_check import self_check
from budgetqa.ingest.text_reader import read_text_tables
from budgetqa.ingest.unruled import read_unruled, settle_bare
from budgetqa.models import Chunk, Document, SourceFile, Table
from budgetqa.numbers import normalise_unit
from budgetqa.settings import Settings
from budgetqa.vocab import load

SUPPORTED = {".pdf", ".txt", ".text"}


@dataclass(slots=True)
class IngestResult:
    """What one file did to the store."""

    file_name: str
    doc_id: str
    status: str
    """"added", "merged" (second file of a disclosure), "replaced" (new version), "candidate" (kept but
    not current: less complete than the stored version), "restored" or "unchanged"."""
    department: str
    year: int | None
    kind: str | None
    tables: int
    cells: int
    facts: int
    chunks: int
    scope: str = "部门"
    warnings: list[str] = field(default_factory=list)
    """Doubts about the document's metadata, and why a file was kept only as a candidate."""
    version: int | None = None
    """The version this file made (or is kept in)."""


def doc_id_for(department: str, year: int | None, kind: str | None, scope: str = "部门") -> str:
    """A stable id for a disclosure: the same department, year, kind and scope keep one id across
    versions, whichever form of the name a file prints."""
    key = f"{identity_key(department)}|{year}|{kind}" + ("|单位" if scope == "单位" else "")
    return "d" + hashlib.sha256(key.encode()).hexdigest()[:8]


def read_document(path: Path, settings: Settings) -> Document:
    """Parse one file into a Document (not yet stored)."""
    name = visible_name(path.name)
    kind_of_file = file_kind(path, settings.max_file_mb)
    sha = sha256_of(path)
    encoding = ""
    if kind_of_file == "pdf":
        check_page_count(path, settings.max_pages)
        result = read_pdf(path)
        if result.char_count == 0:
            raise IngestError(name, "needs_ocr", "the PDF has no text layer (scanned?); it needs OCR first")
        tables, pages, departments = result.tables, result.narrative_pages, result.departments
        title_lines, page_count = result.title_lines, result.page_count
        tables, pages = settle_bare(tables, pages, result.bare_pages, name)
        unruled, pages = read_unruled(pages, tables, name)
        if unruled:
            tables = sorted([*tables, *unruled], key=lambda t: min(t.pages, default=0))
            title_lines = title_lines + [t.title for t in unruled]
    else:
        text, encoding = read_text(path)
        text = fold_glyphs(text)
        lines = text.splitlines()
        text_result = read_text_tables(lines, source_file=name)
        tables, pages = text_result.tables, text_result.narrative_pages
        departments = [text_result.department] if text_result.department else []
        title_lines = [t.title for t in tables]
        page_count = max((p for p, _ in pages), default=1)
    narrative = read_narrative([PageText(page=p, lines=lines) for p, lines in pages], source_file=name)
    all_lines = [line for _, lines in pages for line in lines]
    meta = detect_metadata(
        departments=departments,
        front_lines=[line for p, lines in pages if p <= 3 for line in lines],
        title_lines=title_lines,
        body_lines=all_lines,
    )
    numeric_tables = [t for t in tables if t.kind != "其他"]
    if not numeric_tables and not (narrative.facts and meta.kind and meta.year):
        read_as = f" (read as {encoding} text)" if encoding else ""
        raise IngestError(name, "not_a_disclosure",
                          f"no recognisable budget/final-accounts tables or narrative{read_as}")
    has_figures = any(c.state == "value" for t in numeric_tables for c in t.cells)
    if numeric_tables and not has_figures and not narrative.facts:
        raise IngestError(name, "blank", "the tables hold no figures (a blank template?)")
    if not meta.department:
        raise IngestError(name, "no_department", "could not read the department's name from the document")
    role = "full" if numeric_tables and narrative.facts else ("tables" if numeric_tables else "narrative")
    tables, dropped = self_check(_kind_by_content(tables), meta.department, meta.kind)
    return Document(
        doc_id=doc_id_for(meta.department, meta.year, meta.kind, meta.scope),
        department=meta.department,
        scope=meta.scope,
        level=meta.level,
        aliases=aliases(meta.department),
        warnings=meta.warnings + dropped,
        region=meta.region,
        year=meta.year,
        kind=meta.kind,
        unit=_document_unit(tables),
        title=_title(meta),
        files=[SourceFile(name, sha, page_count, path.stat().st_size, role)],
        tables=_renumber(tables),
        facts=narrative.facts,
        chunks=narrative.chunks + _performance_chunks(tables, name),
        profile=narrative.profile,
        front=front_pages(pages, {p for t in tables for p in t.pages}, name),
    )


def _performance_chunks(tables: list[Table], source_file: str) -> list[Chunk]:
    """Passages for text search from the performance-target forms."""
    return performance_chunks([(t.title, t.performance) for t in tables if t.performance], source_file)


def _is_performance_chunk(chunk: Chunk) -> bool:
    return chunk.chunk_id.startswith(PERFORMANCE_CHUNK)


def _title(meta: Metadata) -> str:
    return f"{meta.department}{meta.year or ''}年{meta.scope + meta.kind if meta.kind else '公开'}"


def _document_unit(tables: list[Table]) -> str:
    units = [t.unit for t in tables if t.cells]
    return max(set(units), key=units.count) if units else normalise_unit(None)


def _kind_by_content(tables: list[Table]) -> list[Table]:
    """Give an untitled table (kind 其他) the kind whose row labels it holds (vocab/tables.toml)."""
    rules = load("tables").get("content_kind", {})
    for table in tables:
        if table.kind != "其他":
            continue
        labels = {c.row_name.strip("：: ") for c in table.cells} | {p for c in table.cells for p in c.col_path}
        for kind, rule in rules.items():
            if sum(1 for label in rule["labels"] if label in labels) >= 2:
                table.kind = kind
                break
    return tables


def _renumber(tables: list[Table]) -> list[Table]:
    for index, table in enumerate(tables, start=1):
        table.table_id = f"t{index:02d}"
    return tables


def merge(existing: Document, new: Document) -> tuple[Document, str]:
    """Combine a second file of one disclosure, or replace an older version.

    A tables-only file and a narrative-only file of the same department, year
    and kind are two halves of one disclosure; a new half replaces its own half and
    keeps the other; any other pair is a new version.
    """
    roles = {f.role for f in existing.files}
    new_role = new.files[0].role
    if new_role == "full" or "full" in roles or roles == {new_role}:
        return new, "replaced"
    merged = existing
    merged.files = [*(f for f in existing.files if f.role != new_role), *new.files]
    merged.aliases = list(dict.fromkeys([*existing.aliases, *new.aliases]))
    merged.warnings = list(dict.fromkeys([*existing.warnings, *new.warnings]))
    merged.front = [p for p in existing.front if p.source_file not in {f.file_name for f in new.files}] + new.front
    if len(new.department) > len(existing.department):
        merged.department = new.department  # the fuller printed form names the document
    if new_role == "tables":
        merged.tables = _renumber(new.tables)
        merged.unit = new.unit
        merged.chunks = [c for c in existing.chunks if not _is_performance_chunk(c)] + [
            c for c in new.chunks if _is_performance_chunk(c)]
    else:
        merged.facts = new.facts
        merged.chunks = new.chunks + [c for c in existing.chunks if _is_performance_chunk(c)]
        merged.profile = new.profile or existing.profile
    return merged, "replaced" if new_role in roles else "merged"


def ingest_file(store, path: Path, settings: Settings,
                read: Callable[[Path, Settings], Document] | None = None) -> IngestResult:
    """Read one file (with ``read``, default ``read_document``) and write it to the store; the same file twice changes nothing.

    Every version is kept. A new file of a stored disclosure becomes current only if it is at
    least as complete (``completeness.shortfalls``); otherwise it is kept as a candidate, with
    a warning saying what it lacks, and the stored version stays current.

    After the document is saved, its narrative chunks are embedded into the vector
    index. If that fails the document stays saved (the store is the source of truth)
    and an ``IngestError`` ("index_failed") says so; ingesting the same file again,
    or ``rebuild_index``, fills the index in.
    """
    sha = sha256_of(path) if path.is_file() else ""
    existing_id = store.doc_of_file(sha) if sha else None
    if existing_id:
        doc = store.load(existing_id)
        _index(path.name, settings, lambda vectors: vectors.ensure_indexed(store, existing_id, settings))
        return _result(path.name, doc, "unchanged")
    kept = store.version_of_file(sha) if sha else None
    if kept and store.load(kept["doc_id"]) is not None:
        result = _result(path.name, store.load(kept["doc_id"]), "unchanged")
        result.version = kept["version"]
        result.warnings.append(f"这个文件已保存为第{kept['version']}版（{kept['status']}），不是现行版本；"
                               f"要改用它：budgetqa restore {kept['doc_id']} {kept['version']}")
        return result
    doc = (read or read_document)(path, settings)
    previous_id = store.find_document(doc.key, doc.year, doc.kind, doc.scope)
    status = "added"
    if previous_id:
        previous = store.load(previous_id)
        doc, status = merge(store.load(previous_id), doc)
        missing = shortfalls(previous, doc)
        if missing:
            result = _result(path.name, doc, "candidate")
            result.version = store.save_candidate(doc, missing)
            result.warnings.append(
                f"这个文件不如现行版本完整，已保存为候选第{result.version}版，没有替换现行版本："
                + "；".join(missing) + f"。确认无误后可改用它：budgetqa restore {doc.doc_id} {result.version}")
            return result
    version = store.save(doc, replaces=previous_id)
    _index(path.name, settings, lambda vectors: vectors.index_document(doc, settings, replaces=previous_id))
    result = _result(path.name, doc, status)
    result.version = version
    return result


def is_stored_file(store, path: Path) -> bool:
    """True if this exact file (by content hash) is stored already, current or kept: ingesting it changes nothing."""
    try:
        sha = sha256_of(path) if path.is_file() else ""
    except OSError:
        return False
    return bool(sha) and bool(store.doc_of_file(sha) or store.version_of_file(sha))


def restore_version(store, doc_id: str, version: int, settings: Settings) -> IngestResult | None:
    """Make a kept version of a document current again (and its narrative searchable); None: no such version."""
    doc = store.restore(doc_id, version)
    if doc is None:
        return None
    _index(doc.title, settings, lambda vectors: vectors.index_document(doc, settings, replaces=doc_id))
    result = _result(doc.files[0].file_name if doc.files else doc.title, doc, "restored")
    result.version = version
    return result


def _index(name: str, settings: Settings, action: Callable[[ModuleType], object]) -> None:
    """Run a vector-index update (given ``budgetqa.index.vectors``); a failure is one clear ingest error."""
    try:
        from budgetqa.index import vectors

        action(vectors)
    except Exception as exc:
        raise IngestError(
            name, "index_failed",
            f"saved to the store, but its narrative could not be added to the vector index "
            f"({settings.embedding_model}): {exc}. Run the index rebuild (rebuild_index) once it is fixed",
        ) from exc


def _result(file_name: str, doc: Document, status: str) -> IngestResult:
    return IngestResult(
        file_name=visible_name(file_name),
        doc_id=doc.doc_id,
        status=status,
        department=doc.department,
        year=doc.year,
        kind=doc.kind,
        tables=len(doc.tables),
        cells=sum(1 for t in doc.tables for c in t.cells if c.state == "value"),
        facts=len(doc.facts),
        chunks=len(doc.chunks),
        scope=doc.scope,
        warnings=list(doc.warnings),
    )


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, and the supported files inside given folders (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED and p.is_file()))
        else:
            files.append(path)
    return files

