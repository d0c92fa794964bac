"""How a table's columns nest: header trees (a 合计/小计 header sums its siblings), and cell figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from budgetqa.audit.intervals import ZERO, Quantity, exact, last_unit, printed, total
from budgetqa.audit.names import ends_with, normalise, vocab
from budgetqa.audit.report import Ref
from budgetqa.audit.rows import Row
from budgetqa.models import Cell, Table
from budgetqa.numbers import UNIT_TO_WAN


@dataclass(slots=True)
class ColNode:
    """A header: a value column (``index``) or a caption over several."""

    label: str
    key: str
    index: int | None = None
    children: list[ColNode] = field(default_factory=list)

    @property
    def is_total(self) -> bool:
        columns = vocab()["columns"]
        return self.key in columns["total_names"] or ends_with(self.key, columns["total_suffixes"])

    @property
    def is_part_of_previous(self) -> bool:
        return self.label.replace(" ", "").startswith("其中")

    def walk(self, trail: tuple[str, ...] = ()):
        """Every node under this one with the keys of the path to it."""
        for child in self.children:
            path = (*trail, child.key)
            yield child, path
            yield from child.walk(path)

    def total_child(self) -> ColNode | None:
        return next((c for c in self.children if c.is_total and not c.children and c.index is not None), None)


def measures(paths: list[tuple[str, ...]]) -> list[str | None]:
    """The measure of each column (预算数/决算数 …) when the last header level repeats across groups."""
    known = set(vocab()["columns"]["measures"])
    leaves = [normalise(p[-1]) if p else "" for p in paths]
    if len(paths) >= 2 and all(len(p) >= 2 for p in paths) and all(leaf in known for leaf in leaves) \
            and len(set(leaves)) >= 2:
        return list(leaves)
    return [None] * len(paths)


def column_trees(paths: list[tuple[str, ...]]) -> dict[str | None, ColNode]:
    """One header tree per measure (or a single tree keyed None)."""
    per_column = measures(paths)
    trees: dict[str | None, ColNode] = {}
    for index, (path, measure) in enumerate(zip(paths, per_column, strict=True)):
        labels = path[:-1] if measure is not None else path
        node = trees.setdefault(measure, ColNode("", ""))
        for label in labels:
            key = normalise(label)
            child = node.children[-1] if node.children and node.children[-1].label == label else None
            if child is None:
                child = ColNode(label, key)
                node.children.append(child)
            node = child
        if node.index is None:
            node.index = index
    return trees


def column_groups(root: ColNode) -> list[tuple[ColNode, ColNode, list[ColNode]]]:
    """(caption, total column, parts) for every caption whose total is the sum of its other columns."""
    found = []
    for node in [root, *(n for n, _ in root.walk())]:
        if not node.children:
            continue
        total_node = node if node.index is not None else node.total_child()
        parts = [c for c in node.children if c is not total_node and not c.is_part_of_previous]
        if any(c.is_total and c.children for c in parts):
            continue  # a caption named like a total over sub-columns: the header was not read cleanly
        if total_node is not None and parts:
            found.append((node, total_node, parts))
    return found


def cell_ref(table: Table, cell: Cell) -> Ref:
    return Ref(table_id=table.table_id, table=table.title, side=cell.side or None, row_index=cell.row_index,
               row=cell.row_name, row_code=cell.row_code, col_index=cell.col_index, column=cell.column or None,
               page=cell.page, raw=cell.raw)


def cell_quantity(table: Table, cell: Cell | None, label: str) -> Quantity | None:
    """A cell as a figure with its rounding interval (blank and dash are an exact zero; text is None)."""
    if cell is None or cell.state == "text":
        return None
    ref = cell_ref(table, cell)
    scale = UNIT_TO_WAN.get(cell.unit, Decimal(1))
    if cell.value is None:
        return Quantity(ZERO, exact(ZERO), label, [ref], unit=Decimal("0.01"), ambiguous=cell.ambiguous)
    return Quantity(cell.value * scale, printed(cell.value, scale), label, [ref],
                    unit=last_unit(cell.value) * scale, ambiguous=cell.ambiguous)


def node_value(node: ColNode, row: Row, label: str) -> Quantity | None:
    """A header's figure in a row: its own column, its total column, or the sum of its columns."""
    table = row.table
    if node.index is not None:
        cell = row.cells.get(node.index)
        if cell is None:
            return None
        return cell_quantity(table, cell, label)
    total_node = node.total_child()
    if total_node is not None:
        return node_value(total_node, row, label)
    parts = [node_value(c, row, label) for c in node.children if not c.is_part_of_previous]
    if not parts or any(p is None for p in parts):
        return None
    return total([p for p in parts if p is not None], label)
