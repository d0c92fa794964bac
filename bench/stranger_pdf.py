"""Draw a disclosure with the PDF-level quirks of bench/stranger_docs.py (tests/layout_pdf.py's blocks, and more).

Beside layout_pdf's blocks: a :class:`Bold` line or grid cell is overprinted (drawn twice a
fraction of a point apart, as Word/WPS fake a bold face, so every character is doubled in
the text layer); a :class:`SideBySide` block sets two small tables next to each other; a
font whose ToUnicode map names some characters by their Kangxi radical (⽀ for 支, as WPS
exports do when one glyph serves both code points); pages set landscape on a portrait page
with /Rotate 90 or turned without the flag; a running head and "第 n 页 共 N 页" on each page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from layout_pdf import FONT, Block, build_story
from pdfminer.cmapdb import CMapDB
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

OFFSET = 0.35
"""Points between the two strokes of an overprinted (fake bold) text."""
MARGIN, TIGHT = 72.0, 48.0
"""Top and bottom page margins in points: reportlab's default, and the narrower one a document
falls back to when a grid it cannot split (a cell merged over all its rows) is taller than the
default frame (a landscape 绩效目标表 with wrapped indicators); the running head and the page
number stay clear of it."""
SPAN_ROWS = 7
"""When even the narrower margins leave a merged cell too tall for a page, merged cells are cut
into runs of this many rows (half a landscape frame of two-line rows)."""


class Bold(str):
    """A line or cell printed twice with a tiny offset (fake bold)."""


@dataclass(slots=True)
class SideBySide:
    """Two small tables on one line: (title, meta line, rows, widths) each."""

    left: tuple[str, str, list[list[str]], list[float]]
    right: tuple[str, str, list[list[str]], list[float]]


class Overprinted(Flowable):
    """A one-line text drawn twice, ``OFFSET`` apart."""

    def __init__(self, text: str, size: float, centred: bool = False) -> None:
        super().__init__()
        self.text, self.size, self.centred = text, size, centred

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.size * 1.4

    def draw(self) -> None:
        self.canv.setFont(FONT, self.size)
        for dx in (0.0, OFFSET):
            if self.centred:
                self.canv.drawCentredString(self.width / 2 + dx, self.size * 0.3, self.text)
            else:
                self.canv.drawString(dx, self.size * 0.3, self.text)


class RadicalFont(UnicodeCIDFont):
    """STSong-Light with a ToUnicode map naming the characters of ``radicals`` by their radical
    code point (keyed by CID, which is how pdfminer applies a ToUnicode map to a CID font)."""

    def __init__(self, radicals: dict[str, str], text: Iterable[str]) -> None:
        super().__init__(FONT)
        cmap = CMapDB.get_cmap("UniGB-UCS2-H")
        self.pairs: dict[int, str] = {}
        for ch in sorted(set("".join(text)) | set("第页共 -0123456789")):
            if ord(ch) > 0xFFFF:
                continue
            for cid in cmap.decode(ch.encode("utf-16-be")):
                self.pairs.setdefault(cid, radicals.get(ch, ch))

    def addObjects(self, doc) -> None:  # noqa: N802 - reportlab's name
        super().addObjects(doc)
        internal = doc.fontMapping[self.name][1:]
        entries = [f"<{cid:04X}> <{text.encode('utf-16-be').hex().upper()}>" for cid, text in sorted(self.pairs.items())]
        chunks = [entries[i:i + 100] for i in range(0, len(entries), 100)]
        body = "\n".join(f"{len(c)} beginbfchar\n" + "\n".join(c) + "\nendbfchar" for c in chunks)
        cmap = ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
                f"{body}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
        doc.idToObject[internal].dict["ToUnicode"] = doc.Reference(pdfdoc.PDFStream(content=cmap))


def texts(blocks: Sequence[Block | SideBySide]) -> Iterable[str]:
    """Every text the blocks print."""
    for block in blocks:
        if isinstance(block, str):
            yield block
        elif isinstance(block, tuple):
            yield from block
        elif isinstance(block, list):
            yield from (cell for row in block for cell in row)
        elif isinstance(block, SideBySide):
            for title, meta, rows, _ in (block.left, block.right):
                yield from (title, meta, *(cell for row in rows for cell in row))


def _grid(rows: list[list[str]], widths: list[float] | None, commands: list[tuple]) -> Table:
    cells = [[Overprinted(c, 9) if isinstance(c, Bold) else c for c in row] for row in rows]
    return Table(cells, colWidths=widths, style=TableStyle(commands))


def build(path: Path, blocks: Sequence[Block | SideBySide], spans: dict[int, list[tuple]],
          widths: dict[int, list[float]], rules: dict[int, list[tuple]], pagesize: tuple[float, float] = A4,
          radicals: dict[str, str] | None = None, rotation: str = "upright", running: str | None = None) -> Path:
    """Draw ``blocks`` as layout_pdf.make_pdf does (grid ``i`` with ``spans[i]``, ``widths[i]``,
    ``rules[i]``), with the quirks above; ``rotation`` "rotate-flag" or "turned" lays each page out
    landscape on a portrait page, ``running`` is a head line printed on every page."""
    font = RadicalFont(radicals, [*texts(blocks), running or ""]) if radicals else UnicodeCIDFont(FONT)
    pdfmetrics.registerFont(font)
    try:
        return _build(path, blocks, spans, widths, rules, pagesize, rotation, running, MARGIN)
    except LayoutError:  # a grid too tall to fit the default frame and unsplittable
        pass
    try:
        return _build(path, blocks, spans, widths, rules, pagesize, rotation, running, TIGHT)
    except LayoutError:  # still too tall: a merged cell over more rows than a page holds
        cut = {grid: [part for span in grid_spans for part in _cut_span(span)] for grid, grid_spans in spans.items()}
        return _build(path, blocks, cut, widths, rules, pagesize, rotation, running, TIGHT)


def _cut_span(span: tuple, rows: int = SPAN_ROWS) -> list[tuple]:
    """A cell merged over more than ``rows`` rows cut into merged cells of at most ``rows`` rows (the
    text stays in the first), so that reportlab may break the grid between them, as Excel prints a
    merged cell over a page break: its text on the first page, the rest of its rows blank."""
    (c0, r0), (c1, r1) = span
    return [((c0, r), (c1, min(r + rows - 1, r1))) for r in range(r0, r1 + 1, rows)]


def _build(path: Path, blocks: Sequence[Block | SideBySide], spans: dict[int, list[tuple]],
           widths: dict[int, list[float]], rules: dict[int, list[tuple]], pagesize: tuple[float, float],
           rotation: str, running: str | None, margin: float) -> Path:
    """Draw the document with ``margin`` points above and below each page's frame."""
    style = ParagraphStyle("line", fontName=FONT, fontSize=10, leading=14)
    total = _pages(blocks, spans, widths, rules, pagesize, style, margin) if running else 0

    def page(canvas, doc) -> None:
        if rotation != "upright":  # landscape content turned a quarter onto a portrait page
            if rotation == "turned":
                canvas.setPageSize((pagesize[1], pagesize[0]))
            canvas.transform(0, 1, -1, 0, pagesize[1], 0)
        canvas.setFont(FONT, 9)
        if running:
            canvas.drawString(72, pagesize[1] - 40, running)
            canvas.drawCentredString(pagesize[0] / 2, 30, f"第 {doc.page} 页 共 {total} 页")
        else:
            canvas.drawCentredString(pagesize[0] / 2, 30, f"- {doc.page} -")

    # with /Rotate 90 reportlab writes the MediaBox portrait itself (its width and height swapped)
    turn = 90 if rotation == "rotate-flag" else 0
    SimpleDocTemplate(str(path), pagesize=pagesize, invariant=1, rotation=turn, topMargin=margin,
                      bottomMargin=margin).build(
        _story(blocks, spans, widths, rules, pagesize, style), onFirstPage=page, onLaterPages=page)
    return path


def _pages(blocks, spans, widths, rules, pagesize, style, margin: float) -> int:
    """How many pages the blocks fill (a first pass, for "共 N 页")."""
    import io

    counted = SimpleDocTemplate(io.BytesIO(), pagesize=pagesize, invariant=1, topMargin=margin, bottomMargin=margin)
    counted.build(_story(blocks, spans, widths, rules, pagesize, style))
    return counted.page


def _story(blocks, spans, widths, rules, pagesize, style) -> list:
    def special(block: object) -> Flowable | None:
        if isinstance(block, Bold):
            return Overprinted(block, 10)
        if not isinstance(block, SideBySide):
            return None
        halves = []
        for title, meta, rows, cols in (block.left, block.right):
            grid = _grid(rows, cols, [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("FONT", (0, 0), (-1, -1), FONT, 9)])
            halves.append([Paragraph(title, style), Paragraph(meta, style), grid])
        gap = (pagesize[0] - 144 - sum(block.left[3]) - sum(block.right[3]))
        return Table([[halves[0], "", halves[1]]], colWidths=[sum(block.left[3]), gap, sum(block.right[3])],
                     style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                       ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))

    return build_story(blocks, spans, widths, rules, pagesize, style, special=special, grid=_grid)
