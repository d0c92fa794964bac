"""The bind stage: the question's mentions bound to cells, rows and facts of one document.

What does not bind raises :class:`Refusal` with the reason; nothing here computes or phrases.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from budgetqa.answer.catalog import (
    COLUMN_SUFFIX,
    Catalog,
    Row,
    build_catalog,
    normalise_name,
    subject_levels,
    value_of,
)
from budgetqa.answer.columns import (
    change_column,
    default_column,
    is_total_header,
    previous_column,
    total_column,
)
from budgetqa.answer.planner import (
    Mention,
    ParsedQuestion,
    containers,
    is_container,
    mask_mentions,
    without_departments,
)
from budgetqa.answer.resolve import (
    Quantity,
    cell_citation,
    fact_quantity,
    facts_about,
    hints_in,
    is_column,
    is_row,
    resolve,
    resolve_pair,
    total_row,
)
from budgetqa.numbers import round2, to_wan
from budgetqa.vocab import load


class Refusal(Exception):
    """The documents cannot answer; the message says why."""


def previous_year(parsed: ParsedQuestion, catalogs: list[Catalog]) -> Catalog | None:
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


def quantities(parsed: ParsedQuestion, catalog: Catalog) -> list[Quantity]:
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
            if not (qualifier_like(m.text, qualifiers) and _modifies_next(parsed.compact, m, mentions[i + 1:]))
        ] or mentions
    pair = _trailing_pair(mentions, parsed.compact)
    if pair is not None and qualified_rows(catalog, *pair):
        mentions = mentions[:-1]  # "住房保障支出中财政拨款安排多少": the row in the 财政拨款 table
    # a code written beside its own row's name ("信息化建设（2010607）") restates that row: one
    # mention, the code's (two rows may share the name: a 款 and its 其他 项); farther off, it is dropped
    mentions = _code_with_name(catalog, mentions, parsed.compact)
    mentions = [
        m for i, m in enumerate(mentions)
        if not (m.kind == "code" and i > 0 and _names_row(catalog, m, mentions[i - 1]))
    ]
    mentions = _under_containers(catalog, mentions, parsed.compact)
    found: list[Quantity] = []
    used: set[int] = set()
    hint_text = mask_mentions(parsed.compact, [m for m in mentions if m.text not in qualifiers])
    outer = containers(parsed)
    asked = mask_mentions(parsed.compact, [m for m in parsed.mentions if m not in outer])
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
            pair = resolve_pair(catalog, mention, nxt, parsed.compact, hint_text, asked)
            if pair is not None:
                found.append(pair)
                used |= {i, i + 1}
                continue
        last = _column_after_container(catalog, mentions, i, parsed.compact)
        if last is not None:
            # "社会保障和就业支出里，基本支出的人员经费": the container row's cell in that column
            pair = resolve_pair(catalog, mention, mentions[last], parsed.compact, hint_text, asked)
            if pair is not None and pair.row is not None and pair.row.key == normalise_name(mention.text):
                found.append(pair)
                used |= set(range(i, last + 1))
                continue
        mention = _refine(catalog, mention, hint_text, parsed.compact)
        quantity = resolve(catalog, mention, None, parsed.compact, hint_text, asked)
        if quantity is not None:
            found.append(quantity)
            used.add(i)
    return found


def _column_after_container(catalog: Catalog, mentions: list[Mention], i: int, text: str) -> int | None:
    """The index of the column a container row is followed by ("X里，基本支出的人员经费": 人员经费, the
    last of the column names written together), or None."""
    mention = mentions[i]
    if mention.kind != "name" or not is_row(catalog, mention) or not is_container(text, mention):
        return None
    j = i + 1
    if j >= len(mentions) or not is_column(catalog, mentions[j]):
        return None
    while j + 1 < len(mentions) and is_column(catalog, mentions[j + 1]) and text[mentions[j].end:mentions[j + 1].start] in ("", "的"):
        j += 1
    return j


def _names_row(catalog: Catalog, code: Mention, name: Mention) -> bool:
    """Whether ``name`` is the printed name of a row coded ``code``."""
    return any(normalise_name(r.name) == normalise_name(name.text) for r in catalog.by_code.get(code.text, []))


def _code_with_name(catalog: Catalog, mentions: list[Mention], text: str) -> list[Mention]:
    """A code followed by its own row's name ("223信息化建设支出的公用经费"), or a name followed by its
    code in brackets ("住房公积金（2210201）"), is one row mention, the code's, spanning both: the
    column named after it then pairs with that row, and a row of that name under another code
    (an 经济分类 row beside the 功能分类 one) is not taken for it."""
    merged: list[Mention] = []
    for mention in mentions:
        last = merged[-1] if merged else None
        if (last is not None and last.kind == "code" and mention.kind == "name"
                and len(text[last.end:mention.start]) <= 1 and _names_row(catalog, last, mention)):
            merged[-1] = Mention(last.text, last.start, mention.end, "code", last.alternatives)
            continue
        if (last is not None and last.kind == "name" and mention.kind == "code"
                and text[last.end:mention.start] in ("", "（", "(") and _names_row(catalog, mention, last)):
            merged[-1] = Mention(mention.text, last.start, mention.end, "code", mention.alternatives)
            continue
        merged.append(mention)
    return merged


def _under_containers(catalog: Catalog, mentions: list[Mention], text: str) -> list[Mention]:
    """A name written under a coded container ("一般公共服务下的行政运行", "城乡社区管理事务中行政运行")
    is the row of that name whose code the container's opens: the mention becomes that code's, so a
    row of the same name under another 类 or 款 is not taken for it."""
    result = list(mentions)
    for i in range(1, len(result)):
        outer, inner = result[i - 1], result[i]
        if inner.kind != "name" or not is_container(text, outer):
            continue
        prefixes = ({outer.text} if outer.kind == "code" else
                    {r.code for r in catalog.by_name.get(outer.text, ()) if r.code})
        codes = {r.code for r in catalog.by_name.get(inner.text, ())
                 if r.code and any(r.code.startswith(p) and r.code != p for p in prefixes)}
        if len(codes) == 1:
            result[i] = Mention(codes.pop(), inner.start, inner.end, "code", inner.alternatives)
    return result


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


def qualifier_like(name: str, qualifiers: set[str]) -> bool:
    """A qualifier, or a printed name made only of qualifiers ("一般公共预算财政拨款", "政府性基金预算
    财政拨款"): before another name it says which money, not what is asked ("财政拨款收入" is an item)."""
    rest = re.sub(r"^[一二三四五六七八九十]+、", "", name)
    for word in sorted(qualifiers, key=len, reverse=True):
        rest = rest.replace(word, "")
    return rest in ("", "预算", "拨款", "预算拨款")


_CONTAINER_MARK = re.compile(r"^(?:[\d,.]+(?:亿元|万元|元|万)?)?(?:的)?(?:中|里|内|当中|之中|里面)(?:的|，|,)?$")
"""What stands between a whole and the fund word inside it: 中/里…, after the whole's stated figure."""


def trailing_qualifier(parsed: ParsedQuestion) -> tuple[Mention, Mention] | None:
    """The whole and the qualifier of "X中财政拨款（安排多少/占多少）": a fund word written last, inside
    a name written just before it; None for any other question."""
    return _trailing_pair(parsed.mentions, parsed.compact)


def _trailing_pair(mentions: list[Mention], text: str) -> tuple[Mention, Mention] | None:
    if len(mentions) < 2:
        return None
    whole, last = mentions[-2], mentions[-1]
    if last.kind != "name" or not qualifier_like(last.text, set(load("questions")["qualifiers"]["words"])):
        return None
    return (whole, last) if _CONTAINER_MARK.match(text[whole.end:last.start]) else None


def qualified_rows(catalog: Catalog, whole: Mention, qualifier: Mention) -> list:
    """The rows named ``whole`` in the tables whose titles carry ``qualifier`` (财政拨款…表)."""
    rows = catalog.by_code.get(whole.text, []) if whole.kind == "code" else catalog.by_name.get(whole.text, [])
    word = qualifier.text.replace("预算", "")
    return [row for row in rows if word in normalise_name(row.table.title)]


def qualified_share(parsed: ParsedQuestion, catalog: Catalog) -> tuple[Quantity, Quantity] | None:
    """"X中财政拨款占多少": X in the 财政拨款 table (the part) and X as the whole budget prints it."""
    pair = trailing_qualifier(parsed)
    if pair is None or not qualified_rows(catalog, *pair):
        return None
    whole_mention, qualifier = pair
    part = one(parsed, catalog)
    plain = mask_mentions(parsed.compact, [qualifier])
    word = qualifier.text.replace("预算", "")
    whole = resolve(catalog, whole_mention, None, plain, plain, plain)
    if (whole is None or whole.row is None or word in normalise_name(whole.row.table.title)
            or whole.value < part.value):
        raise Refusal(f"没有找到不分资金来源的“{whole_mention.text}”，无法计算{qualifier.text}的占比。")
    return replace(part, name=f"{part.name}中{qualifier.text}安排"), whole


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


def one(parsed: ParsedQuestion, catalog: Catalog) -> Quantity:
    """The single quantity a question asks about ("X中的Y" / "X里Y" / "X下的Y" means Y)."""
    found = quantities(parsed, catalog)
    if not found:
        raise Refusal(f"{catalog.doc.title}中没有找到“{'、'.join(m.text for m in parsed.mentions)}”的数。")
    pair = trailing_qualifier(parsed)
    if pair is not None and len(found) > 1:
        # "三公经费中财政拨款安排多少" with no 财政拨款 table printing 三公经费: not the 财政拨款 total
        raise Refusal(f"{catalog.doc.title}没有单列“{pair[0].text}”中{pair[1].text}安排的数。")
    if len(found) > 1 and len(parsed.mentions) > 1:
        mentions = parsed.mentions
        if any(any(w in parsed.compact[a.end:b.start + 1] for w in ("中", "里", "内", "下的", "下面"))
               for a, b in zip(mentions, mentions[1:], strict=False)):
            return found[-1]
        first = mentions[0]
        if (found[0].fact is not None and found[1].fact is not None and found[0].fact.sentence == found[1].fact.sentence
                and mentions[1].start - first.end <= 1):
            return found[1]  # "项目绩效自评平均得分": one sentence's figures, the first naming whose the second is
        if first in containers(parsed) and (is_container(parsed.compact, first)
                                            or first.text in load("questions")["grounding"]["qualifiers"]):
            return found[-1]  # "基本支出办公费（30201）", "一般公共预算基本支出，30305生活补助": the item, not its whole
    return found[0]


_OPENING = re.compile(r"^[\s，,；;：:]*其中")


def stated_whole(catalog: Catalog, part: Quantity) -> Quantity | None:
    """The total a narrative figure is stated under: "A为X万元，其中：B…" — A, the last figure before
    其中 in B's sentence, or the last figure of the sentence just before one opening with 其中."""
    fact = part.fact
    if fact is None or fact.amount is None or "其中" not in fact.sentence:
        return None
    stated = [f for f in catalog.doc.facts if f.kind == "amount" and f.amount is not None
              and f.section == fact.section and f.unit in ("万元", "元")]
    cut = fact.sentence.find("其中")
    if _OPENING.match(fact.sentence):
        first = next((i for i, f in enumerate(stated) if f.sentence == fact.sentence), 0)
        before = stated[first - 1:first] if first else []
    else:
        before = [f for f in stated if f.sentence == fact.sentence and 0 <= fact.sentence.find(f.subject) < cut]
    if not before:
        return None
    whole = fact_quantity(catalog, before[-1].subject, before[-1])
    return whole if whole.value >= part.value and whole.fact is not fact else None


def natural_total(catalog: Catalog, part: Quantity) -> Quantity:
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
        # a column of the total row: the total is the row's total column (合计/总计, wherever it stands)
        paths = table.columns.get(side, [])
        own = paths[part.cell.col_index] if part.cell.col_index < len(paths) else []
        index = _matching_total(paths, total_column(table, side), own)
        # the total column is no total of its own 预算数/决算数 sibling (合计 / 预算数 beside 合计 / 决算数)
        pair = index is not None and len(own) > 1 and paths[index][:-1] == own[:-1] and all(
            re.search(r"预算|决算|执行数", normalise_name(p[-1])) for p in (paths[index], own))
        if index is not None and part.cell.col_index != index and index in part.row.cells and not pair:
            cell = part.row.cells[index]
            return Quantity(" / ".join(cell.col_path), value_of(cell), cell_citation(catalog, table, cell), part.row, cell)
        raise Refusal(f"找不到{part.name}所属的总数。")
    cell = parent.cells.get(part.cell.col_index)
    if cell is None:
        raise Refusal(f"找不到{part.name}所属的总数。")
    return Quantity(parent.name, value_of(cell), cell_citation(catalog, table, cell), parent, cell)


_OWN_ROW = re.compile(r"占(?:这|该|此|本)一?项|占它|占其")
""""X里有多少是事业收入安排的，占这项的百分之几": the whole is X's own total, not its parent's."""


def own_row_total(parsed: ParsedQuestion, catalog: Catalog, part: Quantity) -> Quantity | None:
    """The part's own row's total column, when the question takes the share of the row itself."""
    if not _OWN_ROW.search(parsed.compact) or part.row is None or part.cell is None:
        return None
    table, side = part.row.table, part.row.side
    paths = table.columns.get(side, [])
    own = paths[part.cell.col_index] if part.cell.col_index < len(paths) else []
    index = _matching_total(paths, total_column(table, side), own)
    if index is None or index == part.cell.col_index or index not in part.row.cells:
        return None
    cell = part.row.cells[index]
    return Quantity(part.row.name, value_of(cell), cell_citation(catalog, table, cell), part.row, cell)


def previous_cell(catalog: Catalog, q: Quantity) -> Quantity | None:
    """Last year's figure printed in the same row as a cell (上年预算数 beside 本年预算数), when the
    row prints one and it holds a value."""
    return _cell_beside(catalog, q, previous_column, f"上年{q.name}")


def compared_elsewhere(parsed: ParsedQuestion, catalog: Catalog, q: Quantity) -> tuple[Quantity, Quantity] | None:
    """The item and last year's figure from another table that prints them side by side, when the
    table first chosen for it prints no 上年 column ("办公费比上年" read from the 机关运行经费表 when the
    基本支出表 lists 办公费 for this year only): the question is bound again over those tables alone."""
    chosen = q.row.table if q.row is not None else None
    tables = [t for t in catalog.doc.tables if t is not chosen and _prints_previous(t)]
    if not tables:
        return None
    narrowed = build_catalog(replace(catalog.doc, tables=tables, facts=[]))
    try:
        other = one(parsed, narrowed)
    except Refusal:
        return None
    last = previous_cell(narrowed, other)
    return (other, last) if last is not None else None


def _prints_previous(table) -> bool:
    """Whether a table prints last year's figure beside some current column."""
    return any(previous_column(table, side, index) is not None
               for side, paths in table.columns.items() for index in range(len(paths)))


def printed_change(catalog: Catalog, q: Quantity) -> Quantity | None:
    """The change amount printed in the same row as a cell (增减额 beside 本年预算数), if any."""
    return _cell_beside(catalog, q, change_column, f"{q.name}增减额")


def _cell_beside(catalog: Catalog, q: Quantity, column_of, name: str) -> Quantity | None:
    """The value in the same row as ``q``'s cell, in the column ``column_of`` finds beside it."""
    if q.row is None or q.cell is None:
        return None
    index = column_of(q.row.table, q.row.side, q.cell.col_index)
    cell = q.row.cells.get(index) if index is not None else None
    if cell is None or cell.state != "value":
        return None
    return Quantity(name, value_of(cell), cell_citation(catalog, q.row.table, cell), q.row, cell)


def _matching_total(paths: list[tuple[str, ...]], index: int | None, own: tuple[str, ...]) -> int | None:
    """The total column's sibling with the part's own leaf (合计 / 决算数 for 项目支出 / 决算数), else it."""
    if index is None or len(paths[index]) < 2 or len(own) < 2 or is_total_header(paths[index][-1]):
        return index
    caption = paths[index][:-1]
    return next((i for i, p in enumerate(paths) if p[:-1] == caption and p[-1] == own[-1]), index)


_NAME_SUFFIXES = re.compile(r"(拨款|收入|资金|预算|支出)$")


def change_fact(catalog: Catalog, q: Quantity, names: list[str]):
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
    # a change printed without its amount speaks of the amount its section prints for the item
    # (a 财政拨款 section's "教育支出比上年减少…" is not the whole budget's): one printed for
    # another amount is not this quantity's
    printed = {id(f): _section_amount(catalog, f) for f in candidates if f.amount is None}
    unpriced = [f for f in candidates if id(f) in printed and printed[id(f)] in (None, round2(q.value))]
    unpriced.sort(key=lambda f: printed[id(f)] is None)
    return unpriced[0] if unpriced else None


def _section_amount(catalog: Catalog, fact) -> Decimal | None:
    """The amount the fact's section prints for the fact's subject (its 预算数), if any."""
    stem = COLUMN_SUFFIX.sub("", normalise_name(fact.subject))
    for other in catalog.doc.facts:
        if (other.section == fact.section and other.amount is not None and other.unit in ("万元", "元")
                and COLUMN_SUFFIX.sub("", normalise_name(other.subject)) == stem):
            return round2(to_wan(other.amount, other.unit))
    return None


def comparable_change(catalog: Catalog, q: Quantity):
    """The change the narrative states on last year's basis ("按与上年统计口径一致相比，…减少X万元"),
    in the section that states the quantity's own change."""
    own = q.fact.section if q.fact is not None else None
    for fact in catalog.doc.facts:
        if fact.change_amount is None or "口径" not in fact.sentence:
            continue
        if fact.section == own or (own is None and normalise_name(q.name.split("（")[0]) in normalise_name(fact.subject)):
            return fact
    return None


_EXCLUDED_BEFORE = re.compile(r"(除了|除去|除|不算|不含|不包括)$")
_EXCLUDED_AFTER = re.compile(r"^(以外|之外|外)")


def excluded_mentions(parsed: ParsedQuestion) -> list[Mention]:
    """Mentions the question leaves out ("除了行政运行，哪一项最多", "除2040501行政运行以外",
    "本年收入合计以外的两块"): after 除/除了/不含…, or before 以外/之外, with a name written right
    after an excluded code (its own row's)."""
    text = parsed.compact
    excluded: list[Mention] = []
    for i, mention in enumerate(parsed.mentions):
        before = _EXCLUDED_BEFORE.search(text[max(0, mention.start - 3):mention.start])
        after = _EXCLUDED_AFTER.match(text[mention.end:])
        follows_code = bool(excluded) and excluded[-1] is parsed.mentions[i - 1] and \
            excluded[-1].kind == "code" and excluded[-1].end == mention.start
        nxt = parsed.mentions[i + 1] if i + 1 < len(parsed.mentions) else None
        code_then_name = mention.kind == "code" and nxt is not None and nxt.start == mention.end \
            and _EXCLUDED_AFTER.match(text[nxt.end:])
        if before or after or follows_code or code_then_name:
            excluded.append(mention)
    return excluded


def excluded_names(parsed: ParsedQuestion, catalog: Catalog | None = None) -> set[str]:
    """Names the question leaves out of a ranking (see :func:`excluded_mentions`); an excluded
    code also excludes its rows' names."""
    names = set()
    for mention in excluded_mentions(parsed):
        names.add(mention.text)
        if mention.kind == "code" and catalog is not None:
            names |= {r.key for r in catalog.by_code.get(mention.text, ())}
    return names


_ORDINALS = {"二": 1, "三": 2, "四": 3, "五": 4, "2": 1, "3": 2, "4": 3, "5": 4}


def rank_position(text: str) -> int:
    """0 for "最多", 1 for "第二多", …"""
    match = re.search(r"第([二三四五2-5])(?:多|大|高|少|小|低|名)", text)
    return _ORDINALS[match.group(1)] if match else 0


_TOP = re.compile(r"前([两二三四五六七八九十2-9]|10)(?:名|项|位|个)?|(?:哪|那)([两二三四五六七八九十2-9])(?:项|个|类|款|块)"
                  r"|最[多大高少小低]的?([两二三四五六七八九十2-9]|10)(?:个|项|名|位|类|款)")
_NUMERALS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def top_count(text: str) -> int:
    """How many leaders a ranking asks for: 3 for "前三" / "哪三项", else 1."""
    match = _TOP.search(text)
    if not match:
        return 1
    word = match.group(1) or match.group(2) or match.group(3)
    return _NUMERALS.get(word) or int(word)


def rank_level(text: str) -> int | None:
    """Which level a ranking compares: 类 (3 digits), 款 (5), 项 (7), or None for the most detailed rows."""
    # "最大的两个项", "最多的款", "排前三的类"
    leaders = r"(?:最[多大高少小低]的?(?:[两二三四五六七八九十\d]+个)?|前[两二三四五六七八九十\d]+(?:个|名|位)?的?)"
    for level, pattern in ((3, rf"哪(?:一|个)?(?:大)?类|大类|类级|{leaders}类"), (5, rf"哪(?:一|个)?款|款级|{leaders}款"),
                           (7, rf"哪(?:一)?项(?!目)|项级|{leaders}项(?!目)")):
        if re.search(pattern, text):
            return level
    return None


def _row_total(row: Row) -> int | None:
    """The column a row's own figure stands in (its total, wherever printed), None when undecided."""
    columns = default_column(row.table, row.side)
    return columns[0] if columns else None


def _leaves(rows: list[Row]) -> list[Row]:
    codes = {r.code for r in rows if r.code}
    return [r for r in rows if r.code and not any(c != r.code and c.startswith(r.code) for c in codes)]


_SOURCES_ASKED = re.compile(r"来源|资金渠道")
""""哪一块来源最大": income sources are asked, which no 功能分类 row is."""


def group_members(parsed: ParsedQuestion, catalog: Catalog) -> list[tuple[Row, object]]:
    """The rows a ranking compares: the children of a named row, a column's rows, or a table's 类 rows
    (none when income sources are asked and they are 功能分类 rows: "哪一块来源最大")."""
    members = _group_members(parsed, catalog)
    if _SOURCES_ASKED.search(parsed.compact) and any(row.code for row, _ in members):
        return []
    return members


def _group_members(parsed: ParsedQuestion, catalog: Catalog) -> list[tuple[Row, object]]:
    text = parsed.compact
    level = rank_level(text)
    excluded = excluded_names(parsed)
    named_row: list[tuple[Row, object]] = []
    scope = None  # the value of a whole the question names as the ranking's scope ("三公里…")
    narrative = False
    for mention in parsed.mentions:
        if mention.text in excluded:
            continue
        quantity = resolve(catalog, mention, None, text)
        if quantity is not None and quantity.fact is not None:
            narrative = True  # a scope the tables print no row or column for ("公用经费" stated in prose)
        if quantity is None or quantity.row is None:
            continue
        row = quantity.row
        index = quantity.cell.col_index if quantity.cell else 0
        same_side = [r for r in catalog.rows if r.table is row.table and r.side == row.side and r.code]
        if row.code:
            # the named row's rows at the level asked ("社会保障和就业支出下哪一项"), else its children
            below = [r for r in same_side if r.code.startswith(row.code) and r.code != row.code]
            children = [r for r in below if level is not None and len(r.code) == level > len(row.code)] or [
                r for r in below if len(r.code) == len(row.code) + 2]
        elif level is not None:
            children = [r for r in same_side if len(r.code) == level]
            if not children and level == 7:
                # "前三项" of a table without 7-digit codes (经济分类) counts its printed items, not the 项 level
                children = [r for r in _leaves(same_side) if index in r.cells and r.cells[index].state == "value"]
        else:
            children = _leaves(same_side)
        members = [(r, r.cells[index]) for r in children if index in r.cells]
        if not row.code and level is None and is_total_header(row.name):
            # a 收支总表's coded rows are its 支出 side's: never the parts of an uncoded total beside them
            fallback = [] if row.table.kind == "收支总表" else members
            members = _parts_of_total(catalog, row, index) or fallback
        if len(members) < 2 and quantity.cell is not None:
            members = _column_members(row, index) or members
        if len(members) >= 2:
            return members
        if row.code and members:
            named_row = members  # a named row with one child: tried after the other names
        if is_container(text, mention) and quantity.cell is not None and scope is None:
            scope = value_of(quantity.cell)
    if named_row or narrative:
        return named_row  # no group to rank (a refusal), never the whole table's rows
    members = _table_group(parsed, catalog, level)
    if scope is not None and any(value_of(c) > scope for _, c in members):
        return []  # "三公里哪项": rows larger than the whole named as the scope are not inside it
    return members


def _parts_of_total(catalog: Catalog, total: Row, index: int) -> list[tuple[Row, object]]:
    """The items an uncoded total row adds up ("收入总计": 财政拨款, 事业收入 … 上年结转): the rows
    above it on its side, totals and "其中" rows left out — all of them, else those after the last
    subtotal with that subtotal; none unless they sum to the total's own figure."""
    if index not in total.cells:
        return []
    above = [r for r in catalog.rows if r.table is total.table and r.side == total.side
             and r.index < total.index and index in r.cells]
    items = [r for r in above if not is_total_header(r.name) and normalise_name(r.name) != ""
             and not re.match(r"\s*其中", r.name)]
    subtotals = [r for r in above if is_total_header(r.name)]
    tail = [subtotals[-1], *(r for r in items if r.index > subtotals[-1].index)] if subtotals else []
    target = value_of(total.cells[index])
    for rows in (items, tail):
        if len(rows) >= 2 and sum(value_of(r.cells[index]) for r in rows) == target:
            return [(r, r.cells[index]) for r in rows]
    return []


def _column_members(row: Row, index: int) -> list[tuple[Row, object]]:
    """The columns a caption spans in one row, when a table prints its items across ("三公经费 /
    因公出国（境）费 | 公务用车购置及运行维护费 / 小计 | 公务接待费"): each child column, or a child
    caption's own total, named by its header."""
    paths = row.table.columns.get(row.side, [])
    own = paths[index] if index < len(paths) else ()
    caption = own[:-1] if own and is_total_header(own[-1]) else own
    if not caption:
        return []
    children: dict[str, int] = {}
    for i, path in enumerate(paths):
        if len(path) <= len(caption) or path[:len(caption)] != caption or is_total_header(path[len(caption)]):
            continue
        label = path[len(caption)]
        if len(path) == len(caption) + 1 or is_total_header(path[len(caption) + 1]):
            children.setdefault(label, i)
    return [(Row(row.table, row.side, row.index, label, None, None, {i: row.cells[i]}), row.cells[i])
            for label, i in children.items() if i in row.cells]


_UNREAD_SCOPE = re.compile(r"[\u4e00-\u9fff]{2,}(?:里|中|内|当中|之中)(?:的)?(?:哪|排|最)")
"""A ranking's scope ("X里哪个…最多") named before the ranking words."""


def _table_group(parsed: ParsedQuestion, catalog: Catalog, level: int | None) -> list[tuple[Row, object]]:
    """A ranking's rows when no named row holds them: named projects, else a table's rows at the level."""
    text = parsed.compact
    if "项目" in text and level is None:
        # "哪个项目…": the named projects of a project-expenditure table
        for table in catalog.doc.tables:
            projects = [r for r in catalog.rows if r.table is table and r.subject and _row_total(r) in r.cells]
            if len(projects) >= 2:
                return [(r, r.cells[_row_total(r)]) for r in projects]
    if not parsed.mentions and _UNREAD_SCOPE.search(without_departments(parsed)):
        return []  # "政府采购服务里哪个…": a scope no printed name matched, never the whole table's rows
    order = catalog.table_order(hints_in(text))
    for table in sorted(catalog.doc.tables, key=lambda t: order.index(t.kind) if t.kind in order else 99):
        rows = [r for r in catalog.rows if r.table is table and r.code and len(r.code) == (level or 3)]
        members = [(r, r.cells[_row_total(r)]) for r in rows if _row_total(r) in r.cells]
        if len(members) >= 2:
            return members
    return []


def budget_fact(parsed: ParsedQuestion, catalog: Catalog):
    """A narrative figure giving both the budget (年初/全年预算) and the final amount of a mentioned item."""
    for mention in parsed.mentions:
        for name in (mention.text, *mention.alternatives):
            for fact in facts_about(catalog, name):
                if fact.budget is not None and fact.amount is not None and not _only_container_of(name, fact):
                    return mention.text, fact
    return None, None


def _only_container_of(name: str, fact) -> bool:
    """Whether ``name`` stands in the fact's subject only as the 类 or 款 of its item ("财政事务" in
    "…财政事务（款）行政运行（项）"): the figure is the item's, not the container's."""
    levels, key = subject_levels(fact.subject), normalise_name(name)
    return len(levels) > 1 and key in levels[:-1] and key != levels[-1]


_BUDGET_COLUMN = re.compile(r"预算")
_FINAL_COLUMN = re.compile(r"决算|执行数|实际")


def budget_and_final(parsed: ParsedQuestion, catalog: Catalog) -> tuple[Quantity, Quantity] | None:
    """A 决算 table's own 预算数 and 决算数 cells for a named item, on one row.

    The item is a column caption over a 预算数 / 决算数 pair ("公务接待费 / 预算数", read on
    the total row), or a row of a table whose columns are such a pair (its first pair read).
    """
    for mention in parsed.mentions:
        names = {normalise_name(n) for n in (mention.text, *mention.alternatives)}
        for table in catalog.doc.tables:
            for side, paths in table.columns.items():
                pairs = _column_pairs([[normalise_name(p) for p in path] for path in paths])
                if not pairs:
                    continue
                as_column = [(b, f) for b, f, caption in pairs if names & set(caption)]
                if as_column:
                    row = total_row(table, side, catalog)
                    if row is not None:
                        found = _pair_on(catalog, row, as_column[0], mention.text)
                        if found is not None:
                            return found
                    continue
                for row in catalog.rows:
                    if row.table is table and row.side == side and row.key in names:
                        found = _pair_on(catalog, row, pairs[0][:2], row.name)
                        if found is not None:
                            return found
    return None


def _column_pairs(paths: list[list[str]]) -> list[tuple[int, int, list[str]]]:
    """(budget column, final column, the caption they share) for columns differing only in
    their 预算 / 决算 word, in column order."""
    pairs = []
    for b, budget in enumerate(paths):
        if not budget or not _BUDGET_COLUMN.search(budget[-1]) or _FINAL_COLUMN.search(budget[-1]):
            continue
        for f, final in enumerate(paths):
            if final and final[:-1] == budget[:-1] and _FINAL_COLUMN.search(final[-1]):
                pairs.append((b, f, budget[:-1]))
                break
    return pairs


def _pair_on(catalog: Catalog, row: Row, pair: tuple[int, int], name: str) -> tuple[Quantity, Quantity] | None:
    budget_index, final_index = pair
    budget, final = row.cells.get(budget_index), row.cells.get(final_index)
    if budget is None or final is None:
        return None
    return (Quantity(f"{name}预算数", value_of(budget), cell_citation(catalog, row.table, budget), row, budget),
            Quantity(f"{name}决算数", value_of(final), cell_citation(catalog, row.table, final), row, final))
