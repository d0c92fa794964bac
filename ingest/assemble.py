"""Turn parsed rows (code, name, printed values per column) into a Table of Cells.

Both readers (PDF and text dump) end here, so every table in the store is built
the same way whatever the file it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetqa.ingest.codes import level_of, parent_of
from budgetqa.models import Cell, Table
from budgetqa.numbers import parse_cell


@dataclass(slots=True)
class RawRow:
    """One table row as read: its label, and the printed text of each value column."""

    code: str | None
    name: str
    values: list[str | None]
    page: int
    subject: str | None = None
    ambiguous: list[bool] = field(default_factory=list)
    """Per column: True where the reader could not tell which column the value is in."""


@dataclass(slots=True)
class RawSide:
    """One side of a table: its value-column header paths and its rows."""

    side: str
    columns: list[tuple[str, ...]]
    rows: list[RawRow] = field(default_factory=list)


def build_cells(sides: list[RawSide], unit: str) -> list[Cell]:
    """Cells for every row and value column of every side, blanks included."""
    cells: list[Cell] = []
    for raw_side in sides:
        for row_index, row in enumerate(raw_side.rows):
            parent = parent_of(row.code)
            level = level_of(row.code)
            for col_index, col_path in enumerate(raw_side.columns):
                raw = row.values[col_index] if col_index < len(row.values) else None
                state, value = parse_cell(raw)
                ambiguous = bool(row.ambiguous and col_index < len(row.ambiguous) and row.ambiguous[col_index])
                cells.append(
                    Cell(
                        side=raw_side.side,
                        row_index=row_index,
                        row_code=row.code,
                        row_name=row.name,
                        parent_code=parent,
                        level=level,
                        col_index=col_index,
                        col_path=col_path,
                        state=state,
                        value=value,
                        unit=unit,
                        page=row.page,
                        raw=(raw or "").strip(),
                        ambiguous=ambiguous,
                        row_subject=row.subject,
                    )
                )
    return cells


def build_table(
    *,
    table_id: str,
    title: str,
    kind: str,
    label: str | None,
    unit: str,
    pages: list[int],
    sides: list[RawSide],
    empty_statement: str | None = None,
    source_file: str = "",
) -> Table:
    """A Table from its parsed sides."""
    return Table(
        table_id=table_id,
        title=title,
        kind=kind,
        label=label,
        unit=unit,
        pages=sorted(set(pages)),
        empty_statement=empty_statement,
        sides=[s.side for s in sides],
        columns={s.side: list(s.columns) for s in sides},
        cells=build_cells(sides, unit),
        source_file=source_file,
    )
