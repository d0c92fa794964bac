"""How a table nests: its rows' outline and code hierarchy, and its header tree.

Rows: a total row (总计/合计/…合计) sums the items of the top level before it (or,
printed first, after it); numbered items ("一、" "1." "（一）") sum their numbered
sub-items; "其中" items are parts that cannot exceed their item; a "小计" row sums the
rows under it; a row naming a budget unit sums the rows of that unit; a coded row
sums the rows whose code extends its own (类 = Σ款, 款 = Σ项, 301 = Σ30101…).
Columns: a header named 合计/总计/小计 is the sum of its sibling headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from budgetqa.audit.intervals import ZERO, Quantity, exact, last_unit, printed, total
from budgetqa.audit.report import Ref
from budgetqa.models import Cell, Table
from budgetqa.numbers import UNIT_TO_WAN
from budgetqa.vocab import load

ENUM_STYLES: dict[str, re.Pattern[str]] = {
    "cn": re.compile(r"^[一二三四五六七八九十]+[、.．]"),
    "paren": re.compile(r"^[（(][一二三四五六七八九十\d]+[)）]"),
    "arabic": re.compile(r"^\d{1,2}[、.．](?!\d)"),
}
_QIZHONG = re.compile(r"^其中[:：]?")
_LEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)|其中[:：]?)+")
_LEVEL_MARK = re.compile(r"[（(](?:类|款|项)[)）]")
_SUBTOTAL_MARK = re.compile(r"[（(]小计[)）]")
_QUOTES = re.compile(r"[\s“”\"'‘’：:、]")


def normalise(name: str | None) -> str:
    """A name as compared: no spaces, quotes, enumerators, 其中, level marks; full-width brackets."""
    text = _QUOTES.sub("", name or "")
    text = _LEADING.sub("", text)
    text = _LEVEL_MARK.sub("", text)
    text = _SUBTOTAL_MARK.sub("", text)
    return text.replace("(", "（").replace(")", "）")


@lru_cache
def vocab() -> dict:
    return load("audit")


def _ends_with(key: str, suffixes: list[str]) -> bool:
    return any(key.endswith(s) for s in suffixes)


def is_total_name(key: str) -> bool:
    rows = vocab()["rows"]
    return key in rows["total_names"] or _ends_with(key, rows["total_suffixes"]) or _ends_with(
        key, rows["subtotal_suffixes"])


@dataclass(slots=True)
class Row:
    """One row of one side of a table, with its cells by column index."""

    table: Table
    side: str
    index: int
    name: str
    key: str
    code: str | None
    subject: str | None
    cells: dict[int, Cell] = field(default_factory=dict)
    style: str = "plain"
    """code, total, head (a 小计 row heading a group), unit, cn/paren/arabic (numbered), qizhong, plain."""

    @property
    def label(self) -> str:
        name = self.name.strip() or "（无行名）"
        code = f"{self.code} " if self.code else ""
        return f"{code}{self.subject} / {name}" if self.subject else f"{code}{name}"


@dataclass(slots=True)
class Group:
    """An identity between a row and the rows under it: parent = Σ children, or parent ≥ Σ children."""

    parent: Row
    children: list[Row]
    relation: str
    """"eq" or "le" (the children are "其中" parts)."""
    basis: str


def read_rows(table: Table, side: str, department: str) -> list[Row]:
    """The rows of one side, in order, each with its style."""
    rows: dict[int, Row] = {}
    for cell in table.cells:
        if cell.side != side:
            continue
        row = rows.get(cell.row_index)
        if row is None:
            row = Row(table, side, cell.row_index, cell.row_name, normalise(cell.row_name), cell.row_code,
                      cell.row_subject)
            rows[cell.row_index] = row
        row.cells[cell.col_index] = cell
    ordered = [rows[i] for i in sorted(rows)]
    for row in ordered:
        row.style = _style(row, table.kind, department)
    return ordered


def _style(row: Row, kind: str, department: str) -> str:
    if row.code:
        return "code"
    raw = _QUOTES.sub("", row.name)
    if row.key == "小计" and row.subject:
        return "head"
    if is_total_name(row.key) and not _SUBTOTAL_MARK.search(raw):
        return "total"
    for style, pattern in ENUM_STYLES.items():
        if pattern.match(raw):
            return style
    if _QIZHONG.match(raw):
        return "qizhong"
    if kind in vocab()["rows"]["unit_kinds"] and row.key and _is_unit(row.key, department):
        return "unit"
    return "plain"


def _is_unit(key: str, department: str) -> bool:
    own = normalise(department)
    if own and (own in key or key in own) and len(key) >= 4:
        return True
    return re.search(vocab()["rows"]["unit_pattern"], key) is not None and len(key) >= 5


# --- rows: outline and code hierarchy ----------------------------------------------------


@dataclass(slots=True)
class _Node:
    row: Row
    style: str
    parent: _Node | None
    children: list[tuple[Row, str]] = field(default_factory=list)


class _Outline:
    """Walks a side's rows once and collects its identities."""

    def __init__(self, flat: bool) -> None:
        self.flat = flat
        self.groups: list[Group] = []
        self.stack: list[_Node] = []
        self.items: list[tuple[Row, str]] = []
        self.leading: Row | None = None
        self.unit: _Node | None = None
        self.segment: list[Row] = []

    def run(self, rows: list[Row]) -> list[Group]:
        for row in rows:
            handler = getattr(self, f"_on_{row.style}", None)
            if handler is None:
                handler = self._on_numbered
            handler(row)
        self._close_all()
        if self.leading is not None:
            self._emit_total(self.leading)
        return self.groups

    # level-1 items ---------------------------------------------------------------------
    def _add_item(self, row: Row, style: str) -> None:
        if self.unit is not None:
            self.unit.children.append((row, style))
        else:
            self.items.append((row, style))

    def _close_all(self) -> None:
        self._close_stack(0)
        self._close_segment()
        if self.unit is not None:
            if self.unit.children:
                self.groups.append(Group(self.unit.row, [r for r, _ in self.unit.children], "eq",
                                         "单位行 = Σ该单位各行"))
            self.unit = None

    def _emit_total(self, row: Row) -> None:
        items = [r for r, _ in self.items]
        plain = any(style == "plain" for _, style in self.items)
        if items and (self.flat or not plain):
            self.groups.append(Group(row, items, "eq", f"{row.key or '合计'} = Σ各项"))

    # row handlers ----------------------------------------------------------------------
    def _on_total(self, row: Row) -> None:
        self._close_all()
        if self.leading is not None:
            self._emit_total(self.leading)
            self.items = [(self.leading, "total")]
            self.leading = None
        if not self.items:
            self.leading = row
            return
        self._emit_total(row)
        self.items = [(row, "total")]

    def _on_unit(self, row: Row) -> None:
        self._close_all()
        self.items.append((row, "unit"))
        self.unit = _Node(row, "unit", None)

    def _on_code(self, row: Row) -> None:
        self._close_stack(0)
        self.segment.append(row)

    def _on_head(self, row: Row) -> None:
        self._close_stack(0)
        self._close_segment()
        node = _Node(row, "head", None)
        self._add_item(row, "head")
        self.stack.append(node)

    def _on_numbered(self, row: Row) -> None:
        self._close_segment()
        style = row.style
        for depth, node in enumerate(self.stack):
            if node.style == style:
                self._close_stack(depth)
                self._attach(row, style, depth)
                return
        self._attach(row, style, len(self.stack))

    def _on_qizhong(self, row: Row) -> None:
        self._close_segment()
        if self.stack and self.stack[-1].style == "qizhong":
            depth = len(self.stack) - 1
            self._close_stack(depth)
            self._attach(row, "qizhong", depth)
        elif self.stack:
            self._attach(row, "qizhong", len(self.stack))
        else:
            self._on_plain(row)

    def _on_plain(self, row: Row) -> None:
        self._close_segment()
        if self.stack and self.stack[-1].style in ("plain", "qizhong"):
            depth = len(self.stack) - 1
            style = self.stack[-1].style
            self._close_stack(depth)
            self._attach(row, style, depth)
        else:
            self._attach(row, "plain", len(self.stack))

    def _attach(self, row: Row, style: str, depth: int) -> None:
        """Put ``row`` at ``depth`` of the stack: a child of the node above it, or a level-1 item."""
        parent = self.stack[depth - 1] if depth > 0 else None
        if parent is None:
            self._add_item(row, style)
        else:
            parent.children.append((row, style))
        self.stack = self.stack[:depth] + [_Node(row, style, parent)]

    def _close_stack(self, depth: int) -> None:
        while len(self.stack) > depth:
            node = self.stack.pop()
            group = _node_group(node, self.flat)
            if group is not None:
                self.groups.append(group)

    def _close_segment(self) -> None:
        if not self.segment:
            return
        groups, roots = code_groups(self.segment)
        self.groups += groups
        for root in roots:
            self._add_item(root, "code")
        self.segment = []


def _node_group(node: _Node, flat: bool) -> Group | None:
    if not node.children:
        return None
    styles = {style for _, style in node.children}
    rows = [r for r, _ in node.children]
    if styles == {"qizhong"}:
        if _SUBTOTAL_MARK.search(node.row.name):
            return Group(node.row, rows, "eq", "小计 = Σ其中各项")
        return Group(node.row, rows, "le", "其中各项之和不超过所属项")
    if len(styles) == 1 and styles <= set(ENUM_STYLES):
        return Group(node.row, rows, "eq", "大项 = Σ所列分项")
    if styles == {"plain"} and (node.style == "head" or flat):
        return Group(node.row, rows, "eq", "项 = Σ其下各行" if node.style != "head" else "小计 = Σ其下各行")
    return None


def code_groups(rows: list[Row]) -> tuple[list[Group], list[Row]]:
    """Identities along the classification codes of a run of coded rows, and its top-level rows."""
    by_code: dict[str, list[Row]] = {}
    for row in rows:
        by_code.setdefault(row.code or "", []).append(row)
    groups: list[Group] = []
    members: dict[str, list[Row] | None] = {}
    heads: dict[str, Row | None] = {}
    for code, found in by_code.items():
        plain = [r for r in found if not r.subject]
        named = [r for r in found if r.subject]
        if len(plain) == 1 and named:
            groups.append(Group(plain[0], named, "eq", f"科目 {code} = Σ所列项目"))
        if len(plain) == 1:
            members[code], heads[code] = [plain[0]], plain[0]
        elif not plain:
            members[code], heads[code] = named, (named[0] if len(named) == 1 else None)
        else:
            members[code], heads[code] = None, None
    parents: dict[str, str | None] = {code: _nearest_parent(code, by_code) for code in by_code}
    for code in by_code:
        children = [c for c, p in parents.items() if p == code]
        head = heads[code]
        if not children or head is None or any(members[c] is None for c in children):
            continue
        level = next((c.level for c in head.cells.values() if c.level), "")
        basis = {"类": "类 = Σ款", "款": "款 = Σ项"}.get(level, f"科目 {code} = Σ下级科目")
        groups.append(Group(head, [r for c in children for r in members[c] or []], "eq", basis))
    roots = [r for c, p in parents.items() if p is None for r in (members[c] or by_code[c])]
    return groups, roots


def _nearest_parent(code: str, present: dict[str, list[Row]]) -> str | None:
    for cut in range(len(code) - 2, 2, -2):
        if code[:cut] in present:
            return code[:cut]
    return None


def row_groups(rows: list[Row], kind: str) -> list[Group]:
    """Every row identity of one side."""
    return _Outline(kind in vocab()["rows"]["flat_kinds"]).run(rows)


# --- columns: header trees -----------------------------------------------------------------


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
        return self.key in columns["total_names"] or _ends_with(self.key, columns["total_suffixes"])

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


# --- values ---------------------------------------------------------------------------------


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
