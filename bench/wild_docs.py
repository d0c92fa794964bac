"""Draw disclosures with layouts bench/variant_docs.py never draws (an independent, harder measure).

Real 部门预算/决算 PDFs show layouts the first generator does not: the national-template
收支总表 (收入 | 支出 side by side, sides of different lengths, 本年收入合计 | 本年支出合计,
上年结转 | 年末结转和结余 and 收入总计 | 支出总计 on shared lines, optionally a 行次 column
per side), 科目编码 printed "201-01-02" or "201 01 02" in one cell or "[2010102]" before
the name, three-level column headers and a 合计 column printed last, tables ruled only by a
top, header and bottom rule (a "three-line" Word table) or by horizontal rules only,
negative amounts ("-12.34", "（12.34）") beside a 增减率 column of percentages, landscape
pages with more columns, tables three or more pages long with the header on page 1 only,
a 注/说明 line under a table or in its last row, an empty table carrying "本表无数据",
blank rows in the body, header text one character per line, and the 单位 printed at the
right end of the title line. Each document takes one option of every dimension of
:data:`variant_docs.DIMENSIONS` and of :data:`WILD_DIMENSIONS`; every amount still adds up,
so bench/variant_check.py scores it unchanged.

Run with ``python bench/layout_variants.py --wild --seed 15 --count 40 [--failures]``.

First run (seed 15, 40 documents, ingest as merged for issue 15, before any fix it led to):
15670 drawn amounts, 1689 right, 8812 missed, 5169 wrong, 140 codes stored as amounts,
1545 extra values, 58 identity failures in 2317 checks (code 16, 合计 row 16, 合计 column 18,
balance 8), tables 245/345 found (0 split, 9 unexpected), form items 486/486. One dimension
at a time (the others neutral) the causes are: unruled tables (three-line / horizontal rules)
read by the text reader (a quarter right, the rest missed or in the wrong row or column);
行次 columns stored as amounts; 科目编码 printed "201-01-02" or "[2010102]" not read as
codes; a 注 row inside the grid read as a table row; the 单位 at the title line's right end
hiding the title.

After the fixes (same seed and count): 11929 right, 1932 missed, 1809 wrong, 48 codes as
amounts, 48 extra, 125 identity failures in 6564 checks (code 37, 合计 row 26, 合计 column 62,
balance 0), tables 315/345 (1 split, 30 unexpected), form 486/486. Fully ruled documents
read perfectly (4139/4139); all that is left is in tables without vertical rules: multi-level
headers whose spans have only partial rules or none, rows split over pages, and stacked
tables. Since the first run the unruled drawing centres its header rows (a label over
several columns is readable without rules only when centred there).

With the ingest self-check (ingest/self_check.py: a table read from alignment whose sums
fail beyond one slip, that stores codes as amounts or whose header was not read is left
out, with a document warning): 11803 right, 3614 missed, 253 wrong, 2 codes as amounts,
0 extra, 18 identity failures in 5996 checks (code 18: parts lost at page breaks, 合计 row 0,
合计 column 0), tables 302/345 (0 split, 22 unexpected). 23 open/unruled tables dropped: 126
right amounts lost, 1556 wrong ones gone. Most of the 253 wrong left are in tables whose
sums hold but whose multi-level header labels were joined wrongly (a figure in the right
column under a wrong header path), which arithmetic cannot see.

With headers without vertical rules read label by label (ingest/open_header.py: levels by
vertical position, a parent spanning the centred run of columns that covers the labels
under it, a doubtful parent left out): 12683 right, 2978 missed, 9 wrong, 2 codes as
amounts, 0 extra, 18 identity failures in 6353 checks (code 18), tables 305/345 (0 split,
22 unexpected); 20 of 222 open/unruled tables dropped. The 253 wrong were three-level
spending headers: 基本支出 centred over one leaf's column (a label over a single label
was never taken for a parent) or joined into one row with 人员经费 through the vertically
centred 科目编码, and wrapped leaves put a level up. The 9 left are right columns under a
wrong row name: a wrapped name read as its last line only (two rows), a 注 line joined to
the last row's name (one row).

Other seeds (40 documents each; right / missed / wrong / codes as amounts / extra / identity
failures), before → after the fixes below: seed 1 12683/2937/18/0/0/3 → 15148/490/0/0/0/0;
seed 2 11043/4114/94/0/0/13 → 14498/753/0/0/0/12; seed 3 12532/2726/42/10/4/7 →
14824/476/0/0/0/0; seed 15 12683/2978/9/2/0/18 → 14079/1591/0/0/0/9 (tables found 305 → 334
of 345, 22 → 0 unexpected). Causes: a header printed one character per line counted as many
text lines, so the frame failed the data-share test and the text reader stored the figures
under made-up column names; likewise rows ruled one by one whose names wrap over three lines
(the name then read as its last line, the code lost); a 注/说明 line joined to the last row's
name; a name wrapped over evenly spaced lines above its data line cut to its last line (its
lines each took the other as nearer, reaching no data line); 款 parts of 10 or more between a
类 code column and zero-padded 项 parts read as amounts (and the 类 column with them, the table
split in two sides); "表6" printed against its title's year ("表62025年…") taken for 表62, the
title cut to "025年…". Left: seed 2's 12 code identity failures (child rows of one 类 missed
on a long table's page, no wrong figure).

Seed 5 (never tuned on), before → after: 14688/372/18/0/0/0 → 14706/372/0/0/0/0. The 18 wrong
were one 基本支出 table ruled by three lines whose "栏次 1 2 3" line, printed in the header's band,
was joined onto the labels ("合计1", "人员经费2"); a column-number line is now a row of its own
(the ruled reader's rule), never a label's line. The 372 missed are one 支出 table (w009 表3).

Seeds 7 and 9 (never tuned on), before → after: seed 7 12745/1745/20/0/0/0 → 12745/1765/0/0/0/0;
seed 9 13640/960/127/0/0/7 → 13611/1116/0/0/0/7. Both wrong sets were tables read without
vertical rules whose label column was taken for a value column: seed 7 an unruled 收入表 whose
wrapped first name was read as its last line, the code lost (合计 under "科目编码及名称", 事业收入
under "合计"); seed 9 an open 支出表 with every figure under the header to its left ("科目名称").
The sums still held; the self-check now drops an uncertain table holding a figure under a
header that names row labels (``ingest/self_check.py``). The reader cause is still open.

Whole tables missed (three-line tables, names wrapped over three lines; right before → after):
seed 7 12745 → 14177 (missed 1765 → 333), seed 8 12606 → 15267 (2769 → 108), seed 9 13611 →
14305, seed 15 14079 → 15561, none wrong. Two of every three lines were a row's wrapped name, so
the frame failed the data-share test (now a data row's wrapped lines count with it), and the
table's middle pages, printed without any rule, ended it (now read in its column span,
``ingest/open_grid.py``).

Columns the figures alone do not show (tables without vertical rules), right/missed/wrong
before → after: seed 11 15586/94/8 → 15677/11/0, seed 7 14177/333/0 → 14510/0/0, seed 9
14305/422 → 14667/60, seed 8 15267/108 → 15369/6, seed 1 15564/74 → 15638/0, seeds 2-4, 6, 15
likewise up, none wrong. The "栏次 1 2 3" line, centred where integers print right-aligned,
cut each figure column in two (every figure under the header to its left; the self-check
dropped the tables): it is no longer column evidence. A column blank in every row ("其他收入")
showed no gap in the figures, so its label joined the neighbour's ("财政拨款其他收入", 8 wrong):
two labels side by side centred in one figure column, the figures all under one, now part
(``ingest/open_header.py``). Seed 9's 60 are rows not printed in the PDF and a page-break case.

Column-number lines read as values (held-out seed 38, extra/identity failures before → after:
5/1 → 0/0, all 13,630 right throughout): a three-line 支出表 ending on a page holding only its
repeated header, the "栏次 1 2 3" line and the 总计 row found no name column there, so 栏次 joined
the first figure column's "1" ("栏次1") and the line was stored as 2…6. A column-number row is now
read token by token (``ingest/grid.py``): labels glued to a number or letter-spaced ("栏 次"), the
first number missing, a text dump's letter-spaced 栏次 likewise.
"""

from __future__ import annotations

import random
from decimal import Decimal

from reportlab.lib.pagesizes import A4, landscape
from variant_docs import (
    DIMENSIONS,
    PAGE_WIDTH,
    Amount,
    DrawnDoc,
    DrawnTable,
    Writer,
    _shift,
    _split,
    _sum,
    department,
)

WILD_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "overview": ("template", "numbered"),
    "code_print": ("as-drawn", "dashed", "spaced", "bracketed"),
    "spend_header": ("as-drawn", "three-level", "total-last"),
    "ruling": ("grid", "three-line", "horizontal"),
    "signs": ("minus", "brackets"),
    "orientation": ("portrait", "landscape"),
    "length": ("normal", "long"),
    "notes": ("none", "below", "inside", "empty-table"),
    "blank_rows": ("none", "some"),
    "vertical": ("none", "one-char-lines"),
    "unit_line": ("own-line", "title-right"),
}
"""Layout dimensions real disclosures show and variant_docs.DIMENSIONS does not."""

_INCOME = ("一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "财政专户管理资金收入",
           "事业收入", "事业单位经营收入", "其他收入")
_SPENDING = ("一般公共服务支出", "外交支出", "教育支出", "科学技术支出", "文化旅游体育与传媒支出",
             "社会保障和就业支出", "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出", "住房保障支出")
_ORDINALS = "一二三四五六七八九十"
_NOTES = ("注：本表按支出功能分类科目列示。", "说明：本表金额保留两位小数，合计数因四舍五入可能存在尾差。")
_EMPTY_NOTE = "注：本部门无国有资本经营预算拨款收入，也没有使用国有资本经营预算拨款安排的支出，故本表无数据。"
_THREE_LEVEL = ["合计", ("基本支出", [("人员经费", ["工资福利支出", "对个人和家庭的补助"]), "公用经费"]), "项目支出"]
"""A three-level spending header: leaves are strings, groups are (label, children)."""
_LANDSCAPE_EXTRA = ["事业单位经营支出", "对附属单位补助支出", "上缴上级支出"]


class WildWriter(Writer):
    """A :class:`Writer` that also draws the layouts of :data:`WILD_DIMENSIONS`."""

    def __init__(self, rng: random.Random, doc: DrawnDoc, year: int) -> None:
        super().__init__(rng, doc, year)
        self.tree_header: list | None = None
        if self.v["orientation"] == "landscape":
            doc.pagesize = landscape(A4)
            self.page_width = doc.pagesize[0] - (A4[0] - PAGE_WIDTH)

    # --- printed forms ---------------------------------------------------------------------

    def signed(self, value: Decimal) -> str:
        """An amount that may be negative, printed with a minus or in brackets as the variant says."""
        text = self.text(abs(value))
        if value >= 0:
            return text
        return f"-{text}" if self.v["signs"] == "minus" else f"（{text}）"

    def code_cells(self, code: str, level: int, previous: str | None) -> list[str]:
        style = self.v["code_print"]
        if style in ("dashed", "spaced"):
            parts = [p for p in (code[:3], code[3:5], code[5:7]) if p]
            return ["-".join(parts) if style == "dashed" else " ".join(parts)]
        return super().code_cells(code, level, previous)

    def inline_label(self, code: str, name: str) -> str:
        return f"[{code}]{name}" if self.v["code_print"] == "bracketed" else super().inline_label(code, name)

    def fit(self, text: str, width: float) -> str:
        if self.v["vertical"] == "one-char-lines" and width < 70 and len(text) > 2:
            return "\n".join(text.replace("\n", ""))
        return super().fit(text, width)

    def head_blocks(self, title: str, grid_width: int, foot: bool) -> tuple[list, list[list[str]], list[tuple]]:
        lines, rows, spans = super().head_blocks(title, grid_width, foot)
        if self.v["unit_line"] == "title-right" and self.v["meta"] != "dept-inside":
            lines[:2] = [(title, f"单位：{self.v['unit']}")] + (
                [f"部门：{self.doc.department}"] if self.v["meta"] == "dept-above" else [])
        return lines, rows, spans

    # --- grids -------------------------------------------------------------------------------

    def grid(self, rows: list[list[str]], widths: list[float], spans: list[tuple] | None, head: int) -> None:
        """Rule the grid as the variant says: full grid, three rules, or horizontal rules only."""
        ruling = self.v["ruling"]
        if ruling == "grid":
            return super().grid(rows, widths, spans, head)
        rules: list[tuple] = [("LINEABOVE", (0, 0), (-1, 0), 1.0, "black"),
                              ("LINEBELOW", (0, -1), (-1, -1), 1.0, "black")]
        if head:
            # without rules a header stands over what it spans only when centred there
            rules.append(("ALIGN", (0, 0), (-1, head - 1), "CENTER"))
        if ruling == "three-line" and head:
            rules.append(("LINEBELOW", (0, head - 1), (-1, head - 1), 0.5, "black"))
        elif ruling == "horizontal":
            rules.append(("LINEBELOW", (0, 0), (-1, -1), 0.5, "black"))
        self.doc.grid(rows, widths, spans, rules)

    def place(self, table: DrawnTable, title: str, header: list[list[str]], header_spans: list[tuple],
              body: list[list[str]], body_spans: list[tuple], widths: list[float], foot: bool) -> None:
        """Blank rows in the body and a note under the table or in its last row, as the variants say."""
        body, body_spans = list(body), list(body_spans)
        if self.v["blank_rows"] == "some" and len(body) > 3:
            for at in sorted(self.rng.sample(range(1, len(body)), min(3, len(body) - 1)), reverse=True):
                body.insert(at, [""] * len(widths))
                body_spans = [_shift(s, 1) if s[0][1] >= at else s for s in body_spans]
        note = self.rng.choice(_NOTES)
        if self.v["notes"] == "inside":
            body_spans.append(((0, len(body)), (len(widths) - 1, len(body))))
            body.append([note] + [""] * (len(widths) - 1))
        super().place(table, title, header, header_spans, body, body_spans, widths, foot)
        if self.v["notes"] == "below":
            self.doc.blocks.append(note)

    def code_header(self, columns: list[str], groups: dict[str, list[str]], code_width: int
                    ) -> tuple[list[list[str]], list[tuple]]:
        if self.tree_header is None:
            return super().code_header(columns, groups, code_width)
        depth = _depth(self.tree_header)
        split = self.v["codes"] == "split" and code_width == 3
        name_col = "科目名称" if self.v["codes"] != "inline" else "科目编码及名称"
        rows = [[""] * (code_width + 1 + len(columns)) for _ in range(depth)]
        spans: list[tuple] = []
        if code_width:
            rows[0][0] = "科目编码" if self.v["codes"] in ("split", "joined") else "科目"
            spans.append(((0, 0), (code_width - 1, depth - 2 if split else depth - 1)))
            if split:
                rows[depth - 1][:3] = ["类", "款", "项"]
        rows[0][code_width] = name_col
        spans.append(((code_width, 0), (code_width, depth - 1)))
        _lay_header(self.tree_header, rows, spans, code_width + 1, 0, depth)
        return rows, spans

    # --- tables ------------------------------------------------------------------------------

    def template_overview(self) -> None:
        """The national template's 收支总表: 收入 | 支出 sides of different lengths, their 合计,
        结转 and 总计 rows on shared lines, a 行次 column per side when numbered."""
        numbered = self.v["overview"] == "numbered"
        title = self.title("部门收支预算总表")
        table = DrawnTable(title, self.words)
        income = [n for n in _INCOME if self.rng.random() < 0.6] or [_INCOME[0]]
        spend = sorted(self.rng.sample(_SPENDING, self.rng.randint(len(income) + 1, min(10, len(income) + 5))),
                       key=_SPENDING.index)
        incomes = [self.amount(50, 900) for _ in income]
        carried = self.amount(1, 80)
        total = _sum([*incomes, carried])
        left_over = self.amount(1, 40)
        spends = _split(self.rng, total - left_over, len(spend), self.step)
        left = [(f"{_ORDINALS[i]}、{n}", a) for i, (n, a) in enumerate(zip(income, incomes, strict=True))]
        right = [(f"{_ORDINALS[i]}、{n}", a) for i, (n, a) in enumerate(zip(spend, spends, strict=True))]
        left += [("", None)] * (len(right) - len(left))
        left += [("本年收入合计", _sum(incomes)), ("上年结转", carried), ("收入总计", total)]
        right += [("本年支出合计", _sum(spends)), ("年末结转和结余", left_over), ("支出总计", total)]
        rows = []
        for n, ((lname, lvalue), (rname, rvalue)) in enumerate(zip(left, right, strict=True), start=1):
            lrow = [lname, str(n) if lname else "", self.text(lvalue) if lname else ""]
            rrow = [rname, str(n + len(left)), self.text(rvalue)]
            if not numbered:
                del lrow[1], rrow[1]
            else:
                table.codes.update(c for c in (lrow[1], rrow[1]) if c)
            rows.append(lrow + rrow)
            table.amounts += [Amount(None, name, "预算数", self.text(value))
                              for name, value in ((lname, lvalue), (rname, rvalue)) if name]
        side = 3 if numbered else 2
        header = [["收入", *[""] * (side - 1), "支出", *[""] * (side - 1)],
                  ["项目", *(["行次"] if numbered else []), "预算数"] * 2]
        spans = [((0, 0), (side - 1, 0)), ((side, 0), (2 * side - 1, 0))]
        unit = self.page_width / PAGE_WIDTH
        widths = [w * unit for w in ([130.0, 30.0, 65.5] if numbered else [130.0, 95.5])] * 2
        self.place(table, title, header, spans, rows, [], widths, False)

    def change_table(self) -> None:
        """三公经费 this year against last: 增减额 may be negative, 增减率 prints a percentage."""
        title = self.title("一般公共预算三公经费支出表")
        table = DrawnTable(title, self.words)
        columns = ["上年预算数", "本年预算数", "增减额"]
        rows = [["项目", *columns, "增减率"]]
        sums = [Decimal(0), Decimal(0)]
        items = ["因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费"]
        for item in [*items, "合计"]:
            if item == "合计":
                last, this = sums
            else:
                last, this = self.amount(2, 90), self.amount(2, 90)
                sums = [sums[0] + last, sums[1] + this]
            change = this - last
            rate = f"{change / last * 100:.1f}%"
            texts = [self.text(last), self.text(this), self.signed(change)]
            rows.append([item, *texts, rate])
            table.amounts += [Amount(None, item, c, t) for c, t in zip(columns, texts, strict=True)]
        self.doc.tables.append(table)
        self.doc.blocks += [None, title, self.meta_line()]
        self.grid(rows, [self.page_width - 290.0, 80.0, 80.0, 70.0, 60.0], None, 1)
        if self.v["notes"] == "below":
            self.doc.blocks.append("注：增减额为负数表示比上年减少。")

    def empty_table(self) -> None:
        """A table printed with its header and a note that it holds no data."""
        title = self.title("国有资本经营预算支出表")
        self.doc.tables.append(DrawnTable(title, self.words))
        rows = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"], ["", "", "", "", ""]]
        self.doc.blocks += [None, title, self.meta_line()]
        self.grid(rows, [60.0, self.page_width - 60.0 - 3 * 70.0, 70.0, 70.0, 70.0], None, 1)
        self.doc.blocks.append(_EMPTY_NOTE)


def _depth(spec: list) -> int:
    return max((1 + _depth(item[1]) if isinstance(item, tuple) else 1) for item in spec)


def _leaves(spec: list) -> list[str]:
    return [leaf for item in spec for leaf in (_leaves(item[1]) if isinstance(item, tuple) else [item])]


def _lay_header(spec: list, rows: list[list[str]], spans: list[tuple], col: int, level: int, depth: int) -> int:
    """Write a nested header into ``rows`` from column ``col`` at ``level``; the next free column."""
    for item in spec:
        if isinstance(item, tuple):
            label, children = item
            width = len(_leaves(children))
            rows[level][col] = label
            if width > 1:
                spans.append(((col, level), (col + width - 1, level)))
            _lay_header(children, rows, spans, col, level + 1, depth)
            col += width
        else:
            rows[level][col] = item
            if level < depth - 1:
                spans.append(((col, level), (col, depth - 1)))
            col += 1
    return col


def generate_wild(seed: int, number: int, force: dict[str, str] | None = None) -> DrawnDoc:
    """The ``number``-th document of a seeded wild run (``force`` fixes some choices of either set)."""
    rng = random.Random(f"wild:{seed}:{number}")
    variants = {name: rng.choice(options) for name, options in {**DIMENSIONS, **WILD_DIMENSIONS}.items()}
    variants |= force or {}
    if variants["code_print"] in ("dashed", "spaced"):
        variants["codes"] = "joined"
    elif variants["code_print"] == "bracketed":
        variants["codes"] = "inline"
    if variants["length"] == "long":
        variants["continuation"] = "bare"
    name = department(rng)
    year = rng.randint(2019, 2026)
    doc = DrawnDoc(f"w{number:03d}-{name}{year}年部门预算.pdf", name, variants)
    writer = WildWriter(rng, doc, year)
    doc.blocks += [f"{name}{year}年部门预算", 20.0,
                   f"{name}主要职能是负责本地区相关行业的管理和服务工作。本年度预算按照综合预算原则编制。", None]
    writer.template_overview()
    doc.blocks.append(None)
    writer.coded_table("部门收入预算表", ["合计", *rng.sample(["财政拨款", "事业收入", "其他收入"], 2)], {}, 2)
    doc.blocks.append(None)
    landscape_extra = _LANDSCAPE_EXTRA if variants["orientation"] == "landscape" else []
    style = variants["spend_header"]
    if style == "three-level":
        writer.tree_header = [*_THREE_LEVEL, *landscape_extra]
        columns = _leaves(writer.tree_header)
    else:
        columns = ["合计", "基本支出", "项目支出", *landscape_extra]
        if style == "total-last":
            columns = [*columns[1:], "合计"]
    long = variants["length"] == "long"
    writer.coded_table("部门支出预算表", columns, {}, 10 if long else rng.randint(2, 6),
                       leis=(5, 6) if long else (2, 4))
    writer.tree_header = None
    doc.blocks.append(None)
    writer.coded_table("一般公共预算基本支出预算表", ["人员经费", "公用经费", "合计"] if style == "total-last"
                       else ["合计", "人员经费", "公用经费"], {}, 5, economic=True)
    writer.change_table()
    if variants["notes"] == "empty-table":
        writer.empty_table()
    writer.small_tables()
    writer.form()
    return doc
