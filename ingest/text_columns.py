"""Which column each printed value of a text-dump row belongs to, from the table's arithmetic.

A dump drops empty cells, so a row printing k of a table's N values does not say
which k columns they fill. Each row gets a domain of order-preserving
placements (value j → column p[j], p increasing), filtered by the header's sums
(a 合计/小计 column = the sum of its group). Domains then shrink together under
the row hierarchy — a parent row (类, 款, a unit row, the 总计 row) equals the
sum of its children in every column — and under the rule that a column blank
in the 总计 row is blank in every row, until nothing changes. Evidence from the
rest of the document and, last, the layout's priors pick among what remains
(see text_evidence); values whose column the arithmetic alone could not fix are
flagged ambiguous.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from math import comb

from budgetqa.ingest.codes import parent_of
from budgetqa.ingest.text_headers import is_total_name
from budgetqa.ingest.text_rows import ParsedRow
from budgetqa.numbers import parse_number

_TOP_ITEM = re.compile(r"^[一二三四五六七八九十]+、")
"""Top-level items of an uncoded list (一、本年收入); other uncoded rows under them are sub-items."""
Placement = tuple[int, ...]
Relation = tuple[int, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class ColumnSettings:
    """Named limits of the placement search."""

    max_placements: int = 50_000
    """A row with more candidate placements than this is left-aligned and flagged ambiguous."""
    sum_tolerance: Decimal = Decimal("0.01")
    """Rounding difference accepted in a sum when no placement makes it exact."""
    max_sumset: int = 4096
    """Largest set of partial column sums tracked per group; beyond it the column is not used."""
    max_decimals: int = 4


DEFAULT_COLUMNS = ColumnSettings()


def column_relations(paths: list[tuple[str, ...]]) -> list[Relation]:
    """(total column, part columns) for every header group with a 合计/小计/总计 column."""
    index = {path: k for k, path in enumerate(paths)}
    children: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for path in paths:
        for depth in range(len(path)):
            node, parent = path[: depth + 1], path[:depth]
            if node not in children[parent]:
                children[parent].append(node)

    def contribution(node: tuple[str, ...]) -> list[int]:
        if node in index:
            return [index[node]]
        kids = children[node]
        totals = [k for k in kids if k in index and is_total_name(k[-1])]
        if len(totals) == 1:
            return [index[totals[0]]]
        return [c for kid in kids for c in contribution(kid)]

    relations = []
    for kids in children.values():
        totals = [k for k in kids if k in index and is_total_name(k[-1])]
        if len(totals) != 1 or len(kids) < 2:
            continue
        parts = tuple(c for kid in kids if kid != totals[0] for c in contribution(kid))
        relations.append((index[totals[0]], parts))
    return relations


@dataclass(slots=True)
class Slot:
    """One row's placement problem: its values (scaled to integers) and the placements still possible."""

    printed: list[str]
    values: list[int]
    domain: list[Placement]
    vectors: dict[Placement, tuple[int, ...]]
    snapshot: list[Placement] = field(default_factory=list)
    capped: bool = False
    """True when the row had too many placements to enumerate (left-aligned, flagged)."""

    def candidates(self, j: int, domain: list[Placement] | None = None) -> set[int]:
        """Columns value j may still be in."""
        return {p[j] for p in (self.domain if domain is None else domain)}

    def determined(self, j: int) -> int | None:
        cols = self.candidates(j)
        return next(iter(cols)) if len(cols) == 1 and not self.capped else None

    @property
    def resolved(self) -> bool:
        return len(self.domain) <= 1

    def nonzero(self, p: Placement) -> frozenset[int]:
        return frozenset(c for c, v in zip(p, self.values, strict=True) if v)


def _scale(rows: list[ParsedRow], settings: ColumnSettings) -> int:
    decimals = 0
    for row in rows:
        for token in row.tokens:
            if "." in token:
                decimals = max(decimals, len(token.rsplit(".", 1)[1].rstrip(")）")))
    return 10 ** min(decimals, settings.max_decimals)


def _as_int(token: str, scale: int) -> int:
    value = parse_number(token)
    return 0 if value is None else int(value * scale)


def _vector(p: Placement, values: list[int], count: int) -> tuple[int, ...]:
    vec = [0] * count
    for c, v in zip(p, values, strict=True):
        vec[c] = v
    return tuple(vec)


def _fits(vec: tuple[int, ...], relations: list[Relation], tol: int) -> bool:
    return all(abs(vec[t] - sum(vec[c] for c in parts)) <= tol for t, parts in relations)


def row_slot(tokens: list[str], count: int, relations: list[Relation], scale: int, settings: ColumnSettings) -> Slot:
    """A row's placements that satisfy the header sums (exact ones when any exist)."""
    values = [_as_int(t, scale) for t in tokens]
    k = len(values)
    if comb(count, k) > settings.max_placements:
        p = tuple(range(k))
        return Slot(list(tokens), values, [p], {p: _vector(p, values, count)}, [p], capped=True)
    tol = int(settings.sum_tolerance * scale)
    allp = {p: _vector(p, values, count) for p in combinations(range(count), k)}
    exact = [p for p, v in allp.items() if _fits(v, relations, 0)]
    near = exact or [p for p, v in allp.items() if _fits(v, relations, tol)]
    domain = near or list(allp)
    return Slot(list(tokens), values, domain, {p: allp[p] for p in domain})


@dataclass(slots=True)
class Group:
    """A parent row that equals the sum of its child rows in every column."""

    parent: int
    children: list[int]
    broken: bool = False
    """Set when the rows cannot satisfy the sum (a wrong hierarchy guess or a real mistake)."""


def _normal(name: str) -> str:
    return "".join(name.split())


def is_grand_total(row: ParsedRow, total_names: set[str]) -> bool:
    return row.code is None and _normal(row.name) in total_names


def row_groups(
    rows: list[ParsedRow], total_names: set[str], department: str | None
) -> tuple[int | None, list[Group]]:
    """The grand-total row and the parent/children groups of a side.

    Coded rows hang under the nearest earlier row with their parent code; top-level
    coded rows under the current section row (a unit's own row) or the total;
    uncoded rows (other than 其中 items) under the section or the total.
    """
    totals = [i for i, r in enumerate(rows) if is_grand_total(r, total_names)]
    total = totals[0] if totals else None
    coded = any(r.code for r in rows)
    numbered = any(_TOP_ITEM.match(r.name) for r in rows if not r.code)
    sub_items = _sub_items(rows)
    kids: dict[int, list[int]] = defaultdict(list)
    section: int | None = None
    last_by_code: dict[str, int] = {}
    for i, row in enumerate(rows):
        if i == total:
            continue
        if row.code:
            parent = last_by_code.get(parent_of(row.code) or "")
            if parent is None:
                parent = section if section is not None else total
            last_by_code[row.code] = i
        elif i in sub_items:
            parent = sub_items[i]
        elif row.name.startswith("其中") or (numbered and not _TOP_ITEM.match(row.name)):
            continue
        elif _is_section(rows, i, coded, department):
            section, last_by_code = i, {}
            parent = total
        else:
            parent = section if section is not None else total
        if parent is not None:
            kids[parent].append(i)
    return total, [Group(p, c) for p, c in kids.items()]


def _first_value(row: ParsedRow) -> Decimal:
    return (parse_number(row.tokens[0]) or Decimal(0)) if row.tokens else Decimal(0)


def _sub_items(rows: list[ParsedRow]) -> dict[int, int]:
    """Uncoded "其中：" runs: row → the row above it they break down.

    A run starts at a 其中 row and takes the rows after it while their first values
    add up to no more than the parent's (公务用车购置及运行费 → 其中：购置费, 运行费).
    """
    out: dict[int, int] = {}
    for i, row in enumerate(rows):
        if row.code or not row.name.startswith("其中") or i == 0 or rows[i - 1].name.startswith("其中"):
            continue
        parent, limit, total = i - 1, _first_value(rows[i - 1]), Decimal(0)
        for k in range(i, len(rows)):
            nxt = rows[k]
            total += _first_value(nxt)
            if nxt.code or (k > i and nxt.name.startswith("其中")) or total > limit:
                break
            out[k] = parent
            if total == limit and k > i:
                break
    return out


def _is_section(rows: list[ParsedRow], i: int, coded: bool, department: str | None) -> bool:
    """An uncoded row heading the rows of one unit (its name is a unit's, or coded rows follow it)."""
    row = rows[i]
    if not row.tokens:
        return False
    if department and _normal(row.name) == _normal(department):
        return True
    return coded and i + 1 < len(rows) and rows[i + 1].code is not None


def _sumsets(sets: list[set[int]], cap: int) -> list[set[int]] | None:
    out = [{0}]
    for values in sets:
        nxt = {a + b for a in out[-1] for b in values}
        if len(nxt) > cap:
            return None
        out.append(nxt)
    return out


def _near(x: int, values: set[int], tol: int) -> bool:
    return any(x + d in values for d in range(-tol, tol + 1))


def _exact(
    parent: set[int], children: list[set[int]], forward: list[set[int]], backward: list[set[int]], tol: int
) -> list[set[int]]:
    """Values of the parent, then of each child, that some choice of the others makes add up (one column)."""
    parent_ok = {t for t in parent if _near(t, forward[-1], tol)}
    out = [parent_ok]
    for k, values in enumerate(children):
        out.append(
            {x for x in values if any(_near(t - x - f, backward[k + 1], tol) for t in parent_ok for f in forward[k])}
        )
    return out


def _bounded(parent: set[int], children: list[set[int]], tol: int) -> list[set[int]]:
    """Like :func:`_exact` with each child's sum known only as an interval (too many combinations)."""
    lows, highs = [min(v) for v in children], [max(v) for v in children]
    low, high = sum(lows), sum(highs)
    parent_ok = {t for t in parent if low - tol <= t <= high + tol}
    out = [parent_ok]
    for k, values in enumerate(children):
        rest_low, rest_high = low - lows[k], high - highs[k]
        out.append({x for x in values if any(rest_low - tol <= t - x <= rest_high + tol for t in parent_ok)})
    return out


class SideSolver:
    """Placement domains of every row of one table side, shrunk by the side's arithmetic."""

    def __init__(
        self,
        paths: list[tuple[str, ...]],
        rows: list[ParsedRow],
        total: int | None,
        groups: list[Group],
        settings: ColumnSettings = DEFAULT_COLUMNS,
    ) -> None:
        self.count = len(paths)
        self.settings = settings
        self.scale = _scale(rows, settings)
        self.relations = self._checked(column_relations(paths), rows)
        self.total = total
        self.groups = groups
        self.slots = [row_slot(r.tokens, self.count, self.relations, self.scale, settings) for r in rows]
        self.nonnegative = all(v >= 0 for s in self.slots for v in s.values)

    def _checked(self, relations: list[Relation], rows: list[ParsedRow]) -> list[Relation]:
        """The header sums that every fully printed row obeys (a sum a full row breaks is not this table's)."""
        tol = int(self.settings.sum_tolerance * self.scale)
        full = [
            _vector(tuple(range(self.count)), [_as_int(t, self.scale) for t in r.tokens], self.count)
            for r in rows
            if len(r.tokens) == self.count
        ]
        return [rel for rel in relations if all(_fits(vec, [rel], tol) for vec in full)]

    # ------------------------------------------------------------ propagation

    def propagate(self) -> None:
        """Apply group sums and the blank-column rule until no domain changes."""
        changed = True
        while changed:
            changed = False
            for group in self.groups:
                if not group.broken and self._prune_support(group.parent, group.children):
                    changed = True
                if not group.broken and self._prune_group(group):
                    changed = True
            if self.total is not None and self._prune_support(self.total, range(len(self.slots))):
                changed = True

    def _prune_group(self, group: Group) -> bool:
        tol = int(self.settings.sum_tolerance * self.scale)
        for tolerance in (0, tol):
            kept = self._group_domains(group, tolerance)
            if kept is not None:
                return self._apply(kept)
        group.broken = True
        return False

    def _group_domains(self, group: Group, tol: int) -> dict[int, list[Placement]] | None:
        """New domains of the group's rows, or None when some row would have no placement left."""
        members = [group.parent, *group.children]
        allowed: dict[int, list[set[int] | None]] = {m: [] for m in members}
        for c in range(self.count):
            per_child = [{self.slots[i].vectors[p][c] for p in self.slots[i].domain} for i in group.children]
            parent_vals = {self.slots[group.parent].vectors[p][c] for p in self.slots[group.parent].domain}
            forward = _sumsets(per_child, self.settings.max_sumset)
            backward = _sumsets(per_child[::-1], self.settings.max_sumset)
            if forward is None or backward is None:
                column = _bounded(parent_vals, per_child, tol)
            else:
                column = _exact(parent_vals, per_child, forward, backward[::-1], tol)
            for m, ok in zip(members, column, strict=True):
                allowed[m].append(ok)
        kept = {}
        for m in members:
            slot = self.slots[m]
            keep = [
                p
                for p in slot.domain
                if all(a is None or slot.vectors[p][c] in a for c, a in enumerate(allowed[m]))
            ]
            if not keep:
                return None
            kept[m] = keep
        return kept

    def _apply(self, kept: dict[int, list[Placement]]) -> bool:
        changed = False
        for m, keep in kept.items():
            if len(keep) < len(self.slots[m].domain):
                self.slots[m].domain = keep
                changed = True
        return changed

    def _prune_support(self, parent: int, rows: Iterable[int]) -> bool:
        """A column blank in a parent row is blank in its rows, and the reverse (when no value is negative)."""
        if not self.nonnegative:
            return False
        top = self.slots[parent]
        allowed = frozenset().union(*(top.nonzero(p) for p in top.domain))
        changed = False
        required: set[int] = set()
        for i in rows:
            slot = self.slots[i]
            if i == parent or not slot.domain:
                continue
            keep = [p for p in slot.domain if slot.nonzero(p) <= allowed]
            if keep and len(keep) < len(slot.domain):
                slot.domain, changed = keep, True
            required |= frozenset.intersection(*(slot.nonzero(p) for p in slot.domain))
        keep = [p for p in top.domain if required <= top.nonzero(p)]
        if keep and len(keep) < len(top.domain):
            top.domain, changed = keep, True
        return changed

    # ------------------------------------------------------------ decisions

    def restrict(self, row: int, token: int, column: int) -> None:
        """Keep only placements putting value ``token`` of ``row`` in ``column``; then propagate."""
        slot = self.slots[row]
        keep = [p for p in slot.domain if p[token] == column]
        if keep:
            slot.domain = keep
            self.propagate()

    def fix(self, row: int, placement: Placement) -> None:
        self.slots[row].domain = [placement]
        self.propagate()

    def take_snapshot(self) -> None:
        for slot in self.slots:
            slot.snapshot = list(slot.domain)

    def unresolved(self) -> list[int]:
        return [i for i, s in enumerate(self.slots) if not s.resolved]

    def ambiguous(self, row: int) -> list[bool]:
        """Per column: True where the chosen value's column was not fixed by arithmetic or evidence."""
        slot = self.slots[row]
        flags = [False] * self.count
        if not slot.domain:
            return flags
        chosen = slot.domain[0]
        for j, c in enumerate(chosen):
            if slot.capped or len(slot.candidates(j, slot.snapshot or slot.domain)) > 1:
                flags[c] = True
        return flags

    def placed(self, row: int) -> list[str | None]:
        """The row's printed values spread over the columns of its chosen placement."""
        slot = self.slots[row]
        out: list[str | None] = [None] * self.count
        if slot.domain:
            for c, token in zip(slot.domain[0], slot.printed, strict=True):
                out[c] = token
        return out
