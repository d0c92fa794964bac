"""Evidence from the rest of a document for placements the arithmetic leaves open, and the final choice.

A disclosure prints most figures more than once. When a value of an open row
could sit in several columns, the column whose name matches a figure printed
elsewhere with that same value wins:

* same row, named column: the row (same code, or same name) shows that value in
  another table whose title or column names the column (表5 一般公共预算支出 row
  201 = 360.56 places 表4's 360.56 in its 一般公共预算 column);
* named total: on the 总计 row, a line or narrative sentence naming the column
  concept prints the value (财政拨款结转 1,662.80 万元);
* named column elsewhere: another table prints the value under a column with
  the same name.

What evidence cannot settle is chosen by the layout's ``likely`` columns (then
leftmost) and flagged ambiguous.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from budgetqa.ingest.text_columns import SideSolver
from budgetqa.ingest.text_headers import canonical, is_total_name, vocabulary
from budgetqa.ingest.text_rows import ParsedRow
from budgetqa.numbers import parse_number, to_wan

_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+、|\d{1,2}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|其中[:：]?|包括[:：]?)")
_MENTION = re.compile(r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>亿元|千元|万元|元)")
_LABEL_CUT = re.compile(r"[，。；：:、！？,;]")
TOTAL_KEY = "<总计>"


@dataclass(frozen=True, slots=True)
class EvidenceSettings:
    """Weights of each kind of evidence, and how far back a narrative label is read."""

    same_row: int = 3
    named_total: int = 2
    named_column: int = 1
    confident: int = 2
    """Evidence scoring at least this settles a value; weaker evidence only picks the best guess (flagged)."""
    label_chars: int = 24
    """How many characters before a narrative amount may name it."""


DEFAULT_EVIDENCE = EvidenceSettings()


def _clean(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and ch not in "“”\"'‘’")


def plain(text: str) -> str:
    """Text without spaces, quotes and bracketed remarks: 财政专户（教育收费） → 财政专户."""
    return _BRACKETED.sub("", _clean(text))


def concept(text: str) -> str:
    """A label reduced for comparison: item numbers, 其中, remarks and endings (拨款, 收入, 资金…) removed."""
    out = plain(text)
    while True:
        stripped = _PREFIX.sub("", out)
        if stripped == out:
            break
        out = stripped
    suffixes = vocabulary()["label_suffixes"]
    changed = True
    while changed:
        changed = False
        for suffix in suffixes:
            if out.endswith(suffix) and len(out) > len(suffix) + 1:
                out, changed = out[: -len(suffix)], True
    return out


def column_word(path: tuple[str, ...]) -> str | None:
    """The most specific non-total word of a column path (财政拨款（补助）/小计 → 财政拨款（补助）)."""
    for word in reversed(path):
        if not is_total_name(word):
            return word
    return None


@dataclass(slots=True)
class SideProblem:
    """One side of one table, with what evidence needs to know about it."""

    table: int
    title: str
    side: str
    unit: str
    paths: list[tuple[str, ...]]
    rows: list[ParsedRow]
    solver: SideSolver
    likely: tuple[str, ...] = ()
    keys: list[tuple[str | None, str]] = field(default_factory=list)
    """Per row: (code, name concept), or the grand-total key."""

    def __post_init__(self) -> None:
        total = self.solver.total
        self.keys = [(None, TOTAL_KEY) if i == total else (r.code, concept(r.name)) for i, r in enumerate(self.rows)]

    def value(self, row: int, token: int) -> Decimal:
        number = parse_number(self.rows[row].tokens[token]) or Decimal(0)
        return to_wan(number, self.unit)


@dataclass(frozen=True, slots=True)
class Figure:
    """A value the document prints at a known place."""

    source: tuple[int, str]
    key: tuple[str | None, str]
    context: str
    path: str
    label: str


@dataclass(slots=True)
class FigureIndex:
    """Figures by value: table cells whose column is settled, and narrative mentions."""

    by_value: dict[Decimal, list[Figure]]

    @classmethod
    def build(cls, problems: list[SideProblem], mentions: list[tuple[str, Decimal]]) -> FigureIndex:
        by_value: dict[Decimal, list[Figure]] = defaultdict(list)
        for prob in problems:
            for i, row in enumerate(prob.rows):
                slot = prob.solver.slots[i]
                for j in range(len(row.tokens)):
                    col = slot.determined(j)
                    if col is None:
                        continue
                    path = "".join(plain(w) for w in prob.paths[col])
                    label = concept(row.name) if col == 0 else ""
                    fig = Figure((prob.table, prob.side), prob.keys[i], plain(prob.title) + path, path, label)
                    by_value[prob.value(i, j)].append(fig)
        for label, value in mentions:
            by_value[value].append(Figure((-1, ""), (None, ""), "", "", label))
        return cls(by_value)


def narrative_mentions(lines: list[str], settings: EvidenceSettings = DEFAULT_EVIDENCE) -> list[tuple[str, Decimal]]:
    """(label concept, value in 万元) for every "X 1,234.56 万元" in the narrative.

    The label is read back to the last punctuation both across line wraps and
    within the amount's own line (a heading above must not glue onto it).
    """
    text = "\n".join(lines)
    out = []
    for match in _MENTION.finditer(text):
        number = parse_number(match.group("num"))
        before = text[max(0, match.start() - settings.label_chars) : match.start()]
        if number is None:
            continue
        value = to_wan(number, match.group("unit"))
        across_wraps = _LABEL_CUT.split(before.replace("\n", ""))[-1]
        own_line = _LABEL_CUT.split(before)[-1].split("\n")[-1]
        labels = {concept(across_wraps), concept(own_line)}
        out.extend((label, value) for label in labels if label)
    return out


def same_row(a: tuple[str | None, str], b: tuple[str | None, str]) -> bool:
    """Same code when both rows are coded, else the same name."""
    if a[0] and b[0]:
        return a[0] == b[0]
    return bool(a[1]) and a[1] == b[1]


def score(
    prob: SideProblem, row: int, token: int, col: int, index: FigureIndex, settings: EvidenceSettings
) -> int:
    """How strongly the rest of the document supports value ``token`` of ``row`` being in column ``col``."""
    value = prob.value(row, token)
    word = column_word(prob.paths[col])
    if not value or not word:
        return 0
    name, idea = plain(word), concept(word)
    own = (prob.table, prob.side)
    key = prob.keys[row]
    total = 0
    seen: set[tuple[str, tuple[int, str]]] = set()
    for fig in index.by_value.get(value, []):
        if fig.source == own:
            continue
        if fig.context and same_row(fig.key, key) and name in fig.context and ("row", fig.source) not in seen:
            seen.add(("row", fig.source))
            total += settings.same_row
        if key[1] == TOTAL_KEY and fig.label and fig.label == idea:
            total += settings.named_total
        if fig.path and name in fig.path and fig.source[0] != prob.table and ("col", fig.source) not in seen:
            seen.add(("col", fig.source))
            total += settings.named_column
    return total


def _best_decision(
    prob: SideProblem, index: FigureIndex, settings: EvidenceSettings, floor: int
) -> tuple[int, int, int, int] | None:
    """(margin, row, token, column) of the best-supported open value of a side, or None."""
    best = None
    for i in prob.solver.unresolved():
        slot = prob.solver.slots[i]
        for j in range(len(slot.values)):
            cols = sorted(slot.candidates(j))
            if len(cols) < 2:
                continue
            scores = sorted(((score(prob, i, j, c, index, settings), c) for c in cols), reverse=True)
            margin = scores[0][0] - scores[1][0]
            if scores[0][0] >= floor and margin > 0 and (best is None or margin > best[0]):
                best = (margin, i, j, scores[0][1])
    return best


def _prior(prob: SideProblem, col: int) -> int:
    leaf = canonical(prob.paths[col][-1])
    likely = [canonical(x) for x in prob.likely]
    return len(likely) - likely.index(leaf) if leaf in likely else 0


def _guess(prob: SideProblem) -> None:
    """Settle every open row of a side by the layout's priors (total row first, leftmost on ties)."""
    solver = prob.solver
    while True:
        open_rows = solver.unresolved()
        if not open_rows:
            return
        row = solver.total if solver.total in open_rows else open_rows[0]
        slot = solver.slots[row]
        best = max(slot.domain, key=lambda p: (sum(_prior(prob, c) for c in p), [-c for c in p]))
        solver.fix(row, best)


def _use_evidence(
    problems: list[SideProblem], mentions: list[tuple[str, Decimal]], settings: EvidenceSettings, floor: int
) -> None:
    """Settle open values by evidence scoring at least ``floor``, best margin first, until none is left."""
    while True:
        index = FigureIndex.build(problems, mentions)
        decided = False
        for prob in problems:
            decision = _best_decision(prob, index, settings, floor)
            if decision:
                _, row, token, col = decision
                prob.solver.restrict(row, token, col)
                decided = True
        if not decided:
            return


def solve(
    problems: list[SideProblem], mentions: list[tuple[str, Decimal]], settings: EvidenceSettings = DEFAULT_EVIDENCE
) -> None:
    """Settle every row of every side: arithmetic, confident evidence, then weak evidence and priors (flagged)."""
    for prob in problems:
        prob.solver.propagate()
    _use_evidence(problems, mentions, settings, settings.confident)
    for prob in problems:
        prob.solver.take_snapshot()
    _use_evidence(problems, mentions, settings, 1)
    for prob in problems:
        _guess(prob)
