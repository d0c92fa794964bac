"""How a table's rows nest: its outline and its code hierarchy.

A total row (总计/合计/…合计) sums the items of the top level before it (or, printed
first, after it); numbered items ("一、" "1." "（一）") sum their numbered sub-items;
"其中" items are parts that cannot exceed their item; a "小计" row sums the rows under
it; a row naming a budget unit sums the rows of that unit; a coded row sums the rows
whose code extends its own (类 = Σ款, 款 = Σ项, 301 = Σ30101…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetqa.audit.names import (
    ENUM_STYLES,
    QIZHONG,
    QUOTES,
    SUBTOTAL_MARK,
    is_total_name,
    normalise,
    vocab,
)
from budgetqa.models import Cell, Table


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
    ordered = [
        Row(table, side, cells[0].row_index, cells[0].row_name, normalise(cells[0].row_name), cells[0].row_code,
            cells[0].row_subject, {c.col_index: c for c in cells})
        for cells in table.rows(side)
    ]
    for row in ordered:
        row.style = _style(row, table.kind, department)
    return ordered


def _style(row: Row, kind: str, department: str) -> str:
    if row.code:
        return "code"
    raw = QUOTES.sub("", row.name)
    if row.key == "小计" and row.subject:
        return "head"
    if is_total_name(row.key) and not SUBTOTAL_MARK.search(raw):
        return "total"
    for style, pattern in ENUM_STYLES.items():
        if pattern.match(raw):
            return style
    if QIZHONG.match(raw):
        return "qizhong"
    if kind in vocab()["rows"]["unit_kinds"] and row.key and _is_unit(row.key, department):
        return "unit"
    return "plain"


def _is_unit(key: str, department: str) -> bool:
    own = normalise(department)
    if own and (own in key or key in own) and len(key) >= 4:
        return True
    return re.search(vocab()["rows"]["unit_pattern"], key) is not None and len(key) >= 5





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
        if SUBTOTAL_MARK.search(node.row.name):
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
