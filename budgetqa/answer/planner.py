"""Question → plan, without an LLM: which documents, which quantities, which operation.

Quantities are found by matching the names the loaded documents themselves print
(row names, column headers, narrative subjects, codes) plus the colloquial
synonyms in vocab/questions.toml, longest match first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from budgetqa.answer.catalog import Catalog, normalise_name, quoted_span, short_title
from budgetqa.answer.departments import DepartmentBinding, bind_departments
from budgetqa.ingest.identity import aliases, asks_for_unit_edition, names_unit_edition
from budgetqa.vocab import load

_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_CODE = re.compile(r"(?<!\d)(\d{3}(?:\s?\d{2}){0,2})(?!\d)")
_FULLWIDTH = str.maketrans("０１２３４５６７８９％", "0123456789%")
_ACROSS_DOCS = re.compile(r"哪个(部门|单位)|哪(一)?年|各(部门|单位|年)|对比|比较|分别|历年|几年|两个(部门|单位)|(两|三)年")


@dataclass(slots=True)
class Mention:
    """A name found in the question, with where it stands."""

    text: str
    start: int
    end: int
    kind: str
    """"name" (a printed row/column/subject name) or "code"."""
    alternatives: tuple[str, ...] = ()
    """Other printed names the same concept goes by, tried in order when ``text`` is not found."""


@dataclass(slots=True)
class ParsedQuestion:
    question: str
    compact: str
    operation: str
    catalogs: list[Catalog]
    years: list[int]
    mentions: list[Mention] = field(default_factory=list)
    across: bool = False
    unit: str = "万元"
    largest: bool = True
    clarify: list[str] = field(default_factory=list)
    clarify_text: str = "请问您问的是哪一份公开？"
    """What the ask-back says (which document; which year of several; 预算 or 决算)."""
    refusal: str | None = None
    departments: DepartmentBinding = field(default_factory=DepartmentBinding)
    """The departments the question names, bound to documents (with provenance)."""
    notes: list[str] = field(default_factory=list)
    """What the answer should say about how its documents were chosen."""
    is_part: bool = False
    siblings: list[Mention] = field(default_factory=list)
    """For one part of a multi-part question: the other parts (not qualifiers of this one)."""
    """One part of a multi-part question, answered on its own."""


@lru_cache
def _operation_patterns() -> list[tuple[str, list[re.Pattern[str]]]]:
    ops = load("questions")["operations"]
    return [(name, [re.compile(p) for p in patterns]) for name, patterns in ops.items()]


@lru_cache
def _synonyms() -> dict[str, str]:
    """Colloquial form → concept name."""
    table: dict[str, str] = {}
    for name, forms in load("questions")["synonyms"].items():
        for form in forms:
            table[normalise_name(form)] = name
    return table


@lru_cache
def _printed_forms() -> dict[str, tuple[str, ...]]:
    """Concept name → the names disclosures print it under."""
    return {name: tuple(normalise_name(p) for p in forms)
            for name, forms in load("questions").get("printed", {}).items()}


_SHORT_YEAR = re.compile(r"(?<![\d.])([0-4]\d)(?=年|(?:到|至|—|－|-|~|～)(?:20)?[0-4]\d年)")
_YEAR_RANGE = re.compile(r"(20\d{2})年?(?:到|至|—|－|-|~|～)(20\d{2})")


def fold(question: str) -> str:
    """Full-width digits and traditional characters folded to the forms disclosures print."""
    return _to_simplified().convert(question.translate(_FULLWIDTH))


@lru_cache(maxsize=1)
def _to_simplified():
    """OpenCC's traditional → simplified converter (it leaves simplified text as it is)."""
    from opencc import OpenCC

    return OpenCC("t2s")


def compact(question: str) -> str:
    """The question without spaces, full-width forms and traditional characters folded, and "19年"
    written as "2019年"."""
    return _SHORT_YEAR.sub(r"20\1", re.sub(r"\s+", "", fold(question)))


def years_named(text: str) -> list[int]:
    """The years a question names; a range ("2017到2019年") names every year in it."""
    years = {int(y) for y in _YEAR.findall(text) if 2000 <= int(y) <= 2100}
    for first, last in _YEAR_RANGE.findall(text):
        if int(first) < int(last) <= int(first) + 20:
            years |= set(range(int(first), int(last) + 1))
    return sorted(years)


def detect_operation(text: str) -> str:
    for name, patterns in _operation_patterns():
        if any(p.search(text) for p in patterns):
            if name == "ranking" and any(re.search(p, text) for p in load("questions")["compare"]["difference"]):
                return "difference"
            return name
    return "lookup"


def detect_unit(text: str) -> str:
    """The unit the question wants its amounts in: 元, 千元 or 亿元 when asked, else 万元."""
    for unit, patterns in load("questions")["money_units"].items():
        if any(re.search(p, text) for p in patterns):
            return unit
    return "万元"


_ALIAS_INDEX: dict[tuple, tuple[dict[str, list[str]], dict[str, str]]] = {}


def _alias_index(catalogs: list[Catalog]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """alias → doc ids and doc id → identity key for a set of documents, built once per set."""
    signature = tuple((c.doc.doc_id, c.version) for c in catalogs)
    cached = _ALIAS_INDEX.get(signature)
    if cached is None:
        index: dict[str, list[str]] = {}
        keys: dict[str, str] = {}
        for catalog in catalogs:
            doc = catalog.doc
            keys[doc.doc_id] = doc.key
            for alias in doc.aliases or aliases(doc.department):
                index.setdefault(alias, []).append(doc.doc_id)
        if len(_ALIAS_INDEX) > 8:
            _ALIAS_INDEX.clear()
        cached = _ALIAS_INDEX[signature] = (index, keys)
    return cached


def department_binding(text: str, catalogs: list[Catalog]) -> DepartmentBinding:
    """The departments ``text`` names, bound to the given documents through their aliases."""
    index, keys = _alias_index(catalogs)
    return bind_departments(
        text,
        lambda candidates: {a: index[a] for a in candidates if a in index},
        keys.__getitem__,
        lambda: [c.doc.department for c in catalogs],
    )


def _department_match(text: str, department: str) -> tuple[int, tuple[int, int] | None]:
    """How strongly the question names one department (the length of its name there), and where."""
    names = _aliases_of(department)
    binding = bind_departments(
        text, lambda candidates: {a: ["d"] for a in candidates if a in names}, lambda _: department, list,
    )
    bound = binding.bound
    if not bound:
        return 0, None
    best = max(bound, key=lambda m: m.end - m.start)
    return best.end - best.start, (best.start, best.end)


@lru_cache(maxsize=4096)
def _aliases_of(department: str) -> frozenset[str]:
    return frozenset(aliases(department))


def _department_score(text: str, department: str) -> int:
    return _department_match(text, department)[0]


def scope(
    text: str, catalogs: list[Catalog], operation: str, binding: DepartmentBinding | None = None
) -> tuple[list[Catalog], list[int], bool]:
    """The documents a question is about, the years it names, and whether it asks across documents.

    Departments are those the question names (bound through the alias index); a question
    naming none is about every loaded document. Years and the 预算/决算 kind narrow it.
    """
    years = years_named(text)
    binding = binding if binding is not None else department_binding(text, catalogs)
    named = binding.keys
    mentioned = {k for m in binding.mentions for k in m.keys}
    in_scope = [c for c in catalogs if c.doc.key in mentioned] if mentioned else list(catalogs)
    across = bool(_ACROSS_DOCS.search(text)) or len(named) > 1 or len(years) > 1
    if years:
        with_year = [c for c in in_scope if c.doc.year in years]
        if absent_years(years, in_scope, operation):
            return [], years, across  # "2020年比2019年" with no 2020 disclosure: not 2019 against 2018
        if with_year:
            in_scope = with_year
        elif operation not in ("change", "last_year"):
            return [], years, across
    kinds = {c.doc.kind for c in in_scope}
    if len(kinds) > 1:
        for kind in ("决算", "预算"):
            if kind in text:
                in_scope = [c for c in in_scope if c.doc.kind == kind] or in_scope
                break
    return _edition(text, in_scope), years, across


def _uneven_departments(text: str, in_scope: list[Catalog], operation: str) -> str | None:
    """Why a comparison across departments cannot go ahead unasked: a department with several
    years' documents and no year named, or an amount computed from budgets and a 决算 with neither
    word written (a plan is not netted against what was spent; a ranking names each figure's kind);
    None when each department has one like document."""
    by_department: dict[str, list[Catalog]] = {}
    for catalog in in_scope:
        by_department.setdefault(catalog.doc.key, []).append(catalog)
    if len(by_department) < 2:
        return None
    several = [group[0].doc.department for group in by_department.values()
               if len({c.doc.year for c in group}) > 1]
    if several:
        return f"{'、'.join(several)}载入了不止一年的公开，请说明比较哪一年。"
    kinds = {c.doc.kind for c in in_scope}
    if len(kinds) > 1 and operation != "ranking" and not re.search(r"预算|决算|实际|执行", text):
        final = "、".join(c.doc.department for c in in_scope if c.doc.kind == "决算")
        return f"{final}载入的是决算（实际支出），其他部门是预算，请说明比较预算数还是决算数。"
    return None


def absent_years(years: list[int], in_scope: list[Catalog], operation: str) -> list[int]:
    """The years named that no document in scope is of, when another named year is loaded: a year
    is not missing when a change is asked and the next year's document, also named, prints it."""
    loaded = {c.doc.year for c in in_scope}
    if not loaded & set(years):
        return []
    absent = [y for y in years if y not in loaded]
    if operation in ("change", "last_year", "difference"):
        absent = [y for y in absent if y + 1 not in loaded or y + 1 not in years]
    return absent


def _edition(text: str, in_scope: list[Catalog]) -> list[Catalog]:
    """Of a department's 部门 and 单位 editions for one year, the one the question asks for.

    "单位预算" / "本级" select the 单位 edition; otherwise the 部门 edition (the department
    with its units) is taken, and the answer's notes say so.
    """
    unit = asks_for_unit_edition(text)
    by_identity: dict[tuple, list[Catalog]] = {}
    for catalog in in_scope:
        doc = catalog.doc
        by_identity.setdefault((doc.key, doc.year, doc.kind), []).append(catalog)
    chosen: list[Catalog] = []
    for group in by_identity.values():
        if len({c.doc.scope for c in group}) > 1:
            wanted = "单位" if unit else "部门"
            group = [c for c in group if c.doc.scope == wanted] or group
        chosen += group
    return [c for c in in_scope if c in chosen]


def find_mentions(text: str, catalogs: list[Catalog]) -> list[Mention]:
    """Names the documents print (or their synonyms) and codes, longest first, non-overlapping."""
    synonyms = _synonyms()
    names: dict[str, str] = {}
    for catalog in catalogs:
        for name in catalog.names:
            if len(name) >= 2:
                names[name] = name
    for form, printed in synonyms.items():
        names.setdefault(form, printed)
    printed_names = set(names.values())
    for form, printed in _fee_forms(printed_names).items():
        names.setdefault(form, printed)
    taken = [False] * len(text)
    mentions: list[Mention] = []
    normalised_text = text.replace("(", "（").replace(")", "）")
    # a table named in the question ("收入支出决算总表里…") is a hint, not a quantity
    titles = {short_title(t.title, c.doc.department) for c in catalogs for t in c.doc.tables}
    for title in sorted((t for t in titles if len(t) >= 4), key=len, reverse=True):
        span = quoted_span(normalised_text, title, names)
        if span is not None and not any(taken[span[0]:span[1]]):
            for i in range(*span):
                taken[i] = True
    found: list[tuple[int, int, str]] = []
    for form in names:
        start = normalised_text.find(form)
        while start >= 0:
            found.append((start, start + len(form), form))
            start = normalised_text.find(form, start + 1)
    for start, end, form in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        if not any(taken[start:end]):
            concept = names[form]
            alternatives = _printed_forms().get(concept, ())
            if form in synonyms and synonyms[form] != concept:
                # a printed name that is also a colloquial form ("收支总预算" in a sentence without
                # its figure): the concept's printed rows are tried when the name gives no figure
                alternatives = (*alternatives, synonyms[form], *_printed_forms().get(synonyms[form], ()))
            alternatives = (*alternatives, *(s for s in _fee_stems(concept) if s in printed_names))
            mentions.append(Mention(concept, start, end, "name", alternatives))
            for i in range(start, end):
                taken[i] = True
    for match in _CODE.finditer(text):
        code = match.group(1).replace(" ", "")
        if any(taken[match.start():match.end()]) or _YEAR.fullmatch(match.group(0) + "年"):
            continue
        if any(code in c.by_code for c in catalogs):
            mentions.append(Mention(code, match.start(), match.end(), "code"))
    mentions += _partial_mentions(normalised_text, taken, catalogs)
    mentions = [m for m in mentions if not _is_fragment(normalised_text, m)]
    mentions.sort(key=lambda m: m.start)
    generic = {"总计", "合计", "小计"}
    if any(m.text not in generic for m in mentions):
        mentions = [m for m in mentions if m.text not in generic]
    return mentions


_FEE_ENDING = re.compile(r"(经费|费用)$")


def _fee_forms(printed: set[str]) -> dict[str, str]:
    """How people say a printed item with "经费"/"费用": 培训经费 and 培训费用 for 培训费, 案件审判经费
    for 案件审判 (a form that is itself printed keeps its own row)."""
    forms: dict[str, str] = {}
    for name in printed:
        if len(name) >= 3 and name.endswith("费") and not name.endswith("经费"):
            forms[name[:-1] + "经费"] = name
            forms[name[:-1] + "费用"] = name
        elif len(name) >= 2 and not re.search(r"(费|费用|支出|收入|合计|总计|小计)$", name):
            forms[name + "经费"] = name
    return {form: name for form, name in forms.items() if form not in printed}


def _fee_stems(name: str) -> tuple[str, ...]:
    """The printed names a "…经费"/"…费用" item may stand under in a document that does not print it
    ("案件审判经费" → 案件审判费, 案件审判)."""
    stem = _FEE_ENDING.sub("", name)
    return (stem + "费", stem) if stem != name and len(stem) >= 2 else ()


def without_departments(parsed: ParsedQuestion) -> str:
    """The question with the departments it names blanked out (□), so their words are read as no item."""
    chars = list(parsed.compact)
    for start, end in parsed.departments.spans():
        for i in range(start, min(end, len(chars))):
            chars[i] = "□"
    return "".join(chars)


def _mask_departments(text: str, catalogs: list[Catalog], binding: DepartmentBinding | None = None) -> str:
    """Blank out where the question names a department, so its words are not read as items.

    A printed name that runs on past the department's words ("某某街道办" + "公费" =
    "…办公费") keeps its characters: the department is taken to end where it starts (a name that
    starts with the department's words, "政协会议" after "省政协", is not masked at all), and words
    inside a printed name that starts before them ("其他法院支出") are that name's.
    """
    chars = list(text)
    names = {n for c in catalogs for n in c.names if len(n) >= 2}
    binding = binding if binding is not None else department_binding(text, catalogs)
    for start, end in binding.spans():
        if any(text.startswith(n, cut) and cut + len(n) >= end for n in names for cut in range(max(0, start - 8), start)):
            continue  # the department's words inside a printed name that starts before them ("其他法院支出")
        for cut in range(end - 1, start - 1, -1):
            if any(text.startswith(n, cut) and cut + len(n) > end for n in names):
                end = cut
                break
        for i in range(start, end):
            chars[i] = "□"
    return "".join(chars)


def is_budget_and_final(in_scope: list[Catalog]) -> bool:
    """Whether the documents are exactly the 预算 and the 决算 of one department, year and edition
    (a completion question is about both)."""
    docs = [c.doc for c in in_scope]
    return len(docs) == 2 and len({(d.key, d.year, d.scope) for d in docs}) == 1 and {
        d.kind for d in docs} == {"预算", "决算"}


def _unbound_department(binding: DepartmentBinding, catalogs: list[Catalog]):
    """A department the question names that no loaded document belongs to (a printed item name
    that happens to end like an organisation, "…办公室", is not one; a piece of a loaded department's
    own name, "湖区财政局" of 西湖区财政局, is another body)."""
    departments = {c.doc.department for c in catalogs}
    for mention in binding.unbound:
        if not any(mention.text in d for d in departments) and any(
                mention.text in n for c in catalogs for n in c.names):
            continue
        return mention
    return None


def _missing_edition(text: str, in_scope: list[Catalog]) -> str | None:
    """A question asking for a 单位预算/单位决算 where only 部门 editions are loaded: refuse."""
    if names_unit_edition(text) and all(c.doc.scope != "单位" for c in in_scope):
        names = "、".join(dict.fromkeys(c.doc.department for c in in_scope))
        return f"已载入的{names}公开是部门{in_scope[0].doc.kind or '预算'}（含下属单位），没有单位{in_scope[0].doc.kind or '预算'}。"
    return None


def _edition_notes(in_scope: list[Catalog], catalogs: list[Catalog]) -> list[str]:
    """Say so when a 部门 edition was taken over a loaded 单位 edition of the same department and year."""
    notes = []
    for catalog in in_scope:
        doc = catalog.doc
        if doc.scope == "部门" and any(
            c.doc.key == doc.key and c.doc.year == doc.year and c.doc.kind == doc.kind and c.doc.scope == "单位"
            for c in catalogs
        ):
            notes.append(f"按{doc.department}的部门{doc.kind or '预算'}（含下属单位）回答；问“单位{doc.kind or '预算'}”或“本级”可查单位本身。")
    return notes


_FINAL_WORDS = re.compile(r"决算|实际执行|执行数|实际支出|实际花")


def _asks_for_final(text: str) -> bool:
    return bool(_FINAL_WORDS.search(text))


_CONTAINER_AFTER = re.compile(r"^(?:类|款|项)?(?:的)?(?:中|里|内|下|当中|之中|里面)|^，")


def is_container(text: str, mention: Mention) -> bool:
    """"三公里…", "商品和服务支出中…": the mention is followed by 中/里/内/下, naming a whole."""
    return bool(_CONTAINER_AFTER.search(text[mention.end:mention.end + 4]))


def containers(parsed: ParsedQuestion) -> list[Mention]:
    """Mentions that only say where the asked item stands ("公用经费里的委托业务费",
    "基本支出人员经费"): followed by 中/里/内 (or a comma) and then another name, or written
    right against the next name."""
    found = []
    for mention, following in zip(parsed.mentions, parsed.mentions[1:], strict=False):
        if is_container(parsed.compact, mention) or following.start == mention.end:
            found.append(mention)
    return found


def mask_mentions(text: str, mentions: list[Mention]) -> str:
    """The question with the names it mentions blanked, so their words don't read as operations."""
    chars = list(text)
    for mention in mentions:
        for i in range(mention.start, min(mention.end, len(chars))):
            chars[i] = "□"
    return "".join(chars)


_FUNCTION_CHARS = set("的是和与及比占中里在为了多少上去年今预算决元万有共计总用安排花前后各哪个项类款这那其各个：，,。？?□")


def _is_fragment(text: str, mention: Mention) -> bool:
    """A short name standing inside a longer word ("管理" in "物业管理费", "02" in "2024") is not that name."""
    if mention.kind != "name":
        return False
    digits = text[mention.start:mention.end]
    if digits.isdigit():
        # a printed name of digits (a split code column's "02") inside a longer number or a year
        return (mention.start > 0 and text[mention.start - 1].isdigit()) or (
            mention.end < len(text) and text[mention.end].isdigit())
    if mention.end - mention.start > 2:
        return False
    before = text[mention.start - 1] if mention.start > 0 else ""
    after = text[mention.end] if mention.end < len(text) else ""

    def word_char(ch: str) -> bool:
        return bool(ch) and "\u4e00" <= ch <= "\u9fa5" and ch not in _FUNCTION_CHARS

    return word_char(before) and word_char(after)


_CJK_RUN = re.compile(r"[\u4e00-\u9fa5（）][\u4e00-\u9fa5（）\d.]{3,}")  # digits inside: "单价100万元以上"
PARTIAL_MIN = 4


def _partial_mentions(text: str, taken: list[bool], catalogs: list[Catalog]) -> list[Mention]:
    """Shortened names ("基本养老保险缴费" for "机关事业单位基本养老保险缴费"): the longest
    run of at least PARTIAL_MIN characters, not already matched, that a printed name contains."""
    names = sorted(
        {n for c in catalogs for n in (*c.by_name, *c.columns, *c.facts_by_subject) if len(n) > PARTIAL_MIN},
        key=len,
    )
    found: list[Mention] = []
    free = "".join(ch if not taken[i] else "□" for i, ch in enumerate(text))
    runs = [(run.group(0), run.start()) for run in _CJK_RUN.finditer(free)]
    while runs:
        chunk, offset = runs.pop()
        hit = _longest_contained(chunk, names)
        if hit is None:
            continue
        start, end, container = hit
        found.append(Mention(container, offset + start, offset + end, "name"))
        # the rest of the run may name something else ("…货物和服务预算")
        for rest, rest_offset in ((chunk[:start], offset), (chunk[end:], offset + end)):
            if len(rest) >= PARTIAL_MIN:
                runs.append((rest, rest_offset))
    return found


def _longest_contained(chunk: str, names: list[str]) -> tuple[int, int, str] | None:
    """The longest run of ``chunk`` (at least PARTIAL_MIN characters) that makes up half a printed name."""
    for size in range(len(chunk), PARTIAL_MIN - 1, -1):
        for i in range(len(chunk) - size + 1):
            part = chunk[i:i + size]
            fits = [n for n in names if part in n and size * 2 >= len(n)]
            fits = [n for n in fits if len(n) == len(fits[0])] if fits else []
            if len(fits) > 1:
                # several names as short ("政府采购" in 政府采购预算/货物/工程/服务): only the whole, else none
                fits = [n for n in fits if n.replace(part, "", 1) in _WHOLE_SUFFIXES]
            if len(fits) == 1:
                return i, i + size, fits[0]
    return None


_WHOLE_SUFFIXES = {"预算", "合计", "总计", "总额", "金额", "决算"}


_WHOLE_PART = re.compile(r"([\u4e00-\u9fa5]{2,8}?)(?:里面|里|当中|之中|中)的?([\u4e00-\u9fa5]{2,3}?)(?:类|方面|部分)?"
                         r"(?=花|是|有|多少|预算|支出|安排|用|占|共|一共|金额|的钱|要|各|分别|$)")


_TABLE_REFERENCE = re.compile(r"(?:那张|这张|那个|这个|哪张)表|表(?:上|里|中|内)的?")
_REFERENCE_START = re.compile(r"[^\u4e00-\u9fa5]|年|的")


def _without_table_references(text: str, mentions: list[Mention]) -> list[Mention]:
    """Names inside a table written as people point at it ("三公会议培训那张表上的培训费",
    "基本支出表里的办公费") say which table, not what is asked: left out, unless nothing else is named."""
    spans = []
    for match in _TABLE_REFERENCE.finditer(text):
        start = match.start()
        while start > 0 and not _REFERENCE_START.match(text[start - 1]):
            start -= 1
        spans.append((start, match.start()))
    kept = [m for m in mentions if not any(a <= m.start and m.end <= b for a, b in spans)]
    totals = [t for m in _TABLE_REFERENCE.finditer(text) if (t := _TABLE_TOTAL.match(text, m.end()))]
    if not kept and totals:
        # "三公会议培训那张表的合计": the table's own total, not the name inside its title
        return [Mention("合计", totals[0].start(1), totals[0].end(1), "name")]
    return kept if kept else mentions


_TABLE_TOTAL = re.compile(r"(?:的|上的|里的)?(合计|总计|总数|总额)")


def _only_a_whole(text: str, mentions: list[Mention]) -> bool:
    """One name, written as the whole of an unnamed part ("政府采购预算里货物占比多少")."""
    return len(mentions) == 1 and is_container(text, mentions[0]) and bool(
        re.match(r"[\u4e00-\u9fa5]{2}", _CONTAINER_AFTER.sub("", text[mentions[0].end:], count=1)))


def _part_of_whole(text: str, catalog: Catalog) -> list[Mention]:
    """"采购里工程多少": a part named after its whole, neither printed alone, bound to the one printed
    name holding both ("政府采购工程预算"), else to the one row of a table titled with the whole that
    the part begins ("服务C", "家具用具" in 政府采购预算表); nothing when none or several do."""
    for match in _WHOLE_PART.finditer(text):
        whole, part = match.group(1), match.group(2)
        whole = whole.removeprefix("年")
        for stem in dict.fromkeys((whole, whole[-2:])):
            found = sorted((n for n in catalog.names if stem in n and part in n and n.find(stem) != n.find(part)),
                           key=len)
            if found and all(found[0] in n for n in found):
                return [Mention(found[0], match.start(2), match.end(2), "name")]
            if found:
                return []
        for stem in dict.fromkeys((whole, whole[-2:])):
            rows = _rows_titled(catalog, stem, part)
            if rows:
                return [Mention(rows[0], match.start(2), match.end(2), "name")] if len(rows) == 1 else []
    return []


_CATEGORY_LETTER = re.compile(r"^[A-Z]|[A-Z]$")
"""A procurement category's catalogue letter printed beside its name ("货物A", "C服务")."""


def _rows_titled(catalog: Catalog, whole: str, part: str) -> list[str]:
    """Row names (or row subjects) that begin with ``part``, in tables whose title holds ``whole``."""
    names: set[str] = set()
    for row in catalog.rows:
        if whole not in normalise_name(row.table.title):
            continue
        for name in (row.key, normalise_name(row.subject or "")):
            if _CATEGORY_LETTER.sub("", name).startswith(part):
                names.add(name)
    return sorted(names)


def _alone_hint(text: str) -> list[Mention]:
    """A table's subject asked about alone ("政府采购比上年多了多少"): the total it stands for."""
    for word, names in load("questions")["alone_hints"].items():
        at = text.find(word)
        if at >= 0:
            alternatives = (*names[1:], *_printed_forms().get(names[0], ()))
            return [Mention(names[0], at, at + len(word), "name", alternatives)]
    return []


def _without_alone_totals(text: str, mentions: list[Mention]) -> list[Mention]:
    """Drop "花了多少钱" / "预算加起来" read as a total when the question names another item."""
    verbs = load("questions")["alone_totals"]["words"]
    named = [m for m in mentions if text[m.start:m.end] not in verbs]
    if named:
        return named
    # "预算加在一起": the name is "预算"; "加在一起" still reads as the operation
    return [Mention(m.text, m.start, m.start + 2, m.kind, m.alternatives)
            if text[m.start:m.end] in verbs and text[m.start:m.start + 2] in ("预算", "决算") else m for m in mentions]


def _speaker_year_is_document_year(text: str, in_scope: list[Catalog]) -> bool:
    """"去年" asked of 决算 only: the year the final accounts cover (they are published the year after)."""
    words = load("questions")["speaker_year"]
    return (bool(in_scope) and all(c.doc.kind == "决算" for c in in_scope)
            and any(w in text for w in words["last_year"])
            and not any(w in text for w in words["document_last_year"]))


def parse(question: str, catalogs: list[Catalog]) -> ParsedQuestion:
    text = compact(question)
    operation = detect_operation(text)
    binding = department_binding(text, catalogs)
    in_scope, years, across = scope(text, catalogs, operation, binding)
    derived_last_year = False
    if not in_scope and years and operation == "lookup":
        previous = [c for c in scope(text, catalogs, "last_year", binding)[0]
                    if c.doc.year and c.doc.year - 1 in years]
        if previous:
            # "2023年的X" asked of a 2024 document: last year's value, derived from the stated change
            operation, in_scope, derived_last_year = "last_year", previous, True
    parsed = ParsedQuestion(question, text, operation, in_scope, years, across=across, unit=detect_unit(text),
                            departments=binding)
    if operation in ("change", "last_year") and len(years) == 1:
        parsed.across = False
    parsed.largest = not any(w in text for w in load("questions")["smallest"]["words"])
    if not catalogs:
        parsed.refusal = "还没有载入任何公开文件。"
        return parsed
    opinion = next((w for w in load("questions")["opinion"]["words"] if w in text), None)
    if opinion:
        parsed.refusal = (f"问题问的是“{opinion}”，这是评价：公开文件只列出数字和文件自己说明的原因，"
                          "不作评价。可以问具体的数、增减或原因。")
        return parsed
    future = next((w for w in load("questions")["future"]["words"] if w in text), None)
    if future and not years:
        parsed.refusal = f"问题问的是{future}，已载入的公开只有各自年度的数，没有{future}的。"
        return parsed
    stranger = _unbound_department(binding, catalogs)
    if stranger is not None:
        near = f"相近的有：{'、'.join(stranger.near)}。" if stranger.near else ""
        parsed.refusal = f"已载入的文件中没有“{stranger.text}”的公开。{near}"
        return parsed
    if not in_scope:
        named = "、".join(sorted({c.doc.department for c in catalogs if c.doc.key in binding.keys}))
        mentioned = {k for m in binding.mentions for k in m.keys}
        absent = absent_years(years, [c for c in catalogs if not mentioned or c.doc.key in mentioned], operation)
        parsed.refusal = f"已载入的文件中没有{named}{'、'.join(map(str, absent or years))}年的公开。"
        return parsed
    edition = _missing_edition(text, in_scope)
    if edition:
        parsed.refusal = edition
        return parsed
    if len(in_scope) > 1 and any(m.run_together for m in binding.mentions):
        parsed.clarify = [c.doc.label for c in in_scope]  # two names run together: ask which one
        return parsed
    if len(in_scope) > 1 and not across and not (operation == "completion" and is_budget_and_final(in_scope)):
        parsed.clarify = [c.doc.label for c in in_scope]
        return parsed
    uneven = _uneven_departments(text, in_scope, operation)
    if uneven:
        parsed.clarify, parsed.clarify_text = [c.doc.label for c in in_scope], uneven
        return parsed
    parsed.notes += _edition_notes(in_scope, catalogs)
    unnamed = _mask_departments(text, catalogs, binding)
    parsed.mentions = _without_table_references(unnamed, find_mentions(unnamed, in_scope))
    if not parsed.mentions or _only_a_whole(unnamed, parsed.mentions):
        named = {m.text for m in parsed.mentions}
        # the part each document prints under the whole; across documents only when they all print it alike
        found = [[m for m in _part_of_whole(unnamed, c) if m.text not in named] for c in in_scope]
        parts = found[0] if all(f == found[0] for f in found) else []
        if len(in_scope) > 1 and found[0] != parts:
            parsed.refusal = "各份公开对这一部分的叫法不同，请逐份询问。"
            return parsed
        parsed.mentions = sorted([*parsed.mentions, *parts], key=lambda m: m.start)
    if not parsed.mentions and operation != "ranking":
        parsed.mentions = _alone_hint(unnamed)  # a ranking's unread scope is refused (bind._table_group)
    parsed.mentions = _without_alone_totals(text, parsed.mentions)
    masked = mask_mentions(text, parsed.mentions)
    if not derived_last_year:
        # read again without the names: "上年结转" names a row, it does not ask for last year
        parsed.operation = detect_operation(masked)
    if parsed.operation == "last_year" and _speaker_year_is_document_year(masked, in_scope):
        parsed.operation = "lookup"
        parsed.notes.append(f"“去年”按决算的年度（{in_scope[0].doc.year}年）回答：决算在次年公布；问“上年”可查它的前一年。")
    if re.search(load("questions")["speaker_year"]["year_before_last"], masked):
        if not (all(c.doc.kind == "决算" for c in in_scope) and parsed.operation in ("lookup", "last_year")):
            parsed.refusal = "“前年”是说话时的前两年：已载入的预算公开只有当年和上年的数，没有前年的。"
            return parsed
        parsed.operation = "last_year"
        parsed.notes.append(f"“前年”按决算的上一年度（{in_scope[0].doc.year - 1}年）回答：决算在次年公布。")
    one_year = len({c.doc.year for c in in_scope}) == 1
    if (parsed.operation in ("lookup", "ranking", "sum") or parsed.operation == "difference" and one_year) \
            and _asks_for_final(masked) and all(c.doc.kind == "预算" for c in in_scope):
        parsed.refusal = "已载入的是预算公开，其中没有决算（实际执行）数。"
        return parsed
    return parsed
