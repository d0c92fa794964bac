"""Interval arithmetic on printed figures, and the verdicts it supports.

A figure printed as 1,234.56 stands for every amount that rounds to it, the
interval [1,234.555, 1,234.565]. Two printed figures agree when their intervals
meet; a total agrees with its parts when the interval of the total meets the
sum of the parts' intervals. Judged that way, a difference that rounding alone
explains is never called an error — it is reported as "rounding", and said so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from budgetqa.audit.report import Ref, Severity

ZERO = Decimal(0)
HALF = Decimal("0.5")
HUNDRED = Decimal(100)
TAIL_UNITS = Decimal(1)
"""A gap of at most this many units of the last printed digit, beyond rounding, is a tail
adjustment (尾差调整): one printing was nudged so that a column or a set of shares adds up."""
SHARES_WHOLE = Decimal(100)
"""Shares of one whole that a publisher adjusted add up to exactly this."""


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed range of values [lo, hi]."""

    lo: Decimal
    hi: Decimal

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def scaled(self, factor: Decimal) -> Interval:
        a, b = self.lo * factor, self.hi * factor
        return Interval(min(a, b), max(a, b))

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    def meets(self, other: Interval) -> bool:
        """True when some value lies in both (rounding intervals are half-open, so touching ends do not meet)."""
        low, high = max(self.lo, other.lo), min(self.hi, other.hi)
        return low < high or (low == high and (self.exact or other.exact))

    def gap(self, other: Interval) -> Decimal:
        """Distance between the two ranges (0 when they meet or touch)."""
        return max(ZERO, other.lo - self.hi, self.lo - other.hi)

    def contains_zero(self) -> bool:
        return self.lo <= 0 <= self.hi


def exact(value: Decimal) -> Interval:
    return Interval(value, value)


def last_unit(value: Decimal) -> Decimal:
    """One unit of the last printed digit: 0.01 for 1,234.56, 0.1 for 6.2, 1 for 10."""
    exponent = value.as_tuple().exponent
    return Decimal(1).scaleb(min(exponent, 0)) if isinstance(exponent, int) else Decimal(1)


def printed(value: Decimal, scale: Decimal = Decimal(1)) -> Interval:
    """The values that print as ``value`` (times ``scale``); a printed zero means nothing there, exactly."""
    if value == 0:
        return exact(ZERO)
    half = last_unit(value) * HALF
    return Interval((value - half) * scale, (value + half) * scale)


def ratio(part: Interval, whole: Interval) -> Interval | None:
    """part ÷ whole × 100 over every pair of values; None when the whole may be zero."""
    if whole.contains_zero():
        return None
    corners = [a / b * HUNDRED for a in (part.lo, part.hi) for b in (whole.lo, whole.hi)]
    return Interval(min(corners), max(corners))


@dataclass(slots=True)
class Quantity:
    """A figure with its interval: printed in a cell or sentence, or a sum of such figures."""

    value: Decimal
    """The point value (万元 for amounts)."""
    interval: Interval
    label: str
    refs: list[Ref] = field(default_factory=list)
    terms: list[Quantity] = field(default_factory=list)
    """For a sum: the figures added."""
    unit: Decimal = Decimal("0.01")
    """One unit of the last printed digit (for a sum, the largest of its terms)."""
    ambiguous: bool = False
    """True when a term's column could not be told from a text dump."""

    @property
    def is_sum(self) -> bool:
        return len(self.terms) > 1


def total(terms: list[Quantity], label: str) -> Quantity:
    """The sum of several figures, its interval the sum of theirs."""
    value = sum((t.value for t in terms), ZERO)
    interval = exact(ZERO)
    for t in terms:
        interval = interval + t.interval
    refs = [r for t in terms for r in t.refs]
    unit = max((t.unit for t in terms), default=Decimal("0.01"))
    return Quantity(value, interval, label, refs, list(terms), unit, any(t.ambiguous for t in terms))


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of one comparison: None severity means the identity holds exactly."""

    severity: Severity | None
    explanation: str
    tolerance: Decimal = ZERO


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def judge_equal(left: Quantity, right: Quantity, same_figure: bool) -> Verdict:
    """Two sides that should be equal.

    ``same_figure``: both sides print one and the same quantity (a number repeated in two
    tables, or in the narrative), so correct rounding prints them identically; a one-unit gap
    is a tail adjustment (warning). Otherwise one side is a sum of rounded parts, and any
    difference within the summed rounding intervals is rounding.
    """
    if left.value == right.value or (same_figure and _same_when_rounded(left, right)):
        return Verdict(None, "")
    tolerance = (left.interval.hi - left.interval.lo + right.interval.hi - right.interval.lo) / 2
    if left.interval.meets(right.interval):
        return Verdict("rounding", f"差额在印刷精度的舍入范围（±{_fmt(tolerance)}）内，不是错误。", tolerance)
    gap = left.interval.gap(right.interval)
    unit = max(left.unit, right.unit)
    if same_figure and not left.is_sum and not right.is_sum and gap <= TAIL_UNITS * unit:
        return Verdict("warning", f"同一个数两处印刷相差末位 {_fmt(unit)}：不是四舍五入能解释的，"
                                  f"多为为凑平合计而作的尾差调整，应统一。", tolerance)
    return Verdict("error", f"差额超出印刷精度的舍入范围（±{_fmt(tolerance)}）。", tolerance)


def _same_when_rounded(left: Quantity, right: Quantity) -> bool:
    """One figure printed more coarsely than the other (万元 vs 元, 6.2 vs 6.20) and equal to it rounded."""
    if left.unit == right.unit or left.is_sum or right.is_sum:
        return False
    coarse, fine = (left, right) if left.unit > right.unit else (right, left)
    return fine.value.quantize(coarse.unit, rounding=ROUND_HALF_UP) == coarse.value


def judge_at_most(part: Quantity, whole: Quantity) -> Verdict:
    """A part (or the sum of listed parts) must not exceed its whole."""
    if part.value <= whole.value:
        return Verdict(None, "")
    tolerance = (part.interval.hi - part.interval.lo + whole.interval.hi - whole.interval.lo) / 2
    if part.interval.lo <= whole.interval.hi:
        return Verdict("rounding", f"分项略大于总数，但在舍入范围（±{_fmt(tolerance)}）内，不是错误。", tolerance)
    gap = part.interval.lo - whole.interval.hi
    unit = max(part.unit, whole.unit)
    if not part.is_sum and not whole.is_sum and gap <= TAIL_UNITS * unit:
        return Verdict("warning", f"分项比总数多末位 {_fmt(unit)}，超出舍入范围，多为尾差调整。", tolerance)
    return Verdict("error", f"分项超过总数，超出舍入范围（±{_fmt(tolerance)}）。", tolerance)


def judge_rate(printed_pct: Decimal, recomputed: Interval, point: Decimal, adjusted_whole: bool = False) -> Verdict:
    """A printed percentage against the range its inputs allow.

    ``adjusted_whole``: the printed shares of the same whole add up to exactly 100%, so a
    one-unit gap is the publisher's adjustment to make them add up (rounding, not an error).
    """
    shown = printed(printed_pct) if printed_pct != 0 else exact(ZERO)
    if shown.meets(recomputed):
        if shown.lo <= point <= shown.hi:
            return Verdict(None, "")
        return Verdict("rounding", f"按印刷数复算为 {point:.2f}%，与所列数的差异在输入数舍入可容许的范围"
                                   f"（{recomputed.lo:.4f}%～{recomputed.hi:.4f}%）内，不是错误。")
    gap = shown.gap(recomputed)
    unit = last_unit(printed_pct) if printed_pct != 0 else Decimal("0.01")
    if gap <= TAIL_UNITS * unit:
        if adjusted_whole:
            return Verdict("rounding", f"复算为 {point:.2f}%，差末位 {_fmt(unit)}；同一总数下各占比之和恰为 100%，"
                                       f"是为使占比合计 100% 所作的尾差调整，不是错误。")
        return Verdict("warning", f"复算为 {point:.2f}%，差末位 {_fmt(unit)}，超出舍入范围，多为尾差调整。")
    return Verdict("error", f"复算为 {point:.2f}%（输入数舍入可容许 {recomputed.lo:.4f}%～{recomputed.hi:.4f}%），"
                            f"与所列 {printed_pct}% 不符。")
