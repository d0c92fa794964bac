"""Sentence → facts: every figure a narrative sentence states, with its subject.

A paragraph is split into sentences (at 。！？); each sentence is scanned once,
left to right, for figures (amounts, percentages, counts, areas, and the
figure-less "与上年一致"/"持平"). What a figure means comes from the words just
before it (its *lead*): "占" → a share, "增加"/"减少" → a change, "年初预算为" →
the budget of a 决算 comparison, "完成…的" → a completion rate; anything else
states a value, whose subject is the lead cleaned of years, department names,
comparison phrases and verbs. Shares, changes and completion rates attach to
the fact the sentence (or, failing that, the paragraph) is talking about.

The word lists live in ``budgetqa/vocab/narrative.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from budgetqa.models import Fact
from budgetqa.vocab import load

VOCAB = load("narrative")
_FACTS: dict = VOCAB["facts"]
_SUBJECTS: dict = VOCAB["subjects"]


def _alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so "万元" wins over "元"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# ---- figures -------------------------------------------------------------------------

NUMBER = r"[-－−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
"""A printed number: optional minus, thousands separators, decimals ("1,234.56", "6.2")."""

AREA_UNITS = frozenset(_FACTS["area_units"])
COUNT_UNITS = frozenset(_FACTS["count_units"])

# "与上年一致", "比2023年预算持平", "与上年数一致", "…总计持平。": a change of zero
# (a bare "持平" only where it ends a clause, not in "如持平作持平表述").
_FLAT = (
    r"(?:与|同|比|较)(?:上年|去年|上一年度?|\d{4}年度?)(?:同期)?(?:预算|决算)?(?:执行)?(?:数)?(?:相比)?"
    r"(?:基本)?(?:一致|持平|相同|相等|不变)|(?:持平|保持不变)(?=[，。；,;]|$)"
)
# "编制数 21": a head count printed without a unit.
_STAFF = r"(?:编制数|编制人数|核定编制|人员编制)(?:为|是|共|合计)?"

FIGURE = re.compile(
    rf"(?P<flat>{_FLAT})"
    rf"|(?P<staff>{_STAFF})(?P<staff_n>\d+)(?![\d.,]|年|万|元|%|％)"
    rf"|(?<![\d.,])(?P<num>{NUMBER})\s?"
    rf"(?:(?P<pct>[%％])"
    rf"|(?P<money>{_alternation(_FACTS['money_units'])})"
    rf"|(?P<area>{_alternation(_FACTS['area_units'])})"
    rf"|(?P<count>{_alternation(_FACTS['count_units'])})(?!月|工作日|小时|钟|之|局|院|公司|校|中心|行))"
)
"""One figure and its unit; the named group that matched says which kind."""

# A unit directly followed by these makes the figure a threshold ("50 万元以上设备").
_THRESHOLD_AFTER = re.compile(rf"(?:{_alternation(_FACTS['threshold_after'])})")
# A comparison sign (or 第) just before the figure: a target value in a 绩效 table ("＞=2 处"), an ordinal.
_COMPARATOR_BEFORE = re.compile(r"[＞<>≥≤=＝＜第]\s*$")

# ---- what the lead says ------------------------------------------------------------

_INCREASE = _FACTS["increase_verbs"]
_DECREASE = _FACTS["decrease_verbs"]
# A change verb ending the lead: "比上年预算增加" + figure.
_CHANGE_END = re.compile(
    rf"(?P<verb>{_alternation(_INCREASE + _DECREASE)})(?:了|幅度为|幅度|率为|为)?$"
)
_DECREASE_SET = frozenset(_DECREASE)
# A share: "占 12.34%", "占本年支出合计的100.00%", "占比为…", "比重…".
_SHARE = re.compile(r"占|比重|比例")
# A completion rate: "完成年初预算的98.20%", "预算执行率为…".
_COMPLETION = re.compile(r"完成|执行率|执行进度")
# The budget side of a 决算 comparison: "年初预算为", "全年预算数".
_BUDGET_END = re.compile(r"(?:年初|全年|调整后?|年度)预算(?:数)?(?:为|是)?$")
# The final-accounts side: "支出决算为", "决算数为".
_ACTUAL_END = re.compile(r"决算(?:数)?(?:为|是)?$")
# Last year's value ("2023年当年预算执行数为", "上年预算数为"): recognised, not a current figure.
_PRIOR_END = re.compile(
    r"(?:(?P<last>上年|去年|上一年度?)|(?P<year>\d{4})年度?)(?:当年|全年)?(?:预算|决算)?"
    r"(?:执行数|完成数|预算数|决算数|实际数|数)(?:为|是)?$"
)
_YEAR_NUMBER = re.compile(r"(\d{4})年")
# "与上年相比", "比上年预算", "较2023年度", "比2023年预算执行数": removed from a subject.
_COMPARE = re.compile(
    r"(?:与|同|比|较)(?:上年|去年|上一年度?|\d{4}年度?)(?:同期)?(?:预算|决算)?(?:执行数|预算数|决算数|数)?(?:相比|比较)?"
)
# Dates and years, the subject starts after the last one: "2024年度", "截至2023年12月31日", "2023年底".
_YEAR = re.compile(r"\d{4}年(?:度)?(?:\d{1,2}月(?:\d{1,2}日)?)?(?:底|末|初)?")
# Clause boundaries: the subject of a figure starts after the last one.
_BOUNDARY = re.compile(r"[，,；;：:。！？]")
# Boundaries that end a group of figures about one subject: "…；其中：…".
_HARD_BOUNDARY = re.compile(r"[；;：:]|其中")
# Explanations whose figures are not facts: "主要原因是…" up to the next "；" or "：" (a list follows).
_REASON = re.compile(rf"(?:{_alternation(_FACTS['reason_markers'])})(?:是|为)?[：:]?[^；;：:]*")
# Sentence ends.
_SENTENCE_END = re.compile(r"[。！？!?]+")
# List-item markers opening a paragraph: "一、" "（一）" "(一)" "1、" "1." "（1）".
LIST_MARKER = re.compile(
    r"^(?:第[一二三四五六七八九十百\d]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]"
    r"|\d{1,2}\s*[、.．](?!\d)|[（(]\d{1,2}[）)]|[①-⑳])\s*"
)

# ---- subjects ------------------------------------------------------------------------

GENERIC_SUBJECTS = frozenset(_SUBJECTS["generic"])
_APPEND_TO_CONTEXT = frozenset(_SUBJECTS["append_to_context"])
# Words stripped from a subject's start and end.
_LEADING = re.compile(rf"^(?:{_alternation(_SUBJECTS['leading'])})")
_TRAILING = re.compile(rf"(?:{_alternation(_SUBJECTS['trailing'])})$")
# A department name at a subject's start: the shortest run ending in an org suffix.
_ORG = re.compile(
    rf"^[^\d，。；：、（）()“”]{{2,30}}?(?:{_alternation(_SUBJECTS['org_suffixes'])})(?:（部门）|\(部门\))?"
)
# A sub-unit right after a department name: "某某区人民政府" + "某某街道办事处".
_SUB_ORG = re.compile(
    r"^[^\d，。；：、（）()“”]{1,10}?(?:街道办事处|办事处|法院|检察院|委员会|办公室|办公厅|管理局|局|中心)(?:（部门）|\(部门\))?"
)
_ORG_END = re.compile(
    rf"(?:{_alternation(_SUBJECTS['org_suffixes'])})(?:本级|机关)?(?:（部门）|\(部门\))?$"
)
_PLACE = re.compile(_alternation(_SUBJECTS["place_words"]))
_BUDGET_WORD = re.compile(_alternation(_SUBJECTS["budget_words"]))
# A noun after a measure word: "6 个" + "科室".
# (not a bracket: "车辆7辆（一般公务用车3辆…）" opens a breakdown, it does not name what is counted)
_NOUN_AFTER = re.compile(
    r"[\u4e00-\u9fff“”][\u4e00-\u9fff（）“”]{0,9}?(?=[，。；、,;和及与的每\d（(]|实行|开展|进行|组织|分别|$)"
)
# What is done to the counted things, right after them: "6个项目实行绩效目标管理" counts 实行绩效目标管理的项目.
_DONE_TO_NOUN = re.compile(r"(?:实行|开展|进行|纳入)[\u4e00-\u9fff]{2,12}?(?=[，。；,;]|$)")
_COUNT_NOUN_AFTER = frozenset(_FACTS["count_noun_after"])
# Words after a measure word that are no noun: "30个左右", "2台以上".
_NOT_A_NOUN = re.compile(r"左右|以上|以下|以内|多|余")
# Where a list item's label ends: "1、X（项）：…", "1、X（项）。主要用于…".
_LABEL_END = re.compile(r"[：:。；;，,]")
_CLOSING_BRACKET = re.compile(r"[）)]")
_QUOTES = "“”\"'‘’"
_EDGE_PUNCT = "、，,；;：:。"
_SUBJECT_MAX = 60
"""Longer subjects are cut at their last "、"."""


@dataclass(slots=True)
class _Figure:
    """One figure found in a sentence."""

    kind: str
    """"money", "pct", "area", "count", "staff" or "flat"."""
    value: Decimal
    unit: str
    start: int
    end: int


@dataclass(slots=True)
class FactContext:
    """What a paragraph's sentences share: where they stand and what they talk about."""

    section: str = ""
    class_heading: str = ""
    """The nearest heading naming a 类 ("公共安全（类）"), prefixed to subjects that start at a 款."""
    section_subject: str = ""
    """A subject of last resort, from the section heading."""
    label: str = ""
    """The paragraph's list-item label ("行政运行（项）" in "1、…行政运行（项）：2024年预算数为…")."""
    source_file: str = ""


def to_decimal(text: str) -> Decimal | None:
    """The Decimal a printed number states, exactly ("1,234.56" → 1234.56, "－5" → -5)."""
    cleaned = text.replace(",", "").replace("－", "-").replace("−", "-")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph, end punctuation included."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def find_figures(sentence: str) -> list[_Figure]:
    """The figures of a sentence in reading order, thresholds and target values left out."""
    reasons = [m.span() for m in _REASON.finditer(sentence)]
    figures: list[_Figure] = []
    for match in FIGURE.finditer(sentence):
        start, end = match.span()
        if any(a <= start < b for a, b in reasons):
            continue
        if match.group("flat"):
            figures.append(_Figure("flat", Decimal(0), "", start, end))
            continue
        if match.group("staff"):
            number = to_decimal(match.group("staff_n"))
            if number is not None:
                figures.append(_Figure("staff", number, "人", start, end))
            continue
        if _COMPARATOR_BEFORE.search(sentence[max(0, start - 3) : start]):
            continue
        number = to_decimal(match.group("num"))
        if number is None:
            continue
        if match.group("pct"):
            figures.append(_Figure("pct", number, "%", start, end))
            continue
        if _THRESHOLD_AFTER.match(sentence, end):
            continue
        for kind in ("money", "area", "count"):
            unit = match.group(kind)
            if unit:
                figures.append(_Figure(kind, number, unit, start, end))
                break
    return figures


def paragraph_label(text: str) -> str:
    """The label of a list item: "1、X（项）：…" or "1、X（项）。主要用于…" → "X（项）"."""
    marker = LIST_MARKER.match(text)
    if not marker:
        return ""
    rest = text[marker.end() :]
    cut = _LABEL_END.search(rest)
    segment = rest[: cut.start()] if cut else rest
    if not 2 <= len(segment) <= 80 or FIGURE.search(segment):
        return ""
    return clean_subject(segment)


def clean_subject(text: str) -> str:
    """A subject as printed, cleaned of years, department names, list markers and filler words."""
    text = "".join(text.split())
    years = list(_YEAR.finditer(text))
    if years:
        # "某某局2025年度收入支出总计": the name before the year goes; "编报目标的2025年度项目": only the year goes
        last = years[-1]
        before = text[: last.start()]
        if not before or _ORG_END.search(before) or _BOUNDARY.search(before[-1:]):
            text = text[last.end() :]
        else:
            text = _YEAR.sub("", text)
    text = LIST_MARKER.sub("", text, count=1)
    for _ in range(6):
        previous = text
        text = _strip_quotes(text).lstrip(_EDGE_PUNCT)
        if text[:1] in "（(" and not _CLOSING_BRACKET.search(text):
            text = text[1:]  # an opening bracket whose text was cut off
        if text.endswith(("、", "，", ",")):
            text = text[:-1]
        text = _LEADING.sub("", text)
        text = _TRAILING.sub("", text)
        text = _strip_org(text)
        if text == previous:
            break
    if len(text) > _SUBJECT_MAX and "、" in text:
        text = text.rsplit("、", 1)[1]
    return text


def _strip_quotes(text: str) -> str:
    if not text:
        return text
    if text[:1] == "“" and text[-1:] == "”" and text.count("“") == 1:
        return text[1:-1]
    if text[:1] in _QUOTES and text.count(text[0]) == 1 and text[0] not in "“‘":
        text = text[1:]
    if text[-1:] in _QUOTES and text[-1] not in "”’":
        text = text[:-1]
    return text


def _strip_org(text: str) -> str:
    """Drop a department name from a subject's start ("某某市某某区财政局政府采购预算" → "政府采购预算")."""
    match = _ORG.match(text)
    if not match or len(text) - match.end() < 2:
        return text
    org = match.group(0)
    if not _PLACE.search(org) or _BUDGET_WORD.search(org):
        return text
    text = text[match.end() :]
    sub = _SUB_ORG.match(text)
    if sub and len(text) - sub.end() >= 2 and not _BUDGET_WORD.search(sub.group(0)):
        text = text[sub.end() :]
    return text


class _SentenceReader:
    """Turns the figures of one paragraph's sentences into facts."""

    def __init__(self, context: FactContext) -> None:
        self.context = context
        self.facts: list[Fact] = []
        self.last: Fact | None = None
        """The fact the paragraph talked about last."""
        self.consumed_to = 0
        """End of the text a figure took its subject from after it ("6个" + "科室")."""
        self.prior: Decimal | None = None
        """Last year's value printed in this sentence, waiting for the figure it belongs to."""

    def read(self, sentence: str, page: int) -> None:
        """Read one sentence's figures, left to right."""
        current: Fact | None = None
        barrier = False
        used_end = self.consumed_to = 0
        self.prior = None
        years = [int(y) for y in _YEAR_NUMBER.findall(sentence)]
        for figure in find_figures(sentence):
            lead = sentence[used_end : figure.start]
            if current is not None and _HARD_BOUNDARY.search(lead):
                barrier = True
            touched = self._place(figure, sentence, lead, page, current, barrier, years)
            used_end = max(figure.end, self.consumed_to)
            if touched is None:
                continue
            if self.prior is not None and touched.previous is None:
                touched.previous = self.prior
                self.prior = None
            if touched is not current:
                barrier = False
            current = touched
        if current is not None:
            self.last = current

    # -- one figure ------------------------------------------------------------------

    def _place(
        self,
        figure: _Figure,
        sentence: str,
        lead: str,
        page: int,
        current: Fact | None,
        barrier: bool,
        years: list[int],
    ) -> Fact | None:
        """Put one figure where it belongs; the fact it touched, or None when it states nothing."""
        tail, before_colon = _tail(lead)
        if figure.kind == "pct":
            return self._percent(figure, sentence, tail, page, current)
        if figure.kind == "flat":
            if _FLAT_IS_BUDGET_VS_FINAL.search(lead + sentence[figure.start : figure.end]):
                return None
            target = self._change_target(tail, sentence, page, current, barrier, unit=None)
            target.change_amount = Decimal(0)
            if target.change_pct is None:
                target.change_pct = Decimal(0)
            return target
        change = _CHANGE_END.search(tail)
        if change:
            target = self._change_target(tail, sentence, page, current, barrier, unit=figure.unit)
            sign = -1 if change.group("verb") in _DECREASE_SET else 1
            target.change_amount = figure.value * sign
            return target
        prior = _PRIOR_END.search(tail)
        if prior and (prior.group("last") or any(y > int(prior.group("year")) for y in years)):
            # last year's printed value: kept for the figure it is compared with, not a current figure
            if figure.kind == "money":
                self.prior = figure.value
            return None
        role = "value"
        if figure.kind == "money" and "决算" in sentence:
            if _BUDGET_END.search(tail):
                role = "budget"
            elif _ACTUAL_END.search(tail):
                role = "actual"
        return self._value(figure, role, tail, before_colon, sentence, page, current, barrier)

    def _percent(
        self, figure: _Figure, sentence: str, tail: str, page: int, current: Fact | None
    ) -> Fact | None:
        """A percentage: a completion rate, a change or a share of the fact in hand."""
        if _COMPLETION.search(tail):
            target = self._attach_target(current, "completion_pct", sentence, page)
            target.completion_pct = figure.value
            return target
        change = _CHANGE_END.search(tail)
        if change:
            target = self._attach_target(current, "change_pct", sentence, page)
            sign = -1 if change.group("verb") in _DECREASE_SET else 1
            target.change_pct = figure.value * sign
            return target
        if _SHARE.search(tail):
            target = self._attach_target(current, "share", sentence, page)
            target.share = figure.value
            return target
        return None

    def _value(
        self,
        figure: _Figure,
        role: str,
        tail: str,
        before_colon: str,
        sentence: str,
        page: int,
        current: Fact | None,
        barrier: bool,
    ) -> Fact:
        """A value (or a 决算 comparison's budget/actual side): a new fact, or one more field of one."""
        raw = tail
        if role == "budget":
            raw = _BUDGET_END.sub("", raw)
        elif role == "actual":
            raw = _ACTUAL_END.sub("", raw)
        subject = self._subject(raw)
        if not subject and not raw.strip() and before_colon:
            subject = self._subject(before_colon)
        anchor = current or self.last
        if subject in _APPEND_TO_CONTEXT and anchor is not None:
            subject = anchor.subject + subject  # "房屋…，价值 X 万元" → 房屋价值
        if (not raw.strip() and figure.kind == "money" and current is not None and current.unit in COUNT_UNITS
                and current.subject):
            subject = current.subject  # "无形资产471项234.37万元": the amount of the things just counted
        if figure.kind == "count" and figure.unit in _COUNT_NOUN_AFTER:
            # "下设6个科室": a noun right after the measure word is what is counted
            after = _NOUN_AFTER.match(sentence, figure.end)
            noun = clean_subject(after.group(0)) if after else ""
            if noun and not _is_generic(noun) and not _NOT_A_NOUN.match(noun):
                subject = noun
                self.consumed_to = after.end()
                done = _DONE_TO_NOUN.match(sentence, after.end())
                if done:
                    subject = f"{done.group(0)}的{noun}"
                    self.consumed_to = done.end()
        generic = _is_generic(subject)
        if figure.kind == "staff":
            subject, generic = "编制数", False
        if generic and current is not None and not barrier:
            if role == "actual" and current.budget is not None and current.amount is None:
                current.amount = figure.value
                return current
            if role == "budget" and current.budget is None and current.amount is not None:
                current.budget = figure.value
                return current
        if generic:
            subject = self._context_subject() or subject
            last = self.last
            if (
                last is not None
                and last.subject == subject
                and last.unit == figure.unit
                and last.amount == figure.value
                and role == "value"
            ):
                # the same figure restated ("…12.30万元。…预算安排12.30万元")
                _add_sentence(last, sentence)
                return last
        fact = self._new(subject, sentence, page, figure.unit)
        if role == "budget":
            fact.budget = figure.value
        else:
            fact.amount = figure.value
        return fact

    # -- targets -----------------------------------------------------------------------

    def _change_target(
        self,
        tail: str,
        sentence: str,
        page: int,
        current: Fact | None,
        barrier: bool,
        unit: str | None,
    ) -> Fact:
        """The fact a change belongs to: its own subject if it names one, else the current one."""
        raw = _CHANGE_END.sub("", tail)
        raw = _FLAT_RE.sub("", raw)
        raw = _ACTUAL_END.sub("", _COMPARE.sub("", raw))
        subject = self._subject(raw)
        if _is_generic(subject):
            if current is not None and current.change_amount is None:
                return current
            if current is None and self.last is not None and self.last.change_amount is None:
                _add_sentence(self.last, sentence)
                return self.last
            return self._new(self._context_subject() or subject, sentence, page, unit or "万元")
        if current is not None and current.change_amount is None and not barrier:
            return current
        last = self.last
        if (
            current is None
            and last is not None
            and last.change_amount is None
            and _same_subject(subject, last.subject)
        ):
            _add_sentence(last, sentence)
            return last
        return self._new(subject, sentence, page, unit or "万元")

    def _attach_target(self, current: Fact | None, field: str, sentence: str, page: int) -> Fact:
        """The fact a share/percentage belongs to: the current one, or the paragraph's last."""
        if current is not None and getattr(current, field) is None:
            return current
        if current is None and self.last is not None and getattr(self.last, field) is None:
            _add_sentence(self.last, sentence)
            return self.last
        return self._new(self._context_subject(), sentence, page, "万元")

    # -- helpers ---------------------------------------------------------------------------

    def _subject(self, raw: str) -> str:
        subject = clean_subject(_COMPARE.sub("", raw))
        return self._with_class(subject)

    def _with_class(self, subject: str) -> str:
        heading = self.context.class_heading
        if (
            heading
            and "（款）" in subject
            and "（类）" not in subject
            and not subject.startswith(heading)
        ):
            return heading + subject
        return subject

    def _context_subject(self) -> str:
        if self.context.label:
            return self._with_class(self.context.label)
        if self.last is not None:
            return self.last.subject
        return self.context.section_subject

    def _new(self, subject: str, sentence: str, page: int, unit: str) -> Fact:
        fact = Fact(
            kind="amount",
            subject=subject,
            sentence=sentence.strip(),
            page=page,
            section=self.context.section,
            unit=unit,
            source_file=self.context.source_file,
        )
        self.facts.append(fact)
        return fact


# A bare "持平" between a 决算 and its budget ("决算数与预算数基本持平") is no change against last year.
_FLAT_IS_BUDGET_VS_FINAL = re.compile(
    r"决算数?与(?:年初|全年)?预算数?(?:基本)?(?:一致|持平|相同|相等)$"
)
_FLAT_RE = re.compile(_FLAT + r"$")


def _tail(lead: str) -> tuple[str, str]:
    """The lead after its last clause boundary, and the segment before it when that boundary is a colon."""
    lead = "".join(lead.split())
    cuts = list(_BOUNDARY.finditer(lead))
    if not cuts:
        return lead, ""
    last = cuts[-1]
    tail = lead[last.end() :]
    before = ""
    if last.group(0) in "：:" and not tail:
        start = cuts[-2].end() if len(cuts) > 1 else 0
        before = lead[start : last.start()]
    return tail, before


def _is_generic(subject: str) -> bool:
    return len(subject) < 2 or subject in GENERIC_SUBJECTS


def _same_subject(a: str, b: str) -> bool:
    return bool(a and b) and (a == b or a in b or b in a)


def _add_sentence(fact: Fact, sentence: str) -> None:
    sentence = sentence.strip()
    if sentence and sentence not in fact.sentence:
        fact.sentence = f"{fact.sentence}{sentence}"


def _finish(fact: Fact) -> Fact:
    """Give a fact its kind from what it holds."""
    if fact.unit in AREA_UNITS:
        fact.kind = "area"
    elif fact.unit in COUNT_UNITS or fact.unit == "人":
        fact.kind = "count"
    elif fact.budget is not None or fact.completion_pct is not None:
        fact.kind = "completion"
    elif fact.amount is not None:
        fact.kind = "amount"
    elif fact.change_amount is not None or fact.change_pct is not None:
        fact.kind = "change"
    elif fact.share is not None:
        fact.kind = "share"
    return fact


def paragraph_facts(
    text: str,
    page_at: Callable[[int], int],
    context: FactContext,
) -> list[Fact]:
    """Facts of one paragraph; ``page_at(offset)`` gives the page a character of ``text`` is on."""
    if not context.label:
        context = replace(context, label=paragraph_label(text))
    reader = _SentenceReader(context)
    for start, end in sentence_spans(text):
        reader.read(text[start:end], page_at(start))
    return [_finish(f) for f in reader.facts]


def sentence_facts(sentence: str, page: int = 1, context: FactContext | None = None) -> list[Fact]:
    """Facts of a single sentence (a convenience for tests and tools)."""
    return paragraph_facts(sentence, lambda _offset: page, context or FactContext())
