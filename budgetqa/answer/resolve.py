"""Find the cell (or narrative figure) a named quantity stands in, in one document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetqa.answer.catalog import Catalog, Row, normalise_name, quoted_span, short_title, value_of
from budgetqa.answer.columns import default_column, total_names
from budgetqa.answer.planner import Mention
from budgetqa.answer.schema import Citation
from budgetqa.models import Cell, Fact, Table
from budgetqa.numbers import to_wan
from budgetqa.vocab import load


@dataclass(slots=True)
class Quantity:
    """A resolved amount (in 万元) with its name and citation."""

    name: str
    value: Decimal
    citation: Citation
    row: Row | None = None
    cell: Cell | None = None
    fact: Fact | None = None
    unit: str = "万元"
    """万元 for money (converted from the printed unit); a count or area keeps its own unit."""


def cell_citation(catalog: Catalog, table: Table, cell: Cell) -> Citation:
    return Citation(
        doc_id=catalog.doc.doc_id, document=catalog.doc.title, table_id=table.table_id,
        table=table.title, row=cell.row_name, row_code=cell.row_code, column=" / ".join(cell.col_path),
        side=cell.side or None, page=cell.page, raw=cell.raw or "（空白）", source_file=table.source_file or None,
    )


def fact_citation(catalog: Catalog, fact: Fact) -> Citation:
    return Citation(doc_id=catalog.doc.doc_id, document=catalog.doc.title, page=fact.page,
                    sentence=fact.sentence, section=fact.section or None, source_file=fact.source_file or None)


def fact_quantity(catalog: Catalog, name: str, fact: Fact) -> Quantity:
    """A narrative figure as a quantity: money in 万元 (converted from 元), a count or area in its own unit."""
    if fact.unit in ("万元", "元"):
        return Quantity(name, to_wan(fact.amount, fact.unit), fact_citation(catalog, fact), fact=fact)
    return Quantity(name, fact.amount, fact_citation(catalog, fact), fact=fact, unit=fact.unit)


def hints_in(text: str) -> list[str]:
    kinds: list[str] = []
    for word, hinted in load("questions")["table_hints"].items():
        if word in text:
            kinds += [k for k in hinted if k not in kinds]
    return kinds


def _rank(catalog: Catalog, text: str, asked: str = "", question: str = ""):
    """A sort key for tables: one the question names by title first, then those whose title holds
    the qualifiers ``asked`` names (一般公共预算, 财政拨款, 基本支出 …), then by the hinted kinds."""
    order = catalog.table_order(hints_in(text))
    titles = {t.table_id: short_title(t.title, catalog.doc.department) for t in catalog.doc.tables}
    spans = {table_id: quoted_span(text, title, catalog.names) for table_id, title in titles.items() if len(title) >= 4}
    spans = {table_id: span for table_id, span in spans.items() if span}
    # "财政拨款支出预算表" names that table, not also the 支出预算表 whose title its words end with
    named = {table_id for table_id, (a, b) in spans.items()
             if not any(c <= a and b <= d and (c, d) != (a, b) for c, d in spans.values())}
    qualifiers = [q for q in load("questions")["qualifiers"]["words"] if q in asked]
    titled_for = _titled_for(catalog, question)

    def key(table: Table) -> tuple[int, int]:
        if table.table_id in named:
            return -1, -1
        held = sum(q in table.title for q in qualifiers) + (table.table_id in titled_for)
        return -held, order.index(table.kind) if table.kind in order else len(order)

    return key


_FUND_TYPES = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|预算单位|部门预算|预算公开")
_FINAL_COLUMN = re.compile(r"决算|执行数|实际")


def _titled_for(catalog: Catalog, question: str) -> set[str]:
    """Tables titled for a container the question names ("机关运行经费中办公费", "机关运行经费表里的电费"
    → 一般公共预算机关运行经费支出预算表): the title's subject, without a leading fund type, followed by
    中/里/内."""
    fund_types = load("questions")["qualifiers"]["words"]
    found = set()
    for table in catalog.doc.tables:
        subject = _title_subject(table, catalog.doc.department)
        for word in fund_types:
            subject = subject.removeprefix(word)
        if len(subject) >= 4 and any(f"{subject}{sep}{w}" in question for sep in ("", "表") for w in "中里内"):
            found.add(table.table_id)
    return found


def asks_for_budget_figure(text: str) -> bool:
    """Whether the question asks for a 预算 figure ("预算数", "年初预算"), not a fund type's name."""
    return "预算" in _FUND_TYPES.sub("", text)


def _final_preferred(table: Table, side: str, index: int, text: str) -> bool:
    """In a 决算 table asked without "预算", a 决算数 column over its 预算数 sibling."""
    paths = table.columns.get(side, [])
    return ("决算" in table.title and not asks_for_budget_figure(text)
            and bool(_FINAL_COLUMN.search(normalise_name(paths[index][-1]))))


_BUDGET_COLUMN = re.compile(r"(?:年初|全年|调整后?)?预算数?")


def _word_asked(header: str, text: str) -> bool:
    """Whether the question uses a header's word: its first two characters, or for a 预算数 column
    "预算" outside a fund type's name ("一般公共预算…" asks for no 预算数)."""
    if _BUDGET_COLUMN.fullmatch(header):
        return asks_for_budget_figure(text)
    return header[:2] in text


def _pair_leaf(table: Table, side: str, index: int) -> str | None:
    """The 预算数/决算数 word of a column printed beside its sibling of the other kind, to name in
    the answer ("三公经费（决算数）"); None for any other column."""
    paths = table.columns.get(side, [])
    leaf = normalise_name(paths[index][-1])
    if not (_BUDGET_COLUMN.fullmatch(leaf) or _FINAL_COLUMN.search(leaf)):
        return None
    siblings = [normalise_name(p[-1]) for p in paths if p[:-1] == paths[index][:-1] and p != paths[index]]
    other = _FINAL_COLUMN if _BUDGET_COLUMN.fullmatch(leaf) else _BUDGET_COLUMN
    return leaf if any(other.search(s) for s in siblings) else None


def _named_with_column(name: str, table: Table, side: str, index: int) -> str:
    leaf = _pair_leaf(table, side, index)
    return f"{name}（{leaf}）" if leaf and leaf not in name else name


def _column_index(table: Table, side: str, column: str | None, text: str = "") -> int | None:
    """The value column a question means: the named one, else the row's total (合计/总计 wherever it
    stands; a 上年 | 本年 | 增减 table's 本年) — in a 决算 table, the total's 决算数 sibling when the
    total is its 预算数 (三公经费表: 合计 / 预算数, 合计 / 决算数) and the question does not ask for the
    budget; None when several value columns and no total leave it undecided."""
    paths = table.columns.get(side, [])
    if not paths:
        return None
    if column is None:
        siblings = default_column(table, side)
        if not siblings:
            return None
        return next((i for i in siblings if _final_preferred(table, side, i, text)), siblings[0])
    for index, path in enumerate(paths):
        if column in {normalise_name(p) for p in path}:
            return index
    return None


def total_row(table: Table, side: str, catalog: Catalog) -> Row | None:
    """The row that totals a table side: named 总计/合计…, or the only row there is."""
    rows = [r for r in catalog.rows if r.table is table and r.side == side]
    names = total_names()
    for row in rows:
        if row.key in names and row.code is None:
            return row
    return rows[0] if len(rows) == 1 else None


def _best_index(table: Table, side: str, indexes: list[int], text: str, name: str | None = None) -> int:
    """Among columns sharing a header, the one whose other header words the question uses."""
    paths = table.columns.get(side, [])

    def score(index: int) -> int:
        return sum(len(normalise_name(p)) for p in paths[index] if normalise_name(p) and _word_asked(normalise_name(p), text))

    if name is not None and not any(normalise_name(paths[i][-1]) == name for i in indexes):
        # a caption over several columns: the one the question's other words name, its total, else its first
        totals = {i for i in indexes if any(normalise_name(p) in total_names() for p in paths[i])}
        return max(indexes, key=lambda i: (score(i) - len(name), i in totals,
                                           _final_preferred(table, side, i, text), -i))
    return max(indexes, key=lambda i: (score(i), _final_preferred(table, side, i, text), -i))


def resolve(
    catalog: Catalog, mention: Mention, column: str | None, text: str, hint_text: str | None = None,
    asked: str = "",
) -> Quantity | None:
    """The quantity a mention names, read from the best table (or the narrative).

    ``hint_text`` is the question with the other quantities' names blanked: only
    its remaining words (一般公共预算, 财政拨款 …) say which table to prefer. ``asked`` is the
    question with only the named items blanked (containers kept): a fund type it names
    ("一般公共预算基本支出里，人员经费") puts the tables titled with it first.
    """
    names = (mention.text, *mention.alternatives)
    for stage in ("cells", "subject", "table_total", "facts", "title_total", "empty_table"):
        for name in names:
            found = _resolve_name(catalog, name, mention.kind == "code", column, text, stage, hint_text, asked)
            if found is not None:
                return found
    return None


def _column_entries(catalog: Catalog, name: str) -> list[tuple[Table, str, int]]:
    """Columns whose header names ``name``; else, for longer names, headers that contain it."""
    exact = catalog.columns.get(name, [])
    if exact or len(name) < 4:
        return exact
    return [entry for key, entries in catalog.columns.items() if name in key for entry in entries]


def _resolve_name(
    catalog: Catalog, name: str, is_code: bool, column: str | None, text: str, stage: str,
    hint_text: str | None = None, asked: str = "",
) -> Quantity | None:
    """One stage of resolution: a named cell, a table's total, or a narrative figure."""
    if stage == "table_total":
        return _table_total(catalog, name, text)
    if stage == "title_total":
        return _title_total(catalog, name, text)
    if stage == "empty_table":
        table = catalog.empty_tables.get(name)
        if table is None:
            return None
        citation = Citation(doc_id=catalog.doc.doc_id, document=catalog.doc.title, table_id=table.table_id,
                            table=table.title, page=table.pages[0] if table.pages else None,
                            sentence=table.empty_statement, source_file=table.source_file or None)
        return Quantity(name, Decimal(0), citation)
    if stage == "facts":
        if column is not None:
            return None
        facts = [f for f in facts_about(catalog, name) if f.amount is not None]
        if not facts:
            return None
        if len({(f.amount, f.unit) for f in facts if f.kind == "amount"}) > 1 and len(
            {f.sentence for f in facts}
        ) == 1:
            # one sentence giving the same name several different figures: ambiguous
            return None
        money = [f for f in facts if f.unit in ("万元", "元")]
        if not money and not _asks_for_count(text):
            # "那21辆车值多少": the value printed beside the count ("车辆21辆，价值940.78万元")
            money = [f for f in facts_about(catalog, f"{name}价值") if f.amount is not None and f.unit in ("万元", "元")]
            if money:
                return fact_quantity(catalog, f"{name}价值", money[0])
        fact = (money or facts)[0] if not _asks_for_count(text) else facts[0]
        return fact_quantity(catalog, name, fact)
    # a qualifier asked about as itself ("一般公共预算是多少") says nothing about which table to prefer
    qualifiers = set(load("questions")["qualifiers"]["words"])
    hints = hint_text if hint_text is not None else text
    # the name's own hints (会议费 → 三公经费表) count, unless it is a qualifier asked about as itself
    rank = _rank(catalog, hints.replace(name, "□") if name in qualifiers else f"{hints}|{name}", asked, text)
    question, text = text, hints
    candidates: list[tuple[int, int, Quantity]] = []
    by_subject = stage == "subject"
    if by_subject:
        rows = [] if is_code else _subject_row(catalog, name, question)
    else:
        rows = catalog.by_code.get(name, []) if is_code else catalog.by_name.get(name, [])
    for row in rows:
        index = _column_index(row.table, row.side, column, text)
        if index is not None and index in row.cells:
            cell = row.cells[index]
            citation = cell_citation(catalog, row.table, cell)
            label = row.name
            if by_subject:
                label, citation.row = f"{name}（{row.name}）", f"{row.subject} / {row.name}"
            quantity = Quantity(_named_with_column(label, row.table, row.side, index), value_of(cell),
                                citation, row, cell)
            candidates.append((rank(row.table), 0 if cell.state == "value" else 2, quantity))
    # a column name: read its total row (with the requested sub-column, if any)
    entries = _column_entries(catalog, name) if not by_subject else []
    seen: set[tuple[str, str]] = set()
    for table, side, _ in entries:
        if (table.table_id, side) in seen:
            continue
        seen.add((table.table_id, side))
        total = total_row(table, side, catalog)
        indexes = [i for t, s, i in entries if t is table and s == side]
        if column is not None:
            paths = table.columns.get(side, [])
            indexes = [i for i in indexes if column in {normalise_name(p) for p in paths[i]}]
            if not indexes:
                continue
        index = _best_index(table, side, indexes, text, name)
        if total is not None and index in total.cells:
            cell = total.cells[index]
            quantity = Quantity(_named_with_column(name, table, side, index), value_of(cell),
                                cell_citation(catalog, table, cell), total, cell)
            candidates.append((rank(table), 1, quantity))
    if candidates:
        return min(candidates, key=lambda c: (c[0], c[1]))[2]
    return None


def _subject_row(catalog: Catalog, name: str, text: str) -> list[Row]:
    """The one row printed under a subject label ("某项目 / 租赁费": a project and its one item), in a
    table of the kind the question's words point to ("…的政府采购预算"); none when the subject heads
    several rows, whose figures are not the subject's own, or its table is not the one asked about
    (a project's procurement line is not the project's amount)."""
    rows = [r for r in catalog.rows if r.subject and normalise_name(r.subject) == name]
    return rows if len(rows) == 1 and rows[0].table.kind in hints_in(text) else []


_COUNT_WORDS = re.compile(r"面积|平方米|几辆|多少辆|几个(?!亿|百分点)|多少个(?!亿|百分点)|几人|多少人|人数|编制|几台|数量")


def _asks_for_count(text: str) -> bool:
    return bool(_COUNT_WORDS.search(text))


_TOTAL_SUFFIX = re.compile(r"(总计|合计|总额|总数)$")


def _table_total(catalog: Catalog, name: str, text: str) -> Quantity | None:
    """"收入支出总计" → the total row of the table whose title says 收入支出…总表."""
    match = _TOTAL_SUFFIX.search(name)
    if not match:
        return None
    stem = name[: match.start()]
    if len(stem) < 2:
        return None
    rank = _rank(catalog, text)
    for table in sorted(catalog.doc.tables, key=lambda t: (rank(t), len(t.title))):
        title = normalise_name(table.title)
        if stem not in title and not all(ch in title for ch in stem):
            continue
        if stem not in title and len(set(stem)) < 4:
            continue
        quantity = _total_of(catalog, table, name, text)
        if quantity is not None:
            return quantity
    return None


_TITLE_YEAR = re.compile(r"^.*?\d{4}年度?")
_TITLE_ENDING = re.compile(r"(?:预算|决算)?(?:支出)?(?:预算|决算)?(?:情况|明细)?表$")


def _title_subject(table: Table, department: str = "") -> str:
    """What a table is titled for: its title without number, year, the department's name, 预算/支出
    and 表 ("十三、2017年某某局机关运行经费支出预算表" → "机关运行经费")."""
    return _TITLE_ENDING.sub("", short_title(_TITLE_YEAR.sub("", normalise_name(table.title)), department))


def _title_total(catalog: Catalog, name: str, text: str) -> Quantity | None:
    """"机关运行经费" → the total row of the one table titled for it ("2024年机关运行经费预算表"),
    when no row, column or sentence printed the name: the table's items add up to it."""
    if len(name) < 4:
        return None
    tables = [t for t in catalog.doc.tables if _title_subject(t, catalog.doc.department) == name]
    return _total_of(catalog, tables[0], name, text) if len(tables) == 1 else None


def _total_of(catalog: Catalog, table: Table, name: str, text: str) -> Quantity | None:
    """The grand total of a table's last side, in the column the question means."""
    side = table.sides[-1] if table.sides else ""
    total = _last_total_row(catalog, table, side)
    index = _column_index(table, side, None, text)
    if total is None or index not in total.cells:
        return None
    cell = total.cells[index]
    return Quantity(name, value_of(cell), cell_citation(catalog, table, cell), total, cell)


def _last_total_row(catalog: Catalog, table: Table, side: str) -> Row | None:
    """The grand total of a side: the last row named 总计 (or 合计) with no code."""
    rows = [r for r in catalog.rows if r.table is table and r.side == side and r.code is None]
    for word in ("总计", "合计"):
        named = [r for r in rows if r.key.endswith(word)]
        if named:
            return named[-1]
    return None


def resolve_pair(
    catalog: Catalog, row_mention: Mention, column_mention: Mention, text: str, hint_text: str | None = None,
    asked: str = "",
) -> Quantity | None:
    """A row named by one mention, in the column named by another."""
    column = normalise_name(column_mention.text)
    quantity = resolve(catalog, row_mention, column, text, hint_text, asked)
    if quantity is not None:
        row_name = quantity.row.name if row_mention.kind == "code" and quantity.row is not None else row_mention.text
        quantity.name = f"{row_name}（{column_mention.text}）"
    return quantity


def is_column(catalog: Catalog, mention: Mention) -> bool:
    return mention.kind == "name" and mention.text in catalog.columns


def is_row(catalog: Catalog, mention: Mention) -> bool:
    if mention.kind == "code":
        return mention.text in catalog.by_code
    return mention.text in catalog.by_name or mention.text in catalog.facts_by_subject


def facts_about(catalog: Catalog, name: str) -> list[Fact]:
    """Facts whose subject is ``name``; else those whose subject contains it (shortest subject first)."""
    key = normalise_name(name)
    exact = catalog.facts_by_subject.get(key)
    if exact:
        return exact
    if len(key) < 3:
        return []
    containing = sorted((s for s in catalog.facts_by_subject if key in s), key=len)
    return [f for s in containing for f in catalog.facts_by_subject[s]]
