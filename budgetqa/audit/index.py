"""A document's tables as the audit sees them: sides, rows, header trees, figures found by name or rule."""

from __future__ import annotations

from dataclasses import dataclass

from budgetqa.audit.columns import ColNode, column_trees, node_value
from budgetqa.audit.intervals import ZERO, Quantity, exact, total
from budgetqa.audit.names import normalise, vocab
from budgetqa.audit.report import Ref
from budgetqa.audit.rows import Row, read_rows
from budgetqa.models import Document, Table

SKIPPED_KINDS = {"绩效目标表", "其他"}


def table_name(table: Table) -> str:
    return f"{table.label} {table.title}" if table.label else table.title


def is_empty(table: Table) -> bool:
    """No figure printed anywhere in the table (blank, dash or zero only)."""
    return not any(c.state == "value" and c.value for c in table.cells)


@dataclass(slots=True)
class Side:
    """One side of a table (收入 / 支出 / 左 / 右, or the whole of a one-sided table)."""

    table: Table
    name: str
    rows: list[Row]
    trees: dict[str | None, ColNode]
    own: str | None

    def tree(self, measure: str | None = None) -> ColNode:
        for key in (measure, self.own, None):
            if key in self.trees:
                return self.trees[key]
        return next(iter(self.trees.values()))

    def ordered_trees(self, measure: str | None = None) -> list[ColNode]:
        first = self.tree(measure)
        return [first, *(t for t in self.trees.values() if t is not first)]

    def first_column(self, measure: str | None = None) -> ColNode | None:
        """The first money column (one that holds a figure somewhere, when any does): a count or area
        column (数量, 面积) is passed over when the side has another."""
        columns = [n for n, _ in self.tree(measure).walk() if n.index is not None]
        words = vocab()["columns"]["count_words"]
        columns = [n for n in columns if not any(w in n.label for w in words)] or columns
        filled = {i for r in self.rows for i, c in r.cells.items() if c.state == "value"}
        return next((n for n in columns if n.index in filled), columns[0] if columns else None)

    def grand_total(self) -> Row | None:
        totals = [r for r in self.rows if r.style == "total"]
        named = [r for r in totals if r.key.endswith("总计")]
        if named:
            return named[-1]
        if totals:
            return totals[-1]
        return self.rows[0] if len(self.rows) == 1 else None

    def find_row(self, names: list[str]) -> Row | None:
        for name in names:
            if name == "@total":
                row = self.grand_total()
            elif name.isdigit():
                row = next((r for r in self.rows if r.code == name and not r.subject), None)
            else:
                key = normalise(name)
                row = next((r for r in self.rows if r.key == key), None) or next(
                    (r for r in self.rows if r.style == "total" and _strip_total(r.key) == key), None)
            if row is not None:
                return row
        return None

    def find_column(self, words: list[str] | None, measure: str | None = None) -> ColNode | None:
        if not words or words == ["@first"]:
            return self.first_column(measure)
        keys = [normalise(w) for w in words]
        for match in (lambda k, p: k == p, lambda k, p: k in p):
            for tree in self.ordered_trees(measure):
                found = [(len(path), order, node) for order, (node, path) in enumerate(tree.walk())
                         if all(any(match(k, p) for p in path) for k in keys)]
                if found:
                    return min(found, key=lambda f: (f[0], f[1]))[2]
        return None

    def label(self, row: Row, node: ColNode | None) -> str:
        column = f"（{node.label}）" if node is not None and node.label else ""
        side = f"{self.name}栏" if self.name else ""
        return f"{table_name(self.table)}：{side}{row.label}{column}"

    def value(self, row: Row, node: ColNode | None) -> Quantity | None:
        if node is None:
            return None
        return node_value(node, row, self.label(row, node))


def _strip_total(key: str) -> str:
    for suffix in ("合计", "总计", "小计"):
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


class DocIndex:
    """Sides of every numeric table, and look-ups by rule or by name."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.own = vocab()["columns"]["own_measure"].get(doc.kind or "")
        self.sides: list[Side] = []
        for table in doc.tables:
            if table.kind in SKIPPED_KINDS:
                continue
            for side in table.sides or [""]:
                rows = read_rows(table, side, doc.department)
                paths = table.columns.get(side, [])
                if not rows or not paths:
                    continue
                trees = column_trees(paths)
                own = self.own if self.own in trees else None
                self.sides.append(Side(table, side, rows, trees, own))
        self.class_codes: dict[str, str] = {}
        for side in self.sides:
            for row in side.rows:
                if row.code and len(row.code) == 3 and row.code.startswith("2") and row.key:
                    self.class_codes.setdefault(row.key, row.code)
        self.class_names = set(self.class_codes) | {normalise(n) for n in vocab()["classes"]["names"]}

    # --- tables and sides ----------------------------------------------------------------
    def tables(self, kinds: list[str], title: str | None = None, title_not: str | None = None) -> list[Table]:
        found = [t for t in self.doc.tables if t.kind in kinds]
        if title:
            found = [t for t in found if title in normalise(t.title)]
        if title_not:
            found = [t for t in found if title_not not in normalise(t.title)]
        return found

    def sides_of(self, table: Table, word: str | None = None) -> list[Side]:
        return [s for s in self.sides if s.table is table and (word is None or word in s.name)]

    # --- rules ------------------------------------------------------------------------------
    def resolve(self, spec: dict) -> Quantity | None:
        """The single figure a rule's spec names (first table and side where it is printed)."""
        fallback: Quantity | None = None
        for table in self.tables(spec["tables"], spec.get("title"), spec.get("title_not")):
            if is_empty(table) and spec.get("empty_is_zero"):
                ref = Ref(table_id=table.table_id, table=table.title, page=table.pages[0] if table.pages else None,
                          raw=table.empty_statement or "（空表）")
                return Quantity(ZERO, exact(ZERO), f"{table_name(table)}（空表）", [ref])
            sides = self.sides_of(table, spec.get("side"))
            rows = spec.get("row", ["@total"])
            if spec.get("side") is None and len(sides) > 1 and rows == ["@total"] and not _two_sided(sides):
                parts = [self._value(s, spec, rows) for s in sides]
                if parts and all(p is not None for p in parts):
                    return total([p for p in parts if p is not None], f"{table_name(table)}：各栏合计之和")
                continue
            for side in sides:
                found = self._value(side, spec, rows)
                if found is None:
                    continue
                if found.value or not _blank(found):
                    return found
                fallback = fallback or found
        return fallback

    def _lacks(self, side: Side, measure: str | None) -> bool:
        """True when a figure of another measure than the document's own (预算数 in a 决算) is not in this side."""
        return measure is not None and measure != self.own and measure not in side.trees

    def _value(self, side: Side, spec: dict, rows: list[str]) -> Quantity | None:
        if self._lacks(side, spec.get("measure")):
            return None
        row = side.find_row(rows)
        if row is None:
            return None
        return side.value(row, side.find_column(spec.get("column"), spec.get("measure")))

    def entries(self, spec: dict, by: str) -> dict[str, Quantity]:
        """Figures by classification code (or 类 name) for a row-by-row rule: the side with most of them."""
        best: dict[str, Quantity] = {}
        for table in self.tables(spec["tables"], spec.get("title"), spec.get("title_not")):
            for side in self.sides_of(table, spec.get("side")):
                node = side.find_column(spec.get("column"))
                if node is None:
                    continue
                found = self._side_entries(side, node, by)
                if len(found) > len(best):
                    best = found
        return best

    def _side_entries(self, side: Side, node: ColNode, by: str) -> dict[str, Quantity]:
        grouped: dict[str, list[Row]] = {}
        for row in side.rows:
            key = None
            if row.code and (by == "code" or (len(row.code) == 3 and row.code.startswith("2"))):
                key = row.code
            elif by == "class" and not row.code and row.key in self.class_names and row.style != "total":
                key = self.class_codes.get(row.key, row.key)
            if key is not None:
                grouped.setdefault(key, []).append(row)
        found: dict[str, Quantity] = {}
        for key, rows in grouped.items():
            plain = [r for r in rows if not r.subject] or rows
            values = [side.value(r, node) for r in plain]
            if any(v is None for v in values):
                continue
            found[key] = values[0] if len(values) == 1 else total([v for v in values if v is not None],
                                                                  side.label(plain[0], node))
        return found

    # --- names ------------------------------------------------------------------------------
    def lookup(self, name: str, measure: str | None = None) -> list[Quantity]:
        """Figures the tables print under a name: rows so named (first column), columns so headed (total row)."""
        key = normalise(name)
        found: list[Quantity] = []
        if not key:
            return found
        for side in self.sides:
            if self._lacks(side, measure):
                continue
            for row in side.rows:
                if row.key == key or (row.style == "total" and len(key) >= 3 and _strip_total(row.key) == key):
                    value = side.value(row, side.first_column(measure))
                    if value is not None:
                        found.append(value)
            total_row = side.grand_total()
            if total_row is None:
                continue
            for node, _ in side.tree(measure).walk():
                if node.key == key:
                    value = side.value(total_row, node)
                    if value is not None:
                        found.append(value)
        return found

    def concept_values(self, concept: dict, measure: str | None = None) -> list[Quantity]:
        found = []
        for spec in concept["targets"]:
            value = self.resolve({**spec, **({"measure": measure} if measure else {})})
            if value is not None:
                found.append(value)
        return found


def _blank(quantity: Quantity) -> bool:
    """A figure read from a blank cell (a total left blank on one side of a table is not a zero)."""
    return bool(quantity.refs) and all(not (r.raw or "").strip() for r in quantity.refs)


def _two_sided(sides: list[Side]) -> bool:
    return any("收" in s.name or "支" in s.name for s in sides)
