"""Recognise a table's column header from the loose header lines of a text dump.

The header words arrive without positions, wrapped cells split over lines. The
layouts in ``budgetqa/vocab/headers.toml`` describe the known column trees; a
layout fits when every one of its nodes is found in the header text (whitespace
removed, brackets and quotes normalised), each occurrence used once, longest
phrases first. Words of the row-label columns (科目编码, 项目 …) are set aside,
and what no node explains may become a free caption over all value columns.
When no layout fits, columns get the header's own words or generic names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from budgetqa.vocab import load

_BRACKETS = str.maketrans({"（": "(", "）": ")", "［": "[", "］": "]", "【": "[", "】": "]"})
_SKIPPED = set("“”\"'‘’")
GENERIC_NAME = "列{}"
GENERIC_PREFIX = "列"


@dataclass(frozen=True, slots=True)
class HeaderSettings:
    """Named limits for header matching."""

    max_leftover: int = 6
    """A layout without a free caption may leave at most this many header characters unexplained."""
    max_group_chars: int = 24
    """A free caption longer than this is not a caption."""
    max_blank_columns: int = 2
    """Without column numbers, an unknown header may name this many more columns than any row fills."""


DEFAULT_HEADERS = HeaderSettings()


@dataclass(frozen=True, slots=True)
class Layout:
    """A known column tree: per side, the node specs of each value column."""

    name: str
    kinds: tuple[str, ...]
    sides: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]
    captions: tuple[tuple[str, str], ...] = ()
    free_group: bool = False
    likely: tuple[str, ...] = ()

    @property
    def two_sided(self) -> bool:
        return len(self.sides) > 1


@dataclass(slots=True)
class Header:
    """The value columns of a table, per side, as header paths (top level first)."""

    sides: list[tuple[str, list[tuple[str, ...]]]]
    layout: Layout | None = None
    leftover: str = ""
    generic: bool = False
    """True when no layout fitted and the names are the reader's own."""
    likely: tuple[str, ...] = field(default_factory=tuple)


@dataclass(slots=True)
class _Text:
    """Header text as characters with their token numbers, and which characters are used."""

    norm: str
    orig: str
    token: list[int]
    used: list[bool]

    @classmethod
    def of(cls, lines: list[str]) -> _Text:
        norm, orig, token = [], [], []
        number = 0
        for line in lines:
            for word in line.split():
                for ch in word:
                    if ch in _SKIPPED:
                        continue
                    norm.append(ch.translate(_BRACKETS))
                    orig.append(ch)
                    token.append(number)
                number += 1
        return cls("".join(norm), "".join(orig), token, [False] * len(norm))

    def starts_token(self, i: int) -> bool:
        return i == 0 or self.token[i] != self.token[i - 1] or self.used[i - 1]

    def ends_token(self, j: int) -> bool:
        """Is position j (exclusive end) at a token end?"""
        return j == len(self.norm) or self.token[j] != self.token[j - 1] or self.used[j]

    def free(self, i: int, j: int) -> bool:
        return not any(self.used[i:j])

    def find(self, phrase: str, aligned: bool) -> int | None:
        start = self.norm.find(phrase)
        while start >= 0:
            end = start + len(phrase)
            if self.free(start, end) and (not aligned or (self.starts_token(start) and self.ends_token(end))):
                return start
            start = self.norm.find(phrase, start + 1)
        return None

    def take(self, phrase: str) -> str | None:
        """Use one occurrence of the phrase (whole words first, then anywhere, then split in two words)."""
        for aligned in (True, False):
            start = self.find(phrase, aligned)
            if start is not None:
                return self._use([(start, start + len(phrase))])
        for cut in range(1, len(phrase)):
            head = self.find(phrase[:cut], aligned=True)
            if head is None:
                continue
            tail = self.find(phrase[cut:], aligned=True)
            if tail is not None and tail > head:
                return self._use([(head, head + cut), (tail, tail + len(phrase) - cut)])
        return None

    def _use(self, spans: list[tuple[int, int]]) -> str:
        for i, j in spans:
            for k in range(i, j):
                self.used[k] = True
        return "".join(self.orig[i:j] for i, j in spans)

    def chunks(self) -> list[tuple[int, int]]:
        """Runs of unused characters."""
        runs, start = [], None
        for k, used in enumerate(self.used + [True]):
            if not used and start is None:
                start = k
            elif used and start is not None:
                runs.append((start, k))
                start = None
        return runs


def _norm(text: str) -> str:
    return "".join(ch for ch in text if ch not in _SKIPPED and not ch.isspace()).translate(_BRACKETS)


def _alternatives(spec: str) -> list[str]:
    return [_norm(a) for a in spec.split("|") if a.strip()]


@lru_cache
def vocabulary() -> dict:
    """The parsed headers.toml."""
    return load("headers")


@lru_cache
def layouts() -> tuple[Layout, ...]:
    """Every known layout, in file order."""
    out = []
    for entry in vocabulary().get("layout", []):
        if "sides" in entry:
            sides = tuple((name, tuple(tuple(p) for p in paths)) for name, paths in entry["sides"].items())
        else:
            sides = (("", tuple(tuple(p) for p in entry["columns"])),)
        out.append(
            Layout(
                name=entry["name"],
                kinds=tuple(entry.get("kinds", [])),
                sides=sides,
                captions=tuple(entry.get("captions", {}).items()),
                free_group=entry.get("group") == "free",
                likely=tuple(entry.get("likely", [])),
            )
        )
    return tuple(out)


def total_words() -> tuple[str, ...]:
    return tuple(vocabulary()["total_words"])


def is_total_name(name: str) -> bool:
    """Does a column name denote the total of its group (合计, 小计, …小计)?"""
    return _norm(name).endswith(total_words())


def canonical(spec_or_name: str) -> str:
    """The first alternative of a node spec, normalised."""
    return _alternatives(spec_or_name)[0]


@dataclass(slots=True)
class _Fit:
    layout: Layout
    sides: list[tuple[str, list[tuple[str, ...]]]]
    used: int
    leftover: list[str]


def _fit(layout: Layout, lines: list[str], settings: HeaderSettings) -> _Fit | None:
    """Match one layout against the header lines; None when a node is missing."""
    text = _Text.of(lines)
    nodes: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for side, paths in layout.sides:
        for path in paths:
            for depth in range(len(path)):
                nodes.setdefault((side, path[: depth + 1]), _alternatives(path[depth]))
    jobs = [(("caption", (spec,)), _alternatives(spec)) for _, spec in layout.captions]
    jobs += list(nodes.items())
    order = sorted(range(len(jobs)), key=lambda k: -max(len(a) for a in jobs[k][1]))
    printed: dict[tuple[str, tuple[str, ...]], str] = {}
    for k in order:
        key, alternatives = jobs[k]
        found = next((p for p in (text.take(a) for a in sorted(alternatives, key=len, reverse=True)) if p), None)
        if found is None:
            return None
        printed[key] = found
    leftover = _strip_labels(text)
    sides = [
        (side, [tuple(printed[(side, path[: d + 1])] for d in range(len(path))) for path in paths])
        for side, paths in layout.sides
    ]
    return _Fit(layout, sides, sum(text.used), leftover)


def _strip_labels(text: _Text) -> list[str]:
    """Unused header text with row-label words removed at word boundaries."""
    labels = sorted((_norm(p) for p in vocabulary()["label_phrases"]), key=len, reverse=True)
    out = []
    for start, end in text.chunks():
        changed = True
        while changed and start < end:
            changed = False
            for label in labels:
                n = len(label)
                if text.norm.startswith(label, start) and start + n <= end and text.ends_token(start + n):
                    start, changed = start + n, True
                    break
                if text.norm[end - n : end] == label and end - n >= start and text.starts_token(end - n):
                    end, changed = end - n, True
                    break
        if start < end:
            out.append(text.orig[start:end])
    return out


def _rank(fit: _Fit, kind: str, count: int | None, settings: HeaderSettings) -> tuple[int, int, int] | None:
    """Sort key of a fitting layout, or None when it cannot be the table's layout."""
    leftover = sum(len(x) for x in fit.leftover)
    if count is not None and not fit.layout.two_sided and len(fit.sides[0][1]) != count:
        return None
    if not fit.layout.free_group and leftover > settings.max_leftover:
        return None
    if fit.layout.free_group and leftover > settings.max_leftover and (
        leftover > settings.max_group_chars or len(fit.leftover) > 1
    ):
        return None
    return (int(kind in fit.layout.kinds), fit.used, -leftover)


def read_header(
    lines: list[str], kind: str, count: int | None, settings: HeaderSettings = DEFAULT_HEADERS
) -> Header | None:
    """The best-fitting known layout for these header lines, or None."""
    best, best_rank = None, None
    for layout in layouts():
        fit = _fit(layout, lines, settings)
        rank = _rank(fit, kind, count, settings) if fit else None
        if rank is not None and (best_rank is None or rank > best_rank):
            best, best_rank = fit, rank
    if best is None:
        return None
    sides = best.sides
    leftover = "".join(best.leftover)
    if best.layout.free_group and len(best.leftover) == 1:
        sides = [(side, [(leftover, *path) for path in paths]) for side, paths in sides]
        leftover = ""
    return Header(sides=sides, layout=best.layout, leftover=leftover, likely=best.layout.likely)


@lru_cache
def known_phrases() -> tuple[str, ...]:
    """Every column phrase of every layout, longest first."""
    phrases = {
        alt
        for layout in layouts()
        for _, paths in layout.sides
        for path in paths
        for spec in path
        for alt in _alternatives(spec)
    }
    return tuple(sorted(phrases | set(total_words()), key=len, reverse=True))


def generic_header(lines: list[str], count: int, side: str = "") -> Header:
    """Columns named by the header's own words (known phrases first) when they number exactly ``count``.

    Otherwise 列1…列N. A flat header whose first name is 合计/总计 then also gives the
    sum 合计 = the other columns (checked against the rows by the solver).
    """
    text = _Text.of(lines)
    found: list[tuple[int, str]] = []
    for phrase in known_phrases():
        while (start := text.find(phrase, aligned=True)) is not None:
            found.append((start, text.take(phrase) or phrase))
    labels = {_norm(p) for p in vocabulary()["label_phrases"]}
    for word in _strip_labels(text):
        start = text.orig.find(word)
        found.extend((start, w) for w in _split_words(word, text) if _norm(w) not in labels)
    names = [w for _, w in sorted(found)]
    if len(names) != count:
        names = [GENERIC_NAME.format(i + 1) for i in range(count)]
    return Header(sides=[(side, [(n,) for n in names])], generic=True)


def _split_words(chunk: str, text: _Text) -> list[str]:
    """A leftover chunk cut at the dump's word boundaries."""
    start = text.orig.find(chunk)
    if start < 0:
        return [chunk]
    pieces, begin = [], start
    for k in range(start + 1, start + len(chunk)):
        if text.token[k] != text.token[k - 1]:
            pieces.append(text.orig[begin:k])
            begin = k
    pieces.append(text.orig[begin : start + len(chunk)])
    return pieces
