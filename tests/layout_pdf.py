"""Draw small disclosure PDFs with reportlab from a list of blocks (shared by layout tests and benches).

A block is a line of text, a line with text at both ends (a pair), a ruled grid (rows of
cells), a vertical gap in points, or None for a page break, so a caller states the layout
it draws in a few lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

FONT = "STSong-Light"
Block = str | tuple[str, str] | list[list[str]] | float | None
"""A line of text, a line with text at both ends, a ruled grid (rows of cells), a vertical gap in
points, or None for a page break."""


def make_pdf(
    path: Path,
    blocks: Sequence[Block],
    spans: dict[int, list[tuple]] | None = None,
    widths: dict[int, list[float]] | None = None,
    page_numbers: bool = False,
    rules: dict[int, list[tuple]] | None = None,
    pagesize: tuple[float, float] = A4,
) -> Path:
    """Draw ``blocks`` top to bottom; ``spans[i]`` lists reportlab SPAN commands for the i-th grid,
    ``widths[i]`` its column widths in points; ``page_numbers`` prints "- n -" at each page's foot.
    ``rules[i]`` replaces the i-th grid's full ruling with these style commands (LINEABOVE…, or none);
    ``pagesize`` is (width, height) in points."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    style = ParagraphStyle("line", fontName=FONT, fontSize=10, leading=14)
    story = build_story(blocks, spans or {}, widths or {}, rules or {}, pagesize, style)

    def number(canvas, doc) -> None:
        if page_numbers:
            canvas.setFont(FONT, 9)
            canvas.drawCentredString(pagesize[0] / 2, 30, f"- {doc.page} -")

    SimpleDocTemplate(str(path), pagesize=pagesize, invariant=1).build(story, onFirstPage=number, onLaterPages=number)
    return path


def build_story(
    blocks: Sequence[object],
    spans: dict[int, list[tuple]],
    widths: dict[int, list[float]],
    rules: dict[int, list[tuple]],
    pagesize: tuple[float, float],
    style: ParagraphStyle,
    special: Callable[[object], Flowable | None] = lambda block: None,
    grid: Callable[[list[list[str]], list[float] | None, list[tuple]], Table] | None = None,
) -> list:
    """The flowables of ``blocks`` (see :func:`make_pdf`); ``special`` draws a block kind of a caller's
    own (None for the kinds here), ``grid`` makes a grid's Table from its rows, widths and style."""
    make_grid = grid or (lambda rows, cols, commands: Table(rows, colWidths=cols, style=TableStyle(commands)))
    story: list = []
    grids = 0
    for block in blocks:
        own = special(block)
        if own is not None:
            story.append(own)
        elif block is None:
            story.append(PageBreak())
        elif isinstance(block, float):
            story.append(Spacer(1, block))
        elif isinstance(block, str):
            story.append(Paragraph(block, style))
        elif isinstance(block, tuple):
            width = pagesize[0] - 144
            story.append(Table([list(block)], colWidths=[width * 0.7, width * 0.3], style=TableStyle(
                [("FONT", (0, 0), (-1, -1), FONT, 10), ("ALIGN", (1, 0), (1, 0), "RIGHT")])))
        else:
            ruling = rules.get(grids, [("GRID", (0, 0), (-1, -1), 0.5, "black")])
            commands = [*ruling, ("FONT", (0, 0), (-1, -1), FONT, 9)]
            commands += [("SPAN", *span) for span in spans.get(grids, [])]
            story.append(make_grid(block, widths.get(grids), commands))
            grids += 1
    return story
