"""Draw synthetic disclosures whose layouts vary at random, and remember what each table prints.

A document is a cover, a 收支总表, a 收入表 and a 支出表 by 功能分类 code, a 基本支出表 by
经济分类 code, two or three small tables packed on pages, and a 项目绩效目标表. Every
choice that shapes the layout is drawn per document from :data:`DIMENSIONS`; amounts
are random Decimals that add up (类 = Σ款 = Σ项, 合计 = Σ parts), so every sum identity
holds in the drawing and a failing one is an ingest error.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from layout_pdf import Block, make_pdf
from reportlab.lib.pagesizes import A4

DIMENSIONS: dict[str, tuple[str, ...]] = {
    "codes": ("split", "split-bare", "joined", "inline"),
    "code_repeat": ("full", "lei-omitted", "sparse"),
    "packing": ("one-per-page", "separate", "stacked"),
    "meta": ("unit-only", "dept-above", "dept-inside"),
    "title": ("above", "foot"),
    "continuation": ("title-repeated", "continued-mark", "header-only", "bare"),
    "unit": ("万元", "元"),
    "header": ("flat", "multi", "numbered"),
    "numbers": ("separators", "plain", "integers"),
    "empty": ("blank", "dash", "zero"),
    "names": ("short", "wrapped"),
    "total": ("top", "bottom"),
    "labels": ("none", "表n", "公开n表"),
    "form": ("plain", "weights", "weights-wrapped", "weights-continued"),
}
"""Each layout dimension and its options; a document takes one option of each."""

_SYLLABLES = "青禾川安宁泽林岚平清云溪丰阳明远嘉和临江桐松柳湖石梅兰杉"
_AGENCIES = ("水务局", "农业农村局", "文化和旅游局", "市场监督管理局", "教育局", "卫生健康委员会", "交通运输局",
             "自然资源局", "生态环境局", "统计局", "档案馆", "机关事务管理局", "司法局", "民政局")
_WORDS = ("行政运行", "一般行政管理事务", "机关服务", "事业运行", "专项业务", "信息化建设", "培训支出",
          "监测与评估", "宣传推广", "规划编制", "设施维护", "应急处置", "其他管理支出", "公共服务")
_ECONOMIC = {"301": ("工资福利支出", ("基本工资", "津贴补贴", "奖金", "绩效工资", "社会保障缴费", "住房公积金")),
             "302": ("商品和服务支出", ("办公费", "印刷费", "水电费", "邮电费", "差旅费", "维修费", "培训费")),
             "303": ("对个人和家庭的补助", ("离休费", "退休费", "抚恤金", "生活补助"))}
_SMALL = (("三公经费支出预算表", ("因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费")),
          ("机关运行经费预算表", ("办公费", "水电费", "差旅费", "物业管理费")),
          ("政府采购预算表", ("货物类", "工程类", "服务类")),
          ("政府性基金预算支出表", ("城乡社区支出", "农林水支出", "其他支出")))
_FORM_LEVELS = (("产出指标", ("数量指标", "质量指标", "时效指标")), ("效益指标", ("社会效益指标", "生态效益指标")),
                ("满意度指标", ("服务对象满意度指标",)))
_INDICATOR_WORDS = ("完成率", "覆盖人数", "合格率", "按期完成率", "服务次数", "设施数量", "改善程度", "满意度")
PAGE_WIDTH = 451.0
"""Points between A4's default margins."""


@dataclass(slots=True)
class Amount:
    """One printed amount: its row (code, name), column header leaf and printed text."""

    code: str | None
    name: str
    column: str
    text: str


@dataclass(slots=True)
class FormTruth:
    """What a performance form prints: its amounts and indicators (level1, level2, name, target, weight)."""

    project: str
    amounts: dict[str, Decimal]
    indicators: list[tuple[str, str, str, str, str]]


@dataclass(slots=True)
class DrawnTable:
    """One table as drawn: title, the amounts it prints, the code texts it prints."""

    title: str
    words: str = ""
    """The title without its label ("2024年部门支出预算表"): what a table read should carry."""
    amounts: list[Amount] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)
    form: FormTruth | None = None


@dataclass(slots=True)
class DrawnDoc:
    """A generated disclosure: its layout choices, what to draw, and what it prints."""

    name: str
    department: str
    variants: dict[str, str]
    blocks: list[Block] = field(default_factory=list)
    spans: dict[int, list[tuple]] = field(default_factory=dict)
    widths: dict[int, list[float]] = field(default_factory=dict)
    tables: list[DrawnTable] = field(default_factory=list)
    rules: dict[int, list[tuple]] = field(default_factory=dict)
    """Grids drawn with other rules than a full grid (reportlab LINE… commands, or none)."""
    pagesize: tuple[float, float] = A4

    def grid(self, rows: list[list[str]], widths: list[float], spans: list[tuple] | None = None,
             rules: list[tuple] | None = None) -> None:
        """Add a grid with its column widths and spans, fully ruled unless ``rules`` says otherwise."""
        index = sum(1 for b in self.blocks if isinstance(b, list))
        self.blocks.append(rows)
        self.widths[index] = widths
        if spans:
            self.spans[index] = spans
        if rules is not None:
            self.rules[index] = rules

    def draw(self, folder: Path) -> Path:
        return make_pdf(folder / self.name, self.blocks, self.spans, self.widths, page_numbers=True,
                        rules=self.rules, pagesize=self.pagesize)


class Writer:
    """Draws one document's tables with the layout its variants choose."""

    def __init__(self, rng: random.Random, doc: DrawnDoc, year: int) -> None:
        self.rng, self.doc, self.year = rng, doc, year
        self.v = doc.variants
        self.scale = Decimal(10) if self.v["unit"] == "元" else Decimal(1)
        self.numbered = 0
        self.page_width = PAGE_WIDTH

    # --- numbers ---------------------------------------------------------------------

    @property
    def step(self) -> Decimal:
        """The smallest amount printed: a cent, or a whole unit when amounts print as integers."""
        return Decimal(1) if self.v["numbers"] == "integers" else Decimal("0.01")

    def amount(self, low: int = 5, high: int = 900) -> Decimal:
        units = self.rng.randint(int(low / self.step), int(high / self.step))
        return Decimal(units) * self.step * self.scale

    def empty(self) -> Decimal | None:
        """A cell with nothing in it: None (printed blank or "-"), or a printed zero."""
        return Decimal(0) * self.step if self.v["empty"] == "zero" else None

    def text(self, value: Decimal | None) -> str:
        if value is None:
            return "-" if self.v["empty"] == "dash" else ""
        if self.v["numbers"] == "integers":
            return f"{value:.0f}"
        return f"{value:,.2f}" if self.v["numbers"] == "separators" else f"{value:.2f}"

    # --- titles and metadata -----------------------------------------------------------

    def title(self, words: str) -> str:
        self.numbered += 1
        label = {"none": "", "表n": f"表{self.numbered} ", "公开n表": f"公开{self.numbered:02d}表 "}[self.v["labels"]]
        self.words = f"{self.year}年{words}"
        return f"{label}{self.words}"

    def meta_line(self) -> str:
        unit = f"单位：{self.v['unit']}"
        return f"部门：{self.doc.department}    {unit}" if self.v["meta"] == "dept-above" else unit

    def head_blocks(self, title: str, grid_width: int, foot: bool) -> tuple[list[Block], list[list[str]], list[tuple]]:
        """(blocks before the grid, rows opening the grid, their spans) for a table's title and metadata."""
        lines: list[Block] = [title]
        rows: list[list[str]] = []
        spans: list[tuple] = []
        if self.v["meta"] == "dept-inside":
            rows.append([f"编制单位：{self.doc.department}"] + [""] * (grid_width - 2) + [f"单位：{self.v['unit']}"])
            spans.append(((0, 0), (grid_width - 2, 0)))
        else:
            lines.append(self.meta_line())
        if foot:
            lines.append(None)
        return lines, rows, spans

    def place(self, table: DrawnTable, title: str, header: list[list[str]], header_spans: list[tuple],
              body: list[list[str]], body_spans: list[tuple], widths: list[float], foot: bool) -> None:
        """Draw a (possibly long) table: title and metadata, header, body split over pages as chosen."""
        self.doc.tables.append(table)
        before, meta_rows, meta_spans = self.head_blocks(title, len(widths), foot)
        self.doc.blocks.extend(before)
        chunk = self.rng.randint(18, 28)
        pieces = [body[i:i + chunk] for i in range(0, len(body), chunk)] or [[]]
        first = 0
        for n, piece in enumerate(pieces):
            rows: list[list[str]] = []
            spans: list[tuple] = []
            mode = self.v["continuation"]
            if n == 0:
                rows, spans = list(meta_rows), list(meta_spans)
            else:
                self.doc.blocks.append(None)
                if mode == "title-repeated":
                    self.doc.blocks += [title, self.meta_line()]
                elif mode == "continued-mark":
                    self.doc.blocks.append(f"{title}（续）")
            if n == 0 or mode in ("title-repeated", "continued-mark", "header-only"):
                offset = len(rows)
                rows += header
                spans += [_shift(s, offset) for s in header_spans]
            offset = len(rows)
            rows += piece
            spans += [_shift(s, offset - first) for s in body_spans if first <= s[0][1] < first + len(piece)]
            first += len(piece)
            self.grid(rows, widths, spans, offset)

    def grid(self, rows: list[list[str]], widths: list[float], spans: list[tuple] | None, head: int) -> None:
        """Draw one grid whose first ``head`` rows are title, metadata and header rows."""
        self.doc.grid(rows, widths, spans)

    # --- coded tables --------------------------------------------------------------------

    def code_cells(self, code: str, level: int, previous: str | None) -> list[str]:
        """The code as printed in the code columns (three split columns, or one)."""
        style = self.v["codes"]
        if style in ("joined", "inline"):
            return [code]
        parts = [code[:3], code[3:5], code[5:7]]
        parts = parts[: level + 1] + [""] * (2 - level)
        repeat = self.v["code_repeat"]
        if repeat == "sparse" and level > 0:
            parts = ["" for _ in range(level)] + [parts[level]] + [""] * (2 - level)
        elif repeat == "lei-omitted" and level == 2 and previous is not None and previous[:3] == code[:3]:
            parts[0] = ""
        return parts

    def inline_label(self, code: str, name: str) -> str:
        """A row label with its code written before the name (no code column)."""
        return f"{code} {name}"

    def fit(self, text: str, width: float) -> str:
        """A header text as printed in a column ``width`` points wide."""
        return _fit(text, width)

    def coded_table(self, words: str, columns: list[str], groups: dict[str, list[str]], rows_per_lei: int,
                    economic: bool = False, leis: tuple[int, int] = (2, 4)) -> None:
        """A table of code rows (功能分类 类/款/项 or 经济分类 类/款) under a total row."""
        title = self.title(words)
        table = DrawnTable(title, self.words)
        tree = (_economic_tree(self.rng, rows_per_lei) if economic
                else _function_tree(self.rng, rows_per_lei, leis))
        if self.v["names"] == "wrapped" and not economic:
            tree = [(code, f"{self.rng.choice(_WORDS)}{name}") for code, name in tree]
        leaves = [code for code, _ in tree if not any(c != code and c.startswith(code) for c, _ in tree)]
        parts = [c for c in columns if c != "合计"]
        values: dict[str, dict[str, Decimal | None]] = {}
        for code in leaves:
            values[code] = {c: (self.amount() if self.rng.random() > 0.25 or c == parts[0] else self.empty())
                            for c in parts}
        for code, _ in sorted(tree, key=lambda t: -len(t[0])):
            if code not in values:
                kids = [k for k, _ in tree if len(k) == len(code) + 2 and k.startswith(code)]
                values[code] = {c: _sum(values[k][c] for k in kids) for c in parts}
        for code in values:
            values[code]["合计"] = _sum(values[code][c] for c in parts)
        total = {c: _sum(values[code][c] for code, _ in tree if len(code) == 3) for c in columns}
        code_width = 3 if self.v["codes"] in ("split", "split-bare") else (1 if self.v["codes"] == "joined" else 0)
        if economic and code_width == 3:
            code_width = 2
        widths = self.widths(code_width, len(columns))
        header, header_spans = self.code_header(columns, groups, code_width)
        header = [[self.fit(text, width) for text, width in zip(row, widths, strict=True)] for row in header]
        if self.v["header"] == "numbered":
            header.append([""] * code_width + ["栏次"] + [str(i) for i in range(1, len(columns) + 1)])
        body: list[list[str]] = []
        body_spans: list[tuple] = []
        total_label = self.rng.choice(["合计", "总计"])

        def total_row() -> None:
            if code_width:
                body_spans.append(((0, len(body)), (code_width, len(body))))
            body.append([total_label] + [""] * code_width + [self.text(total[c]) for c in columns])
            table.amounts.extend(Amount(None, total_label, c, self.text(total[c])) for c in columns if total[c] is not None)

        if self.v["total"] == "top":
            total_row()
        previous = None
        for code, name in tree:
            level = (len(code) - 3) // 2
            cells = self.code_cells(code, level, previous)[:code_width] if code_width else []
            if economic and code_width == 2:
                cells = [code[:3], code[3:5]] if level else [code, ""]
                if self.v["code_repeat"] == "sparse" and level:
                    cells[0] = ""
            label = self.inline_label(code, name) if code_width == 0 else name
            if self.v["names"] == "wrapped":
                label = _wrap(label, 7)
            table.codes.update(c for c in cells if c)
            body.append(cells + [label] + [self.text(values[code][c]) for c in columns])
            table.amounts.extend(Amount(code, name, c, self.text(values[code][c]))
                                 for c in columns if values[code][c] is not None)
            previous = code
        if self.v["total"] == "bottom":
            total_row()
        self.place(table, title, header, header_spans, body, body_spans, widths, self.v["title"] == "foot")

    def code_header(self, columns: list[str], groups: dict[str, list[str]], code_width: int
                    ) -> tuple[list[list[str]], list[tuple]]:
        """Header rows over code, name and value columns: flat, or two levels with spans."""
        name_col = "科目名称" if self.v["codes"] != "inline" else "科目编码及名称"
        leaf_of = {c: c for c in columns}
        multi = self.v["header"] == "multi" or code_width == 3 and self.v["codes"] == "split"
        if code_width == 1:
            code_heads = ["科目编码"]
        elif code_width and self.v["codes"] == "split":
            code_heads = ["科目编码", *[""] * (code_width - 1)]
        else:
            code_heads = ["科目", *[""] * (code_width - 1)] if code_width else []
        if not multi:
            return [code_heads + [name_col] + [leaf_of[c] for c in columns]], (
                [((0, 0), (code_width - 1, 0))] if code_width > 1 else [])
        top = list(code_heads) + [name_col]
        second = (["类", "款", "项"][:code_width] if self.v["codes"] == "split" else [""] * code_width) + [""]
        spans: list[tuple] = []
        if code_width > 1:
            spans.append(((0, 0), (code_width - 1, 0 if self.v["codes"] == "split" else 1)))
        elif code_width == 1:
            spans.append(((0, 0), (0, 1)))
        spans.append(((code_width, 0), (code_width, 1)))
        col = code_width + 1
        for c in columns:
            group = next((g for g, members in groups.items() if c in members), None)
            if group is None:
                top.append(c)
                second.append("")
                spans.append(((col, 0), (col, 1)))
            else:
                top.append(group if groups[group][0] == c else "")
                second.append(c)
                if groups[group][0] == c:
                    spans.append(((col, 0), (col + len(groups[group]) - 1, 0)))
            col += 1
        return [top, second], spans

    def widths(self, code_width: int, values: int) -> list[float]:
        codes = [60.0] if code_width == 1 else [26.0] * code_width
        least = 100.0 if code_width else 150.0
        value = min(64.0, (self.page_width - sum(codes) - least) / values)
        return [*codes, self.page_width - sum(codes) - value * values, *[value] * values]

    # --- other tables ----------------------------------------------------------------------

    def overview(self) -> None:
        """A two-sided 收支总表: 收入 items | 支出 items, each summed in a 总计 row."""
        title = self.title("部门收支预算总表")
        table = DrawnTable(title, self.words)
        income = ["一、财政拨款收入", "二、事业收入", "三、其他收入"][: self.rng.randint(2, 3)]
        spend = [f"{i}、{w}支出" for i, w in zip("一二三四五", self.rng.sample(["一般公共服务", "教育", "科学技术",
                                                                        "社会保障和就业", "卫生健康", "城乡社区"], 4),
                                               strict=False)]
        incomes = [self.amount(50, 900) for _ in income]
        total = _sum(incomes)
        spends = _split(self.rng, total, len(spend), self.step)
        header = [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"]]
        spans = [((0, 0), (1, 0)), ((2, 0), (3, 0))]
        rows = []
        for i in range(max(len(income), len(spend))):
            left = [income[i], self.text(incomes[i])] if i < len(income) else ["", ""]
            right = [spend[i], self.text(spends[i])]
            rows.append(left + right)
        rows.append(["收入总计", self.text(total), "支出总计", self.text(total)])
        table.amounts += [Amount(None, n, "预算数", self.text(a)) for n, a in zip(income, incomes, strict=True)]
        table.amounts += [Amount(None, n, "预算数", self.text(a)) for n, a in zip(spend, spends, strict=True)]
        table.amounts += [Amount(None, "收入总计", "预算数", self.text(total)),
                          Amount(None, "支出总计", "预算数", self.text(total))]
        widths = [130.0, 95.5, 130.0, 95.5]
        self.place(table, title, header, spans, rows, [], widths, False)

    def small_tables(self) -> None:
        """Two or three short tables, one per page or packed on one page (separate grids or one grid)."""
        chosen = self.rng.sample(_SMALL, self.rng.randint(2, 3))
        packing = self.v["packing"]
        columns = self.rng.choice([["本年预算"], ["合计", "财政拨款", "其他资金"], ["本年预算", "上年预算"]])
        stacked: list[list[str]] = []
        stacked_spans: list[tuple] = []
        widths = [self.page_width - 80.0 * len(columns), *[80.0] * len(columns)]
        self.doc.blocks.append(None)
        for n, (words, items) in enumerate(chosen):
            title = self.title(words)
            table = DrawnTable(title, self.words)
            self.doc.tables.append(table)
            items = list(items[: self.rng.randint(2, len(items))])
            rows = [["项目", *columns]]
            sums: dict[str, Decimal | None] = {c: None for c in columns}
            for item in items:
                parts = {c: self.amount(1, 90) for c in columns if c != "合计"}
                if "合计" in columns:
                    parts["合计"] = _sum(parts.values())
                rows.append([item, *[self.text(parts[c]) for c in columns]])
                table.amounts += [Amount(None, item, c, self.text(parts[c])) for c in columns]
                sums = {c: _sum([sums[c], parts[c]]) for c in columns}
            rows.append(["合计", *[self.text(sums[c]) for c in columns]])
            table.amounts += [Amount(None, "合计", c, self.text(sums[c])) for c in columns]
            if packing == "stacked":
                width = len(columns) + 1
                start = len(stacked)
                stacked += [[title] + [""] * (width - 1), [self.meta_line()] + [""] * (width - 1), *rows]
                stacked_spans += [((0, start), (width - 1, start)), ((0, start + 1), (width - 1, start + 1))]
                continue
            if packing == "one-per-page" and n:
                self.doc.blocks.append(None)
            self.doc.blocks += [title, self.meta_line()]
            self.grid(rows, widths, None, 1)
            self.doc.blocks.append(14.0)
        if stacked:
            self.grid(stacked, widths, stacked_spans, 0)

    def form(self) -> None:
        """A 项目绩效目标表: fields, amounts, a goal, and the indicator grid (weights as the variant says)."""
        style = self.v["form"]
        title = self.title("项目支出绩效目标表")
        project = f"{self.rng.choice(_WORDS)}专项"
        table = DrawnTable(title, self.words)
        total, other = self.amount(20, 300), self.amount(1, 19)
        grant = total - other
        table.form = FormTruth(project, {"年度资金总额": total, "财政拨款": grant, "其他资金": other}, [])
        self.doc.tables.append(table)
        weighted = style != "plain"
        width = 6 if weighted else 5
        widths = [25.0, 58.0, 101.0, 148.0, 101.0, 58.0] if weighted else [25.0, 70.0, 110.0, 156.0, 120.0]
        top = [["项目名称", "", project] + [""] * (width - 3),
               ["主管部门", "", self.doc.department, "项目负责人", self.rng.choice(["王", "李", "张", "陈"]) + "某"]
               + [""] * (width - 5),
               ["联系电话", "", f"0{self.rng.randint(100, 999)}-{self.rng.randint(1000000, 9999999)}"]
               + [""] * (width - 3),
               ["项目资金\n（万元）" if self.v["unit"] == "万元" else "项目资金\n（元）", "", "年度资金总额：",
                self.text(total)] + [""] * (width - 4),
               ["", "", "其中：财政拨款", self.text(grant)] + [""] * (width - 4),
               ["", "", "其他资金", self.text(other)] + [""] * (width - 4),
               ["年度\n总体\n目标", "全年完成项目建设任务，提升服务能力和水平，确保资金使用规范有效。"] + [""] * (width - 2)]
        last = width - 1
        top_spans = [((0, 0), (1, 0)), ((2, 0), (last, 0)), ((0, 1), (1, 1)), ((0, 2), (1, 2)), ((2, 2), (last, 2)),
                     ((0, 3), (1, 5)), ((1, 6), (last, 6))]
        if weighted:
            top_spans += [((5, 1), (5, 1)), ((3, 3), (4, 3)), ((3, 4), (4, 4)), ((3, 5), (4, 5)), ((4, 1), (5, 1))]
        else:
            top_spans += [((3, 3), (4, 3)), ((3, 4), (4, 4)), ((3, 5), (4, 5))]
        head = ["绩效\n指标", "一级\n指标", "二级指标", "三级指标", "指标值"] + (["分值\n（90）"] if weighted else [])
        grid = [head]
        spans: list[tuple] = [((0, 0), (0, 0))]
        wrap = style in ("weights-wrapped", "weights-continued")
        for level1, level2s in _FORM_LEVELS:
            first1 = len(grid)
            for level2 in self.rng.sample(level2s, self.rng.randint(1, len(level2s))):
                first2 = len(grid)
                for _ in range(self.rng.randint(1, 3)):
                    name = f"{self.rng.choice(_WORDS)}{self.rng.choice(_INDICATOR_WORDS)}"
                    target = self.rng.choice(["≥95%", "100%", f"{self.rng.randint(2, 50)}项", "显著", "按期完成"])
                    weight = self.rng.choice(["2.5", "5", "10", "7.5"]) if weighted else ""
                    printed = [_wrap(name, 5) if wrap else name]
                    grid.append(["", _wrap(level1, 4) if wrap else level1, _wrap(level2, 8) if wrap else level2,
                                 *printed, target] + ([weight] if weighted else []))
                    table.form.indicators.append((level1, level2, name, target, weight))
                for row in range(first2 + 1, len(grid)):
                    grid[row][2] = ""
                if len(grid) - first2 > 1:
                    spans.append(((2, first2), (2, len(grid) - 1)))
            for row in range(first1 + 1, len(grid)):
                grid[row][1] = ""
            if len(grid) - first1 > 1:
                spans.append(((1, first1), (1, len(grid) - 1)))
        spans.append(((0, 0), (0, len(grid) - 1)))
        self.doc.blocks += [None, title]
        if style == "weights-continued":
            self.doc.grid(top, widths, top_spans)
            self.doc.blocks.append(None)
            self.doc.grid(grid, widths, spans)
        else:
            offset = len(top)
            self.doc.grid(top + grid, widths, top_spans + [_shift(s, offset) for s in spans])


def _fit(text: str, width: float) -> str:
    """A header text wrapped to its column, as a spreadsheet prints it (9-point characters)."""
    return _wrap(text, max(1, int((width - 6) // 9)))


def _wrap(text: str, size: int) -> str:
    return "\n".join(text[i:i + size] for i in range(0, len(text), size))


def _shift(span: tuple, rows: int) -> tuple:
    (c0, r0), (c1, r1) = span
    return ((c0, r0 + rows), (c1, r1 + rows))


def _sum(values) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _split(rng: random.Random, total: Decimal, parts: int, step: Decimal) -> list[Decimal]:
    """``total`` cut into ``parts`` positive amounts (in steps of ``step``) that add up exactly."""
    units = int(total / step)
    cuts = sorted(rng.sample(range(1, units), parts - 1))
    edges = [0, *cuts, units]
    return [(b - a) * step for a, b in zip(edges, edges[1:], strict=False)]


def _function_tree(rng: random.Random, size: int, leis: tuple[int, int] = (2, 4)) -> list[tuple[str, str]]:
    """功能分类 codes in print order: 类 (3 digits) → 款 (+2) → 项 (+2), with names."""
    tree = []
    for lei in sorted(rng.sample(range(201, 235), rng.randint(*leis))):
        tree.append((str(lei), f"{rng.choice(_WORDS)}支出"))
        for kuan in sorted(rng.sample(range(1, 20), rng.randint(1, 3))):
            kuan_code = f"{lei}{kuan:02d}"
            tree.append((kuan_code, f"{rng.choice(_WORDS)}事务"))
            for xiang in sorted(rng.sample([*range(1, 12), 50, 99], rng.randint(1, size))):
                tree.append((f"{kuan_code}{xiang:02d}", rng.choice(_WORDS)))
    return tree


def _economic_tree(rng: random.Random, size: int) -> list[tuple[str, str]]:
    """经济分类 codes: 类 (3 digits) → 款 (+2)."""
    tree = []
    for lei in sorted(rng.sample(sorted(_ECONOMIC), rng.randint(2, 3))):
        name, items = _ECONOMIC[lei]
        tree.append((lei, name))
        picked = sorted(rng.sample(range(len(items)), rng.randint(1, min(size, len(items)))))
        tree += [(f"{lei}{i + 1:02d}", items[i]) for i in picked]
    return tree


def department(rng: random.Random) -> str:
    """A made-up department: a two-syllable place, its level, an agency."""
    place = "".join(rng.sample(_SYLLABLES, 2)) + rng.choice(["市", "县", "区"])
    return place + rng.choice(_AGENCIES)


def generate(seed: int, number: int, force: dict[str, str] | None = None) -> DrawnDoc:
    """The ``number``-th document of a seeded run: layout choices (``force`` fixes some), blocks
    and what it prints."""
    rng = random.Random(f"{seed}:{number}")
    variants = {name: rng.choice(options) for name, options in DIMENSIONS.items()} | (force or {})
    name = department(rng)
    year = rng.randint(2019, 2026)
    doc = DrawnDoc(f"v{number:03d}-{name}{year}年部门预算.pdf", name, variants)
    writer = Writer(rng, doc, year)
    doc.blocks += [f"{name}{year}年部门预算", 20.0,
                   f"{name}主要职能是负责本地区相关行业的管理和服务工作。本年度预算按照综合预算原则编制。"]
    money_parts = rng.sample(["财政拨款", "事业收入", "事业单位经营收入", "其他收入"], rng.randint(2, 4))
    spend_groups = {"基本支出": ["人员经费", "公用经费"]} if variants["header"] == "multi" else {}
    spend_columns = ["合计", *(spend_groups["基本支出"] if spend_groups else ["基本支出"]), "项目支出"]
    doc.blocks.append(None)
    writer.overview()
    if variants["title"] != "foot":
        doc.blocks.append(None)
    writer.coded_table("部门收入预算表", ["合计", *money_parts], {}, 2)
    if variants["title"] != "foot":
        doc.blocks.append(None)
    writer.coded_table("部门支出预算表", spend_columns, spend_groups, rng.randint(2, 8))
    if variants["title"] != "foot":
        doc.blocks.append(None)
    writer.coded_table("一般公共预算基本支出预算表", ["合计", "人员经费", "公用经费"], {}, 5, economic=True)
    writer.small_tables()
    writer.form()
    return doc
