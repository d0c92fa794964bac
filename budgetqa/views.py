"""JSON and grid views of stored documents and tables: one schema for CLI and API."""

from __future__ import annotations

from budgetqa.ingest.codes import display
from budgetqa.models import Cell, Performance, Table, label_of


def document_label(item: dict) -> str:
    """A document listing entry's name for a person (as ``Document.label``)."""
    return label_of(item["department"], item["year"], item["kind"], item["scope"])


def document_json(item: dict) -> dict:
    """A document listing entry (from Store.documents()) as JSON, with its ``label``."""
    keys = ("doc_id", "department", "region", "level", "year", "kind", "scope", "unit", "title", "pages",
            "tables", "cells", "facts", "chunks", "files", "profile", "aliases", "metadata_warnings")
    return {**{k: item.get(k) for k in keys}, "label": document_label(item)}


def cell_json(cell: Cell) -> dict:
    return {
        "side": cell.side,
        "row_index": cell.row_index,
        "row_code": cell.row_code,
        "row_name": cell.row_name,
        "row_subject": cell.row_subject,
        "parent_code": cell.parent_code,
        "level": cell.level,
        "col_index": cell.col_index,
        "col_path": list(cell.col_path),
        "state": cell.state,
        "value": None if cell.value is None else str(cell.value),
        "value_wan": None if cell.value_wan is None else str(cell.value_wan),
        "unit": cell.unit,
        "page": cell.page,
        "raw": cell.raw,
        "ambiguous": cell.ambiguous,
    }


def table_json(table: Table, with_cells: bool = True) -> dict:
    data = {
        "table_id": table.table_id,
        "label": table.label,
        "title": table.title,
        "kind": table.kind,
        "unit": table.unit,
        "pages": table.pages,
        "sides": table.sides,
        "columns": {side: [list(p) for p in paths] for side, paths in table.columns.items()},
        "empty_statement": table.empty_statement,
        "source_file": table.source_file,
    }
    if table.performance is not None:
        data["performance"] = performance_json(table.performance)
    if with_cells:
        data["cells"] = [cell_json(c) for c in table.cells]
    return data


def performance_json(form: Performance) -> dict:
    """A performance-target form: project, fields, amounts (as printed decimals), goals, indicators."""
    return {
        "project": form.project,
        "fields": form.fields,
        "unit": form.unit,
        "amounts": {label: str(amount) for label, amount in form.amounts.items()},
        "goals": [{"heading": head, "text": text} for head, text in form.goals],
        "indicators": [
            {"level1": i.level1, "level2": i.level2, "name": i.name, "target": i.target, "weight": i.weight,
             "page": i.page}
            for i in form.indicators
        ],
        "pages": form.pages,
    }


def find_table(tables: list[Table], ref: str) -> Table | None:
    """A table by id ("t03"), printed label ("表3", "公开03表"), title or kind."""
    compact = ref.replace(" ", "")
    for match in (
        lambda t: t.table_id == compact,
        lambda t: (t.label or "").replace(" ", "") == compact,
        lambda t: t.title == compact,
        lambda t: t.kind == compact,
        lambda t: compact in t.title,
    ):
        found = [t for t in tables if match(t)]
        if found:
            return found[0]
    return None


def table_grid(table: Table) -> list[list[str]]:
    """The table as rows of strings, sides side by side, the way it was printed."""
    header: list[str] = []
    columns_by_side: list[list[list[str]]] = []
    for side in table.sides:
        paths = table.columns.get(side, [])
        prefix = f"{side}:" if side else ""
        header += [f"{prefix}编码", f"{prefix}名称", *["/".join(p) for p in paths]]
        rows: dict[int, list[str]] = {}
        for cell in table.cells:
            if cell.side != side:
                continue
            row = rows.setdefault(cell.row_index, [display(cell.row_code), _label(cell)] + [""] * len(paths))
            row[2 + cell.col_index] = cell.raw
        columns_by_side.append([rows[i] for i in sorted(rows)])
    height = max((len(rows) for rows in columns_by_side), default=0)
    grid = [header]
    for i in range(height):
        line: list[str] = []
        for side, rows in zip(table.sides, columns_by_side, strict=True):
            width = 2 + len(table.columns.get(side, []))
            line += rows[i] if i < len(rows) else [""] * width
        grid.append(line)
    return grid


def _label(cell: Cell) -> str:
    return f"{cell.row_subject} / {cell.row_name}" if cell.row_subject else cell.row_name
