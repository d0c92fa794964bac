"""Render a realistic sample 部门预算公开 PDF from a structured JSON description.

The input is a hand transcription of a real budget disclosure (see
``samples/seed_disclosure.json``): document metadata, the 概况 paragraphs, the
budget tables (multi-level headers, function/economic codes, value columns) and
the 情况说明 narrative.  The output imitates the layout of a real Chinese
department budget disclosure so that the PDF ingestion pipeline (pdfplumber)
can be exercised on it:

* a cover page and a 目录 page,
* 第一部分 概况, 第二部分 budget tables, 第三部分 情况说明 (and further parts
  such as 名词解释 when the narrative has them),
* every table on a new page with its label, centred title and a
  "编制部门 / 单位" line, drawn as a fully ruled grid (so pdfplumber's lines
  strategy finds it) with merged multi-level header cells and 类/款/项 code
  columns; when a table continues onto the next page its header is repeated
  but its title is not,
* form-like tables (绩效目标表, whose "sides" are stacked sections such as
  基本信息 / 绩效指标) drawn as one ruled form, placed where the JSON's
  ``placement`` says (inside the narrative) when given,
* landscape A4 for wide tables, portrait otherwise, page numbers in the footer.

Output is deterministic (reportlab invariant mode): re-running the script on
the same input produces a byte-identical PDF.

Usage::

    python scripts/make_sample.py [--input samples/seed_disclosure.json]
                                  [--output samples/sample_budget.pdf]
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = REPO_ROOT / "samples" / "seed_disclosure.json"
DEFAULT_OUTPUT = REPO_ROOT / "samples" / "sample_budget.pdf"

FONT = "STSong-Light"
MARGIN = 18 * mm
FOOTER_Y = 10 * mm
PORTRAIT = A4
LANDSCAPE = landscape(A4)

CELL_PAD = 3.0
FONT_SIZES = (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)
MAX_PORTRAIT_VALUE_COLUMNS = 6
MAX_PORTRAIT_FORM_COLUMNS = 7

FUNCTION_CODE_SLICES = (3, 2, 2)  # 2010301 -> 201 / 03 / 01
ECONOMIC_CODE_SLICES = (3, 2)  # 30101 -> 301 / 01
CODE_LEVEL_NAMES = ("类", "款", "项")
CODE_MARKERS = ("编码", "代码")
SIDE_BY_SIDE_LABELS = ("", "收入", "支出")
CN_NUMERAL_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")
COLUMN_NUMBER = re.compile(r"[※\d\s]*")
CJK = re.compile(r"[\u4e00-\u9fff]")
NO_LINE_START = "，。、；：？！）》」』”’%"


# --------------------------------------------------------------------------
# Small text helpers and flowables
# --------------------------------------------------------------------------


def text_width(text: str, size: float) -> float:
    """Width of ``text`` in points when set in the document font."""
    return pdfmetrics.stringWidth(text, FONT, size)


def wrap_chars(text: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width``, character by character (CJK style)."""
    lines: list[str] = []
    current = ""
    for char in text:
        candidate = current + char
        if current and text_width(candidate, size) > width and char not in NO_LINE_START:
            lines.append(current)
            current = char
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    return lines


def squash(text: str) -> str:
    """Text without any whitespace (for loose comparisons of headings)."""
    return re.sub(r"\s+", "", text)


def escape(text: str) -> str:
    """Escape text for reportlab's Paragraph mini-markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class BoldText(Flowable):
    """A heading drawn "bold-ish" (fill + stroke text render mode), wrapped per character."""

    def __init__(
        self,
        text: str,
        size: float,
        align: str = "left",
        indent: float = 0.0,
        space_before: float = 0.0,
        space_after: float = 0.0,
    ) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.align = align
        self.indent = indent
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.keepWithNext = True
        self.leading = size * 1.5
        self.lines: list[str] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Lay the text out for the available width."""
        self.width = avail_width
        self.lines = wrap_chars(self.text, self.size, avail_width - self.indent)
        self.height = self.leading * len(self.lines)
        return self.width, self.height

    def draw(self) -> None:
        """Draw each line with text render mode 2 (fill and stroke)."""
        canvas = self.canv
        canvas.setLineWidth(self.size * 0.035)
        for index, line in enumerate(self.lines):
            line_width = text_width(line, self.size)
            if self.align == "center":
                x = (self.width - line_width) / 2
            elif self.align == "right":
                x = self.width - line_width
            else:
                x = self.indent
            y = self.height - (index + 1) * self.leading + (self.leading - self.size) / 2 + 1
            text = canvas.beginText(x, y)
            text.setFont(FONT, self.size)
            text.setTextRenderMode(2)
            text.textOut(line)
            text.setTextRenderMode(0)
            canvas.drawText(text)


class LeftRightLine(Flowable):
    """One line of text with a left part and a right part (e.g. 编制部门 / 单位)."""

    def __init__(self, left: str, right: str, size: float = 10.5, space_after: float = 2.0) -> None:
        super().__init__()
        self.left = left
        self.right = right
        self.size = size
        self.spaceAfter = space_after
        self.keepWithNext = True

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """The line takes the full width and one line of height."""
        self.width = avail_width
        self.height = self.size * 1.6
        return self.width, self.height

    def draw(self) -> None:
        """Draw the left text flush left and the right text flush right."""
        canvas = self.canv
        canvas.setFont(FONT, self.size)
        y = (self.height - self.size) / 2 + 1
        canvas.drawString(0, y, self.left)
        canvas.drawRightString(self.width, y, self.right)


def paragraph_style(
    name: str,
    size: float,
    align: int = TA_LEFT,
    leading: float | None = None,
    first_indent: float = 0.0,
) -> ParagraphStyle:
    """A CJK-wrapping paragraph style in the document font."""
    return ParagraphStyle(
        name,
        fontName=FONT,
        fontSize=size,
        leading=leading if leading is not None else size * 1.25,
        alignment=align,
        firstLineIndent=first_indent,
        wordWrap="CJK",
    )


# --------------------------------------------------------------------------
# Table header: merged cells
# --------------------------------------------------------------------------


@dataclass
class Region:
    """A (possibly merged) header cell: text plus its grid rectangle."""

    text: str
    row: int
    col: int
    rows: int = 1
    cols: int = 1


def normalise_header(header_rows: Sequence[Sequence[Any]]) -> list[list[str]]:
    """Pad the header rows to a rectangle of strings ("" for blanks)."""
    width = max((len(row) for row in header_rows), default=0)
    grid = []
    for row in header_rows:
        cells = ["" if cell is None else str(cell).strip() for cell in row]
        grid.append(cells + [""] * (width - len(cells)))
    return grid


def merge_header(grid: list[list[str]]) -> list[Region]:
    """Turn a header grid with "" continuations into merged regions.

    A "" cell continues the region above it when that region's whole column
    span is blank in this row (vertical merge); otherwise it continues the
    region to its left started in the same row, provided both sit under the
    same parent cell (horizontal merge).
    """
    n_rows = len(grid)
    n_cols = len(grid[0]) if grid else 0
    owner: list[list[Region | None]] = [[None] * n_cols for _ in range(n_rows)]
    regions: list[Region] = []
    for r in range(n_rows):
        for region in regions:
            if r == 0 or region.row + region.rows != r:
                continue
            span = range(region.col, region.col + region.cols)
            if all(grid[r][c] == "" and owner[r][c] is None for c in span):
                region.rows += 1
                for c in span:
                    owner[r][c] = region
        for c in range(n_cols):
            if owner[r][c] is not None:
                continue
            left = owner[r][c - 1] if c > 0 else None
            same_parent = r == 0 or (c > 0 and owner[r - 1][c - 1] is owner[r - 1][c])
            if grid[r][c] == "" and left is not None and left.row == r and same_parent:
                left.cols += 1
                owner[r][c] = left
            else:
                region = Region(grid[r][c], r, c)
                regions.append(region)
                owner[r][c] = region
    return regions


def column_labels(grid: list[list[str]]) -> list[str]:
    """Concatenated header texts per grid column, ignoring column-number rows ("※", "1", "2" …)."""
    n_cols = len(grid[0]) if grid else 0
    return [
        "".join(row[c] for row in grid if not COLUMN_NUMBER.fullmatch(row[c]))
        for c in range(n_cols)
    ]


# --------------------------------------------------------------------------
# Table layout: which grid column shows what
# --------------------------------------------------------------------------


@dataclass
class Column:
    """One grid column of a table side: kind is "code", "name", "subject" or "value"."""

    kind: str
    index: int = 0  # code level (0=类, 1=款, 2=项) or value column index


@dataclass
class SideLayout:
    """Grid columns of one side of a table and how its codes are split."""

    side: dict[str, Any]
    columns: list[Column]
    code_slices: tuple[int, ...] = ()

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The side's body rows."""
        return list(self.side.get("rows") or [])

    def text_target(self, row: dict[str, Any]) -> str:
        """Column kind that shows the name of a row without its own 科目名称 (subject).

        In tables with both 科目名称 and 项目名称 columns, rows that carry a code
        are 科目 rows (name goes under 科目名称); other rows (总计, unit names)
        go to the leftmost text column.
        """
        kinds = [c.kind for c in self.columns if c.kind in ("name", "subject")]
        if len(kinds) < 2 or row.get("subject"):
            return "name"
        return "subject" if row.get("code") else kinds[0]


def code_slices_for(rows: Sequence[dict[str, Any]]) -> tuple[int, ...]:
    """Code split for a side: function codes (2xx) → 类/款/项, economic (3xx/5xx) → 类/款."""
    codes = [str(row["code"]).strip() for row in rows if row.get("code")]
    if not codes:
        return ()
    if any(code.startswith("2") or len(code) > 5 for code in codes):
        return FUNCTION_CODE_SLICES
    return ECONOMIC_CODE_SLICES


def split_code(code: str | None, slices: tuple[int, ...]) -> list[str]:
    """Split a classification code into its 类/款/项 parts ("2010301" → 201, 03, 01)."""
    parts = [""] * len(slices)
    if not code or not slices:
        return parts
    code = str(code).strip()
    start = 0
    for level, size in enumerate(slices):
        end = len(code) if level == len(slices) - 1 else start + size
        parts[level] = code[start:end]
        start = end
    return parts


def value_columns(side: dict[str, Any]) -> list[Column]:
    """The value columns of a side, one per header path."""
    return [Column("value", i) for i in range(len(side.get("columns") or []))]


def inferred_descriptors(side: dict[str, Any], slices: tuple[int, ...]) -> list[Column]:
    """Descriptor columns implied by the rows alone: codes, subject, name."""
    rows = side.get("rows") or []
    columns = [Column("code", level) for level in range(len(slices))]
    if any(row.get("subject") for row in rows):
        columns.append(Column("subject"))
    if not rows or any((row.get("name") or "").strip() for row in rows):
        columns.append(Column("name"))
    return columns


def classify_descriptors(labels: Sequence[str]) -> list[Column] | None:
    """Classify header columns as code / name / subject from their labels, or None."""
    columns: list[Column] = []
    text_positions: list[int] = []
    for label in labels:
        if label in CODE_LEVEL_NAMES or any(marker in label for marker in CODE_MARKERS):
            columns.append(Column("code", sum(c.kind == "code" for c in columns)))
        else:
            text_positions.append(len(columns))
            columns.append(Column("name"))
    if len(text_positions) > 2:
        return None
    if len(text_positions) == 2:
        first, second = text_positions
        subject = second if "科目" in labels[second] and "科目" not in labels[first] else first
        columns[subject] = Column("subject")
    return columns


def order_like_header(inferred: list[Column], labels: Sequence[str]) -> list[Column]:
    """Reorder inferred descriptor columns to follow the header, when the header agrees."""
    classified = classify_descriptors(labels)
    if classified is None:
        return inferred
    kinds = sorted(c.kind for c in classified)
    return classified if kinds == sorted(c.kind for c in inferred) else inferred


def expand_code_column(grid: list[list[str]], col: int, levels: int) -> list[list[str]]:
    """Split a single "科目编码" header column into 类/款/项 sub-columns."""
    grid = [row[:] for row in grid]
    if len(grid) == 1:
        grid.append([""] * len(grid[0]))
    last = len(grid) - 1
    for r, row in enumerate(grid):
        if r == last:
            row[col : col + 1] = list(CODE_LEVEL_NAMES[:levels])
        else:
            row[col : col + 1] = [row[col]] + [""] * (levels - 1)
    return grid


def layouts_matching_width(
    sides: Sequence[dict[str, Any]], labels: Sequence[str]
) -> list[SideLayout] | None:
    """Side layouts whose column count equals the header's: with codes, else codes hidden.

    Two-sided summary tables often carry 类 codes in the JSON that the
    original does not print; the transcribed header then has no code columns.
    """
    slices = [code_slices_for(side.get("rows") or []) for side in sides]
    for variant in (slices, [() for _ in sides]):
        descriptors = [inferred_descriptors(s, sl) for s, sl in zip(sides, variant, strict=True)]
        widths = [len(d) + len(value_columns(s)) for d, s in zip(descriptors, sides, strict=True)]
        if sum(widths) != len(labels):
            continue
        layouts, offset = [], 0
        for side, desc, sl, width in zip(sides, descriptors, variant, widths, strict=True):
            ordered = order_like_header(desc, labels[offset : offset + len(desc)])
            layouts.append(SideLayout(side, ordered + value_columns(side), sl))
            offset += width
        return layouts
    return None


def plan_from_header(
    table: dict[str, Any], grid: list[list[str]]
) -> tuple[list[list[str]], list[SideLayout]] | None:
    """Fit the body columns to the transcribed header, or None if they cannot agree."""
    sides = table["sides"]
    labels = column_labels(grid)
    if not labels:
        return None
    layouts = layouts_matching_width(sides, labels)
    if layouts is not None:
        return grid, layouts
    if len(sides) != 1:
        return None
    side = sides[0]
    slices = code_slices_for(side.get("rows") or [])
    n_desc = len(labels) - len(value_columns(side))
    described = classify_descriptors(labels[:n_desc]) if n_desc >= 0 else None
    if described is None:
        return None
    code_cols = [i for i, c in enumerate(described) if c.kind == "code"]
    if slices and len(code_cols) == 1 and len(slices) > 1:
        return plan_from_header(table, expand_code_column(grid, code_cols[0], len(slices)))
    if len(code_cols) > len(FUNCTION_CODE_SLICES):
        return None
    if code_cols and len(code_cols) != len(slices):
        slices = FUNCTION_CODE_SLICES[: len(code_cols)]
    elif not code_cols:
        slices = ()
    return grid, [SideLayout(side, described + value_columns(side), slices)]


def descriptor_path(column: Column, columns: Sequence[Column]) -> list[str]:
    """Synthesised header path for a descriptor column."""
    has_codes = any(c.kind == "code" for c in columns)
    has_subject = any(c.kind == "subject" for c in columns)
    if column.kind == "code":
        return ["科目编码", CODE_LEVEL_NAMES[column.index]]
    if column.kind == "subject":
        return ["科目名称"]
    if has_subject:
        return ["项目名称"]
    return ["科目名称" if has_codes else "项目"]


def synthesise_header(table: dict[str, Any]) -> tuple[list[list[str]], list[SideLayout]]:
    """Build the header from the column paths when the transcribed header does not fit."""
    sides = table["sides"]
    layouts = []
    for side in sides:
        slices = code_slices_for(side.get("rows") or [])
        layouts.append(
            SideLayout(side, inferred_descriptors(side, slices) + value_columns(side), slices)
        )
    paths: list[list[list[str]]] = []
    for layout in layouts:
        side_paths = []
        for column in layout.columns:
            if column.kind == "value":
                side_paths.append([str(p) for p in layout.side["columns"][column.index]])
            else:
                side_paths.append(descriptor_path(column, layout.columns))
        paths.append(side_paths)
    depth = max((len(p) for side_paths in paths for p in side_paths), default=1)
    labelled = len(sides) > 1 and any(side.get("side") for side in sides)
    grid: list[list[str]] = [[] for _ in range(depth + int(labelled))]
    for side, side_paths in zip(sides, paths, strict=True):
        if labelled:
            grid[0].extend([side.get("side") or ""] + [""] * (len(side_paths) - 1))
        for level in range(depth):
            row = grid[level + int(labelled)]
            for c, path in enumerate(side_paths):
                repeated = c > 0 and side_paths[c - 1][: level + 1] == path[: level + 1]
                row.append(path[level] if level < len(path) and not repeated else "")
    return grid, layouts


def plan_table(table: dict[str, Any]) -> tuple[list[list[str]], list[SideLayout]]:
    """Decide the header grid and the per-side column layout of a table."""
    grid = normalise_header(table.get("header_rows") or [])
    planned = plan_from_header(table, grid) if grid else None
    if planned is None:
        print(
            f"  note: {table.get('label') or table.get('title')}: header rebuilt from column paths"
        )
        planned = synthesise_header(table)
    return planned


# --------------------------------------------------------------------------
# Table body and widths
# --------------------------------------------------------------------------


def align_rows(layouts: Sequence[SideLayout]) -> list[list[dict[str, Any] | None]]:
    """Row lists of all sides padded to equal length; a trailing 总计 row stays at the bottom."""
    n_rows = max((len(layout.rows) for layout in layouts), default=0)
    aligned: list[list[dict[str, Any] | None]] = []
    for layout in layouts:
        rows: list[dict[str, Any] | None] = list(layout.rows)
        missing = n_rows - len(rows)
        if missing and rows and "总计" in (layout.rows[-1].get("name") or ""):
            rows = rows[:-1] + [None] * missing + rows[-1:]
        else:
            rows += [None] * missing
        aligned.append(rows)
    return aligned


def cell_text(row: dict[str, Any] | None, column: Column, layout: SideLayout) -> str:
    """The plain text of one body cell."""
    if row is None:
        return ""
    if column.kind == "code":
        return split_code(row.get("code"), layout.code_slices)[column.index]
    if column.kind in ("name", "subject"):
        if row.get("subject"):
            return str(row.get(column.kind) or "")
        return str(row.get("name") or "") if layout.text_target(row) == column.kind else ""
    values = row.get("values") or []
    value = values[column.index] if column.index < len(values) else None
    return "" if value is None else str(value)


def body_texts(layouts: Sequence[SideLayout]) -> list[list[str]]:
    """All body rows as plain strings, sides placed next to each other."""
    per_side = align_rows(layouts)
    n_rows = len(per_side[0]) if per_side else 0
    rows = []
    for i in range(n_rows):
        row: list[str] = []
        for layout, side_rows in zip(layouts, per_side, strict=True):
            row.extend(cell_text(side_rows[i], col, layout) for col in layout.columns)
        rows.append(row)
    return rows


def column_widths(
    columns: Sequence[Column],
    header: list[list[str]],
    body: list[list[str]],
    avail: float,
    size: float,
) -> list[float] | None:
    """Column widths filling ``avail`` at font ``size``, or None if the table cannot fit."""
    pad = 2 * CELL_PAD + 2
    mins: list[float] = []
    desired: list[float] = []
    for c, column in enumerate(columns):
        widest = max((text_width(row[c], size) for row in body), default=0.0)
        if column.kind == "code":
            mins.append(max(widest, text_width("类", size)) + pad)
        elif column.kind == "value":
            mins.append(max(widest, 2 * size) + pad)
        else:
            longest_header = max((text_width(row[c], size) for row in header), default=0.0)
            mins.append(min(6 * size, max(widest, longest_header)) + pad)
            desired.append(min(max(widest, longest_header, 6 * size) + pad, 0.38 * avail))
    values = [i for i, c in enumerate(columns) if c.kind == "value"]
    texts = [i for i, c in enumerate(columns) if c.kind in ("name", "subject")]
    widths = list(mins)
    if values:
        uniform = max(mins[i] for i in values)
        if sum(mins) - sum(mins[i] for i in values) + uniform * len(values) <= avail:
            for i in values:
                widths[i] = uniform
    spare = avail - sum(widths)
    if spare < 0:
        return None
    want = [max(d - widths[i], 0.0) for i, d in zip(texts, desired, strict=True)]
    grow = min(spare, sum(want))
    for i, w in zip(texts, want, strict=True):
        widths[i] += grow * w / (sum(want) or 1.0)
    spare -= grow
    receivers = values or texts or list(range(len(columns)))
    text_share = 0.35 if values and texts else 0.0
    for i in texts:
        widths[i] += spare * text_share / len(texts)
    for i in receivers:
        widths[i] += spare * (1 - text_share) / len(receivers)
    return widths


def choose_page_and_widths(
    columns: Sequence[Column], header: list[list[str]], body: list[list[str]]
) -> tuple[str, float, list[float]]:
    """Pick orientation, font size and column widths for a table."""
    n_values = sum(c.kind == "value" for c in columns)
    narrow = n_values <= MAX_PORTRAIT_VALUE_COLUMNS
    orientations = ["portrait", "landscape"] if narrow else ["landscape"]
    for orientation in orientations:
        page = PORTRAIT if orientation == "portrait" else LANDSCAPE
        avail = page[0] - 2 * MARGIN
        sizes = FONT_SIZES[:3] if orientation == "portrait" and narrow else FONT_SIZES
        for size in sizes:
            widths = column_widths(columns, header, body, avail, size)
            if widths is not None:
                return orientation, size, widths
    avail = LANDSCAPE[0] - 2 * MARGIN
    return "landscape", FONT_SIZES[-1], [avail / len(columns)] * len(columns)


RULED = True
"""Draw cell borders; --unruled renders tables as aligned text only (as some publishers do)."""


def base_table_style(size: float) -> list[tuple[Any, ...]]:
    """Style commands shared by all tables."""
    return [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.25),
        *([("GRID", (0, 0), (-1, -1), 0.6, "black")] if RULED else []),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 4.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
    ]


def build_grid_table(table: dict[str, Any]) -> tuple[str, Table]:
    """Build the ruled grid of a 收支/科目 table; returns (orientation, table)."""
    header, layouts = plan_table(table)
    columns = [column for layout in layouts for column in layout.columns]
    body = body_texts(layouts)
    orientation, size, widths = choose_page_and_widths(columns, header, body)
    head_style = paragraph_style("th", size, TA_CENTER)
    text_style = paragraph_style("td", size, TA_LEFT)
    n_head, n_cols = len(header), len(columns)

    data: list[list[Any]] = [[""] * n_cols for _ in range(n_head)]
    commands = base_table_style(size)
    for region in merge_header(header):
        data[region.row][region.col] = Paragraph(escape(region.text), head_style)
        if region.rows > 1 or region.cols > 1:
            end = (region.col + region.cols - 1, region.row + region.rows - 1)
            commands.append(("SPAN", (region.col, region.row), end))
    for texts in body:
        row: list[Any] = []
        for column, text in zip(columns, texts, strict=True):
            wrap = column.kind in ("name", "subject") and text
            row.append(Paragraph(escape(text), text_style) if wrap else text)
        data.append(row)
    for c, column in enumerate(columns):
        align = {"code": "CENTER", "value": "RIGHT"}.get(column.kind, "LEFT")
        commands.append(("ALIGN", (c, n_head), (c, -1), align))

    statement = table.get("empty_statement")
    if statement:
        data.append([Paragraph(escape(statement), head_style)] + [""] * (n_cols - 1))
        last = len(data) - 1
        commands += [
            ("SPAN", (0, last), (-1, last)),
            ("TOPPADDING", (0, last), (-1, last), 8),
            ("BOTTOMPADDING", (0, last), (-1, last), 8),
        ]
    grid_table = Table(data, colWidths=widths, repeatRows=n_head, hAlign="CENTER")
    grid_table.setStyle(TableStyle(commands))
    return orientation, grid_table


# --------------------------------------------------------------------------
# Form-like tables (绩效目标表): stacked sections in one ruled grid
# --------------------------------------------------------------------------


def is_form_table(table: dict[str, Any]) -> bool:
    """True when the sides are stacked form sections (基本信息, 绩效指标 …), not 收入/支出."""
    return any((side.get("side") or "") not in SIDE_BY_SIDE_LABELS for side in table["sides"])


@dataclass
class FormGrid:
    """Cell texts and merges of a form table, filled section by section."""

    n_cols: int
    cells: list[list[str]] = field(default_factory=list)
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)  # c0, r0, c1, r1
    head: set[tuple[int, int]] = field(default_factory=set)

    def new_row(self) -> int:
        """Append an empty row and return its index."""
        self.cells.append([""] * self.n_cols)
        return len(self.cells) - 1

    def put(
        self, row: int, c0: int, c1: int, text: str, head: bool = False, r1: int | None = None
    ) -> None:
        """Write ``text`` at (row, c0), merged across columns c0..c1 and rows row..r1."""
        r1 = row if r1 is None else r1
        self.cells[row][c0] = text
        if c1 > c0 or r1 > row:
            self.spans.append((c0, row, c1, r1))
        if head:
            self.head.add((row, c0))

    def is_wide(self, row: int, col: int) -> bool:
        """True when the cell at (row, col) is merged horizontally."""
        return any(c0 == col and r0 == row and c1 > c0 for c0, r0, c1, _ in self.spans)

    def cell_width(self, row: int, col: int, widths: Sequence[float]) -> float:
        """Width of the (possibly merged) cell starting at (row, col)."""
        last = max((c1 for c0, r0, c1, _ in self.spans if (c0, r0) == (col, row)), default=col)
        return sum(widths[col : last + 1])

    def merge_runs(self, first: int, last: int, col: int) -> None:
        """Merge vertical runs of identical texts in a column (e.g. repeated 一级指标)."""
        start = first
        while start <= last:
            end = start
            text = self.cells[start][col]
            while (
                end + 1 <= last
                and text
                and self.cells[end + 1][col] == text
                and not self.is_wide(end + 1, col)
                and not self.is_wide(start, col)
            ):
                end += 1
            if end > start:
                self.spans.append((col, start, col, end))
                for r in range(start + 1, end + 1):
                    self.cells[r][col] = ""
            start = end + 1


def value_text(values: Sequence[Any], index: int) -> str:
    """One value of a row as text ("" for blanks and missing entries)."""
    value = values[index] if index < len(values) else None
    return "" if value is None else str(value)


def add_indicator_section(grid: FormGrid, header: list[list[str]], side: dict[str, Any]) -> None:
    """A section laid out under the transcribed header (e.g. 一级指标 | 二级指标 | …)."""
    top = len(grid.cells)
    for _ in header:
        grid.new_row()
    for region in merge_header(header):
        end_col = region.col + region.cols - 1
        end_row = top + region.row + region.rows - 1
        grid.put(top + region.row, region.col, end_col, region.text, True, end_row)
    first = len(grid.cells)
    n_values = len(side.get("columns") or [])
    for row in side.get("rows") or []:
        r = grid.new_row()
        grid.put(r, 0, 0, str(row.get("name") or ""))
        values = row.get("values") or []
        for i in range(n_values):
            end = grid.n_cols - 1 if i == n_values - 1 else i + 1
            grid.put(r, i + 1, end, value_text(values, i))
    last = len(grid.cells) - 1
    grid.merge_runs(first, last, 0)
    if n_values > 1:
        grid.merge_runs(first, last, 1)


def add_info_section(grid: FormGrid, side: dict[str, Any]) -> None:
    """A label/content section (基本信息); an optional row "group" becomes a merged left cell."""
    rows = side.get("rows") or []
    label_cols = 2 if any(row.get("group") for row in rows) else 1
    first = len(grid.cells)
    for row in rows:
        r = grid.new_row()
        name = str(row.get("name") or "")
        if row.get("group"):
            grid.put(r, 0, 0, str(row["group"]), head=True)
            grid.put(r, 1, 1, name, head=True)
        else:
            grid.put(r, 0, label_cols - 1, name, head=True)
        grid.put(r, label_cols, grid.n_cols - 1, value_text(row.get("values") or [], 0))
    grid.merge_runs(first, len(grid.cells) - 1, 0)


def spread(n_cols: int, n_items: int, start: int) -> list[tuple[int, int]]:
    """Split columns start..start+n_cols-1 into n_items contiguous (first, last) spans."""
    spans, col = [], start
    for i in range(n_items):
        size = n_cols // n_items + (1 if i < n_cols % n_items else 0)
        spans.append((col, col + size - 1))
        col += size
    return spans


def add_group_section(grid: FormGrid, side: dict[str, Any]) -> None:
    """A labelled sub-table (e.g. 年度预算: 资金来源 | 资金总额) with the label merged down the left."""
    paths = [[str(p) for p in path] for path in side.get("columns") or []]
    rows = side.get("rows") or []
    if grid.n_cols - 2 < len(paths):
        add_indicator_section(grid, [[side.get("side") or ""] + [p[-1] for p in paths]], side)
        return
    spans = spread(grid.n_cols - 2, len(paths), 2)
    top = grid.new_row()
    for i, (path, (c0, c1)) in enumerate(zip(paths, spans, strict=True)):
        grid.put(top, 1 if i == 0 else c0, c1, "".join(path), head=True)
    for row in rows:
        r = grid.new_row()
        grid.put(r, 1, 1, str(row.get("name") or ""))
        values = row.get("values") or []
        for i, (c0, c1) in enumerate(spans):
            grid.put(r, c0, c1, value_text(values, i))
    last = len(grid.cells) - 1
    grid.put(top, 0, 0, str(side.get("side") or ""), head=True, r1=last)
    grid.merge_runs(top + 1, last, 1)


def build_form_grid(table: dict[str, Any]) -> FormGrid:
    """Lay the stacked sections of a form table into one grid."""
    header = normalise_header(table.get("header_rows") or [])
    widths = [1 + len(side.get("columns") or []) for side in table["sides"]]
    n_cols = max(widths + ([len(header[0])] if header else []))
    grid = FormGrid(n_cols)
    for side, width in zip(table["sides"], widths, strict=True):
        if header and width == len(header[0]):
            add_indicator_section(grid, header, side)
        elif width == 2:
            add_info_section(grid, side)
        else:
            add_group_section(grid, side)
    return grid


def form_widths(grid: FormGrid, avail: float, size: float) -> list[float]:
    """Column widths for a form: proportional to single-column content, within sane limits."""
    pad = 2 * CELL_PAD + 2
    minimum = 3 * size + pad
    desired = [minimum] * grid.n_cols
    for r, row in enumerate(grid.cells):
        for c, text in enumerate(row):
            if text and not grid.is_wide(r, c):
                wanted = min(text_width(text, size) + pad, 0.3 * avail)
                desired[c] = max(desired[c], wanted)
    total = sum(desired)
    if total <= avail:
        return [d + (avail - total) * d / total for d in desired]
    shrink = (avail - minimum * grid.n_cols) / (total - minimum * grid.n_cols)
    return [minimum + (d - minimum) * shrink for d in desired]


def build_form_table(table: dict[str, Any]) -> tuple[str, Table]:
    """Build the ruled grid of a form-like table; returns (orientation, table)."""
    grid = build_form_grid(table)
    orientation = "portrait" if grid.n_cols <= MAX_PORTRAIT_FORM_COLUMNS else "landscape"
    page = PORTRAIT if orientation == "portrait" else LANDSCAPE
    size = 9.0
    widths = form_widths(grid, page[0] - 2 * MARGIN, size)
    centred = paragraph_style("fc", size, TA_CENTER)
    justified = paragraph_style("fj", size, TA_JUSTIFY)
    data: list[list[Any]] = []
    for r, row in enumerate(grid.cells):
        cells: list[Any] = []
        for c, text in enumerate(row):
            one_line = text_width(text, size) <= grid.cell_width(r, c, widths) - 2 * CELL_PAD
            style = centred if (r, c) in grid.head or one_line else justified
            cells.append(Paragraph(escape(text), style) if text else "")
        data.append(cells)
    commands = base_table_style(size)
    commands += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in grid.spans]
    form = Table(data, colWidths=widths, hAlign="CENTER")
    form.setStyle(TableStyle(commands))
    return orientation, form


# --------------------------------------------------------------------------
# Document sections
# --------------------------------------------------------------------------


@dataclass
class Styles:
    """Paragraph styles of the running text."""

    body: ParagraphStyle = field(
        default_factory=lambda: paragraph_style("body", 12, TA_JUSTIFY, leading=21, first_indent=24)
    )
    toc: ParagraphStyle = field(default_factory=lambda: paragraph_style("toc", 11.5, leading=19))
    toc_item: ParagraphStyle = field(
        default_factory=lambda: ParagraphStyle(
            "toc_item", paragraph_style("toc", 11.5, leading=19), leftIndent=36
        )
    )
    signature: ParagraphStyle = field(
        default_factory=lambda: paragraph_style("sign", 12, TA_RIGHT, leading=22)
    )


def document_title(document: dict[str, Any]) -> str:
    """Title such as "2024年部门预算" from the document's year and kind."""
    year = document.get("year") or ""
    kind = str(document.get("kind") or "")
    if not CJK.search(kind):
        kind = "预算"
    if not kind.startswith("部门"):
        kind = "部门" + kind
    return f"{year}年{kind}" if year else kind


def part_titles(doc: dict[str, Any]) -> dict[str, str]:
    """Headings of the parts of the disclosure (from the JSON when it has them)."""
    year = doc["document"].get("year") or ""
    prefix = f"{year}年" if year else ""
    return {
        "profile": str(doc.get("profile_heading") or "第一部分  部门概况"),
        "tables": str(doc.get("tables_heading") or f"第二部分  {prefix}部门预算表"),
        "narrative": f"第三部分  {prefix}部门预算情况说明",
    }


def is_signature(section: dict[str, Any]) -> bool:
    """True for the closing block (department name and date, no heading)."""
    return section.get("kind") == "signature" or (
        not section.get("heading") and int(section.get("level") or 0) == 0
    )


def table_placements(doc: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    """Narrative section index → tables placed right after it (via the table's "placement")."""
    sections = doc.get("narrative") or []
    placed: dict[int, list[dict[str, Any]]] = {}
    for table in doc.get("tables") or []:
        where = squash(str(table.get("placement") or ""))
        if not where:
            continue
        for index, section in enumerate(sections):
            heading = squash(str(section.get("heading") or ""))
            if heading and where.endswith(heading):
                placed.setdefault(index, []).append(table)
                break
    return placed


def cover_flowables(doc: dict[str, Any]) -> list[Flowable]:
    """Cover page: department, title, date."""
    document = doc["document"]
    department = str(document.get("department") or "")
    region = str(document.get("region") or "")
    date = str(document.get("date") or "")
    flowables: list[Flowable] = [Spacer(1, 55 * mm)]
    if region and region not in department:
        flowables.append(BoldText(region, 18, "center", space_after=4 * mm))
    flowables += [
        BoldText(department, 26, "center", space_after=12 * mm),
        BoldText(document_title(document) + "公开", 30, "center"),
        Spacer(1, 90 * mm),
    ]
    if date:
        flowables.append(BoldText(date, 16, "center"))
    return flowables


def toc_flowables(doc: dict[str, Any], styles: Styles) -> list[Flowable]:
    """A 目录 page listing parts, tables and section headings (no page numbers, as is common)."""
    parts = part_titles(doc)
    placed = {id(t) for tables in table_placements(doc).values() for t in tables}
    lines: list[tuple[int, str]] = [(0, parts["profile"]), (0, parts["tables"])]
    for table in doc.get("tables") or []:
        if id(table) not in placed:
            lines.append((1, f"{table.get('label') or ''}  {table.get('title') or ''}".strip()))
    sections = doc.get("narrative") or []
    if not sections or not PART_HEADING.match(str(sections[0].get("heading") or "")):
        lines.append((0, parts["narrative"]))
    for section in sections:
        heading = str(section.get("heading") or "").strip()
        if heading and PART_HEADING.match(heading):
            lines.append((0, heading))
        elif heading and int(section.get("level") or 1) <= 2:
            lines.append((1, heading))
    flowables: list[Flowable] = [BoldText("目    录", 20, "center", space_after=6 * mm)]
    for depth, text in lines:
        flowables.append(Paragraph(escape(text), styles.toc_item if depth else styles.toc))
    return flowables


def profile_flowables(doc: dict[str, Any], styles: Styles) -> list[Flowable]:
    """第一部分 概况: short numbered lines become sub-headings, the rest body paragraphs."""
    flowables: list[Flowable] = [
        BoldText(part_titles(doc)["profile"], 18, "center", space_after=6 * mm)
    ]
    for text in doc.get("profile_text") or []:
        text = str(text).strip()
        if not text or PART_HEADING.match(text):
            continue
        if CN_NUMERAL_HEADING.match(text) and len(text) <= 30:
            flowables.append(BoldText(text, 14, indent=24, space_before=6, space_after=4))
        else:
            flowables.append(Paragraph(escape(text), styles.body))
    return flowables


def table_flowables(doc: dict[str, Any], table: dict[str, Any]) -> tuple[str, list[Flowable]]:
    """Label, centred title, 编制部门/单位 line and the ruled grid of one table."""
    builder = build_form_table if is_form_table(table) else build_grid_table
    orientation, grid_table = builder(table)
    department = str(doc["document"].get("department") or "")
    unit = str(table.get("unit") or doc["document"].get("unit") or "万元")
    flowables: list[Flowable] = []
    if table.get("label"):
        flowables.append(BoldText(str(table["label"]), 12, space_after=2))
    flowables.append(BoldText(str(table.get("title") or ""), 17, "center", space_after=2))
    if table.get("subtitle"):
        flowables.append(BoldText(str(table["subtitle"]), 12, "center", space_after=2))
    flowables += [LeftRightLine(f"编制部门：{department}", f"单位：{unit}"), grid_table]
    return orientation, flowables


def placed_table_pages(doc: dict[str, Any], tables: Sequence[dict[str, Any]]) -> list[Flowable]:
    """Tables inserted into the narrative, each on its own page, then back to portrait."""
    flowables: list[Flowable] = []
    for table in tables:
        orientation, parts = table_flowables(doc, table)
        flowables += new_page(orientation) + parts
    return flowables + new_page("portrait")


def section_flowables(section: dict[str, Any], styles: Styles) -> list[Flowable]:
    """One narrative section: its heading (by level) and wrapped paragraphs."""
    heading = str(section.get("heading") or "").strip()
    paragraphs = [str(p).strip() for p in section.get("paragraphs") or [] if str(p).strip()]
    if is_signature(section):
        return [Spacer(1, 12 * mm)] + [Paragraph(escape(p), styles.signature) for p in paragraphs]
    flowables: list[Flowable] = []
    if PART_HEADING.match(heading):
        flowables.append(BoldText(heading, 18, "center", space_after=6 * mm))
    elif heading:
        size = {1: 15.0, 2: 14.0}.get(int(section.get("level") or 1), 12.5)
        flowables.append(BoldText(heading, size, indent=24, space_before=8, space_after=4))
    flowables += [Paragraph(escape(p), styles.body) for p in paragraphs]
    return flowables


def narrative_flowables(doc: dict[str, Any], styles: Styles) -> list[Flowable]:
    """第三部分 情况说明 and later parts; each part starts a page, placed tables are inserted."""
    sections = doc.get("narrative") or []
    placements = table_placements(doc)
    flowables: list[Flowable] = []
    if not sections or not PART_HEADING.match(str(sections[0].get("heading") or "")):
        flowables.append(BoldText(part_titles(doc)["narrative"], 18, "center", space_after=6 * mm))
    for index, section in enumerate(sections):
        if index and PART_HEADING.match(str(section.get("heading") or "")):
            flowables += new_page("portrait")
        flowables += section_flowables(section, styles)
        if index in placements:
            flowables += placed_table_pages(doc, placements[index])
    return flowables


def section_page(title: str) -> list[Flowable]:
    """A divider page carrying only a part title."""
    return [Spacer(1, 70 * mm), BoldText(title, 24, "center")]


# --------------------------------------------------------------------------
# Document assembly
# --------------------------------------------------------------------------


class Footer:
    """Draws "- n -" page numbers, counting from the first page that has a footer."""

    def __init__(self) -> None:
        self.first_page: int | None = None

    def __call__(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """onPage hook: draw the centred page number."""
        page = canvas.getPageNumber()
        if self.first_page is None:
            self.first_page = page
        canvas.saveState()
        canvas.setFont(FONT, 10)
        canvas.drawCentredString(doc.pagesize[0] / 2, FOOTER_Y, f"- {page - self.first_page + 1} -")
        canvas.restoreState()


def page_template(name: str, pagesize: tuple[float, float], footer: Footer | None) -> PageTemplate:
    """A one-frame page template in the given orientation, with an optional footer."""
    frame = Frame(
        MARGIN,
        MARGIN,
        pagesize[0] - 2 * MARGIN,
        pagesize[1] - 2 * MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=f"{name}-frame",
    )
    if footer is None:
        return PageTemplate(id=name, frames=[frame], pagesize=pagesize)
    return PageTemplate(id=name, frames=[frame], pagesize=pagesize, onPage=footer)


def new_page(template: str) -> list[Flowable]:
    """Switch to ``template`` and start a new page."""
    return [NextPageTemplate(template), PageBreak()]


def story(doc: dict[str, Any]) -> list[Flowable]:
    """All flowables of the document, in reading order."""
    styles = Styles()
    placed = {id(t) for tables in table_placements(doc).values() for t in tables}
    flowables = cover_flowables(doc)
    flowables += new_page("front") + toc_flowables(doc, styles)
    flowables += new_page("portrait") + profile_flowables(doc, styles)
    flowables += new_page("portrait") + section_page(part_titles(doc)["tables"])
    for table in doc.get("tables") or []:
        if id(table) not in placed:
            orientation, table_parts = table_flowables(doc, table)
            flowables += new_page(orientation) + table_parts
    flowables += new_page("portrait") + narrative_flowables(doc, styles)
    return flowables


def render(doc: dict[str, Any], output: Path) -> int:
    """Render the disclosure to ``output``; returns the number of pages."""
    rl_config.invariant = 1
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    document = doc["document"]
    department = str(document.get("department") or "")
    output.parent.mkdir(parents=True, exist_ok=True)
    template = BaseDocTemplate(
        str(output),
        pagesize=PORTRAIT,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{department}{document_title(document)}公开",
        author=department,
        subject="budgetqa sample budget disclosure",
        creator="budgetqa scripts/make_sample.py",
        invariant=1,
    )
    footer = Footer()
    template.addPageTemplates(
        [
            page_template("front", PORTRAIT, None),
            page_template("portrait", PORTRAIT, footer),
            page_template("landscape", LANDSCAPE, footer),
        ]
    )
    template.build(story(doc))
    return template.page


def load_disclosure(path: Path) -> dict[str, Any]:
    """Read the structured disclosure JSON."""
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    if not data.get("complete"):
        print(f"warning: {path} is not marked complete; rendering what is there")
    return data


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="disclosure JSON")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="PDF to write")
    parser.add_argument("--unruled", action="store_true", help="draw no cell borders (a harder sample)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: JSON in, PDF out."""
    global RULED
    args = parse_args(argv)
    RULED = not args.unruled
    disclosure = load_disclosure(args.input)
    pages = render(disclosure, args.output)
    print(f"wrote {args.output} ({pages} pages, {len(disclosure.get('tables') or [])} tables)")


if __name__ == "__main__":
    main()
