"""Read a :class:`Grid` as a table: which columns hold codes, names and values; its sides; its rows.

Column roles are decided from what the body cells hold (codes, text, amounts)
and what the header says, never from a column's position in a known template.
A table whose label columns reappear after value columns (收入 | 支出, or two
经济分类 halves side by side) is split into sides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetqa.ingest.assemble import RawRow, RawSide
from budgetqa.ingest.codes import compact_code, join_code, split_leading_code
from budgetqa.ingest.grid import Grid
from budgetqa.numbers import parse_cell

_CODE_CELL = re.compile(r"^\d{2,7}$")
_CODE_PART = re.compile(r"^\d{1,7}$")
_CODE_HEADER = re.compile(r"编码|代码|(?:^|/)[类款项]$")
_TOTAL_LABEL = re.compile(r"合计|总计|小计")
_ROW_NUMBER_HEADER = re.compile(r"(?:行次|栏次|序号)$")
"""A row-number header, maybe joined to a group label printed right above it ("收入行次")."""
_ROW_NUMBER = re.compile(r"^\d{1,3}$")


@dataclass(frozen=True, slots=True)
class LayoutSettings:
    """Thresholds for deciding a column's role from its body cells."""

    value_share: float = 0.6
    """A column is a value column when at least this share of its filled cells are numbers."""
    code_share: float = 0.9
    """A column is a code column when at least this share of its filled cells are bare codes."""
    named_code_share: float = 0.75
    """The share needed when the header names the column a code (编码, 类/款/项)."""


DEFAULT_LAYOUT = LayoutSettings()


def column_roles(grid: Grid, settings: LayoutSettings = DEFAULT_LAYOUT) -> list[str]:
    """Role of each column: "code", "value", "text", "index" (行次 row numbers, not read) or "empty"."""
    roles = []
    for col in range(grid.width):
        cells = [r.texts[col] for r in grid.rows if r.texts[col]]
        header = "/".join([*grid.header_path(col), *(grid.header_labels[col:col + 1] if grid.header_labels else [])])
        if not cells:
            roles.append("code" if _CODE_HEADER.search(header) else "empty")
            continue
        if is_row_number_column(cells, grid.header_path(col)):
            roles.append("index")
            continue
        if _zero_padded_parts(cells):
            roles.append("code")
            continue
        numbers = sum(1 for c in cells if parse_cell(c)[0] in ("value", "dash"))
        leading = "text" not in roles
        if is_code_column(cells, bool(_CODE_HEADER.search(header)), settings, leading):
            roles.append("code")
        elif numbers / len(cells) >= settings.value_share:
            roles.append("value")
        else:
            roles.append("text")
    # an empty column between value columns is a value column that holds nothing
    for col, role in enumerate(roles):
        if role == "empty" and any(r == "value" for r in roles[:col]):
            roles[col] = "value"
    return _codes_before_labels(grid, _code_parts_beside(grid, roles))


def is_row_number_column(cells: list[str], header: tuple[str, ...]) -> bool:
    """A 行次/栏次/序号 column: row numbers, never amounts (its header names it, its cells are small integers)."""
    return (bool(header) and bool(_ROW_NUMBER_HEADER.search(header[-1].replace(" ", "")))
            and all(_ROW_NUMBER.match(c.replace(" ", "")) for c in cells))


def _zero_padded_parts(cells: list[str]) -> bool:
    """A column of 2-digit 款/项 code parts, some printed with a leading zero ("08"): an amount never is."""
    parts = [c.replace(" ", "") for c in cells if not _TOTAL_LABEL.search(c)]
    return bool(parts) and all(re.fullmatch(r"\d{1,2}", c) for c in parts) and any(
        len(c) == 2 and c.startswith("0") for c in parts)


def _codes_before_labels(grid: Grid, roles: list[str]) -> list[str]:
    """A code column the header does not name is a code column only when a label column follows it
    (codes stand before the names they code): whole-number amounts that repeat down a 类/款/项
    chain are values."""
    for col, role in enumerate(roles):
        if role != "code" or _CODE_HEADER.search("/".join(grid.header_path(col))):
            continue
        if _zero_padded_parts([r.texts[col] for r in grid.rows if r.texts[col]]):
            continue
        after = next((r for r in roles[col + 1:] if r not in ("code", "empty")), None)
        if after != "text":
            roles[col] = "value"
    return roles


def is_code_column(
    cells: list[str], named: bool, settings: LayoutSettings = DEFAULT_LAYOUT, leading: bool = False
) -> bool:
    """A column of classification codes, decided from its cells (a total label in it aside).

    Codes are bare integers: never a separator or decimals. A header that names codes
    (编码, 类/款/项) needs most cells to be codes; without it the cells must be codes of
    3/5/7 digits that nest (a 款 code under a 类 printed above it), repeat (one 类 printed
    on each of its rows) or stand left of every label column (``leading``: amounts follow
    the names they belong to, a 类 printed once per group does not repeat).
    """
    cells = [compact_code(c).replace(" ", "") for c in cells if not _TOTAL_LABEL.search(c)]
    if not cells or any(re.search(r"[,，.]", c) for c in cells):
        return False
    codes = [c for c in cells if _CODE_CELL.match(c)]
    if named:
        return len(codes) / len(cells) >= settings.named_code_share
    if len(codes) / len(cells) < settings.code_share or len(codes) < 2:
        return False
    if not all(len(c) in (3, 5, 7) for c in codes):
        return False
    nested = any(c[:3] in codes[:i] for i, c in enumerate(codes) if len(c) > 3)
    repeated = any(a == b for a, b in zip(codes, codes[1:], strict=False))
    return nested or repeated or leading


def _code_parts_beside(grid: Grid, roles: list[str]) -> list[str]:
    """2-digit 款/项 parts in the columns right of a 类 code column are code columns too: those
    printed with a leading zero, and all that stand between it and the name column, or between
    it and another code part before the name (no amount column stands between a code and its
    name)."""
    def parts(col: int) -> list[str] | None:
        cells = [r.texts[col] for r in grid.rows if r.texts[col] and not _TOTAL_LABEL.search(r.texts[col])]
        return cells if all(re.fullmatch(r"\d{1,2}", c) for c in cells) else None

    for col in range(1, grid.width):
        if roles[col - 1] != "code" or roles[col] not in ("value", "empty"):
            continue
        end = col
        while end < grid.width and roles[end] in ("value", "empty") and parts(end) is not None:
            end += 1
        label = end
        while label < grid.width and roles[label] == "code":  # a 项 part printed "04" is a code already
            label += 1
        if label < grid.width and roles[label] == "text" and end - col <= 2 and label - col <= 3:
            roles[col:end] = ["code"] * (end - col)
            continue
        cells = parts(col)
        if cells and any(c.startswith("0") for c in cells):
            roles[col] = "code"
    return roles


def _groups(roles: list[str]) -> list[list[int]]:
    """Split columns into sides: a new side starts at a label column after a value column."""
    groups: list[list[int]] = [[]]
    seen_value = False
    for col, role in enumerate(roles):
        if role in ("code", "text") and seen_value:
            groups.append([])
            seen_value = False
        if role == "value":
            seen_value = True
        groups[-1].append(col)
    return [g for g in groups if g]


def _side_names(grid: Grid, groups: list[list[int]], roles: list[str]) -> list[str]:
    if len(groups) == 1:
        return [""]
    by_label = []
    for group in groups:
        labels = [c for c in group if roles[c] in ("code", "text")]
        path = max((grid.header_path(c) for c in labels), key=len, default=())
        by_label.append("/".join(path[:-1]))
    if all(by_label) and len(set(by_label)) == len(by_label):
        return by_label
    names = []
    for group in groups:
        lo, hi = group[0], group[-1]
        parts = [
            h.text
            for h in sorted(grid.header, key=lambda h: h.top)
            if lo <= h.first and h.last <= hi and h.last > h.first
            or (h.first <= lo and hi <= h.last and not (h.first == 0 and h.last == grid.width - 1))
        ]
        names.append("/".join(dict.fromkeys(parts)))
    if len(set(names)) < len(names) or not all(names):
        return ["左", "右"] if len(groups) == 2 else [f"第{i + 1}栏" for i in range(len(groups))]
    return names


def _value_path(grid: Grid, col: int, side_name: str) -> tuple[str, ...]:
    path = list(grid.header_path(col))
    side_parts = set(side_name.split("/")) if side_name else set()
    path = [p for p in path if p not in side_parts]
    return tuple(path) or (f"列{col + 1}",)


def _numeric_or_empty(texts: list[str]) -> bool:
    return all(not t or parse_cell(t)[0] in ("value", "dash") for t in texts)


def _compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Header paths of one column split in two: one is a prefix of the other, or the leaves agree."""
    shorter, longer = sorted((a, b), key=len)
    return longer[: len(shorter)] == shorter or (bool(a) and bool(b) and a[-1] == b[-1])


def _untotalled(texts: list[str]) -> list[str]:
    """A column's texts without its total labels (合计 printed over the code columns)."""
    return [t for t in texts if not _TOTAL_LABEL.search(t)]


def merge_split_columns(grid: Grid) -> Grid:
    """Join value columns a spreadsheet export split into several grid columns.

    Two neighbouring columns are one when no row fills both, both hold only
    numbers, and their header paths agree (one is a prefix of the other). Columns of
    bare integers left of every label are 类/款/项 code parts printed one per row, never merged.
    """
    width = grid.width
    target = list(range(width))
    columns = [[r.texts[c] for r in grid.rows] for c in range(width)]
    paths = [grid.header_path(c) for c in range(width)]
    first_label = next((c for c in range(width) if not _numeric_or_empty(_untotalled(columns[c]))), width)
    keep = 0
    for col in range(1, width):
        merged = columns[keep]
        candidate = columns[col]
        disjoint = not any(a and b for a, b in zip(merged, candidate, strict=True))
        both = [t for t in _untotalled(merged + candidate) if t]
        codes = col < first_label and bool(both) and all(_CODE_PART.match(t) for t in both)
        if (
            disjoint
            and not codes
            and _numeric_or_empty(merged)
            and _numeric_or_empty(candidate)
            and _compatible(paths[keep], paths[col])
            and not any(t and parse_cell(t)[0] not in ("value", "dash") for t in merged)
        ):
            columns[keep] = [a or b for a, b in zip(merged, candidate, strict=True)]
            if len(paths[col]) > len(paths[keep]):
                paths[keep] = paths[col]
            target[col] = keep
        else:
            keep = col
    kept = sorted(set(target))
    if len(kept) == width:
        return grid
    new_index = {old: new for new, old in enumerate(kept)}
    mapping = [new_index[target[c]] for c in range(width)]
    merged_grid = Grid(columns=[grid.columns[c] for c in kept], pages=grid.pages)
    merged_grid.header = [
        type(h)(h.text, mapping[h.first], mapping[h.last], h.top) for h in grid.header
    ]
    merged_grid.header_labels = [grid.header_labels[c] for c in kept] if grid.header_labels else []
    for i, row in enumerate(grid.rows):
        texts = [columns[c][i] if c in new_index and target[c] == c else "" for c in kept]
        merged_grid.rows.append(type(row)(texts, row.page))
    return merged_grid


def _join_wrapped_labels(side: RawSide) -> None:
    """A label wrapped onto its own grid row ("…传媒支" / "出") rejoins the row above."""
    totals = ("计", "小计", "合计", "总计", "其他")
    kept: list[RawRow] = []
    for row in side.rows:
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and row.code is None
            and not any(row.values)
            and 0 < len(row.name) <= 3
            and row.name not in totals
            and not _TOTAL_LABEL.fullmatch(row.name.replace(" ", ""))
            and (not any(previous.values) or len(row.name) <= 2)
        ):
            previous.name += row.name
            continue
        if (
            previous is not None
            and row.code is None
            and any(row.values)
            and not any(previous.values)
            and 0 < len(row.name) <= 2
            and row.name.replace(" ", "") not in totals
        ):
            # the label wrapped and its values sit on the tail line
            previous.name += row.name
            previous.values, previous.page = row.values, row.page
            continue
        kept.append(row)
    side.rows = kept


def _attach_orphan_values(side: RawSide) -> None:
    """Values printed a grid row above or below their label (spreadsheet exports) rejoin that row.

    A row with values but no label or code goes to the neighbouring labelled row
    that has no values of its own: the one above first, else the one below.
    """
    rows = side.rows
    kept: list[RawRow] = []
    for i, row in enumerate(rows):
        orphan = not row.name and row.code is None and any(row.values)
        if orphan:
            above = kept[-1] if kept else None
            below = rows[i + 1] if i + 1 < len(rows) else None
            for target in (above, below):
                if target is not None and (target.name or target.code) and not any(target.values):
                    target.values, target.page = list(row.values), row.page
                    break
            else:
                kept.append(row)
            continue
        kept.append(row)
    side.rows = kept


def read_sides(grid: Grid, settings: LayoutSettings = DEFAULT_LAYOUT) -> list[RawSide]:
    """The sides of a grid, each with its value-column paths and its rows."""
    grid = merge_split_columns(grid)
    roles = column_roles(grid, settings)
    sides = []
    groups = _groups(roles)
    for group, name in zip(groups, _side_names(grid, groups, roles), strict=True):
        code_cols = [c for c in group if roles[c] == "code"]
        text_cols = [c for c in group if roles[c] == "text"]
        value_cols = [c for c in group if roles[c] == "value"]
        if not value_cols:
            continue
        side = RawSide(name, [_value_path(grid, c, name) for c in value_cols])
        label_cols_left = [c for c in range(group[0]) if roles[c] == "text"]
        previous_code = None
        for row in grid.rows:
            raw = _read_row(row.texts, code_cols, text_cols, value_cols, row.page, previous_code)
            if raw is None:
                continue
            previous_code = raw.code or previous_code
            if not raw.name and raw.code is None and any(raw.values):
                # a total row whose label stands in another side's label column ("支出合计")
                borrowed = [
                    row.texts[c] for c in reversed(label_cols_left) if re.search(r"合计|总计|小计", row.texts[c])
                ]
                raw.name = borrowed[0] if borrowed else ""
            side.rows.append(raw)
        _attach_orphan_values(side)
        _join_wrapped_labels(side)
        sides.append(side)
    return sides


def _continued_code(parts: list[str], previous: str) -> str | None:
    """Split 类/款/项 parts whose leading parts are left out (printed once per group) or whose
    类 is not a 类 code: the parts printed continue the previous row's code."""
    head, rest = parts[0].replace(" ", ""), [p.replace(" ", "") for p in parts[1:]]
    if (head and re.fullmatch(r"\d{3}", head)) or not any(rest):
        return None
    if head and not re.fullmatch(r"\d{1,2}", head):
        return None
    if not head and not rest[0]:
        # only the 项 part printed: 类 and 款 carry down from the row above
        tail = [p for p in rest[1:] if p]
        if len(previous) < 5 or len(tail) != 1 or not re.fullmatch(r"\d{1,2}", tail[0]):
            return None
        return join_code(previous[:3], previous[3:5], tail[0])
    if not re.fullmatch(r"\d{1,2}", rest[0]):
        return None
    return join_code(previous[:3], *rest)


def _read_row(
    texts: list[str], code_cols: list[int], text_cols: list[int], value_cols: list[int], page: int,
    previous_code: str | None = None,
) -> RawRow | None:
    values = [texts[c] or None for c in value_cols]
    labels = [texts[c] for c in text_cols if texts[c]]
    code_texts = [texts[c] for c in code_cols if texts[c]]
    code = join_code(*code_texts) if code_texts else None
    if len(code_cols) > 1 and previous_code and code_texts:
        code = _continued_code([texts[c] for c in code_cols], previous_code) or code
    if code_texts and code is None:
        # a merged cell over the code columns holds a label ("人员经费合计")
        labels.insert(0, "".join(code_texts))
    name = labels[-1] if labels else ""
    subject = labels[0] if len(labels) > 1 else None
    if code is None and name:
        leading, rest = split_leading_code(name)
        if leading and rest:
            code, name = leading, rest
    if not name and code is None and not any(values):
        return None
    if not name and code is None:
        # values without a label: keep them, named by their position
        name = ""
    return RawRow(code=code, name=name, values=values, page=page, subject=subject)
