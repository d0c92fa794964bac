"""The grounding check: no answer leaves the engine unless its citations fit the question.

Run on every numeric answer before it is returned. An answer passes only when:

- every cited document belongs to a department the question named (or, when it named none,
  to the documents the question was scoped to), and to the years it named;
- the 单位 edition is cited when the question asks for a 单位预算/单位决算, a 决算 when it
  asks for 决算 figures;
- every quantity the question names is bound to a cited row, column or sentence;
- every qualifier it names (财政拨款, 一般公共预算, 基本支出 …) is honoured by a citation.

An answer that fails becomes a refusal with the reason, and the failure is logged.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from budgetqa.answer.bind import excluded_mentions
from budgetqa.answer.catalog import normalise_name, quoted_span, short_title
from budgetqa.answer.departments import boundary_chars
from budgetqa.answer.planner import ParsedQuestion, mask_mentions, without_departments
from budgetqa.answer.planner import containers as planner_containers
from budgetqa.answer.resolve import asks_for_budget_figure
from budgetqa.answer.schema import Answer, Citation
from budgetqa.ingest.identity import names_unit_edition
from budgetqa.numbers import numbers_in
from budgetqa.vocab import load

log = logging.getLogger("budgetqa.check")

# Operations whose answer is about named quantities (a ranking names a group, not its winner).
_QUANTITY_OPERATIONS = {"lookup", "change", "last_year", "share", "difference", "sum", "completion"}


@dataclass(slots=True)
class Verdict:
    """The check's outcome: ``ok``, or the reasons it failed."""

    reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reasons


_WHICH_ITEMS = re.compile(r"哪几|哪些")
""""哪几项支出决算和预算一致": a question for the items that meet a condition, which one figure never answers."""
_INTERROGATIVE = re.compile(r"多少|几(?:个|辆|台|项|人|家|名|套)")
_ASKED_CODE = re.compile(
    r"(?<![\d.,，])(\d{3}(?:\d{2}){0,2})(?![\d.,]|\s*(?:万|千|亿|元|%|％|年|月|日|号|个|项|人|辆|台|套|次|倍|名|家|多|余"
    r"|左右|以上|以下|平方|亩|米|公里))"
)
"""A classification code the question names (3, 5 or 7 digits: 类, 款, 项), not an amount or a count."""
_THRESHOLD = re.compile(r"\d+(?:\.\d+)?[万千亿]?元(?:以上|以下|及以上|以内)")


_OWNER = re.compile(r"([\u4e00-\u9fff]{2,8})的□")
_OWNER_LEAD = re.compile(r"^(?:给|对|向|为|用于|用在|拨给|安排给)")
_NO_OWNER = re.compile(r"哪|谁|什么|各|每|表|[中里内年]$|预算$|决算$")
""""哪个部门的基本支出" asks which; "支出预算总表中的…", "单位预算的…" say where to read: none names an owner."""
_GENERIC_OWNERS = frozenset({"年度", "部门", "单位", "本部门", "本单位", "机关", "本级", "公开", "里面", "其中", "文件", "安排"})


def _unbound_owner(parsed: ParsedQuestion, text: str, blob: str) -> str | None:
    """"给小学的财政拨款": a word the question puts before a qualifier it asks about (a fund type,
    基本支出…) that matched no printed name and stands nowhere in what is cited — the answer gives
    the qualifier's total, not that word's share of it."""
    if not parsed.mentions or not all(m.text in _qualifiers() for m in parsed.mentions):
        return None
    masked = mask_mentions(text, parsed.mentions)
    for match in _OWNER.finditer(re.sub(r"\d+年?", "", masked)):
        word = _OWNER_LEAD.sub("", match.group(1))
        if len(word) >= 2 and word not in _GENERIC_OWNERS and word not in blob and not _NO_OWNER.search(word):
            return word
    return None


_STATED_FIGURE = re.compile(
    r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{4,})\s*(万元|万|元)(?!元?(?:以上|以下|及以上|以内))")
""""住房保障支出16916.56万元中…": a figure the question states, which the answer must be about."""


def _stated_figures(text: str) -> list[tuple[str, Decimal]]:
    """Amounts the question states (with a decimal point or thousands commas, or a whole number of
    four digits or more, in 万元 or 元): each as written and in 元."""
    found = []
    for match in _STATED_FIGURE.finditer(text):
        value = Decimal(match.group(1).replace(",", ""))
        found.append((match.group(0), value * 10000 if match.group(2).startswith("万") else value))
    return found


def _cites_figure(answer: Answer, yuan: Decimal) -> bool:
    """Whether a cited cell, sentence or value holds the amount (given in 元), in 元 or 万元."""
    printed: set[Decimal] = set()
    for citation in answer.citations:
        for text in (citation.raw or "", citation.sentence or ""):
            printed |= numbers_in(text)
    for value in answer.values:
        try:
            printed.add(Decimal(value.value))
        except InvalidOperation:
            continue
    wan = (yuan / 10000).quantize(Decimal("0.01"))
    if yuan == yuan.to_integral_value() and (yuan / 10000) == (yuan / 10000).to_integral_value():
        # a whole number of 万元 as people say it ("那490808万"): the printed amount rounded to it
        whole = yuan / 10000
        return any(p == yuan or p.quantize(Decimal("1"), ROUND_HALF_UP) == whole for p in printed)
    return any(p == yuan or p.quantize(Decimal("0.01")) == wan for p in printed)


_ROUND_FIGURE = re.compile(r"(?<![\d.])(\d{2,3})\s*万(?!元?(?:以上|以下|及以上|以内|多|左右))")
""""那20万…是什么钱": a round amount a question points at."""


def figures_asked(question: str) -> list[Decimal]:
    """Every amount a question states or points at, in 万元 (a passage printing one is preferred)."""
    found = [yuan / 10000 for _, yuan in _stated_figures(question)]
    return found + [Decimal(m.group(1)) for m in _ROUND_FIGURE.finditer(question)]


def figures_left_out(question: str, answer: Answer) -> list[str]:
    """The amounts a question states ("那1712.24万分别是哪几块钱") that the answer neither cites
    nor quotes: an answer about another figure (a passage on another item) is no answer to it."""
    return [text for text, yuan in _stated_figures(question) if not _cites_figure(answer, yuan)]


@lru_cache
def _qualifiers() -> tuple[str, ...]:
    return tuple(load("questions")["grounding"]["qualifiers"])


def check(answer: Answer, parsed: ParsedQuestion) -> Verdict:
    """Whether an answered question's citations fit what the question named."""
    verdict = Verdict()
    if answer.status != "answered":
        return verdict
    docs = {c.doc.doc_id: c for c in parsed.catalogs}
    cited = {c.doc_id for c in answer.citations}
    if not answer.citations:
        verdict.reasons.append("答案没有出处")
    for doc_id in cited - set(docs):
        verdict.reasons.append(f"引用了问题范围以外的文件（{doc_id}）")
    cited_docs = [docs[d].doc for d in cited if d in docs]
    named = parsed.departments.keys
    for doc in cited_docs:
        if named and doc.key not in named:
            verdict.reasons.append(f"引用的{doc.department}不是问题所问的部门")
        if parsed.years and not _year_fits(doc.year, parsed):
            verdict.reasons.append(f"引用的是{doc.year}年的公开，问题问的是{'、'.join(map(str, parsed.years))}年")
    department_free = without_departments(parsed)
    if names_unit_edition(department_free) and any(d.scope != "单位" for d in cited_docs):
        verdict.reasons.append("问题问的是单位预算（决算），引用的是部门的")
    if "决算" in department_free and cited_docs and all(d.kind != "决算" for d in cited_docs):
        verdict.reasons.append("问题问的是决算数，引用的是预算公开")
    if (asks_for_budget_figure(department_free) and cited_docs and all(d.kind == "决算" for d in cited_docs)
            and not any("预算" in (c.column or "") or "预算" in (c.sentence or "") for c in answer.citations)):
        verdict.reasons.append("问题问的是（年初）预算数，引用的是决算数")
    if parsed.operation == "lookup" and _WHICH_ITEMS.search(department_free) and len(answer.values) < 2:
        verdict.reasons.append("问题问的是哪几项，答案只有一个数")
    if parsed.operation in ("change", "difference") and _WHICH_ITEMS.search(department_free):
        verdict.reasons.append("问题问的是由哪几项构成，答案只是一个增减")  # "增量拆成了哪几块"
    budget_words = load("questions")["grounding"]["budget_document"]["words"]
    if any(w in department_free for w in budget_words) and cited_docs and all(d.kind == "决算" for d in cited_docs):
        verdict.reasons.append("问题问的是预算公开的数，引用的是决算公开")
    coded = [c.row_code for c in answer.citations if c.row_code]
    left_out = excluded_mentions(parsed)  # "除2040501行政运行以外": neither the code nor the name is asked
    for code in _ASKED_CODE.findall(department_free) if coded else ():
        if any(m.kind == "code" and m.text == code for m in left_out):
            continue
        if not any(row_code.startswith(code) for row_code in coded):
            verdict.reasons.append(f"问题问的是科目{code}，引用的行不是这个科目")
    blob = _cited_text(answer)
    containers = planner_containers(parsed)
    if parsed.operation in _QUANTITY_OPERATIONS:
        for i, mention in enumerate(parsed.mentions):
            if mention.text in _qualifiers() or _is_column(mention, parsed) or mention in left_out:
                continue
            if left_out and mention in containers and parsed.operation == "sum":
                continue  # "收入总计里X以外的两块": the whole the parts are summed in
            if mention in containers and (_outside_every_table(mention, parsed)
                                          or _contains_cited_row(mention, parsed, answer)
                                          or _heads_cited_qizhong(mention, parsed, answer)):
                continue
            partner = _partner(parsed, i)
            if partner is not None and _printed_name(mention, parsed) and _bound(partner, parsed.compact, blob) and (
                    partner.start < mention.start or _encloses_cited(mention, parsed, answer)):
                continue  # "X的Y": Y says which column of the bound X; X itself is bound unless it holds Y
            if not _bound(mention, parsed.compact, blob):
                verdict.reasons.append(f"问题中的“{parsed.compact[mention.start:mention.end]}”没有对应到引用的数")
    owner = _unbound_owner(parsed, department_free, blob)
    if owner:
        verdict.reasons.append(f"问题问的是“{owner}”的{'、'.join(m.text for m in parsed.mentions)}，引用的数不是它的")
    for stated, yuan in _stated_figures(department_free):
        if not _cites_figure(answer, yuan):
            verdict.reasons.append(f"问题给出的{stated}不在引用的数里（答案说的是别的数）")
    money_words = load("questions")["grounding"]["money"]["words"]
    asked = _THRESHOLD.sub("", parsed.compact)  # "单价20万元以上的设备" names a class, not an amount
    if any(w in asked for w in money_words) and answer.values and all(
        v.unit not in ("万元", "元", "千元", "亿元", "%") for v in answer.values
    ):
        verdict.reasons.append("问题问的是金额，找到的只是数量")
    per_head = [w for w in load("questions")["grounding"]["per_head"]["words"] if w in asked]
    if per_head and not any(w in blob and w in answer.answer for w in per_head):
        verdict.reasons.append(f"问题问的是{per_head[0]}数，文件没有印出，引用的不是它")
    # qualifiers are read outside the named quantities, but inside a container ("财政拨款支出里…")
    named = [m for m in parsed.mentions if m.text not in _qualifiers() and m not in containers] + parsed.siblings
    masked = mask_mentions(department_free, named)
    cells = [_cited_text(answer, [c]) for c in answer.citations if c.table and not c.sentence]
    standalone = {m.text for m in parsed.mentions if m.text in _qualifiers()}
    for word in _qualifiers():
        # a qualifier on another quantity ("财政拨款支出中的X") holds for every cited cell
        every = word not in standalone
        if word in masked and (word not in blob or (every and any(word not in cell for cell in cells))):
            verdict.reasons.append(f"问题限定了“{word}”，引用的表格和行列没有体现")
    asked_parts = any(w in parsed.compact for w in load("questions")["parts"]["words"]) or len(
        _INTERROGATIVE.findall(asked)) > 1  # "有几辆车，价值多少": two things asked
    if asked_parts and not parsed.is_part and len(answer.values) < 2 and len(answer.citations) < 2:
        verdict.reasons.append("问题问了几项，只找到一项")
    named_tables = _named_tables(parsed)
    cited_tables = {short_title(c.table, docs[c.doc_id].doc.department if c.doc_id in docs else "")
                    for c in answer.citations if c.table}
    if named_tables and not named_tables & cited_tables:
        verdict.reasons.append(f"问题说的是《{'》《'.join(sorted(named_tables))}》，答案引用的不是这张表")
    return verdict


def _named_tables(parsed: ParsedQuestion) -> set[str]:
    """The tables the question names by title ("项目绩效目标表里…"), as people quote titles."""
    titles = {short_title(t.title, c.doc.department) for c in parsed.catalogs for t in c.doc.tables}
    question = parsed.compact.replace("(", "（").replace(")", "）")
    boundary = boundary_chars()
    named = set()
    for title in (t for t in titles if len(t) >= 4):
        span = quoted_span(question, title)
        if span is None:
            continue
        before = question[span[0] - 1] if span[0] else ""
        # "基本支出决算表" does not name the 支出决算表: the title must stand as a whole word
        if not before or before in boundary or not ("\u4e00" <= before <= "\u9fa5"):
            named.add(title)
    return {t for t in named if not any(t != other and t in other for other in named)}


def grounded(answer: Answer, parsed: ParsedQuestion) -> Answer:
    """The answer if it passes the check, else a refusal saying why (and a log line)."""
    verdict = check(answer, parsed)
    if verdict.ok:
        return answer
    log.warning("grounding check failed for %r: %s (answer: %s)", parsed.question, "; ".join(verdict.reasons),
                answer.answer)
    return Answer(
        status="refused",
        answer="没有找到能确切回答这个问题的数：" + "；".join(dict.fromkeys(verdict.reasons)) + "。",
        plan=answer.plan,
        notes=["答案未通过核对（部门、年度、口径或项目与问题不符），宁缺毋错。"],
    )


def _year_fits(year: int | None, parsed: ParsedQuestion) -> bool:
    if year in parsed.years:
        return True
    # a change compares with the year before (or reads last year's figure from the year after)
    relative = parsed.operation in ("change", "last_year", "difference") or _RELATIVE_YEAR.search(parsed.compact)
    return bool(relative) and year is not None and (year - 1 in parsed.years or year + 1 in parsed.years)


_RELATIVE_YEAR = re.compile(r"上年|上一年|去年|前一年|上年度")


def _outside_every_table(mention, parsed: ParsedQuestion) -> bool:
    """A container that names no row of any table in scope (a column caption such as 公用经费, or
    a narrative subject): it says where to look, and no cited row has to carry it."""
    name = normalise_name(mention.text)
    return not any(name in c.by_name for c in parsed.catalogs)


def _contains_cited_row(mention, parsed: ParsedQuestion, answer: Answer) -> bool:
    """A container row whose code heads a cited row's code ("对个人和家庭的补助" 303 → 退休费 30302)."""
    name = normalise_name(mention.text)
    codes = {r.code for c in parsed.catalogs for r in c.by_name.get(name, []) if r.code}
    cited = [c.row_code for c in answer.citations if c.row_code]
    return any(row.startswith(code) for row in cited for code in codes)


def _heads_cited_qizhong(mention, parsed: ParsedQuestion, answer: Answer) -> bool:
    """A container row printed right above the cited "其中：" row ("四、其他收入" / "其中：捐赠收入")."""
    name = normalise_name(mention.text)
    cited = {(c.table_id, c.side or "", c.row) for c in answer.citations if c.row}
    for catalog in parsed.catalogs:
        for row in catalog.by_name.get(name, []):
            below = sorted((r for r in catalog.rows if r.table is row.table and r.side == row.side
                            and r.index > row.index), key=lambda r: r.index)
            for r in below:
                if not r.name.lstrip().startswith("其中"):
                    break
                if (row.table.table_id, row.side or "", r.name) in cited:
                    return True
    return False


def _partner(parsed: ParsedQuestion, index: int):
    """The mention written right against this one ("X的Y": a row and its column), if any."""
    mentions = parsed.mentions
    for j in (index - 1, index + 1):
        if 0 <= j < len(mentions):
            first, second = sorted((mentions[index], mentions[j]), key=lambda m: m.start)
            if parsed.compact[first.end:second.start] in ("", "的"):
                return mentions[j]
    return None


def _printed_name(mention, parsed: ParsedQuestion) -> bool:
    """Whether a mention is a row or column some document prints: written against a bound one ("X的Y",
    a row and its column, a 款 and its 项) the pair's citation covers it. A word only the vocabulary
    knows ("退休" in "给退休人员的福利费") is no such name: it must be cited itself."""
    return any(mention.text in c.columns or mention.text in c.by_name for c in parsed.catalogs)


def _encloses_cited(mention, parsed: ParsedQuestion, answer: Answer) -> bool:
    """Whether a printed name written against a bound one ("X的Y", "X下的Y") holds what is cited:
    a column some document prints (the pair is a row and its column), or a row whose code opens a
    cited row's code (a 款 and its 项). A project row beside a total ("某项目的政府采购预算")
    encloses nothing cited: the total does not answer for it."""
    if any(mention.text in c.columns for c in parsed.catalogs):
        return True
    codes = {row.code for c in parsed.catalogs for row in c.by_name.get(mention.text, ()) if row.code}
    cited = [c.row_code for c in answer.citations if c.row_code]
    return any(row_code.startswith(code) for code in codes for row_code in cited)


def _is_column(mention, parsed: ParsedQuestion) -> bool:
    """A generic column word ("预算数", "决算数"), which says where in a row to read, not what."""
    return normalise_name(mention.text) in load("questions")["grounding"]["generic_columns"]["words"]


def _cited_text(answer: Answer, citations: list[Citation] | None = None) -> str:
    """Everything the citations (all, or the given ones) and value names say, normalised like printed names."""
    parts: list[str] = [v.name for v in answer.values] if citations is None else []
    for citation in answer.citations if citations is None else citations:
        parts += _citation_parts(citation)
    return normalise_name("".join(p for p in parts if p)).replace("“", "").replace("”", "")


def _citation_parts(citation: Citation) -> list[str]:
    return [citation.table or "", citation.row or "", citation.column or "", citation.sentence or "",
            citation.section or "", citation.row_code or ""]


def _bound(mention, question: str, blob: str) -> bool:
    """A mention is bound when its name, a printed form of it, or the question's own words for
    it stand in what the answer cites."""
    forms = {mention.text, *mention.alternatives, question[mention.start:mention.end]}
    for form in forms:
        key = normalise_name(form).replace("“", "").replace("”", "")
        if key and (key in blob or _loosely_in(key, blob)):
            return True
    return False


def _loosely_in(key: str, blob: str) -> bool:
    """The name with its brackets and generic endings dropped ("（境）", "费") still stands there."""
    core = re.sub(r"（[^）]*）", "", key)
    core = re.sub(r"(经费|费用|费|支出|资金|预算|合计|总计)$", "", core)
    return len(core) >= 2 and core in blob

