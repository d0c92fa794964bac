"""Draw disclosures with layouts and PDF quirks neither variant_docs.py nor wild_docs.py draws (an out-of-sample measure).

Written apart from the ingest fixes, from what real 部门预算/决算 PDFs (exported from
Word/WPS/Excel or printed by finance systems) do: a ToUnicode map that names characters by
their Kangxi radical or CJK radical-supplement code point (⼀ for 一, ⽀ for 支, ⺠ for 民),
as WPS exports do when one glyph serves both; fake-bold titles or 合计 rows overprinted a
fraction of a point apart (every character doubled in the text layer); landscape pages
printed on a portrait page with /Rotate 90, or turned without the flag; tables with no rules
at all (Excel printed without borders: numbers right-aligned, header centred); 类 codes in a
merged cell printed once, vertically centred over the rows of the 类; 功能分类 names indented
by level with full-width spaces and no codes; zeros printed "—" or a bare "0" among decimals;
a running head and "第 n 页 共 N 页" with the header repeated on every page (Excel print
titles); two small tables side by side, or narrative figures printed right under a table;
letter-spaced labels ("合　　计", "项　　目"). Each document takes one option of every
dimension of variant_docs.DIMENSIONS and of :data:`STRANGER_DIMENSIONS` (the first option of
each is neutral: the drawing variant_docs makes); every amount still adds up, so
bench/variant_check.py scores it unchanged.

Left out: full-width digits in amounts ("１２３.４５"), since variant_check compares printed
texts literally and would count an ingest that normalises them as missing every amount.

Run with ``python bench/layout_variants.py --stranger --seed 1 --count 40 [--failures]``.
Seeds 1-3 may be tuned on; seeds 20-24 are held out (never run them while tuning).

First run (ingest as on branch main when this generator was written, nothing tuned on it; 40
documents a seed; right / missed / wrong / codes as amounts / extra / identity failures in
checks (code, 合计 row, 合计 column) / tables found of drawn (unexpected) / form items):
seed 1 (39 drawn) 527/6624/383/24/0 of 7534, 29 in 1361 (6, 15, 8), 51/282 (70), 116/477;
seed 2 (40) 666/6650/468/25/51 of 7784, 17 in 1522 (0, 9, 8), 56/302 (89), 100/485;
seed 3 (38) 673/6454/147/38/11 of 7274, 18 in 1706 (6, 3, 9), 45/278 (116), 56/448.
Three documents were not drawn (a 类 merged over more rows than a landscape page holds: the
generator's limit). A document carries about five quirks at once, so one option at a time
(seed 1, documents 500-501, every other stranger dimension neutral) says what each costs: all
neutral 416/416 right; rotate-flag, lei-rowspan, indented, em-dash, bare-zero, narrative-below
and letter-spaced read right alone (ruled, upright). The causes of the rest:

* overprint=title 0/416: the doubled title ("22002255年年部部门门…") is no title, every table
  is 未命名 or misnamed; total-row 40 right, 342 wrong: a doubled 合计 row printed first is
  read as a header line, every column named "合计1122338899..9999";
* rotation=turned 0/416: text set sideways on a portrait page (no /Rotate) is never read;
* glyphs=kangxi 19/416: radicals are not mapped to their ideographs, so titles with ⻔/⽀/⼊
  ("⻔部收⼊预算表") are not taken for titles (未命名表) or keep the radical, and no table matches;
* borders=none 38 right, 360 missed, 161 extra: a table with no rules at all runs on into the
  next page's tables (all read as the 收支总表, columns 列1, 列2 …);
* page_marks=running 56/416: the running head at a page top, between a title printed at the
  previous page's foot and its grid, hides the title (未命名表);
* neighbours=side-by-side 378/393: two titles on one line read as one title, both tables lost.

In the combined runs lei-rowspan also goes wrong (seed 1: 376 wrong, 18 codes as amounts) beside
other quirks: a 类 code centred over its rows sits on a child row's line, so the 类 row loses its
code and, read by alignment, "209" is stored as an amount; and on running-head pages the page
foot and head ("第6页共13页…部门预算公开") are read as a header level over every column.

Page furniture and neighbours (branch furniture): running heads/feet and page numbers are found
once per document (ingest/page_marks.py: an outermost line in the top/bottom band, beside no
rule, repeated in words at one height on many pages, or a page number counting up) and removed
before anything reads the page; side-by-side tables take their titles from their own lanes
(ingest/side_by_side.py). Seeds 1/2/3 right 2009/2666/3246 → 2575/3003/3534, wrong 673/427/609
→ 603/320/333, codes 18/29/26 → 18/5/26; every document with neither rotation=turned nor
borders=none now reads all its amounts (seed 1: 11 of 39, 2049/2049). Forced alone, running
56/416 → all right, side-by-side 378/393 → all right; indented, narrative-below and letter-spaced
already read right. The rest lies in those two dimensions (a bare table's wrapped indented names
are cut, and more bare tables now found read some rows under a cut name).

After the no-rules and merged-cell fixes (branch bare, measured before furniture was merged) (``ingest/bare_grid.py``, ``ingest/read_doubts.py``):
borders=none alone (documents 500-501) 416/416 right, with lei-rowspan too; seed 1 5984 right,
0 wrong, 0 codes as amounts, 0 extra, 0 identity failures (borders=none 3016 of 3967, the rest
missed: titles hidden by running heads, side-by-side tables, sideways pages); seed 2 5137 right,
4 wrong (a letter-spaced 总计 label, fixed since); seed 3 5636 right, 2 wrong (bare zeros "0"
on a continued page), 2 codes as amounts (a ruled merged-cell document whose title is lost).

Continuations of tables without rules (branch stranger2): a sideways page printing the title and
header again but no 类 code read its header "类款" over one column, so it was not taken for a
continuation; read alone, its 款/项 parts joined no code and seed 21 stored 30 figures on uncoded
rows. A header made of several of the grid's header texts now repeats it (``grid``), and a row
labelled by a lone 款/项 part is a read doubt (``read_doubts``: dropped, not stored). Also: the
centred 栏次 line no longer keeps a left-set bold 合计 row off its columns; a letter-spaced 合计
spread over the code and name columns is set on the names (``bare_grid``); a page holding one
spilled row carries a bare table on when its columns fall one to one in the table's
(``pdf_reader``). Seeds 1/2/3/21 right 7320/7561/7184/6951 → 7435/7773/7274/7197, wrong
0/0/1/30 → 0/0/0/0, identity failures 3/2/1/6 → 3/2/0/0. Left: seed 1 s007's sideways 支出表
(merged 类 cells, wrapped names, two-level header) is dropped by the self-check, 3 of 68 sums
failing (90 figures).

A merged 类 code beside a wrapped name (branch rowspan): with split codes, a merged 类 cell,
no rules and wrapped names, the centred 类 code fell on the first line of a later row's wrapped
name and, read as an integer, made that line a row of its own (the code with half a name, no
figures), so the group's first rows lost their 类 and 类 = Σ款 failed: the table was dropped (seed
1 s007 3 of 68 checks, seed 22 s015 3 of 47). Such a code (the line, it aside, prints name text
only) is now moved onto its 类 row when its rows are centred on it, as a code between rows is
(``bare_grid``). Seeds 1/22 right 7435/7584 → 7522/7643, tables 281/291 → 282/292; seeds 2, 3,
21, 23 unchanged; all 0 wrong, 0 codes as amounts.

Short continuation pages (branch shortpage): a bare table running onto a page that holds one
row was lost there in two ways. The header printed again over that row (with or without the
title) made no frame (two data lines needed) nor a carried-on row (a header stands above it):
the row was missed, or read by the text reader as a table of its own with its wrapped name cut.
A frame may now hold one data line when a header labels each of its figures; a rule between the
header and the row keeps the row out of the header (``bare_grid``), and the page joins as any
continuation does. A page holding only the bottom 总计 row, its label set right in a cell
spanning the code and name columns, did not fit the table's columns; a lone 总计/合计 row with
a figure in each column right of its label, the column left of it a column of names, now sets
its label on the names (``grid.with_total_on_names``). Seeds 1/2/3/21/22/23 right
7522/7773/7274/7197/7643/6997 → 7528/7782/7274/7200/7649/7003; all 0 wrong, 0 codes as amounts.

A letter-spaced total spilled under split codes (branch rowspan2): no rules, split 类/款/项 codes
under one "科目" label, wrapped names, the table's last row and a fake-bold "合　　计" row (a cell
spanning the code and name columns) spilled onto the next page and read in the table's own columns
(``pdf_reader._in_columns``): the code columns' edges cut the label into "合" (类 column) and "计"
(款 column), those columns then held words, were taken for amount columns and the 款 parts read as
figures; the self-check dropped the table ("科目" column of codes). A total label cut so, left of
the names, is now joined on the name column as the first page sets it (``grid``). Seed 32 right
7551 → 7621 of 7621 (s033's 收入表, 70 figures); seeds 1-3, 21-31, ruled 15, wild 33/35-37 unchanged,
all 0 wrong, 0 codes as amounts.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from stranger_pdf import Bold, SideBySide, build
from variant_docs import (
    _SMALL,
    DIMENSIONS,
    PAGE_WIDTH,
    Amount,
    DrawnDoc,
    DrawnTable,
    Writer,
    _sum,
    department,
)

STRANGER_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "glyphs": ("plain", "kangxi"),
    "overprint": ("none", "title", "total-row"),
    "rotation": ("upright", "rotate-flag", "turned"),
    "borders": ("as-drawn", "none"),
    "merged": ("none", "lei-rowspan"),
    "levels": ("as-drawn", "indented"),
    "zeros": ("as-drawn", "em-dash", "bare-zero"),
    "page_marks": ("plain", "running"),
    "neighbours": ("none", "side-by-side", "narrative-below"),
    "spacing": ("none", "letter-spaced"),
}
"""PDF-level quirks and layouts of real disclosures the other two generators do not draw."""

RADICALS: dict[str, str] = {unicodedata.normalize("NFKC", chr(cp)): chr(cp) for cp in range(0x2F00, 0x2FD6)}
RADICALS |= {"民": "⺠", "门": "⻔", "车": "⻋", "长": "⻓", "见": "⻅", "贝": "⻉", "页": "⻚", "马": "⻢"}
"""Unified ideograph → the radical code point a WPS export's ToUnicode map may name it by."""
_SPACED = {"合计": "合　　计", "总计": "总　　计", "项目": "项　　目", "科目名称": "科　目　名　称",
           "科目编码": "科　目　编　码", "本年预算": "本　年　预　算"}
_TOTALS = ("合计", "总计", "收入总计", "支出总计")
_NUMBER = re.compile(r"^-?[\d,]+(\.\d+)?$")


@dataclass(slots=True)
class StrangerDoc(DrawnDoc):
    """A drawn document whose PDF carries the quirks of its variants (see stranger_pdf.build)."""

    sides: list[SideBySide] = field(default_factory=list)
    radicals: dict[str, str] = field(default_factory=dict)

    def draw(self, folder: Path) -> Path:
        running = f"{self.department}部门预算公开" if self.variants["page_marks"] == "running" else None
        return build(folder / self.name, self.blocks, self.spans, self.widths, self.rules, self.pagesize,
                     self.radicals, self.variants["rotation"], running)


class StrangerWriter(Writer):
    """A :class:`Writer` that also draws the layouts of :data:`STRANGER_DIMENSIONS`."""

    def __init__(self, rng: random.Random, doc: StrangerDoc, year: int) -> None:
        super().__init__(rng, doc, year)
        if self.v["rotation"] != "upright":
            doc.pagesize = landscape(A4)
            self.page_width = doc.pagesize[0] - (A4[0] - PAGE_WIDTH)

    # --- printed forms ---------------------------------------------------------------------

    def empty(self) -> Decimal | None:
        zeros = self.v["zeros"]
        return Decimal(0) if zeros == "bare-zero" else None if zeros == "em-dash" else super().empty()

    def text(self, value: Decimal | None) -> str:
        if value is None and self.v["zeros"] == "em-dash":
            return "—"
        if value is not None and value == 0 and self.v["zeros"] == "bare-zero":
            return "0"
        return super().text(value)

    def inline_label(self, code: str, name: str) -> str:
        if self.v["levels"] == "indented":
            return "　" * (len(code) - 3) + name  # two full-width spaces a level
        return super().inline_label(code, name)

    def coded_table(self, words: str, columns: list[str], groups: dict[str, list[str]], rows_per_lei: int,
                    economic: bool = False, leis: tuple[int, int] = (2, 4)) -> None:
        super().coded_table(words, columns, groups, rows_per_lei, economic, leis)
        table = self.doc.tables[-1]
        if self.v["levels"] == "indented":  # no code printed: rows are known by name only
            table.amounts = [Amount(None, a.name, a.column, a.text) for a in table.amounts]
            table.codes = set()
        if self.v["neighbours"] == "narrative-below":
            totals = [a for a in table.amounts if a.code is None and a.name in _TOTALS]
            said = "，".join(f"{a.column}{a.text}{self.v['unit']}" for a in totals[:3])
            self.doc.blocks.append(f"{self.year}年{words.removesuffix('表')}{said}，比上年增加"
                                   f"{self.rng.randint(1, 99)}.{self.rng.randint(10, 99)}{self.v['unit']}，"
                                   f"增长{self.rng.randint(1, 30)}.{self.rng.randint(1, 9)}%。")

    # --- grids -------------------------------------------------------------------------------

    def grid(self, rows: list[list[str]], widths: list[float], spans: list[tuple] | None, head: int) -> None:
        """Merge 类 codes, space labels, overprint 合计 rows and drop the rules, as the variants say."""
        rows = [list(r) for r in rows]
        spans = list(spans or [])
        style: list[tuple] = []
        if self.v["merged"] == "lei-rowspan":
            style += _merge_lei(rows, spans, head)
        if self.v["spacing"] == "letter-spaced":
            rows = [[_SPACED.get(c, c) for c in r] for r in rows]
        if self.v["overprint"] == "total-row":
            rows = [[Bold(c) if c else c for c in r] if re.sub(r"\s", "", r[0]) in _TOTALS else r for r in rows]
        if self.v["borders"] == "none":
            rules = [*style, ("ALIGN", (0, 0), (-1, max(head, 1) - 1), "CENTER")]
            for col in range(len(widths)):
                cells = [r[col] for r in rows[head:] if r[col]]
                if cells and sum(bool(_NUMBER.match(c)) for c in cells) * 2 > len(cells):
                    rules.append(("ALIGN", (col, head), (col, -1), "RIGHT"))
            self.doc.grid(rows, widths, spans, rules)
        elif style:
            self.doc.grid(rows, widths, spans, [("GRID", (0, 0), (-1, -1), 0.5, "black"), *style])
        else:
            self.doc.grid(rows, widths, spans)

    # --- small tables ------------------------------------------------------------------------

    def small_tables(self) -> None:
        if self.v["neighbours"] != "side-by-side":
            return super().small_tables()
        self.doc.blocks.append(None)
        halves = []
        for words, items in self.rng.sample(_SMALL, 2):
            title = self.title(words)
            table = DrawnTable(title, self.words)
            self.doc.tables.append(table)
            rows = [["项目", "本年预算"]]
            amounts = [self.amount(1, 90) for _ in items[: self.rng.randint(2, len(items))]]
            for item, value in zip(items, amounts, strict=False):
                rows.append([item, self.text(value)])
                table.amounts.append(Amount(None, item, "本年预算", self.text(value)))
            rows.append(["合计", self.text(_sum(amounts))])
            table.amounts.append(Amount(None, "合计", "本年预算", self.text(_sum(amounts))))
            if self.v["spacing"] == "letter-spaced":
                rows = [[_SPACED.get(c, c) for c in r] for r in rows]
            if self.v["overprint"] == "total-row":
                rows[-1] = [Bold(c) for c in rows[-1]]
            halves.append((Bold(title) if self.v["overprint"] == "title" else title, self.meta_line(), rows,
                           [115.0, 95.0]))
        self.doc.blocks.append(SideBySide(*halves))


def _merge_lei(rows: list[list[str]], spans: list[tuple], head: int) -> list[tuple]:
    """Print each 类 code once in a cell merged over its rows, vertically centred (Excel merged cells)."""
    style: list[tuple] = []
    r = head
    while r < len(rows):
        code = rows[r][0]
        end = r
        if re.fullmatch(r"\d{3}", code):
            while end + 1 < len(rows) and rows[end + 1][0] in (code, "") and rows[end + 1][1]:
                end += 1
        if end > r:
            for k in range(r + 1, end + 1):
                rows[k][0] = ""
            spans.append(((0, r), (0, end)))
            style.append(("VALIGN", (0, r), (0, end), "MIDDLE"))
        r = end + 1
    return style


def generate_stranger(seed: int, number: int, force: dict[str, str] | None = None) -> StrangerDoc:
    """The ``number``-th document of a seeded stranger run (``force`` fixes some choices of either set)."""
    rng = random.Random(f"stranger:{seed}:{number}")
    variants = {name: rng.choice(options) for name, options in {**DIMENSIONS, **STRANGER_DIMENSIONS}.items()}
    variants |= force or {}
    if variants["levels"] == "indented":
        variants["codes"], variants["merged"] = "inline", "none"
    elif variants["merged"] == "lei-rowspan":
        variants["codes"], variants["code_repeat"] = rng.choice(["split", "split-bare"]), "full"
    if variants["page_marks"] == "running":
        variants["continuation"] = "header-only"
    name = department(rng)
    year = rng.randint(2019, 2026)
    doc = StrangerDoc(f"s{number:03d}-{name}{year}年部门预算.pdf", name, variants)
    writer = StrangerWriter(rng, doc, year)
    cover = f"{name}{year}年部门预算"
    doc.blocks += [Bold(cover) if variants["overprint"] == "title" else cover, 20.0,
                   f"{name}主要职能是负责本地区相关行业的管理和服务工作。本年度预算按照综合预算原则编制。", None]
    writer.overview()
    doc.blocks.append(None)
    writer.coded_table("部门收入预算表", ["合计", *rng.sample(["财政拨款", "事业收入", "其他收入"], 2)], {}, 2)
    doc.blocks.append(None)
    writer.coded_table("部门支出预算表", ["合计", "基本支出", "项目支出"], {}, rng.randint(2, 8))
    doc.blocks.append(None)
    writer.coded_table("一般公共预算基本支出预算表", ["合计", "人员经费", "公用经费"], {}, 5, economic=True)
    writer.small_tables()
    writer.form()
    if variants["overprint"] == "title":
        titles = {t.title for t in doc.tables} | {f"{t.title}（续）" for t in doc.tables}
        doc.blocks = [Bold(b) if isinstance(b, str) and b in titles else b for b in doc.blocks]
    if variants["glyphs"] == "kangxi":
        present = sorted(set("".join(_texts(doc))) & set(RADICALS))
        doc.radicals = {ch: RADICALS[ch] for ch in present if rng.random() < 0.5}
    return doc


def _texts(doc: StrangerDoc) -> list[str]:
    from stranger_pdf import texts

    return list(texts(doc.blocks))
