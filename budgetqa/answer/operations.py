"""The operations: each binds its quantities, computes over them and renders the answer.

One function per operation (lookup, change, share, difference, sum, ranking, completion, and the
same across documents); the arithmetic is in :mod:`compute`, the wording helpers in :mod:`render`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from budgetqa.answer.bind import (
    Refusal,
    budget_and_final,
    budget_fact,
    change_fact,
    comparable_change,
    compared_elsewhere,
    excluded_mentions,
    excluded_names,
    group_members,
    natural_total,
    one,
    own_row_total,
    previous_cell,
    printed_change,
    qualified_share,
    quantities,
    rank_position,
    stated_whole,
    top_count,
)
from budgetqa.answer.catalog import Catalog, normalise_name, short_title, value_of
from budgetqa.answer.companion import asks_count_and_amount, companion
from budgetqa.answer.completion import completion_of_two, counterparts
from budgetqa.answer.compute import (
    agrees,
    average_growth,
    change_from_amount,
    change_from_previous,
    difference,
    pct_tolerance,
    ratio,
    share,
    total,
)
from budgetqa.answer.planner import Mention, ParsedQuestion, containers, is_container, mask_mentions
from budgetqa.answer.render import (
    conversion_note,
    doc_label,
    growth,
    in_unit,
    money,
    more,
    percent,
    rise,
    show,
)
from budgetqa.answer.resolve import (
    Quantity,
    asks_for_budget_figure,
    cell_citation,
    fact_citation,
    fact_quantity,
    facts_about,
    resolve,
)
from budgetqa.answer.schema import Answer, Citation, Value
from budgetqa.numbers import fmt_money, fmt_pct, round2


def lookup(parsed: ParsedQuestion, catalog: Catalog) -> Answer:
    q = one(parsed, catalog)
    if q.fact is not None and not parsed.is_part and asks_count_and_amount(parsed.compact):
        other = companion(catalog.doc.facts, q.fact)
        if other is not None:
            return _count_and_amount(parsed, catalog, q.fact, other)
    if q.unit not in ("万元", "元"):
        return Answer(status="answered", answer=f"{q.name}为 {q.value.normalize():f} {q.unit}。",
                      values=[Value(name=q.name, value=str(q.value), unit=q.unit)], citations=[q.citation])
    unit = parsed.unit
    if q.fact is not None and unit == "元" and q.fact.unit == "万元" and _tables_in_yuan(catalog):
        # the narrative rounds the 元 tables to 0.01 万元: in 元 it would be a figure the document never printed
        raise Refusal(f"{q.name}只在说明中以万元印出（{show(q.value, '万元')} 万元），本文件的表以元列示但没有找到这一行，"
                      "换算成元只精确到百元，不作为元数回答。")
    notes = []
    formula = None
    values = [money(q.name, q.value, unit)]
    printed = ""
    printed_unit = q.cell.unit if q.cell is not None else None
    if printed_unit and printed_unit != unit and q.cell.state == "value":
        # the figure as printed stays beside the converted one
        formula = f"{q.cell.raw} {printed_unit} = {show(q.value, unit)} {unit}"
        notes.append(f"表中单位为{printed_unit}，已换算为{unit}。")
        values.append(money(f"{q.name}（表列，{printed_unit}）", q.value, printed_unit))
        printed = f"（表列 {show(q.value, printed_unit)} {printed_unit}）"
    elif (note := conversion_note(unit)) is not None:
        notes.append(note)
    if unit == "元" and _ALSO_IN_WAN.search(parsed.compact):
        # "是多少元？折合多少万元？": both units asked
        values.append(money(f"{q.name}（折合万元）", q.value, "万元"))
        printed += f"，折合 {show(q.value, '万元')} 万元"
    if q.cell is not None and q.cell.state != "value":
        notes.append("表中该格为空（没有数），按 0 计。")
    said = _said_empty(catalog, q) if q.value == 0 else None
    citations = [q.citation]
    statement = ""
    if said is not None:
        # "有政府性基金预算拨款吗": the document's own "本部门无…" beside the 0 it prints
        statement = f"文件说明：“{said.sentence}”"
        citations.append(said)
    if q.cell is None and q.fact is None and q.citation.sentence:
        notes.append(f"《{q.citation.table}》为空表：{q.citation.sentence}")
    return Answer(
        status="answered",
        answer=f"{q.name}为 {show(q.value, unit)} {unit}{printed}。{statement}",
        values=values,
        formula=formula,
        citations=citations,
        notes=notes,
    )


_FUND_STEM = re.compile(r"(?:预算)?(?:财政)?(?:拨款)?(?:收入|支出)?$")


def _said_empty(catalog: Catalog, q: Quantity) -> Citation | None:
    """The statement of an empty table about the item a 0 answers for ("本部门无政府性基金预算财政
    拨款安排的预算，故本表为空表"): the table titled with the item's stem, when it says so."""
    stem = _FUND_STEM.sub("", normalise_name(q.name))
    if len(stem) < 4 or q.citation.sentence:
        return None
    for title, table in catalog.empty_tables.items():
        if stem in title and table.empty_statement and stem in table.empty_statement:
            return Citation(doc_id=catalog.doc.doc_id, document=catalog.doc.title, table_id=table.table_id,
                            table=table.title, page=table.pages[0] if table.pages else None,
                            sentence=table.empty_statement, source_file=table.source_file or None)
    return None


_ALSO_IN_WAN = re.compile(r"(?:折合|合|换算成|换成|等于|即)多少万元?|多少万元")


def _tables_in_yuan(catalog: Catalog) -> bool:
    """The document prints its amount tables in 元 (its narrative's 万元 figures are rounded from them)."""
    return any(row.table.unit == "元" for row in catalog.rows)


def _count_and_amount(parsed: ParsedQuestion, catalog: Catalog, fact, other) -> Answer:
    """A count (or area) and the amount its clause prints beside it, each with its citation."""
    count, amount = (fact, other) if fact.kind in ("count", "area") else (other, fact)
    unit = parsed.unit
    name = f"{count.subject}面积" if count.kind == "area" and not count.subject.endswith("面积") else count.subject
    return Answer(
        status="answered",
        answer=f"{name} {count.amount.normalize():f} {count.unit}，{amount.subject} {show(amount.amount, unit)} {unit}。",
        values=[Value(name=name, value=str(count.amount), unit=count.unit),
                money(amount.subject, amount.amount, unit)],
        citations=[fact_citation(catalog, count), fact_citation(catalog, amount)],
        notes=[n for n in [conversion_note(unit)] if n],
    )


def _change(parsed: ParsedQuestion, catalog: Catalog, last_year_only: bool = False) -> Answer:
    q = one(parsed, catalog)
    if not last_year_only and "口径" in mask_mentions(parsed.compact, parsed.mentions):
        stated = comparable_change(catalog, q)
        if stated is not None:
            return _stated_change(catalog, q, stated)
    fact = change_fact(catalog, q, [n for m in parsed.mentions for n in (m.text, *m.alternatives)])
    if fact is None:
        last = previous_cell(catalog, q)
        elsewhere = compared_elsewhere(parsed, catalog, q) if last is None else None
        if last is None and elsewhere is None:
            raise Refusal(f"{catalog.doc.title}没有给出{q.name}与上年的比较，且没有载入上年的公开。")
        if elsewhere is not None:
            return _change_elsewhere(parsed, catalog, q, *elsewhere, last_year_only)
        return _change_in_table(parsed, q, last, printed_change(catalog, q), last_year_only)
    current = q.value
    if fact.change_amount is None and _EXECUTION.search(fact.sentence) and asks_for_budget_figure(
            mask_mentions(parsed.compact, parsed.mentions)):
        raise Refusal(f"{catalog.doc.title}只给出上年的执行数（{fmt_money(fact.previous)} 万元），"
                      f"不是问题所问的上年预算数（上年的预算数请问上年的预算公开）。")
    if fact.change_amount is None:
        # the sentence prints last year's value instead of the change ("2023年执行数为 X 万元")
        computed = change_from_previous(current, fact.previous)
    else:
        computed = change_from_amount(current, fact.change_amount)
    change, previous, pct = computed.amount, computed.previous, computed.pct
    citations = [q.citation] + ([fact_citation(catalog, fact)] if q.fact is not fact else [])
    notes = []
    values = []
    if fact.change_pct is not None and pct is not None:
        agree = agrees(pct, fact.change_pct, pct_tolerance(change, previous))
        notes.append(
            f"文件所列{'增长' if fact.change_pct >= 0 else '下降'}率 {fmt_pct(abs(fact.change_pct))}，"
            f"按上年数复算为 {fmt_pct(abs(pct))}，{'在舍入误差内一致' if agree else '不一致'}。"
        )
    shown_pct = fact.change_pct if fact.change_pct is not None else pct
    word = rise(change)
    if last_year_only:
        values += [money(f"上年{q.name}", previous, parsed.unit), money(f"本年{q.name}", current, parsed.unit)]
        text = f"上年{q.name}为 {show(previous, parsed.unit)} {parsed.unit}（本年 {fmt_money(current)}，{word} {fmt_money(abs(change))}）。"
    else:
        values.append(money(f"{q.name}比上年{word}", abs(change), parsed.unit))
        if shown_pct is not None:
            values.append(percent(f"{q.name}{'增长' if change >= 0 else '下降'}率", abs(shown_pct)))
        values.append(money(f"上年{q.name}", previous, parsed.unit))
        pct_text = f"，{'增长' if change >= 0 else '下降'} {fmt_pct(abs(shown_pct))}" if shown_pct is not None else ""
        text = (f"{q.name}为 {fmt_money(current)} 万元，比上年{word} {show(abs(change), parsed.unit)} {parsed.unit}"
                f"{pct_text}（上年为 {fmt_money(previous)} 万元）。")
    if fact.change_amount is None:
        notes.append("上年数为文件所列的上年（执行）数，增减额按本年数减上年数计算。")
    else:
        notes.append("上年数由本年数减去文件所列增减额推算，文件的表格中没有上年数。")
    return Answer(status="answered", answer=text, values=values, formula=computed.formula,
                  citations=citations, notes=notes)


def _stated_change(catalog: Catalog, q: Quantity, fact) -> Answer:
    """A change on last year's basis as the narrative states it: its base is not printed, so
    nothing is derived from it."""
    word = rise(fact.change_amount)
    values = [money(f"{q.name}按上年口径比上年{word}", abs(fact.change_amount), "万元")]
    pct = ""
    if fact.change_pct is not None:
        values.append(percent(f"{q.name}按上年口径{'增长' if fact.change_pct >= 0 else '下降'}率", abs(fact.change_pct)))
        pct = f"，{'增长' if fact.change_pct >= 0 else '下降'} {fmt_pct(abs(fact.change_pct))}"
    return Answer(
        status="answered",
        answer=f"按与上年一致的口径，{q.name}比上年{word} {fmt_money(abs(fact.change_amount))} 万元{pct}（文件所列）。",
        values=values,
        citations=[fact_citation(catalog, fact)],
        notes=["同口径的上年数文件没有列出，增减额和增减率按文件所列。"],
    )


def _change_elsewhere(parsed: ParsedQuestion, catalog: Catalog, first: Quantity, q: Quantity, last: Quantity,
                      last_year_only: bool) -> Answer:
    """A change read from the table that prints last year's figure, when the table first chosen for
    the item prints none. When that table's figure for this year differs, the answer names the table
    it speaks of and says what the first one prints."""
    same = first.value == q.value
    if not same:
        q.name = f"{short_title(q.citation.table, catalog.doc.department)}中的{q.name}"
    answer = _change_in_table(parsed, q, last, printed_change(catalog, q), last_year_only)
    unit = answer.values[-1].unit
    answer.notes.insert(0, f"《{first.citation.table}》所列{first.name}没有上年数，上年比较取自《{q.citation.table}》"
                        + ("，两表本年数相同。" if same else
                           f"；《{first.citation.table}》的本年数为 {show(first.value, unit)} {unit}，口径不同。"))
    answer.citations.append(first.citation)
    return answer


def _change_in_table(parsed: ParsedQuestion, q: Quantity, last: Quantity, printed: Quantity | None,
                     last_year_only: bool) -> Answer:
    """This year's cell against last year's printed beside it in the same row (本年 | 上年 columns),
    checked against the row's printed 增减额 when there is one."""
    unit = _display_unit(parsed, q, last)
    current = in_unit(q.value, unit)
    computed = change_from_previous(current, in_unit(last.value, unit))
    change, previous, pct = computed.amount, computed.previous, computed.pct
    word = rise(change)

    def amount(name: str, figure: Decimal) -> Value:
        return Value(name=name, value=str(round2(figure)), unit=unit)

    values = [amount(f"上年{q.name}", previous)]
    if last_year_only:
        text = (f"上年{q.name}为 {fmt_money(previous)} {unit}（本年 {fmt_money(current)} {unit}，"
                f"{word} {fmt_money(abs(change))} {unit}）。")
    else:
        values.insert(0, amount(f"{q.name}比上年{word}", abs(change)))
        if pct is not None:
            values.insert(1, percent(f"{q.name}{'增长' if change >= 0 else '下降'}率", abs(pct)))
        pct_text = f"，{'增长' if change >= 0 else '下降'} {fmt_pct(abs(pct))}" if pct is not None else ""
        text = (f"{q.name}为 {fmt_money(current)} {unit}，比上年{word} {fmt_money(abs(change))} {unit}{pct_text}"
                f"（上年为 {fmt_money(previous)} {unit}）。")
    notes = [f"本年数与上年数均取自《{q.citation.table}》同一行（“{q.citation.column}”与“{last.citation.column}”两列），"
             "增减额按本年数减上年数计算。"]
    if unit != parsed.unit:
        notes.append(f"表中单位为{unit}，按表列单位计算。")
    citations = [q.citation, last.citation]
    if printed is not None:
        agree = agrees(change, in_unit(printed.value, unit))
        notes.append(f"表列“{printed.citation.column}” {show(printed.value, unit)} {unit}，"
                     f"与复算{'一致' if agree else '不一致'}。")
        citations.append(printed.citation)
    return Answer(status="answered", answer=text, values=values, formula=computed.formula,
                  citations=citations, notes=notes)


def _display_unit(parsed: ParsedQuestion, q: Quantity, last: Quantity) -> str:
    """The unit a change is shown in: the asked one; else the one both cells are printed in, so
    the formula shows the printed figures (690 − 540 元, not 0.07 − 0.05 万元)."""
    if parsed.unit != "万元" or "万元" in parsed.compact or q.cell is None or last.cell is None:
        return parsed.unit
    printed = {q.cell.unit, last.cell.unit}
    return printed.pop() if len(printed) == 1 and printed <= {"元", "万元"} else parsed.unit


def _last_year(parsed: ParsedQuestion, catalog: Catalog) -> Answer:
    return _change(parsed, catalog, last_year_only=True)


def _share(parsed: ParsedQuestion, catalog: Catalog) -> Answer:
    found = quantities(parsed, catalog)
    if not found:
        raise Refusal("没有找到要计算占比的项目。")
    part = found[0]
    whole = found[1] if len(found) > 1 else (own_row_total(parsed, catalog, part) or stated_whole(catalog, part)
                                             or natural_total(catalog, part))
    qualified = qualified_share(parsed, catalog)
    if qualified is not None:
        part, whole = qualified  # "X中财政拨款占多少": X in the 财政拨款 table over X as a whole
    elif len(found) > 1 and _whole_after_zhan(parsed):
        part, whole = found[-2], found[-1]  # "（X里，）Y占Z的比重": Z is the whole, whatever X says
    elif len(found) > 1 and parsed.mentions[:1] == containers(parsed)[:1]:
        part, whole = found[1], found[0]  # "X中Y的比重": Y's share of X
    if whole.value == 0:
        raise Refusal(f"{whole.name}为 0，无法计算占比。")
    pct, formula = share(part.value, whole.value)
    notes = []
    printed_values = []
    stated = [
        f for f in facts_about(catalog, part.name)
        if f.share is not None and f.amount is not None and round2(f.amount) == round2(part.value)
    ]
    if stated:
        printed = stated[0].share
        agree = agrees(pct, printed, Decimal("0.02"))
        notes.append(f"文件所列占比 {fmt_pct(printed)}，复算为 {fmt_pct(pct)}，"
                     f"{'在舍入误差内一致（文件可能为使各项合计为100%而调整）' if agree else '不一致'}。")
        if agree and round2(pct) != printed:
            printed_values.append(percent("文件所列占比", printed))
    return Answer(
        status="answered",
        answer=f"{part.name}（{fmt_money(part.value)} 万元）占{whole.name}（{fmt_money(whole.value)} 万元）的 {fmt_pct(pct)}。",
        values=[percent(f"{part.name}占{whole.name}的比例", pct), *printed_values,
                money(part.name, part.value, "万元"), money(whole.name, whole.value, "万元")],
        formula=formula,
        citations=[part.citation, whole.citation],
        notes=notes,
    )


def _whole_after_zhan(parsed: ParsedQuestion) -> bool:
    """"Y占Z…": the question's last name follows 占 (占/占了/占到), so it is the whole."""
    at = parsed.compact.find("占")
    return at >= 0 and bool(parsed.mentions) and at < parsed.mentions[-1].start <= at + 3 \
        and any(m.end <= at for m in parsed.mentions)


def _difference(parsed: ParsedQuestion, catalog: Catalog) -> Answer:
    found = quantities(parsed, catalog)
    if len(found) == 1 and (other := _opening_or_closing(parsed, catalog, found[0])) is not None:
        found.append(other)  # "年末结转和结余比年初多了多少": the same item at the year's start
    if len(found) < 2:
        year = catalog.doc.year
        if len(found) == 1 and (any(w in parsed.compact for w in ("上年", "去年"))
                                or year is not None and year - 1 in parsed.years):
            return _change(parsed, catalog)  # "23年X是多少 24年比它少了多少" asked of the 2024 document
        raise Refusal("需要两个项目才能比较，只找到了一个或没有。")
    return compared(parsed, (found[0].name, found[0]), (found[1].name, found[1]))


_YEAR_ENDS = {"年末": "年初", "年初": "年末"}


def _opening_or_closing(parsed: ParsedQuestion, catalog: Catalog, q: Quantity) -> Quantity | None:
    """"年末X比年初多了多少": the item named with the other end of the year (年初X), when printed."""
    for end, other in _YEAR_ENDS.items():
        if q.name.startswith(end) and other in parsed.compact.replace(q.name, ""):
            name = other + q.name[len(end):]
            if name in catalog.names:
                return resolve(catalog, Mention(name, 0, 0, "name"), None, parsed.compact)
    return None


def compared(parsed: ParsedQuestion, first: tuple[str, Quantity], second: tuple[str, Quantity]) -> Answer:
    """Two labelled amounts compared: which is larger, by how much, and how many times the other."""
    (name_a, a), (name_b, b) = first, second
    diff, formula = difference(a.value, b.value)
    unit = parsed.unit
    values = [money(f"{name_a}与{name_b}之差", abs(diff), unit), money(name_a, a.value, unit),
              money(name_b, b.value, unit)]
    times, ratio_formula = ratio(a.value, b.value)
    text = (f"{name_a}（{show(a.value, unit)} {unit}）比{name_b}（{show(b.value, unit)} {unit}）"
            f"{more(diff)} {show(abs(diff), unit)} {unit}")
    if times is not None and diff != 0 and re.search(r"哪个|哪一?项|谁|倍", parsed.compact):
        larger, smaller = (name_a, name_b) if diff > 0 else (name_b, name_a)
        text = (f"{larger}更多。" if parsed.largest else f"{smaller}更少。") + text
        values.append(Value(name=f"{name_a}是{name_b}的倍数", value=str(round2(times)), unit="倍"))
        formula += f"；{ratio_formula}"
        if "倍" in parsed.compact:
            text += f"，是后者的 {round2(times)} 倍"
    return Answer(status="answered", answer=text + "。", values=values, formula=formula,
                  citations=[a.citation, b.citation], notes=[n for n in [conversion_note(unit)] if n])


def _sum(parsed: ParsedQuestion, catalog: Catalog) -> Answer:
    left_out = excluded_mentions(parsed)
    if left_out:
        # "收入总计里本年收入合计以外的两块（A、B）": the parts named, not the whole nor what is left out
        outer = containers(parsed)
        kept = [m for m in parsed.mentions if m not in left_out and m not in outer]
        parsed = replace(parsed, mentions=kept)
    found = quantities(parsed, catalog)
    if len(found) < 2:
        if len(parsed.mentions) < 2 and not re.search(r"[和与及、加]", parsed.compact):
            return lookup(parsed, catalog)
        raise Refusal("要相加的项目没有都找到：" + "、".join(q.name for q in found) + "。")
    amount, formula = total([q.value for q in found])
    names = "、".join(q.name for q in found)
    return Answer(
        status="answered",
        answer=f"{names}合计 {show(amount, parsed.unit)} {parsed.unit}。",
        values=[money(f"{names}合计", amount, parsed.unit), *[money(q.name, q.value, parsed.unit) for q in found]],
        formula=formula,
        citations=[q.citation for q in found],
    )


_RANKED_BY_CHANGE = re.compile(r"(增长|增加|减少|下降|增幅|降幅|变化|变动|增减|差|涨|降)(得|了|的)?(最|第)")
"""A ranking of changes or gaps ("哪项增长最多", "决算和预算差得最多"), not of the amounts themselves."""


def _ranking(parsed: ParsedQuestion, catalog: Catalog) -> Answer:
    """The largest (smallest, n-th, or top n) of a group of rows, each cited."""
    if _RANKED_BY_CHANGE.search(mask_mentions(parsed.compact, parsed.mentions)):
        raise Refusal("按增减额或两列之差排序还不支持：请分别问各项的数，或问其中一项的增减。")
    members = group_members(parsed, catalog)
    excluded = excluded_names(parsed, catalog)
    members = [(r, c) for r, c in members if r.key not in excluded and r.code not in excluded]
    if len(members) < 2:
        raise Refusal("没有找到可以比较的一组项目。")
    members.sort(key=lambda rc: value_of(rc[1]), reverse=parsed.largest)
    unit = parsed.unit
    nth = rank_position(parsed.compact)
    top = top_count(parsed.compact)
    if max(nth, top - 1) >= len(members):
        raise Refusal(f"只有 {len(members)} 项，没有第 {max(nth, top - 1) + 1} 名。")
    chosen = members[:top] if top > 1 else [members[nth]]
    best_row, best_cell = chosen[0]
    listing = "；".join(f"{r.name} {show(value_of(c), unit)}" for r, c in members[:max(5, top)])
    values = [money(r.name, value_of(c), unit) for r, c in chosen]
    formula = f"按数额排序：{listing}"
    if re.search(r"占比|比例|比重|百分", parsed.compact):
        whole, _ = total([value_of(c) for _, c in members])
        if whole:
            pct, share_formula = share(value_of(best_cell), whole)
            values.insert(0, percent(f"{best_row.name}占比", pct))
            formula += f"；{share_formula}"
    word = "最多" if parsed.largest else "最少"
    if top > 1:
        head = f"{word}的前 {top} 项是" + "、".join(f"{r.name}（{show(value_of(c), unit)} {unit}）" for r, c in chosen)
    else:
        head = f"{word if not nth else ''}{f'第{nth + 1}' if nth else ''}的是{best_row.name}，{show(value_of(best_cell), unit)} {unit}"
    whole = _whole_ranked(parsed, catalog, members)
    if whole is not None:
        formula += f"；各项之和 = {whole.row} {whole.raw}"
    return Answer(
        status="answered",
        answer=f"{head}。（{listing}）",
        values=values,
        formula=formula,
        citations=[cell_citation(catalog, r.table, c) for r, c in chosen] + ([whole] if whole else []),
        notes=[f"共比较 {len(members)} 项。", *[n for n in [conversion_note(unit)] if n]],
    )


def _whole_ranked(parsed: ParsedQuestion, catalog: Catalog, members: list) -> Citation | None:
    """The cell of the named whole the ranked items add up to ("收入总计里哪三块"), cited beside them."""
    summed = sum((value_of(c) for _, c in members), Decimal(0))
    for mention in parsed.mentions:
        if not is_container(parsed.compact, mention):
            continue  # only a whole written as the ranking's scope ("收入预算里…", "商品和服务支出中…")
        q = resolve(catalog, mention, None, parsed.compact)
        if q is not None and q.cell is not None and q.value == summed and all(q.cell is not c for _, c in members):
            return q.citation
    return None


def _completion(parsed: ParsedQuestion, catalog: Catalog) -> Answer:
    pair = budget_and_final(parsed, catalog)
    if pair is not None:
        return _completion_from_cells(*pair)
    name, fact = budget_fact(parsed, catalog)
    if fact is None and (pair := counterparts([catalog], parsed.catalogs)) is not None:
        return completion_of_two(parsed, *pair)  # the 决算 prints no budget: its 预算 disclosure's
    if fact is None:
        raise Refusal("文件没有给出该项目的预算数和决算数，无法计算完成率。")
    if fact.budget == 0:
        pct = fact.completion_pct
        formula = "预算数为 0，无法相除；按文件所列"
    else:
        pct, formula = share(fact.amount, fact.budget)
    notes = []
    if fact.completion_pct is not None and pct is not None and fact.budget != 0:
        agree = agrees(pct, fact.completion_pct)
        notes.append(f"文件所列完成率 {fmt_pct(fact.completion_pct)}，复算{'一致' if agree else '不一致'}。")
    if pct is None:
        raise Refusal(f"{name}的预算数为 0，文件也没有给出完成率。")
    diff, diff_formula = difference(fact.amount, fact.budget)
    return Answer(
        status="answered",
        answer=f"{name}决算 {fmt_money(fact.amount)} 万元，预算 {fmt_money(fact.budget)} 万元，完成预算的 {fmt_pct(pct)}，"
               f"决算比预算{more(diff)} {fmt_money(abs(diff))} 万元。",
        values=[percent(f"{name}完成率", pct), money(f"{name}决算比预算{more(diff)}", abs(diff)),
                money(f"{name}决算数", fact.amount, "万元"), money(f"{name}预算数", fact.budget, "万元")],
        formula=f"{formula}；{diff_formula}",
        citations=[fact_citation(catalog, fact)],
        notes=notes,
    )


def _completion_from_cells(budget: Quantity, final: Quantity) -> Answer:
    """Completion read from a 决算 table's own 预算数 and 决算数 columns."""
    if budget.value == 0:
        raise Refusal(f"{budget.name}为 0，无法计算完成率。")
    pct, formula = share(final.value, budget.value)
    diff, diff_formula = difference(final.value, budget.value)
    notes = [f"按决算表自身的“{budget.citation.column or '预算数'}”列计算（决算表所列的预算，可能含年中调整）。"]
    if final.cell is not None and final.cell.state != "value":
        notes.append("决算数一格为空（没有数），按 0 计。")
    return Answer(
        status="answered",
        answer=f"{final.name} {fmt_money(final.value)} 万元，{budget.name} {fmt_money(budget.value)} 万元，"
               f"完成预算的 {fmt_pct(pct)}，决算比预算{more(diff)} {fmt_money(abs(diff))} 万元。",
        values=[percent("完成率", pct), money(f"决算比预算{more(diff)}", abs(diff)),
                money(final.name, final.value), money(budget.name, budget.value)],
        formula=f"{formula}；{diff_formula}",
        citations=[final.citation, budget.citation],
        notes=notes,
    )


# "决算比预算少多少" of a 决算 names its 年初预算 too
_BUDGET_WORDS = re.compile(r"年初预算|全年预算|调整预算|预算数|(?:决算|实际).{0,6}比预算")
_FINAL_WORDS = re.compile(r"决算|实际|执行数")


def budget_lookup(parsed: ParsedQuestion, catalog: Catalog) -> Answer | None:
    """In a 决算, "X的年初预算是多少" / "X决算比预算少多少" read the narrative's budget figure."""
    if catalog.doc.kind != "决算" or not _BUDGET_WORDS.search(parsed.compact):
        return None
    name, fact = budget_fact(parsed, catalog)
    if fact is None:
        return None
    citation = fact_citation(catalog, fact)
    if parsed.operation == "difference":
        diff, formula = difference(fact.amount, fact.budget)
        return Answer(
            status="answered",
            answer=f"{name}决算 {fmt_money(fact.amount)} 万元，比预算 {fmt_money(fact.budget)} 万元"
                   f"{'多' if diff >= 0 else '少'} {fmt_money(abs(diff))} 万元。",
            values=[money(f"{name}决算与预算之差", abs(diff), "万元"), money(f"{name}决算数", fact.amount, "万元"),
                    money(f"{name}预算数", fact.budget, "万元")],
            formula=formula,
            citations=[citation],
        )
    values = [money(f"{name}预算数", fact.budget, "万元")]
    if _FINAL_WORDS.search(parsed.compact):
        values.append(money(f"{name}决算数", fact.amount, "万元"))  # "年初预算和实际决算各是多少"
    return Answer(
        status="answered",
        answer=f"{name}的预算数为 {fmt_money(fact.budget)} 万元（决算 {fmt_money(fact.amount)} 万元）。",
        values=values,
        citations=[citation],
    )


def across(parsed: ParsedQuestion) -> Answer:
    """The same quantity in several documents: a change between years, a comparison, a sum, a list or a ranking."""
    results: list[tuple[Catalog, Quantity]] = []
    missing: list[Catalog] = []
    for catalog in parsed.catalogs:
        try:
            results.append((catalog, one(parsed, catalog)))
        except Refusal:
            missing.append(catalog)
    if not results:
        raise Refusal("所载入的文件中都没有找到这个项目。")
    if missing and parsed.operation not in ("share",):
        # a total, list or ranking over documents is only as good as its weakest member
        raise Refusal("、".join(doc_label(c.doc) for c in missing) + "的公开中没有找到"
                      + "、".join(m.text for m in parsed.mentions) + "，无法在各份公开之间汇总或比较。")
    results, parsed = _counted_or_money(parsed, results)
    label = {id(c): doc_label(c.doc) for c, _ in results}
    years = sorted({c.doc.year for c, _ in results if c.doc.year})
    unit = parsed.unit
    if _AVERAGE_GROWTH.search(parsed.compact) and len(results) > 1:
        return _listing(parsed, results, label)
    if parsed.operation in ("change", "difference") and len(results) == 2 and len(years) == 2 \
            and _EXECUTION.search(mask_mentions(parsed.compact, parsed.mentions)):
        return _against_execution(parsed, *sorted(results, key=lambda r: r[0].doc.year or 0), label)
    if parsed.operation in ("change", "difference") and len(results) == 2:
        if parsed.operation == "difference" and len(years) < 2:
            (c1, q1), (c2, q2) = sorted(results, key=lambda r: _named_at(parsed, r[0]))
            return compared(parsed, (f"{label[id(c1)]}{q1.name}", q1), (f"{label[id(c2)]}{q2.name}", q2))
        (c1, q1), (c2, q2) = sorted(results, key=lambda r: (r[0].doc.year or 0))
        return _times(parsed, (c1, q1), (c2, q2), label) or _between_years(parsed, (c1, q1), (c2, q2), label)
    if parsed.operation == "share" or (
        parsed.operation == "ranking" and re.search(r"占比|比例|比重", parsed.compact)
    ):
        return _across_share(parsed)
    if parsed.operation != "ranking":
        return _listing(parsed, results, label)  # each document's figure (and their total when asked), never a ranking not asked for
    results.sort(key=lambda r: r[1].value, reverse=parsed.largest)
    listing = "；".join(f"{label[id(c)]} {show(q.value, unit)}" for c, q in results)
    best_catalog, best = results[0]
    return Answer(
        status="answered",
        answer=f"{'最高' if parsed.largest else '最低'}的是{label[id(best_catalog)]}：{best.name} {show(best.value, unit)} {unit}。（{listing}）",
        values=[money(f"{label[id(c)]}{q.name}", q.value, unit) for c, q in results],
        formula=f"按数额排序：{listing}",
        citations=[q.citation for _, q in results],
    )


_MONEY_ASKED = re.compile(r"资金|金额|价值|[钱元]|多少万")


def _counted_or_money(parsed: ParsedQuestion, results: list[tuple[Catalog, Quantity]],
                      ) -> tuple[list[tuple[Catalog, Quantity]], ParsedQuestion]:
    """Counts ("项目50个", "车辆21辆") compared across documents: in their own unit, or, when money is
    asked ("涉及的资金"), the amount each clause prints beside its count; never a count shown as 万元."""
    units = {q.unit for _, q in results}
    if units <= {"万元", "元"}:
        return results, parsed
    if _MONEY_ASKED.search(mask_mentions(parsed.compact, parsed.mentions)):
        swapped = []
        for catalog, q in results:
            other = companion(catalog.doc.facts, q.fact) if q.fact is not None and q.unit not in ("万元", "元") else None
            if q.unit not in ("万元", "元") and other is None:
                raise Refusal(f"{doc_label(catalog.doc)}的说明只给出{q.name}的数量（{q.value.normalize():f} {q.unit}），"
                              "没有与之对应的金额。")
            swapped.append((catalog, fact_quantity(catalog, other.subject, other) if other is not None else q))
        return swapped, parsed
    if len(units) > 1:
        raise Refusal("各份公开给出的不是同一种数（" + "、".join(sorted(units)) + "），无法比较。")
    return results, replace(parsed, unit=units.pop())


_AVERAGE_GROWTH = re.compile(r"年均|平均每年|年平均")
_EXECUTION = re.compile(r"(?<!不是)(?<!而非)(?<!非)(?:执行|实际(?:支出|花|用|发生)?)")
""""比23年实际执行的少了多少": the earlier year's executed figure, which its budget does not print."""


def _against_execution(parsed: ParsedQuestion, earlier: tuple[Catalog, Quantity], later: tuple[Catalog, Quantity],
                       label: dict[int, str]) -> Answer:
    """A change against the earlier year's execution: read from a 决算 of that year, else from the
    later document's sentence that prints the earlier year's 执行数; an earlier budget's figure is
    never taken for it."""
    (c1, _), (c2, q2) = earlier, later
    if c1.doc.kind == "决算":
        return _between_years(parsed, earlier, later, label)
    fact = change_fact(c2, q2, [n for m in parsed.mentions for n in (m.text, *m.alternatives)])
    if fact is not None and fact.previous is not None and "执行" in fact.sentence:
        answer = _change(parsed, c2)
        answer.notes.append(f"{label[id(c1)]}是预算公开，所印为预算数而非执行数，上年执行数取自{label[id(c2)]}的说明。")
        return answer
    raise Refusal(f"{label[id(c1)]}是预算公开，只印预算数，没有执行数；{label[id(c2)]}的说明也没有给出"
                  f"{q2.name}上年的执行数。")


def _named_at(parsed: ParsedQuestion, catalog: Catalog) -> int:
    """Where the question first names the document's department ("A是B的几倍": A before B)."""
    return min((m.start for m in parsed.departments.mentions if catalog.doc.key in m.keys), default=len(parsed.compact))


def _times(parsed: ParsedQuestion, earlier: tuple[Catalog, Quantity], later: tuple[Catalog, Quantity],
           label: dict[int, str]) -> Answer | None:
    """"19年是17年的几倍": the year written first over the other, or None when no multiple is asked."""
    if not re.search(r"倍", parsed.compact):
        return None
    at_earlier, at_later = (parsed.compact.find(f"{c.doc.year}年") for c, _ in (earlier, later))
    in_order = at_earlier >= 0 and (at_later < 0 or at_earlier < at_later)
    (c1, q1), (c2, q2) = (earlier, later) if in_order else (later, earlier)
    return compared(parsed, (f"{label[id(c1)]}{q1.name}", q1), (f"{label[id(c2)]}{q2.name}", q2))


def _between_years(parsed: ParsedQuestion, earlier: tuple[Catalog, Quantity], later: tuple[Catalog, Quantity],
                   label: dict[int, str]) -> Answer:
    """One department's item in two years' documents: the change from the tables, the narrative's noted."""
    (c1, q1), (c2, q2) = earlier, later
    unit = parsed.unit
    computed = change_from_previous(q2.value, q1.value)
    diff, pct = computed.amount, computed.pct
    values = [money(f"{label[id(c2)]}与{label[id(c1)]}之差", abs(diff), unit)]
    if pct is not None:
        values.append(percent("变化率", abs(pct)))
    values += [money(f"{label[id(c2)]}{q2.name}", q2.value, unit), money(f"{label[id(c1)]}{q1.name}", q1.value, unit)]
    notes = ["按两年公开的表格计算。"]
    stated = change_fact(c2, q2, [m.text for m in parsed.mentions])
    if stated is not None and stated.change_amount is not None:
        notes.append(
            f"{label[id(c2)]}公开的说明写{rise(stated.change_amount)} {fmt_money(abs(stated.change_amount))} 万元"
            + (f"、{fmt_pct(abs(stated.change_pct))}" if stated.change_pct is not None else "")
            + f"，与按表计算的结果{'一致' if agrees(diff, stated.change_amount) else '不一致，以表格为准'}。"
        )
    pct_text = f"，{growth(diff)} {fmt_pct(abs(pct))}" if pct is not None else "（上年为 0，无法计算增长率）"
    verdict = ""
    if parsed.operation == "difference" and diff != 0:
        (larger, _), (smaller, _) = sorted(((c1, q1), (c2, q2)), key=lambda r: r[1].value, reverse=True)
        verdict = f"{label[id(larger if parsed.largest else smaller)]}更{'多' if parsed.largest else '少'}。"
    return Answer(
        status="answered",
        answer=f"{verdict}{label[id(c2)]}{q2.name} {show(q2.value, unit)} {unit}，{label[id(c1)]} {show(q1.value, unit)} {unit}，"
               f"{rise(diff)} {show(abs(diff), unit)} {unit}{pct_text}。",
        values=values,
        formula=computed.formula,
        citations=[q2.citation, q1.citation],
        notes=notes,
    )


def _listing(parsed: ParsedQuestion, results: list[tuple[Catalog, Quantity]], label: dict[int, str]) -> Answer:
    """Each document's figure ("分别是多少"), their total ("一共"), and over years the average growth."""
    unit = parsed.unit
    results = sorted(results, key=lambda r: (r[0].doc.year or 0, r[0].doc.department))
    parts = [f"{label[id(c)]}{q.name} {show(q.value, unit)} {unit}" for c, q in results]
    values = [money(f"{label[id(c)]}{q.name}", q.value, unit) for c, q in results]
    formulas = []
    text = "；".join(parts) + "。"
    if parsed.operation == "sum" or re.search(r"一共|合计|总共|加起来|累计", parsed.compact):
        amount, formula = total([q.value for _, q in results])
        values.insert(0, money("合计", amount, unit))
        formulas.append(formula)
        text += f"合计 {show(amount, unit)} {unit}。"
    years = [c.doc.year for c, _ in results]
    if _AVERAGE_GROWTH.search(parsed.compact) and None not in years and len(set(years)) == len(years) >= 2:
        span = years[-1] - years[0]
        pct, formula = average_growth(results[0][1].value, results[-1][1].value, span)
        if pct is None:
            raise Refusal("首年或末年的数为 0 或负数，无法计算年均增长率。")
        values.insert(0, percent("年均增长率", pct))
        formulas.append(formula)
        text += f"{years[0]}—{years[-1]}年年均{growth(pct)} {fmt_pct(abs(pct))}（按复合增长率计算）。"
    return Answer(status="answered", answer=text, values=values, formula="；".join(formulas) or None,
                  citations=[q.citation for _, q in results],
                  notes=[n for n in [conversion_note(unit)] if n])


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
    values = [percent(f"{label[id(c)]}占比", p) for c, p, _ in shares]
    formula = "；".join(f"{label[id(c)]}：{a.formula}" for c, _, a in shares)
    text = f"{'最高' if parsed.largest else '最低'}的是{label[id(best_catalog)]}：{best.answer}（{listing}）"
    if len(shares) == 2 and "百分点" in parsed.compact:
        (first, high, _), (second, low, _) = shares if parsed.largest else shares[::-1]
        points = high - low  # the two shares as shown (2 places), one taken from the other
        values.insert(0, Value(name=f"{label[id(first)]}比{label[id(second)]}高的百分点", value=str(round2(points)),
                               unit="个百分点"))
        formula += f"；{fmt_pct(high)} − {fmt_pct(low)} = {round2(points)} 个百分点"
        text += f"，相差 {round2(points)} 个百分点。"
    return Answer(status="answered", answer=text, values=values, formula=formula,
                  citations=[cite for _, _, a in shares for cite in a.citations])


OPERATIONS = {
    "lookup": lookup,
    "change": _change,
    "last_year": _last_year,
    "share": _share,
    "difference": _difference,
    "sum": _sum,
    "ranking": _ranking,
    "completion": _completion,
}
