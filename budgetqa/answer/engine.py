"""Execute a parsed question with Decimal arithmetic and write the answer with formula and citations."""

from __future__ import annotations

import copy
import re
from decimal import Decimal

from budgetqa.answer.catalog import Catalog, Row, normalise_name, value_of
from budgetqa.answer.check import grounded
from budgetqa.answer.planner import Mention, ParsedQuestion, containers, mask_mentions, parse
from budgetqa.answer.resolve import (
    Quantity,
    cell_citation,
    fact_citation,
    facts_about,
    hints_in,
    is_column,
    is_row,
    resolve,
    resolve_pair,
    total_row,
)
from budgetqa.answer.schema import Answer, Plan, Value
from budgetqa.numbers import fmt_money, fmt_pct, round2
from budgetqa.vocab import load

HUNDRED = Decimal(100)
YUAN_PER_WAN = Decimal(10000)


class Refusal(Exception):
    """The documents cannot answer; the message says why."""


def ask(question: str, catalogs: list[Catalog]) -> Answer:
    """Answer one question over the given documents."""
    parsed = parse(question, catalogs)
    plan = Plan(
        operation=parsed.operation,
        documents=[c.doc.doc_id for c in parsed.catalogs],
        years=parsed.years,
        quantities=[m.text for m in parsed.mentions],
        unit=parsed.unit,
    )
    if parsed.refusal:
        return Answer(status="refused", answer=parsed.refusal, plan=plan)
    if parsed.clarify:
        return Answer(status="clarify", answer="请问您问的是哪一份公开？", options=parsed.clarify, plan=plan)
    if {m.text for m in parsed.mentions} <= {"总计", "合计", "小计"} and parsed.mentions:
        return Answer(status="refused", answer="请说明是哪一项（哪张表）的合计。", plan=plan)
    if not parsed.mentions and parsed.operation != "ranking":
        plan.route = "none"
        return Answer(status="refused", answer="没有在已载入的公开中找到问题所说的项目。", plan=plan)
    previous = _previous_year(parsed, catalogs)
    if previous is not None:
        # both years are loaded: compute the change from the two years' tables
        parsed.catalogs = [previous, parsed.catalogs[0]]
        parsed.across = True
        if parsed.operation == "last_year":
            parsed.catalogs = [previous]
            parsed.across = False
            parsed.operation = "lookup"
    parts = _parts(parsed)
    if parts:
        return _multi_part(parsed, parts, plan)
    try:
        if parsed.across and len(parsed.catalogs) > 1:
            answer = _across(parsed)
        else:
            catalog = parsed.catalogs[0]
            answer = None
            if parsed.operation in ("lookup", "difference"):
                answer = _budget_lookup(parsed, catalog)
            if answer is None:
                answer = OPERATIONS.get(parsed.operation, _lookup)(parsed, catalog)
    except Refusal as exc:
        return Answer(status="refused", answer=str(exc), plan=plan)
    answer.plan = plan
    answer.notes = [*parsed.notes, *answer.notes]
    return grounded(answer, parsed)


def _parts(parsed: ParsedQuestion) -> list[Mention]:
    """The items of a multi-part question ("X和Y各是多少"), or [] for a single question."""
    if parsed.operation not in ("lookup", "sum") or len(parsed.catalogs) != 1:
        return []
    if not any(w in parsed.compact for w in load("questions")["parts"]["words"]):
        return []
    qualifiers = set(load("questions")["qualifiers"]["words"])
    outer = containers(parsed)
    items = [m for m in parsed.mentions if m.text not in qualifiers and m not in outer]
    return items if len(items) > 1 else []


def _multi_part(parsed: ParsedQuestion, parts: list[Mention], plan: Plan) -> Answer:
    """Every part answered on its own (each checked), then put together; any part missing refuses."""
    answers = []
    containers = [m for m in parsed.mentions if m not in parts and m.start < parts[0].start]
    for part in parts:
        sub = copy.copy(parsed)
        sub.mentions = [*containers, part]
        sub.operation = "lookup"
        sub.is_part = True
        try:
            answer = grounded(_lookup(sub, parsed.catalogs[0]), sub)
        except Refusal as exc:
            answer = Answer(status="refused", answer=str(exc))
        if answer.status != "answered":
            return Answer(status="refused", plan=plan,
                          answer=f"“{parsed.compact[part.start:part.end]}”没有找到确切的数：{answer.answer}")
        answers.append(answer)
    return Answer(
        status="answered",
        answer="；".join(a.answer.rstrip("。") for a in answers) + "。",
        values=[v for a in answers for v in a.values],
        formula="；".join(a.formula for a in answers if a.formula) or None,
        citations=[c for a in answers for c in a.citations],
        notes=[*parsed.notes, *(n for a in answers for n in a.notes)],
        plan=plan,
    )


def _previous_year(parsed: ParsedQuestion, catalogs: list[Catalog]) -> Catalog | None:
    """For a change question about one document: last year's document of the same department, if loaded."""
    if parsed.operation not in ("change", "last_year") or len(parsed.catalogs) != 1:
        return None
    doc = parsed.catalogs[0].doc
    if not doc.year:
        return None
    for catalog in catalogs:
        other = catalog.doc
        if other.key == doc.key and other.kind == doc.kind and other.scope == doc.scope and other.year == doc.year - 1:
            return catalog
    return None


# --- quantities -------------------------------------------------------------------------


def _quantities(parsed: ParsedQuestion, catalog: Catalog) -> list[Quantity]:
    """Resolve the question's mentions, pairing a row with a column named after it."""
    mentions = list(parsed.mentions)
    vocab = load("questions")
    qualifiers = set(vocab["qualifiers"]["words"])
    modifiers = set(vocab["modifiers"]["words"])
    if len(mentions) > 1:
        mentions = [m for m in mentions if m.text not in modifiers] or mentions
    if len(mentions) > 1:
        mentions = [
            m for i, m in enumerate(mentions)
            if not (m.text in qualifiers and _modifies_next(parsed.compact, m, mentions[i + 1:]))
        ] or mentions
    # a code written beside its own row's name ("信息化建设（2010607）") restates that row
    mentions = [
        m for i, m in enumerate(mentions)
        if not (m.kind == "code" and i > 0 and any(
            normalise_name(r.name) == normalise_name(mentions[i - 1].text) for r in catalog.by_code.get(m.text, [])))
    ]
    found: list[Quantity] = []
    used: set[int] = set()
    hint_text = mask_mentions(parsed.compact, [m for m in mentions if m.text not in qualifiers])
    for i, mention in enumerate(mentions):
        if i in used:
            continue
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if (
            nxt is not None
            and is_row(catalog, mention)
            and is_column(catalog, nxt)
            and not _separated(parsed.compact, mention, nxt)
        ):
            pair = resolve_pair(catalog, mention, nxt, parsed.compact, hint_text)
            if pair is not None:
                found.append(pair)
                used |= {i, i + 1}
                continue
        mention = _refine(catalog, mention, hint_text, parsed.compact)
        quantity = resolve(catalog, mention, None, parsed.compact, hint_text)
        if quantity is not None:
            found.append(quantity)
            used.add(i)
    return found


def _refine(catalog: Catalog, mention: Mention, hint_text: str, text: str) -> Mention:
    """A broader name the question narrows ("政府采购" … "买货物" → "政府采购货物预算").

    Among the printed names that contain the mentioned one, the one holding the
    most of the question's other words wins, when exactly one holds any.
    """
    stop = set(load("questions")["refine"]["stop"])
    pieces = {
        run[i:i + 2] for run in re.findall(r"[\u4e00-\u9fa5]+", hint_text) for i in range(len(run) - 1)
    } - stop
    department = catalog.doc.department
    pieces = {piece for piece in pieces if piece not in department}
    if not pieces or mention.kind != "name":
        return mention
    # the words the question actually used (a shortened name stands for a longer printed one)
    base = mention.text if mention.text in text else text[mention.start:mention.end]
    scored = []
    for name in catalog.names:
        if name != mention.text and base in name:
            score = sum(1 for piece in pieces if piece in name.replace(base, ""))
            if score:
                scored.append((score, -len(name), name))
    if not scored:
        return mention
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return mention
    return Mention(scored[0][2], mention.start, mention.end, "name")


def _modifies_next(text: str, mention: Mention, later: list[Mention]) -> bool:
    """A qualifier ("一般公共预算") directly before another name qualifies it: "一般公共预算安排的项目支出"."""
    if not later:
        return False
    between = text[mention.end:later[0].start]
    return len(between) <= 4 and not re.search(r"[占比和与及、加减，,]", between)


def _separated(text: str, first: Mention, second: Mention) -> bool:
    """True when the words between two mentions join two quantities (A 和 B, A 比 B, A 占 B)."""
    between = text[first.end:second.start]
    return any(w in between for w in ("和", "与", "及", "、", "比", "占", "对", "加", "减", "，", ","))


def _one(parsed: ParsedQuestion, catalog: Catalog) -> Quantity:
    """The single quantity a question asks about ("X中的Y" / "X里Y" means Y)."""
    found = _quantities(parsed, catalog)
    if not found:
        raise Refusal(f"{catalog.doc.title}中没有找到“{'、'.join(m.text for m in parsed.mentions)}”的数。")
    if len(found) > 1 and len(parsed.mentions) > 1:
        first, second = parsed.mentions[0], parsed.mentions[1]
        if any(w in parsed.compact[first.end:second.start + 1] for w in ("中", "里", "内")):
            return found[-1]
    return found[0]


def _show(amount: Decimal, unit: str) -> str:
    return fmt_money(amount * YUAN_PER_WAN) if unit == "元" else fmt_money(amount)


def _value(name: str, amount: Decimal, unit: str) -> Value:
    shown = amount * YUAN_PER_WAN if unit == "元" else amount
    return Value(name=name, value=str(round2(shown)), unit=unit)


def _pct_value(name: str, pct: Decimal) -> Value:
    return Value(name=name, value=str(round2(pct)), unit="%")


# --- operations -------------------------------------------------------------------------


def _lookup(parsed: ParsedQuestion, catalog: Catalog) -> Answer:
    q = _one(parsed, catalog)
    if q.unit not in ("万元", "元"):
        return Answer(status="answered", answer=f"{q.name}为 {q.value.normalize():f} {q.unit}。",
                      values=[Value(name=q.name, value=str(q.value), unit=q.unit)], citations=[q.citation])
    unit = parsed.unit
    notes = []
    formula = None
    if q.cell is not None and q.cell.unit != "万元" and unit == "万元":
        formula = f"{q.cell.raw} {q.cell.unit} ÷ 10,000 = {fmt_money(q.value)} 万元"
        notes.append(f"表中单位为{q.cell.unit}，已换算为万元。")
    if q.cell is not None and q.cell.state != "value":
        notes.append("表中该格为空（没有数），按 0 计。")
    if q.cell is None and q.fact is None and q.citation.sentence:
        notes.append(f"《{q.citation.table}》为空表：{q.citation.sentence}")
    return Answer(
        status="answered",
        answer=f"{q.name}为 {_show(q.value, unit)} {unit}。",
        values=[_value(q.name, q.value, unit)],
        formula=formula,
        citations=[q.citation],
        notes=notes,
    )


_NAME_SUFFIXES = re.compile(r"(拨款|收入|资金|预算|支出)$")


def _change_fact(catalog: Catalog, q: Quantity, names: list[str]):
    """The narrative's change figure for a quantity: a fact about it whose amount is the same number."""
    if q.fact is not None and (q.fact.change_amount is not None or q.fact.previous is not None):
        return q.fact
    candidates: list = []
    for name in [q.name.split("（")[0], *names]:
        stem = _NAME_SUFFIXES.sub("", name)
        for key in dict.fromkeys([name, stem]):
            candidates += [
            f for f in facts_about(catalog, key) if f.change_amount is not None or f.previous is not None
        ]
    matching = [
        f for f in candidates if f.amount is not None and round2(f.amount) == round2(q.value)
    ]
    if matching:
        return matching[0]
    unpriced = [f for f in candidates if f.amount is None]
    return unpriced[0] if unpriced else None


def _change(parsed: ParsedQuestion, catalog: Catalog, last_year_only: bool = False) -> Answer:
    q = _one(parsed, catalog)
    fact = _change_fact(catalog, q, [n for m in parsed.mentions for n in (m.text, *m.alternatives)])
    if fact is None:
        raise Refusal(f"{catalog.doc.title}没有给出{q.name}与上年的比较，且没有载入上年的公开。")
    current = q.value
    if fact.change_amount is None:
        # the sentence prints last year's value instead of the change ("2023年执行数为 X 万元")
        previous = fact.previous
        change = current - previous
    else:
        change = fact.change_amount
        previous = current - change
    citations = [q.citation] + ([fact_citation(catalog, fact)] if q.fact is not fact else [])
    notes = []
    values = []
    formula_parts = [f"{fmt_money(current)} − ({fmt_money(change)}) = {fmt_money(previous)}"
                     if change < 0 else f"{fmt_money(current)} − {fmt_money(change)} = {fmt_money(previous)}"]
    pct = None
    if previous != 0:
        pct = change / previous * HUNDRED
        formula_parts.append(f"{fmt_money(change)} ÷ {fmt_money(previous)} = {fmt_pct(pct)}")
    if fact.change_pct is not None and pct is not None:
        agree = abs(round2(pct) - fact.change_pct) <= _pct_tolerance(change, previous)
        notes.append(
            f"文件所列{'增长' if fact.change_pct >= 0 else '下降'}率 {fmt_pct(abs(fact.change_pct))}，"
            f"按上年数复算为 {fmt_pct(abs(pct))}，{'在舍入误差内一致' if agree else '不一致'}。"
        )
    shown_pct = fact.change_pct if fact.change_pct is not None else pct
    word = "增加" if change >= 0 else "减少"
    if last_year_only:
        values.append(_value(f"上年{q.name}", previous, parsed.unit))
        text = f"上年{q.name}为 {_show(previous, parsed.unit)} {parsed.unit}（本年 {fmt_money(current)}，{word} {fmt_money(abs(change))}）。"
    else:
        values.append(_value(f"{q.name}比上年{word}", abs(change), parsed.unit))
        if shown_pct is not None:
            values.append(_pct_value(f"{q.name}{'增长' if change >= 0 else '下降'}率", abs(shown_pct)))
        values.append(_value(f"上年{q.name}", previous, parsed.unit))
        pct_text = f"，{'增长' if change >= 0 else '下降'} {fmt_pct(abs(shown_pct))}" if shown_pct is not None else ""
        text = (f"{q.name}为 {fmt_money(current)} 万元，比上年{word} {_show(abs(change), parsed.unit)} {parsed.unit}"
                f"{pct_text}（上年为 {fmt_money(previous)} 万元）。")
    if fact.change_amount is None:
        notes.append("上年数为文件所列的上年（执行）数，增减额按本年数减上年数计算。")
    else:
        notes.append("上年数由本年数减去文件所列增减额推算，文件的表格中没有上年数。")
    return Answer(status="answered", answer=text, values=values, formula="；".join(formula_parts),
                  citations=citations, notes=notes)


def _pct_tolerance(change: Decimal, previous: Decimal) -> Decimal:
    """How far a growth rate recomputed from 2-decimal inputs may drift from the printed one."""
    if previous == 0:
        return Decimal("0.01")
    half_cent = Decimal("0.005")
    spread = (abs(change) + half_cent) / max(abs(previous) - half_cent, half_cent) - abs(change) / abs(previous)
    return abs(spread) * HUNDRED * 2 + Decimal("0.01")


def _last_year(parsed: ParsedQuestion, catalog: Catalog) -> Answer:
    return _change(parsed, catalog, last_year_only=True)


def _share(parsed: ParsedQuestion, catalog: Catalog) -> Answer:
    found = _quantities(parsed, catalog)
    if not found:
        raise Refusal("没有找到要计算占比的项目。")
    part = found[0]
    whole = found[1] if len(found) > 1 else _natural_total(catalog, part)
    if len(found) > 1 and parsed.mentions[:1] == containers(parsed)[:1]:
        part, whole = found[1], found[0]  # "X中Y的比重": Y's share of X
    if whole.value == 0:
        raise Refusal(f"{whole.name}为 0，无法计算占比。")
    pct = part.value / whole.value * HUNDRED
    notes = []
    printed_values = []
    stated = [
        f for f in facts_about(catalog, part.name)
        if f.share is not None and f.amount is not None and round2(f.amount) == round2(part.value)
    ]
    if stated:
        printed = stated[0].share
        agree = abs(round2(pct) - printed) <= Decimal("0.02")
        notes.append(f"文件所列占比 {fmt_pct(printed)}，复算为 {fmt_pct(pct)}，"
                     f"{'在舍入误差内一致（文件可能为使各项合计为100%而调整）' if agree else '不一致'}。")
        if agree and round2(pct) != printed:
            printed_values.append(_pct_value("文件所列占比", printed))
    return Answer(
        status="answered",
        answer=f"{part.name}（{fmt_money(part.value)} 万元）占{whole.name}（{fmt_money(whole.value)} 万元）的 {fmt_pct(pct)}。",
        values=[_pct_value(f"{part.name}占{whole.name}的比例", pct), *printed_values,
                _value(part.name, part.value, "万元"), _value(whole.name, whole.value, "万元")],
        formula=f"{fmt_money(part.value)} ÷ {fmt_money(whole.value)} = {fmt_pct(pct)}",
        citations=[part.citation, whole.citation],
        notes=notes,
    )


def _natural_total(catalog: Catalog, part: Quantity) -> Quantity:
    """The total a part belongs to: its parent row by code, else the table's total row."""
    if part.row is None or part.cell is None:
        raise Refusal(f"不知道{part.name}的占比应以什么为总数，请说明“占什么的比例”。")
    table, side = part.row.table, part.row.side
    parent = None
    if part.row.code and len(part.row.code) > 3:
        parent_code = part.row.code[:-2]
        parent = next((r for r in catalog.rows if r.table is table and r.code == parent_code), None)
    if parent is None:
        parent = total_row(table, side, catalog)
    if parent is None or parent is part.row:
        # a column of the total row: the total is the row's first column
        if part.cell.col_index != 0 and 0 in part.row.cells:
            cell = part.row.cells[0]
            return Quantity(" / ".join(cell.col_path), value_of(cell), cell_citation(catalog, table, cell), part.row, cell)
        raise Refusal(f"找不到{part.name}所属的总数。")
    cell = parent.cells.get(part.cell.col_index)
    if cell is None:
        raise Refusal(f"找不到{part.name}所属的总数。")
    return Quantity(parent.name, value_of(cell), cell_citation(catalog, table, cell), parent, cell)


def _difference(parsed: ParsedQuestion, catalog: Catalog) -> Answer:
    found = _quantities(parsed, catalog)
    if len(found) < 2:
        if len(found) == 1 and any(w in parsed.compact for w in ("上年", "去年")):
            return _change(parsed, catalog)
        raise Refusal("需要两个项目才能比较，只找到了一个或没有。")
    a, b = found[0], found[1]
    diff = a.value - b.value
    return Answer(
        status="answered",
        answer=f"{a.name}（{fmt_money(a.value)} 万元）比{b.name}（{fmt_money(b.value)} 万元）"
               f"{'多' if diff >= 0 else '少'} {_show(abs(diff), parsed.unit)} {parsed.unit}。",
        values=[_value(f"{a.name}与{b.name}之差", abs(diff), parsed.unit), _value(a.name, a.value, "万元"),
                _value(b.name, b.value, "万元")],
        formula=f"{fmt_money(a.value)} − {fmt_money(b.value)} = {fmt_money(diff)}",
        citations=[a.citation, b.citation],
    )


def _sum(parsed: ParsedQuestion, catalog: Catalog) -> Answer:
    found = _quantities(parsed, catalog)
    if len(found) < 2:
        if len(parsed.mentions) < 2 and not re.search(r"[和与及、加]", parsed.compact):
            return _lookup(parsed, catalog)
        raise Refusal("要相加的项目没有都找到：" + "、".join(q.name for q in found) + "。")
    total = sum((q.value for q in found), Decimal(0))
    names = "、".join(q.name for q in found)
    return Answer(
        status="answered",
        answer=f"{names}合计 {_show(total, parsed.unit)} {parsed.unit}。",
        values=[_value(f"{names}合计", total, parsed.unit), *[_value(q.name, q.value, "万元") for q in found]],
        formula=" + ".join(fmt_money(q.value) for q in found) + f" = {fmt_money(total)}",
        citations=[q.citation for q in found],
    )


def _ranking(parsed: ParsedQuestion, catalog: Catalog) -> Answer:
    members = _group(parsed, catalog)
    excluded = _excluded(parsed)
    members = [(r, c) for r, c in members if r.key not in excluded]
    if len(members) < 2:
        raise Refusal("没有找到可以比较的一组项目。")
    members.sort(key=lambda rc: value_of(rc[1]), reverse=parsed.largest)
    nth = _nth(parsed.compact)
    if nth >= len(members):
        raise Refusal(f"只有 {len(members)} 项，没有第 {nth + 1} 名。")
    best_row, best_cell = members[nth]
    listing = "；".join(f"{r.name} {fmt_money(value_of(c))}" for r, c in members[:5])
    values = [_value(best_row.name, value_of(best_cell), "万元")]
    formula = f"按数额排序：{listing}"
    if re.search(r"占比|比例|比重|百分", parsed.compact):
        total = sum((value_of(c) for _, c in members), Decimal(0))
        if total:
            pct = value_of(best_cell) / total * HUNDRED
            values.insert(0, _pct_value(f"{best_row.name}占比", pct))
            formula += f"；{fmt_money(value_of(best_cell))} ÷ {fmt_money(total)} = {fmt_pct(pct)}"
    return Answer(
        status="answered",
        answer=f"{'最多' if parsed.largest else '最少' if not nth else ''}{f'第{nth + 1}' if nth else ''}的是{best_row.name}，{fmt_money(value_of(best_cell))} 万元。（{listing}）",
        values=values,
        formula=formula,
        citations=[cell_citation(catalog, best_row.table, best_cell)],
        notes=[f"共比较 {len(members)} 项。"],
    )


def _excluded(parsed: ParsedQuestion) -> set[str]:
    """Names the question leaves out of a ranking ("除了行政运行，哪一项最多")."""
    excluded = set()
    for mention in parsed.mentions:
        if re.search(r"(除了|除去|除|不算|不含|不包括)$", parsed.compact[max(0, mention.start - 3):mention.start]):
            excluded.add(mention.text)
    return excluded


_ORDINALS = {"二": 1, "三": 2, "四": 3, "五": 4, "2": 1, "3": 2, "4": 3, "5": 4}


def _nth(text: str) -> int:
    """0 for "最多", 1 for "第二多", …"""
    match = re.search(r"第([二三四五2-5])(?:多|大|高|少|小|低|名)", text)
    return _ORDINALS[match.group(1)] if match else 0


def _rank_level(text: str) -> int | None:
    """Which level a ranking compares: 类 (3 digits), 款 (5), 项 (7), or None for the most detailed rows."""
    for level, pattern in ((3, r"哪(?:一|个)?(?:大)?类|大类|类级"), (5, r"哪(?:一|个)?款|款级"),
                           (7, r"哪(?:一)?项(?!目)|项级")):
        if re.search(pattern, text):
            return level
    return None


def _leaves(rows: list[Row]) -> list[Row]:
    codes = {r.code for r in rows if r.code}
    return [r for r in rows if r.code and not any(c != r.code and c.startswith(r.code) for c in codes)]


def _group(parsed: ParsedQuestion, catalog: Catalog) -> list[tuple[Row, object]]:
    """The rows a ranking compares: the children of a named row, a column's rows, or a table's 类 rows."""
    text = parsed.compact
    level = _rank_level(text)
    excluded = _excluded(parsed)
    for mention in parsed.mentions:
        if mention.text in excluded:
            continue
        quantity = resolve(catalog, mention, None, text)
        if quantity is None or quantity.row is None:
            continue
        row = quantity.row
        index = quantity.cell.col_index if quantity.cell else 0
        same_side = [r for r in catalog.rows if r.table is row.table and r.side == row.side and r.code]
        if row.code:
            children = [r for r in same_side if r.code.startswith(row.code) and len(r.code) == len(row.code) + 2]
        elif level is not None:
            children = [r for r in same_side if len(r.code) == level]
        else:
            children = _leaves(same_side)
        members = [(r, r.cells[index]) for r in children if index in r.cells]
        if len(members) >= 2:
            return members
    if "项目" in text and level is None:
        # "哪个项目…": the named projects of a project-expenditure table
        for table in catalog.doc.tables:
            projects = [r for r in catalog.rows if r.table is table and r.subject and 0 in r.cells]
            if len(projects) >= 2:
                return [(r, r.cells[0]) for r in projects]
    order = catalog.table_order(hints_in(text))
    for table in sorted(catalog.doc.tables, key=lambda t: order.index(t.kind) if t.kind in order else 99):
        rows = [r for r in catalog.rows if r.table is table and r.code and len(r.code) == (level or 3)]
        members = [(r, r.cells[0]) for r in rows if 0 in r.cells]
        if len(members) >= 2:
            return members
    return []


def _budget_fact(parsed: ParsedQuestion, catalog: Catalog):
    """A narrative figure giving both the budget (年初/全年预算) and the final amount of a mentioned item."""
    for mention in parsed.mentions:
        for name in (mention.text, *mention.alternatives):
            for fact in facts_about(catalog, name):
                if fact.budget is not None and fact.amount is not None:
                    return mention.text, fact
    return None, None


def _completion(parsed: ParsedQuestion, catalog: Catalog) -> Answer:
    name, fact = _budget_fact(parsed, catalog)
    if fact is None:
        raise Refusal("文件没有给出该项目的预算数和决算数，无法计算完成率。")
    if fact.budget == 0:
        pct = fact.completion_pct
        formula = "预算数为 0，无法相除；按文件所列"
    else:
        pct = fact.amount / fact.budget * HUNDRED
        formula = f"{fmt_money(fact.amount)} ÷ {fmt_money(fact.budget)} = {fmt_pct(pct)}"
    notes = []
    if fact.completion_pct is not None and pct is not None and fact.budget != 0:
        agree = abs(round2(pct) - fact.completion_pct) <= Decimal("0.01")
        notes.append(f"文件所列完成率 {fmt_pct(fact.completion_pct)}，复算{'一致' if agree else '不一致'}。")
    if pct is None:
        raise Refusal(f"{name}的预算数为 0，文件也没有给出完成率。")
    return Answer(
        status="answered",
        answer=f"{name}决算 {fmt_money(fact.amount)} 万元，预算 {fmt_money(fact.budget)} 万元，完成预算的 {fmt_pct(pct)}。",
        values=[_pct_value(f"{name}完成率", pct), _value(f"{name}决算数", fact.amount, "万元"),
                _value(f"{name}预算数", fact.budget, "万元")],
        formula=formula,
        citations=[fact_citation(catalog, fact)],
        notes=notes,
    )


_BUDGET_WORDS = re.compile(r"年初预算|全年预算|调整预算|预算数")


def _budget_lookup(parsed: ParsedQuestion, catalog: Catalog) -> Answer | None:
    """In a 决算, "X的年初预算是多少" / "X决算比预算少多少" read the narrative's budget figure."""
    if catalog.doc.kind != "决算" or not _BUDGET_WORDS.search(parsed.compact):
        return None
    name, fact = _budget_fact(parsed, catalog)
    if fact is None:
        return None
    citation = fact_citation(catalog, fact)
    if parsed.operation == "difference":
        diff = fact.amount - fact.budget
        return Answer(
            status="answered",
            answer=f"{name}决算 {fmt_money(fact.amount)} 万元，比预算 {fmt_money(fact.budget)} 万元"
                   f"{'多' if diff >= 0 else '少'} {fmt_money(abs(diff))} 万元。",
            values=[_value(f"{name}决算与预算之差", abs(diff), "万元"), _value(f"{name}决算数", fact.amount, "万元"),
                    _value(f"{name}预算数", fact.budget, "万元")],
            formula=f"{fmt_money(fact.amount)} − {fmt_money(fact.budget)} = {fmt_money(diff)}",
            citations=[citation],
        )
    return Answer(
        status="answered",
        answer=f"{name}的预算数为 {fmt_money(fact.budget)} 万元（决算 {fmt_money(fact.amount)} 万元）。",
        values=[_value(f"{name}预算数", fact.budget, "万元")],
        citations=[citation],
    )


def _across(parsed: ParsedQuestion) -> Answer:
    """The same quantity in several documents: ranking, year-on-year change, or a list."""
    results = []
    for catalog in parsed.catalogs:
        found = _quantities(parsed, catalog)
        if found:
            results.append((catalog, found[0]))
    if not results:
        raise Refusal("所载入的文件中都没有找到这个项目。")
    label = {id(c): f"{c.doc.department}{c.doc.year or ''}年" for c, _ in results}
    years = sorted({c.doc.year for c, _ in results if c.doc.year})
    if parsed.operation in ("change", "difference") and len(results) == 2:
        (c1, q1), (c2, q2) = sorted(results, key=lambda r: (r[0].doc.year or 0))
        if parsed.operation == "difference" and len(years) < 2:
            (c1, q1), (c2, q2) = results[1], results[0]
        diff = q2.value - q1.value
        pct = diff / q1.value * HUNDRED if q1.value else None
        values = [_value(f"{label[id(c2)]}与{label[id(c1)]}之差", abs(diff), parsed.unit)]
        if pct is not None:
            values.append(_pct_value("变化率", abs(pct)))
        formula = f"{fmt_money(q2.value)} − {fmt_money(q1.value)} = {fmt_money(diff)}"
        if pct is not None:
            formula += f"；{fmt_money(diff)} ÷ {fmt_money(q1.value)} = {fmt_pct(pct)}"
        notes = ["按两年公开的表格计算。"]
        stated = _change_fact(c2, q2, [m.text for m in parsed.mentions])
        if stated is not None and stated.change_amount is not None and pct is not None:
            agree_amount = abs(round2(diff) - stated.change_amount) <= Decimal("0.01")
            notes.append(
                f"{label[id(c2)]}公开的说明写{'增加' if stated.change_amount >= 0 else '减少'} "
                f"{fmt_money(abs(stated.change_amount))} 万元"
                + (f"、{fmt_pct(abs(stated.change_pct))}" if stated.change_pct is not None else "")
                + f"，与按表计算的结果{'一致' if agree_amount else '不一致'}。"
            )
        return Answer(
            status="answered",
            answer=f"{label[id(c2)]}{q2.name} {fmt_money(q2.value)} 万元，{label[id(c1)]} {fmt_money(q1.value)} 万元，"
                   f"{'增加' if diff >= 0 else '减少'} {_show(abs(diff), parsed.unit)} {parsed.unit}"
                   + (f"，{'增长' if diff >= 0 else '下降'} {fmt_pct(abs(pct))}。" if pct is not None else "。"),
            values=values,
            formula=formula,
            citations=[q2.citation, q1.citation],
            notes=notes,
        )
    if parsed.operation == "share" or (
        parsed.operation == "ranking" and re.search(r"占比|比例|比重", parsed.compact)
    ):
        return _across_share(parsed)
    if parsed.operation == "sum":
        total = sum((q.value for _, q in results), Decimal(0))
        return Answer(
            status="answered",
            answer=f"合计 {_show(total, parsed.unit)} {parsed.unit}。",
            values=[_value("合计", total, parsed.unit)],
            formula=" + ".join(fmt_money(q.value) for _, q in results) + f" = {fmt_money(total)}",
            citations=[q.citation for _, q in results],
        )
    if parsed.operation != "ranking" and any(w in parsed.compact for w in load("questions")["parts"]["words"]):
        results.sort(key=lambda r: (r[0].doc.year or 0, r[0].doc.department))
        return Answer(
            status="answered",
            answer="；".join(f"{label[id(c)]}{q.name} {_show(q.value, parsed.unit)} {parsed.unit}" for c, q in results) + "。",
            values=[_value(f"{label[id(c)]}{q.name}", q.value, parsed.unit) for c, q in results],
            citations=[q.citation for _, q in results],
        )
    results.sort(key=lambda r: r[1].value, reverse=parsed.largest)
    listing = "；".join(f"{label[id(c)]} {fmt_money(q.value)}" for c, q in results)
    best_catalog, best = results[0]
    return Answer(
        status="answered",
        answer=f"{'最高' if parsed.largest else '最低'}的是{label[id(best_catalog)]}：{best.name} {fmt_money(best.value)} 万元。（{listing}）",
        values=[_value(f"{label[id(best_catalog)]}{best.name}", best.value, "万元")],
        formula=f"按数额排序：{listing}",
        citations=[q.citation for _, q in results],
    )


def _across_share(parsed: ParsedQuestion) -> Answer:
    """Which document has the larger share: each document's share computed, then ranked."""
    shares = []
    for catalog in parsed.catalogs:
        try:
            answer = _share(parsed, catalog)
        except Refusal:
            continue
        shares.append((catalog, Decimal(answer.values[0].value), answer))
    if not shares:
        raise Refusal("没有在任何一份公开中算出这个占比。")
    shares.sort(key=lambda s: s[1], reverse=parsed.largest)
    label = {id(c): f"{c.doc.department}{c.doc.year or ''}年" for c, _, _ in shares}
    listing = "；".join(f"{label[id(c)]} {fmt_pct(p)}" for c, p, _ in shares)
    best_catalog, best_pct, best = shares[0]
    return Answer(
        status="answered",
        answer=f"{'最高' if parsed.largest else '最低'}的是{label[id(best_catalog)]}：{best.answer}（{listing}）",
        values=[_pct_value(f"{label[id(best_catalog)]}占比", best_pct)],
        formula="；".join(f"{label[id(c)]}：{a.formula}" for c, _, a in shares),
        citations=[cite for _, _, a in shares for cite in a.citations],
    )


OPERATIONS = {
    "lookup": _lookup,
    "change": _change,
    "last_year": _last_year,
    "share": _share,
    "difference": _difference,
    "sum": _sum,
    "ranking": _ranking,
    "completion": _completion,
}
