"""The table view: a parsed table as laid out in the document, with the cited cell highlighted.

The body is ``budgetqa.views.table_grid`` (the same rows as ``budgetqa table``);
the header is rebuilt from the column paths as the document prints it (merged
header cells, one block per side). A citation's row, code, column and side pick
the cell, whose grid position follows table_grid's own layout. The title, unit and header
rows stay on screen while the table scrolls; the cited row and column are tinted.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from budgetqa.models import Cell, Table
from budgetqa.views import table_grid


@dataclass(frozen=True, slots=True)
class Target:
    """The cited cell as a citation names it (any part may be missing)."""

    row: str | None = None
    code: str | None = None
    col: str | None = None
    side: str | None = None


def find_cell(table: Table, target: Target) -> Cell | None:
    """The cell a citation names: same side, row (code, else name) and column; else the row's first value."""
    side = target.side or ""
    rows = [c for c in table.cells if c.side == side
            and (not target.code or c.row_code == target.code)
            and (not target.row or c.row_name == target.row)]
    if not rows or not (target.row or target.code):
        return None
    exact = [c for c in rows if target.col and " / ".join(c.col_path) == target.col]
    values = [c for c in rows if c.state == "value"]
    return (exact or values or rows)[0]


def side_offsets(table: Table) -> dict[str, int]:
    """The grid column where each side starts (sides are laid side by side)."""
    offsets: dict[str, int] = {}
    start = 0
    for side in table.sides:
        offsets[side] = start
        start += 2 + len(table.columns.get(side, []))
    return offsets


def cell_position(table: Table, cell: Cell) -> tuple[int, int]:
    """(row, column) of ``cell`` in ``table_grid(table)`` (row 0 is the header)."""
    rows = sorted({c.row_index for c in table.cells if c.side == cell.side})
    return 1 + rows.index(cell.row_index), side_offsets(table)[cell.side] + 2 + cell.col_index


def header_rows(table: Table) -> list[list[tuple[str, int, int, int]]]:
    """Header cells per header row as (text, colspan, rowspan, first grid column), merged like the print."""
    paths: list[tuple[str, ...]] = []
    for side in table.sides:
        prefix = (side,) if side else ()
        paths += [(*prefix, "编码"), (*prefix, "名称")]
        paths += [(*prefix, *p) for p in table.columns.get(side, [])]
    depth = max((len(p) for p in paths), default=1)
    rows: list[list[tuple[str, int, int, int]]] = []
    for level in range(depth):
        row: list[tuple[str, int, int, int]] = []
        j = 0
        while j < len(paths):
            path = paths[j]
            if level >= len(path):
                j += 1
                continue
            if level == len(path) - 1:
                row.append((path[level], 1, depth - level, j))
                j += 1
                continue
            span = 1
            while (j + span < len(paths) and len(paths[j + span]) > level + 1
                   and paths[j + span][: level + 1] == path[: level + 1]):
                span += 1
            row.append((path[level], span, 1, j))
            j += span
        rows.append(row)
    return rows


def _page_link(page: int, pdf: str | None) -> str:
    """A page number, linked to that page of the kept PDF when there is one."""
    return f'<a href="{escape(pdf)}#page={page}">{page}</a>' if pdf else str(page)


def _pages(pages: list[int], pdf: str | None = None) -> str:
    """The table's pages as HTML ("第 5–6 页"), each linked to the PDF when it is kept."""
    if not pages:
        return "页码不详"
    if len(pages) > 1 and pages == list(range(pages[0], pages[-1] + 1)) and not pdf:
        return f"第 {pages[0]}–{pages[-1]} 页"
    return "第 " + "、".join(_page_link(p, pdf) for p in pages) + " 页"


def grid_table(table: Table, at: tuple[int, int] | None) -> str:
    """The table element (in its scrolling frame), the cell at grid position ``at`` marked as cited."""
    grid = table_grid(table)
    if len(grid) < 2:
        return ""
    offsets = side_offsets(table)
    code_cols = set(offsets.values())
    name_cols = {start + 1 for start in code_cols}
    hidden = {c for c in code_cols if not any(line[c] for line in grid[1:])}  # code columns with no code
    head = "".join(f"<tr>{_header_row(row, hidden, at)}</tr>" for row in header_rows(table))
    pages = {cell_position(table, c): c.page for c in table.cells}
    body = []
    for r, line in enumerate(grid[1:], start=1):
        cells = []
        for c, text in enumerate(line):
            title = f' title="第 {pages[r, c]} 页"' if text and (r, c) in pages else ""
            if c in hidden:
                continue
            if at == (r, c):
                cells.append(f'<td id="cited" class="num cited" tabindex="-1" aria-describedby="cite-note"{title}>'
                             f'{escape(text) or "（空白）"}</td>')
            elif c in name_cols:
                pin = ' class="pin"' if c == 1 else ""
                cells.append(f'<th scope="row"{pin}>{escape(text)}</th>')
            else:
                kind = "code" if c in code_cols else "num"
                col = " cited-col" if at and at[1] == c else ""
                cells.append(f'<td class="{kind}{col}"{title}>{escape(text)}</td>')
        row_class = ' class="cited-row"' if at and at[0] == r else ""
        body.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    return (
        f'<div class="scroll" role="region" aria-label="{escape(table.title)}（可左右滚动）" tabindex="0">\n'
        f'<table>\n<thead>{head}</thead>\n<tbody>{"".join(body)}</tbody>\n</table>\n</div>'
    )


def render(doc_id: str, doc_title: str, table: Table, target: Target, root: str = "", pdf: str | None = None) -> str:
    """The whole HTML page (every text escaped); ``pdf`` is the kept PDF's URL, if any."""
    cited = find_cell(table, target)
    grid_html = grid_table(table, cell_position(table, cited) if cited else None)
    note = _note(table, target, cited, pdf)
    api = f"{root}/api/v1/documents/{quote(doc_id)}/tables/{quote(table.table_id)}"
    empty = f'<p class="empty">{escape(table.empty_statement)}</p>' if table.empty_statement else ""
    label = f"{table.label} " if table.label else ""
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(label + table.title)} · {escape(doc_title)}</title>
<link rel="stylesheet" href="{root}/static/page.css">
<link rel="icon" href="data:,">
</head>
<body>
<main>
<header class="head">
<p class="crumbs"><a href="{root}/">预算公开问答</a> › {escape(doc_title)}</p>
<h1>{escape(label + table.title)}</h1>
<dl class="meta">
<div><dt>单位</dt><dd>{escape(table.unit)}</dd></div>
<div><dt>页码</dt><dd>{_pages(table.pages, pdf)}</dd></div>
<div><dt>来源文件</dt><dd>{escape(table.source_file or "—")}</dd></div>
</dl>
</header>
{note}
{grid_html}
{empty}
<p class="links">同一张表的数据：<a href="{api}?format=csv">CSV</a> · <a href="{api}">JSON</a></p>
</main>
<script src="{root}/static/table.js" defer></script>
</body>
</html>
"""


def _header_row(row: list[tuple[str, int, int, int]], hidden: set[int], at: tuple[int, int] | None) -> str:
    cells = []
    for text, colspan, rowspan, first in row:
        shown = sum(1 for c in range(first, first + colspan) if c not in hidden)
        if not shown:
            continue
        spans = (f' colspan="{shown}"' if shown > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
        classes = []
        if at and first <= at[1] < first + colspan:
            classes.append("cited-col")
        if first == 1 and colspan == 1:
            classes.append("pin")
        attrs = spans + (f' class="{" ".join(classes)}"' if classes else "")
        cells.append(f'<th scope="col"{attrs}>{escape(text)}</th>')
    return "".join(cells)


def _note(table: Table, target: Target, cited: Cell | None, pdf: str | None = None) -> str:
    if not (target.row or target.code):
        return ""
    if cited is None:
        asked = " · ".join(x for x in (target.side, target.row, target.col) if x)
        return f'<p class="cite missing" id="cite-note" role="status">没有在表中找到所引用的单元格（{escape(asked)}）。</p>'
    where = " · ".join(x for x in (cited.side, cited.row_name, " / ".join(cited.col_path)) if x)
    return (
        f'<p class="cite" id="cite-note" role="status">引用的单元格：<strong>{escape(where)}</strong>，'
        f"原文 <strong>{escape(cited.raw or '（空白）')}</strong>，见 PDF 第 {_page_link(cited.page, pdf)} 页。"
        f' <a href="#cited">跳到该单元格</a></p>'
    )
