"""The `budgetqa` command line: ingest, docs, tables, table, ask, audit, eval."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table as RichTable

from budgetqa.ingest.errors import IngestError
from budgetqa.ingest.filenames import visible_name
from budgetqa.originals import keep
from budgetqa.settings import Settings
from budgetqa.views import document_json, table_grid, table_json

app = typer.Typer(help="Exact answers, with citations, over Chinese budget and final-accounts disclosures.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None)
"""Plain click help: flags read as flags (`--json`), where rich help prints `--json <bool>`."""
console = Console()
err = Console(stderr=True)

SUMMARY_ROWS = 200
"""`ingest` prints a row per file up to this many files, and a count per status beyond."""

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", envvar="BUDGETQA_DATA_DIR", help="Store folder (default: the user data dir, ~/.local/share/budgetqa on Linux; `make run` uses data/sample)."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _error(zh: str, en: str) -> None:
    """An error on stderr, in Chinese and in English."""
    err.print(f"[red]错误[/red] {zh}\n[red]error[/red] {en}", soft_wrap=True)


def _ingest_error(exc: IngestError) -> None:
    """A rejected file, on one line: English, then Chinese."""
    from budgetqa.service.errors import MESSAGES

    zh = MESSAGES.get(exc.reason, MESSAGES["bad_file"])[0]
    err.print(f"[red]error[/red] {exc.file_name}: {exc.message} [dim]({exc.reason})[/dim] · [red]错误[/red] {zh}",
              soft_wrap=True)


def _settings(data_dir: Path | None) -> Settings:
    return Settings(data_dir=data_dir) if data_dir else Settings()


def _store(data_dir: Path | None):
    from budgetqa.index.store import Store

    settings = _settings(data_dir)
    return Store(settings.data_dir, settings.database_url)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="PDF or text files, or folders of them.")],
    data_dir: DataDir = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Files parsed at once, each in its own "
                                      "worker process (this process alone writes the store).")] = 1,
) -> None:
    """Read disclosures into the store; bad files are reported and skipped."""
    from budgetqa.ingest.bounded import read_bounded
    from budgetqa.ingest.parallel import read_many
    from budgetqa.ingest.pipeline import expand_paths, ingest_file, is_stored_file

    settings = _settings(data_dir)
    store = _store(data_dir)
    files = expand_paths(paths)
    for path, suffix in skipped_files(paths, files):
        err.print(f"[yellow]跳过 skipped[/yellow] {visible_name(str(path))}：不支持的文件类型 {suffix or '（无扩展名）'}，只读 PDF 和文本文件 / "
                  f"unsupported file type {suffix or '(none)'}: only PDF and text files are read", soft_wrap=True)
    new = [not is_stored_file(store, path) for path in files]
    parsed = read_many([path for path, is_new in zip(files, new, strict=True) if is_new], settings, jobs)
    failed: list[IngestError] = []
    summary = RichTable("file", "status", "document", "tables", "cells", "facts", "chunks")
    with closing(parsed), Progress(SpinnerColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                                   TextColumn("[dim]{task.fields[rate]}[/dim]"), TimeElapsedColumn(), TextColumn("ETA"),
                                   TimeRemainingColumn(), console=err, transient=True) as progress:
        task = progress.add_task("", total=len(files), rate="")
        for path, is_new in zip(files, new, strict=True):
            progress.update(task, description=visible_name(path.name))
            try:
                read = _parsed_reader(next(parsed)[1]) if is_new else read_bounded
                result = ingest_file(store, path, settings, read=read)
                if settings.keep_files:
                    keep(path, settings.data_dir)
            except IngestError as exc:
                failed.append(exc)
                _ingest_error(exc)
                continue
            finally:
                progress.advance(task)
                done = progress.tasks[0]
                if done.completed and done.elapsed:
                    progress.update(task, rate=f"{done.completed / done.elapsed:.1f} docs/s")
            for warning in result.warnings:
                err.print(f"[yellow]warning[/yellow] {result.file_name}: {warning}", soft_wrap=True)
            summary.add_row(
                result.file_name, result.status,
                f"{result.doc_id} {result.department} {result.year or '?'} {result.kind or '?'} {result.scope}",
                str(result.tables), str(result.cells), str(result.facts), str(result.chunks),
            )
        elapsed = progress.tasks[0].elapsed or 0.0
    if 0 < summary.row_count <= SUMMARY_ROWS:
        console.print(summary)
    elif summary.row_count:
        statuses = Counter(summary.columns[1].cells)
        console.print("files: " + ", ".join(f"{n} {status}" for status, n in statuses.most_common()))
    if files:
        err.print(f"{len(files) - len(failed)} of {len(files)} files ingested in {elapsed:.1f} s "
                  f"({len(files) / elapsed if elapsed else 0:.1f} docs/s, --jobs {jobs})")
    if failed:
        _print_failures(failed)
        raise typer.Exit(1)


def _parsed_reader(outcome):
    """A ``read`` for ``ingest_file`` that hands over what a worker parsed (or raises its error)."""
    def read(path: Path, settings: Settings):
        if isinstance(outcome, IngestError):
            raise outcome
        return outcome
    return read


def _print_failures(failed: list[IngestError]) -> None:
    """The files that did not land, each with its reason, after everything else."""
    view = RichTable("failed file 失败的文件", "reason", "why", title=f"{len(failed)} failed", title_justify="left")
    for exc in failed:
        view.add_row(exc.file_name, exc.reason, exc.message)
    err.print(view)


def skipped_files(paths: list[Path], taken: list[Path]) -> list[tuple[Path, str]]:
    """Files inside the given folders that ingest does not read, with their suffix."""
    kept = set(taken)
    return [(p, p.suffix.lower()) for folder in paths if folder.is_dir()
            for p in sorted(folder.rglob("*")) if p.is_file() and p not in kept]


@app.command()
def docs(
    doc: Annotated[str | None, typer.Argument(help="One document (id or part of the department name).")] = None,
    versions: Annotated[bool, typer.Option("--versions", help="List the document's kept versions.")] = False,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """List the documents in the store, or one document's versions (--versions)."""
    store = _store(data_dir)
    if versions:
        _print_versions(store, _resolve_kept(store, doc) if doc else None, as_json)
        return
    items = store.documents()
    if doc:
        doc_id = _resolve(store, doc)
        items = [d for d in items if d["doc_id"] == doc_id]
    if as_json:
        print(json.dumps([document_json(d) for d in items], ensure_ascii=False, indent=2))
        return
    view = RichTable("id", "department", "year", "kind", "scope", "unit", "pages", "tables", "cells", "facts", "files")
    for d in items:
        view.add_row(d["doc_id"], d["department"], str(d["year"] or "?"), d["kind"] or "?", d["scope"], d["unit"],
                     str(d["pages"]), str(d["tables"]), str(d["cells"]), str(d["facts"]),
                     ", ".join(f["file_name"] for f in d["files"]))
    console.print(view)


def _print_versions(store, doc_id: str | None, as_json: bool) -> None:
    ids = [doc_id] if doc_id else store.version_doc_ids()
    listed = [v for i in ids for v in store.document_versions(i)]
    if as_json:
        print(json.dumps(listed, ensure_ascii=False, indent=2))
        return
    view = RichTable("id", "version", "status", "time", "files", "pages", "tables", "cells", "facts", "warnings")
    for v in listed:
        view.add_row(v["doc_id"], str(v["version"]), v["status"], v["created_at"],
                     ", ".join(f"{f['file_name']} ({f['sha256'][:12]})" for f in v["files"]), str(v["pages"]),
                     str(v["tables"]), str(v["cells"]), str(v["facts"]), "；".join(v["warnings"]))
    console.print(view)


def _resolve_kept(store, doc: str) -> str:
    """A stored document, or the exact id of one with kept versions only (deleted)."""
    return doc if doc in store.version_doc_ids() and store.resolve(doc) is None else _resolve(store, doc)


def _resolve(store, doc: str) -> str:
    """The one document DOC names; else the candidates listed in both languages, exit 2."""
    from budgetqa import docref

    found = docref.candidates(store, doc)
    if len(found) != 1:
        _error(*docref.describe(found, doc))
        raise typer.Exit(2)
    return found[0]["doc_id"]


@app.command()
def tables(
    doc: Annotated[str, typer.Argument(metavar="DOC", help="Document id, part of the department name, or words of its label (2019, 某大学 2023).")],
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """List a document's tables."""
    store = _store(data_dir)
    found = store.tables(_resolve(store, doc))
    if as_json:
        print(json.dumps([table_json(t, with_cells=False) for t in found], ensure_ascii=False, indent=2))
        return
    view = RichTable("id", "label", "title", "kind", "unit", "pages", "sides", "values", "empty")
    for column in view.columns:
        column.overflow = "fold"
    for t in found:
        values = sum(1 for c in t.cells if c.state == "value")
        view.add_row(t.table_id, t.label or "", t.title, t.kind, t.unit, ",".join(map(str, t.pages)),
                     "|".join(s or "-" for s in t.sides), str(values), "yes" if t.empty_statement else "")
    console.print(view)


@app.command()
def table(
    doc: Annotated[str, typer.Argument(metavar="DOC", help="Document id, part of the department name, or words of its label.")],
    table_ref: Annotated[str, typer.Argument(metavar="TABLE", help="Table id (t03), its label as `tables` lists it (表3, 公开03表), a title or a kind.")],
    data_dir: DataDir = None,
    as_json: AsJson = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """Show one parsed table as it was laid out, to compare with the PDF."""
    from budgetqa.views import find_table

    store = _store(data_dir)
    found = find_table(store.tables(_resolve(store, doc)), table_ref)
    if found is None:
        _error(f"“{doc}”中没有“{table_ref}”这张表（用 budgetqa tables {doc} 查看）。",
               f"No table {table_ref!r} in {doc} (see `budgetqa tables {doc}`).")
        raise typer.Exit(2)
    if as_json:
        print(json.dumps(table_json(found), ensure_ascii=False, indent=2))
        return
    grid = table_grid(found)
    if found.performance is not None and not as_csv:
        _print_performance(found)
        return
    if as_csv:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(grid)
        sys.stdout.write(buffer.getvalue())
        return
    view, width = wrapped_table(found, grid)
    console.print(view, width=max(console.width, width), crop=False)
    if found.empty_statement:
        console.print(found.empty_statement)


def _print_performance(table) -> None:
    """A performance-target table as its form: project, people, amounts, goals, then the indicators."""
    form = table.performance
    console.print(f"[bold]{table.title}[/bold]（第{','.join(map(str, form.pages))}页）", soft_wrap=True)
    for name, value in [("项目名称", form.project), *form.fields.items()]:
        console.print(f"{name}：{value}", soft_wrap=True)
    for label, amount in form.amounts.items():
        console.print(f"{label}：{amount} {form.unit}", soft_wrap=True)
    for head, text in form.goals:
        console.print(f"{head}：{text}", soft_wrap=True)
    view = RichTable("一级指标", "二级指标", "三级指标", "指标值", "分值", "页")
    for i in form.indicators:
        view.add_row(i.level1, i.level2, i.name, i.target, i.weight, str(i.page))
    console.print(view)


HEADER_CELLS = 12
"""Terminal cells a header may take per line before it wraps (six Chinese characters)."""


def wrapped_table(found, grid: list[list[str]]) -> tuple[RichTable, int]:
    """The grid as a rich table with every header in full, wrapped to HEADER_CELLS a line, and
    the width it needs (cells never wrap; code columns that hold no code are left out)."""
    from rich.cells import cell_len

    body = grid[1:]
    shown = [i for i, h in enumerate(grid[0]) if not (h.endswith("编码") and not any(r[i] for r in body))]
    view = RichTable(title=f"{found.title}（单位：{found.unit}，第{','.join(map(str, found.pages))}页）",
                     header_style="bold")
    width = 1
    for i in shown:
        cells = max((cell_len(r[i]) for r in body), default=0)
        size = max(cells, min(cell_len(grid[0][i]), HEADER_CELLS), 4)
        numeric = any(r[i] for r in body) and all(not r[i] or r[i][-1].isdigit() for r in body)
        view.add_column(grid[0][i], overflow="fold", min_width=size, justify="right" if numeric else "left")
        width += size + 3
    for row in body:
        view.add_row(*(row[i] for i in shown))
    return view, width


def _print_answer(answer) -> None:
    colour = {"answered": "green", "refused": "yellow", "clarify": "cyan"}[answer.status]
    console.print(f"[bold {colour}]{answer.answer}[/bold {colour}]")
    if answer.options:
        for option in answer.options:
            console.print(f"  • {option}")
    if answer.formula:
        console.print(f"[bold]计算[/bold] {answer.formula}")
    for cite in answer.citations:
        page = f"{cite.source_file} 第{cite.page}页" if cite.source_file else f"第{cite.page}页"
        if cite.table:
            where = f"{cite.table}｜{cite.row}｜{cite.column}｜{page}｜原文 {cite.raw}"
        else:
            where = f"{page}：{cite.sentence}"
        console.print(f"[dim]出处[/dim] {cite.document}｜{where}")
    for note in answer.notes:
        console.print(f"[dim]说明[/dim] {note}")


@app.command()
def restore(
    doc: Annotated[str, typer.Argument(help="Document id or department (or the id of a deleted document).")],
    version: Annotated[int, typer.Argument(help="The version to make current (see `docs DOC --versions`).")],
    data_dir: DataDir = None,
) -> None:
    """Make a kept version of a document the one answered from again."""
    from budgetqa.ingest.pipeline import restore_version

    store = _store(data_dir)
    doc_id = _resolve_kept(store, doc)
    try:
        result = restore_version(store, doc_id, version, _settings(data_dir))
    except IngestError as exc:
        err.print(f"[red]error[/red] {exc.message}", soft_wrap=True)
        raise typer.Exit(1) from exc
    if result is None:
        err.print(f"[red]error[/red] {doc_id} has no version {version} (see `budgetqa docs {doc_id} --versions`)")
        raise typer.Exit(2)
    console.print(f"{doc_id} version {version} is current: {result.department} {result.year or '?'} "
                  f"{result.kind or '?'} {result.scope}, {result.tables} tables, {result.cells} cells", soft_wrap=True)


@app.command()
def backup(
    target: Annotated[Path, typer.Argument(help="A new or empty folder for the copy.")],
    data_dir: DataDir = None,
) -> None:
    """Copy the store (SQLite online backup, or pg_dump with BUDGETQA_DATABASE_URL; safe while
    serving) and its vector index to TARGET.

    To restore, use TARGET as the data dir (--data-dir / BUDGETQA_DATA_DIR) or copy its files there;
    on PostgreSQL first load TARGET/budgetqa.pgdump into an empty database with pg_restore."""
    from budgetqa.index.backup import backup as backup_store

    try:
        written = backup_store(_store(data_dir), target)
    except FileExistsError as exc:
        err.print(f"[red]error[/red] {exc}")
        raise typer.Exit(2) from exc
    except (OSError, subprocess.CalledProcessError) as exc:  # pg_dump missing or failed
        err.print(f"[red]error[/red] backup failed: {getattr(exc, 'stderr', None) or exc}")
        raise typer.Exit(1) from exc
    console.print("backed up: " + ", ".join(str(p) for p in written), soft_wrap=True)


index_app = typer.Typer(help="The vector index of narrative passages.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(index_app, name="index")


@index_app.command("rebuild")
def index_rebuild(
    data_dir: DataDir = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Processes that embed at once.")] = 1,
    force: Annotated[bool, typer.Option("--force", help="Drop the model's vectors and embed everything again.")] = False,
) -> None:
    """Embed the passages the vector index lacks (after switching the model, or ingesting with
    BUDGETQA_EMBEDDING_MODEL=none); each distinct passage text is embedded once."""
    from budgetqa.index.rebuild import rebuild_index
    from budgetqa.index.vectors import dense_enabled

    settings = _settings(data_dir)
    if not dense_enabled(settings):
        err.print("BUDGETQA_EMBEDDING_MODEL=none: only the keyword index is kept, nothing to embed / "
                  "未启用向量索引，无需重建", soft_wrap=True)
        return
    store = _store(data_dir)
    with Progress(SpinnerColumn(), MofNCompleteColumn(), TextColumn("documents"), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("", total=None)
        report = rebuild_index(store, settings, jobs=jobs, force=force,
                               progress=lambda done, total: progress.update(task, completed=done, total=total))
    console.print(f"{len(report.documents)} documents: {report.skipped} already embedded, "
                  f"{len(report.documents) - report.skipped} indexed ({report.written} passages: "
                  f"{report.embedded} embedded, {report.reused} reused by text hash); "
                  f"{report.removed} removed; {report.seconds:.1f} s, {report.rate:.1f} passages/s", soft_wrap=True)


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="A question in Chinese.")] = None,
    doc: Annotated[str | None, typer.Option("--doc", help="Answer from this document only.")] = None,
    batch: Annotated[Path | None, typer.Option("--batch", help="JSONL file of {id, question[, doc]} lines; one JSON answer per line.")] = None,
    data_dir: DataDir = None,
    as_json: AsJson = False,
    show_binding: Annotated[bool, typer.Option("--explain", help="Print, as JSON, the plan, each binding with "
                                               "its provenance, and the grounding check's verdict.")] = False,
) -> None:
    """Answer a question with the number, the formula and the cited cells."""
    from budgetqa.answer import ask as ask_store

    store = _store(data_dir)
    if doc is not None and batch is None:
        _resolve(store, doc)
    if batch is not None:
        for line in batch.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            answer = ask_store(store, item["question"], doc=item.get("doc", doc))
            print(json.dumps({"id": item.get("id"), **answer.model_dump()}, ensure_ascii=False))
        return
    if not question:
        _error("请给出问题，或用 --batch 指定问题文件。", "give a QUESTION or --batch FILE")
        raise typer.Exit(2)
    answer = _answer_one(store, question, doc, _settings(data_dir))
    if show_binding:
        from budgetqa.answer.explain import explain

        print(json.dumps(explain(store, question, doc=doc, answer=answer), ensure_ascii=False, indent=2))
        return
    if as_json:
        print(answer.model_dump_json(indent=2))
    else:
        _print_answer(answer)


def _answer_one(store, question: str, doc: str | None, settings: Settings):
    """One question: the rule engine, and the configured LLM's plan for what the rules cannot plan."""
    from budgetqa.answer import ask as ask_store
    from budgetqa.chat.llm import configured_llm

    llm = configured_llm(settings)
    if llm is None:
        return ask_store(store, question, doc=doc)
    from budgetqa.chat import LLMOptions, converse

    return converse(store, question, doc=doc, llm=llm, options=LLMOptions.from_settings(settings))


@app.command()
def chat(
    doc: Annotated[str | None, typer.Option("--doc", help="Start with this document.")] = None,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Ask in turns: follow-ups ("比上年呢", "那基本支出呢") and clarify replies use the conversation.

    With BUDGETQA_LLM_BASE_URL and BUDGETQA_LLM_MODEL set, an LLM plans the questions the rules
    cannot (a typed plan the engine answers; BUDGETQA_LLM_MODE=agent: tool calling, checked). Empty line, "exit" or Ctrl-D ends.
    """
    from budgetqa.chat import LLMOptions, SessionStore, converse
    from budgetqa.chat.llm import configured_llm

    settings = _settings(data_dir)
    store = _store(data_dir)
    sessions = SessionStore(settings.session_ttl_seconds, 1, settings.session_max_turns)
    llm = configured_llm(settings)
    pinned = _resolve(store, doc) if doc else None
    err.print("budgetqa chat — 输入问题，空行或 exit 结束" + ("（已接入语言模型）" if llm else ""))
    while True:
        try:
            question = input("问> ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if not question or question.lower() in {"exit", "quit", "q"}:
            break
        answer = converse(store, question, sessions=sessions, session_id="cli", doc=pinned, llm=llm,
                          options=LLMOptions.from_settings(settings))
        pinned = None  # only the first turn is forced; later turns inherit from the conversation
        if as_json:
            print(answer.model_dump_json())
        else:
            _print_answer(answer)


@app.command()
def audit(
    doc: Annotated[str, typer.Argument(metavar="DOC", help="Document id or department, or a disclosure file to read without storing.")],
    data_dir: DataDir = None,
    as_json: AsJson = False,
    html: Annotated[Path | None, typer.Option("--html", help="Also write a self-contained HTML report (Chinese).")] = None,
) -> None:
    """Check every identity of a disclosure and reconcile every narrative figure with the tables."""
    from budgetqa.audit import audit_document, render_html
    from budgetqa.audit.report import SEVERITY_NAMES

    path = Path(doc)
    if path.is_file():
        from budgetqa.ingest.pipeline import read_document

        try:
            document = read_document(path, _settings(data_dir))
        except IngestError as exc:
            _ingest_error(exc)
            raise typer.Exit(1) from exc
    else:
        store = _store(data_dir)
        document = store.load(_resolve(store, doc))
    report = audit_document(document)
    if html is not None:
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(render_html(report), encoding="utf-8")
    if as_json:
        print(report.model_dump_json(indent=2))
        return
    colour = {"error": "red", "warning": "yellow", "rounding": "cyan", "info": "dim", "note": "magenta"}
    console.print(f"[bold]{report.document}[/bold]：核对 {report.checked} 处，相符 {report.passed} 处；" + "，".join(
        f"[{colour[s]}]{SEVERITY_NAMES[s]} {n}[/{colour[s]}]" for s, n in report.summary.items()), soft_wrap=True)
    for finding in report.findings:
        pages = "、".join(map(str, finding.pages))
        console.print(f"[{colour[finding.severity]}]{SEVERITY_NAMES[finding.severity]}[/{colour[finding.severity]}] "
                      f"[dim]{finding.check}[/dim] {finding.title}" + (f"（第{pages}页）" if pages else ""), soft_wrap=True)
        if finding.formula:
            console.print(f"    [bold]计算[/bold] {finding.formula}", soft_wrap=True)
        for ref in finding.refs[:2]:
            where = "　".join(x for x in (f"第{ref.page}页" if ref.page else "", ref.table or "") if x)
            console.print(f"    [bold]原文[/bold] {where}“{ref.sentence or ref.raw or ''}”", soft_wrap=True)
        console.print(f"    [dim]{finding.explanation}[/dim]", soft_wrap=True)
    if report.unverified:
        console.print(f"[dim]说明中另有 {len(report.unverified)} 个数字在表格中没有对应的数，未能核对（--json 或 --html 中列出）。[/dim]")
    if html is not None:
        console.print(f"[dim]HTML 报告：{html}[/dim]")


def _is_retrieval_set(path: Path) -> bool:
    first = next((line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()), "{}")
    return "gold_phrase" in json.loads(first)


@app.command("eval")
def eval_sets(
    sets: Annotated[list[Path], typer.Argument(help="Question sets (JSONL).")],
    report: Annotated[Path, typer.Option("--report", help="Where to write the JSON report.")] = Path(
        "reports/eval.json"),
    min_accuracy: Annotated[float, typer.Option(help="Exit non-zero below this accuracy (%).")] = 0.0,
    fail_on_wrong: Annotated[bool, typer.Option(help="Exit non-zero on any wrong number.")] = False,
    min_hit1: Annotated[float, typer.Option(help="Retrieval sets: exit non-zero below this hybrid hit@1 (%).")] = 0.0,
    min_hit5: Annotated[float, typer.Option(help="Retrieval sets: exit non-zero below this hybrid hit@5 (%).")] = 0.0,
    llm: Annotated[bool, typer.Option("--llm", help="Also answer with the configured LLM planning what the "
                                      "rules cannot; report valid plans, accepted and correct answers.")] = False,
) -> None:
    """Score question sets: accuracy per category, wrong numbers vs refusals, latency; retrieval hit@k."""
    from budgetqa.eval.documents import is_documents_set

    retrieval = [s for s in sets if _is_retrieval_set(s)]
    documents = [s for s in sets if s not in retrieval and is_documents_set(s)]
    numeric = [s for s in sets if s not in retrieval and s not in documents]
    failed = False
    if llm:
        failed |= _eval_planning(numeric, report.with_name(report.stem + "-llm.json"), min_accuracy, fail_on_wrong)
        numeric = []
    if documents:
        failed |= _eval_documents(documents, report.with_name(report.stem + "-documents.json"), min_accuracy)
    if numeric:
        failed |= _eval_numeric(numeric, report, min_accuracy, fail_on_wrong)
    if retrieval:
        failed |= _eval_retrieval(retrieval, report.with_name(report.stem + "-retrieval.json"), min_hit1, min_hit5)
    if failed:
        raise typer.Exit(1)


def _eval_planning(sets: list[Path], report: Path, min_accuracy: float, fail_on_wrong: bool) -> bool:
    from budgetqa.chat.llm import configured_llm
    from budgetqa.eval.planning import run_planning

    settings = Settings()
    model = configured_llm(settings)
    if model is None:
        _error("--llm 需要配置语言模型（BUDGETQA_LLM_BASE_URL、BUDGETQA_LLM_MODEL）。",
               "--llm needs BUDGETQA_LLM_BASE_URL and BUDGETQA_LLM_MODEL")
        raise typer.Exit(2)
    result = run_planning(sets, model, settings)
    _write_report(report, result)
    view = RichTable("answered by", "correct", "accuracy %", "wrong numbers")
    for name in ("rules", "with_model"):
        row = result[name]
        view.add_row(name.replace("_", " "), f"{row['correct']}/{result['questions']}", f"{row['accuracy']:.2f}",
                     str(row["wrong_numbers"]))
    console.print(view)
    asked = result["model"]
    console.print(f"model asked {asked['asked']}: valid plans {asked['valid_plans']}, accepted {asked['accepted']}, "
                  f"correct {asked['correct']}; p50 {asked['latency_ms_p50']} ms  (report: {report})")
    return result["with_model"]["accuracy"] < min_accuracy or (fail_on_wrong and result["with_model"]["wrong_numbers"] > 0)


def _write_report(report: Path, result: dict) -> None:
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


def _eval_numeric(sets: list[Path], report: Path, min_accuracy: float, fail_on_wrong: bool) -> bool:
    from budgetqa.eval.runner import run_sets

    result = run_sets(sets)
    if not result["questions"]:
        console.print("no question could be scored: the documents the sets refer to are absent (../shared?)")
        return False
    _write_report(report, result)
    view = RichTable("category", "questions", "correct", "accuracy %")
    for name, row in result["categories"].items():
        view.add_row(name, str(row["questions"]), str(row["correct"]), f"{row['accuracy']:.2f}")
    view.add_row("[bold]all[/bold]", str(result["questions"]), str(result["correct"]), f"{result['accuracy']:.2f}")
    console.print(view)
    console.print(f"wrong numbers: {result['wrong_numbers']}  refusals: {result['refusals']}  "
                  f"latency p50 {result['latency_ms']['p50']} ms, p95 {result['latency_ms']['p95']} ms  "
                  f"report: {report}", soft_wrap=True)
    return result["accuracy"] < min_accuracy or (fail_on_wrong and result["wrong_numbers"] > 0)


def _eval_documents(sets: list[Path], report: Path, min_accuracy: float) -> bool:
    from budgetqa.eval.documents import run_documents

    result = run_documents(sets)
    if not result["files"]:
        console.print("no document could be checked: the files are absent (../shared?)")
        return False
    _write_report(report, result)
    console.print(f"documents: {result['files']} files, {result['correct']}/{result['checks']} metadata checks right "
                  f"({result['accuracy']:.2f}%)  report: {report}", soft_wrap=True)
    for failure in result["failures"]:
        console.print(f"  [red]✗[/red] {failure['file']} {failure['field']}: expected {failure['expected']!r}, "
                      f"got {failure['got']!r}", soft_wrap=True)
    return result["accuracy"] < min_accuracy


def _eval_retrieval(sets: list[Path], report: Path, min_hit1: float, min_hit5: float) -> bool:
    from budgetqa.eval.retrieval import run_retrieval

    result = run_retrieval(sets)
    if not result.get("questions"):
        console.print("no retrieval question could be scored: the documents are absent (../shared?)")
        return False
    _write_report(report, result)
    view = RichTable("mode", "hit@1 %", "hit@5 %", "MRR", "page@1 %", "p50 ms")
    for mode, row in result["modes"].items():
        view.add_row(mode, f"{row['hit@1']:.2f}", f"{row['hit@5']:.2f}", f"{row['mrr']:.3f}",
                     f"{row['page@1']:.2f}", f"{row['p50_ms']:.1f}")
    console.print(view)
    answers = result.get("answers", {})
    if answers:
        console.print(f"text answers: right sentence quoted {answers.get('quoted')}%, off-topic refused "
                      f"{answers.get('refused_offtopic')}% (misses listed in the report)")
    console.print(f"report: {report}")
    hybrid = result["modes"]["hybrid"]
    return hybrid["hit@1"] < min_hit1 or hybrid["hit@5"] < min_hit5


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    data_dir: DataDir = None,
) -> None:
    """Run the HTTP service: the API under /api/v1, docs at /docs, the Q&A page at /."""
    import uvicorn

    from budgetqa.service.app import create_app

    settings = _settings(data_dir)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    console.print(f"budgetqa serving {settings.data_dir} at [bold]http://{shown}:{port}/[/bold]  "
                  f"(API docs: http://{shown}:{port}/docs)", soft_wrap=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
