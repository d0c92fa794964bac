"""Read the numbers in a text as a person does, each with its value and unit.

Full-width and other-script digits, circled (①), parenthesised (⑴) and Roman (Ⅻ) numbers,
Chinese numerals (一千七百一十二万, 十二点五, 二〇二四, 壹佰), scale words (万, 亿, 千) and units
(元, 万元, 亿元, %, 百分之…, 个百分点, 年, 个/项/人 …) are all taken into the value, so
“一千七百一十二万元”, “1,712万元” and “17,120,000元” are the same amount and “1712%” is not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
          "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
PLACES = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
SCALES = {"万": Decimal(10) ** 4, "萬": Decimal(10) ** 4, "亿": Decimal(10) ** 8, "億": Decimal(10) ** 8}
MEASURES = "个项人名辆台套家所次倍"
"""Words that make a bare number a count."""
MONEY = "元"
PERCENT = "%"
YEAR = "年"
COUNT = "个"

_CN = "".join([*DIGITS, *PLACES, *SCALES])
_SCALE = r"(?:[十百千](?=[万亿萬億])|)[万亿萬億]{1,2}|千(?=元)"
_UNIT = rf"\s*(?P<percent>%|个百分点)|\s*(?P<year>年)|\s*(?P<money>元)|\s*(?P<measure>[{MEASURES}])"
_ARABIC = re.compile(
    rf"(?<![A-Za-z\d.])(?P<pct_prefix>百分之)?(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![A-Za-z])"
    rf"(?:\s*(?P<scale>{_SCALE}))?(?:{_UNIT})?")
_CHINESE = re.compile(
    rf"(?P<pct_prefix>百分之)?(?P<num>[{_CN}]+(?:点[{''.join(DIGITS)}]+[{''.join(SCALES)}]{{0,2}})?)(?:{_UNIT})?")


@dataclass(frozen=True, slots=True)
class Figure:
    """A number as read: ``number`` as written, ``value`` with its scale (money in 元), and its unit."""

    number: Decimal
    value: Decimal
    unit: str
    """元 (money), % (percent or percentage points), 年 (a year), 个 (a count) or "" (bare)."""
    text: str
    start: int = 0
    names: tuple[str, ...] = ()
    """For a tool's table value: the row (or column) names it may stand next to."""


def normalise_text(text: str) -> str:
    """Digits of any script and numbered symbols (①, ⑴, Ⅻ) as ASCII digits; full-width forms folded."""
    out = []
    for ch in text:
        if ch.isascii() or ch in DIGITS:
            out.append(ch)
        elif unicodedata.category(ch) == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        elif unicodedata.category(ch) in ("No", "Nl") and ch not in "〇":
            value = Decimal(str(unicodedata.numeric(ch)))
            out.append(f" {value.normalize():f} ")
        else:
            out.append(unicodedata.normalize("NFKC", ch))
    return "".join(out)


def read_figures(text: str) -> list[Figure]:
    """Every number a person would read in ``text``, in order."""
    text = normalise_text(text or "")
    found = [f for m in _ARABIC.finditer(text) if (f := _arabic(m)) is not None]
    taken = [(f.start, f.start + len(f.text)) for f in found]
    for match in _CHINESE.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue
        figure = _chinese(match, text)
        if figure is not None:
            found.append(figure)
    return sorted(found, key=lambda f: f.start)


def _arabic(match: re.Match) -> Figure | None:
    try:
        number = Decimal(match["num"].replace(",", ""))
    except InvalidOperation:
        return None
    scale = Decimal(1)
    for ch in match["scale"] or "":
        scale *= SCALES.get(ch) or PLACES[ch]
    return _figure(match, number, scale)


def _chinese(match: re.Match, text: str) -> Figure | None:
    run = match["num"]
    if not any(ch in DIGITS or ch in "十拾" for ch in run):
        return None
    has_unit = any(match[g] for g in ("percent", "year", "money", "measure")) or match["pct_prefix"]
    if len(run) < 2 and not has_unit:
        return None  # 一般, 统一, 第一, 三公: a lone numeral in a word is not a number
    number = parse_chinese(run)
    if number is None:
        return None
    return _figure(match, number, Decimal(1), scaled=any(ch in SCALES for ch in run))


def _figure(match: re.Match, number: Decimal, scale: Decimal, scaled: bool = False) -> Figure:
    """The figure's unit and value; a number with a scale word (万, 亿) and no other unit is money."""
    scaled = scaled or scale > 1
    if match["pct_prefix"] or match["percent"]:
        unit, value = PERCENT, number * scale
    elif match["year"] and not scaled and number == number.to_integral_value() and 1900 <= number <= 2200:
        unit, value = YEAR, number
    elif match["measure"]:
        unit, value = COUNT, number * scale
    elif match["money"] or scaled:
        unit, value = MONEY, number * scale
    else:
        unit, value = "", number
    return Figure(number=number, value=value, unit=unit, text=match.group(0).strip(), start=match.start())


def parse_chinese(run: str) -> Decimal | None:
    """“一千七百一十二万” → 17120000, “十二点五” → 12.5, “二〇二四” → 2024, “一点七亿” → 170000000,
    “一万五” → 15000; None if ``run`` is no number."""
    whole, _, fraction = run.partition("点")
    value = _integer(whole)
    if value is None:
        return None
    if not fraction:
        return Decimal(value)
    digits = fraction.rstrip("".join(SCALES))
    scale = Decimal(1)
    for ch in fraction[len(digits):]:
        scale *= SCALES[ch]
    if not digits or any(ch not in DIGITS for ch in digits):
        return None
    return Decimal(f"{value}." + "".join(str(DIGITS[ch]) for ch in digits)) * scale


def _integer(run: str) -> int | None:
    """A Chinese integer, or None when ``run`` is not one (万一, 千万 alone, 一一十)."""
    if not run:
        return None
    if len(run) > 1 and all(ch in DIGITS for ch in run):
        return int("".join(str(DIGITS[ch]) for ch in run))  # read digit by digit: 二〇二四
    above_wan = wan = section = 0  # the 亿 part, the 万 part, the part below 万
    number: int | None = None
    for index, ch in enumerate(run):
        if ch in DIGITS:
            if number is not None and number != 0 and DIGITS[ch] != 0:
                return None
            number = DIGITS[ch]
        elif ch in PLACES:
            if number is None:
                if ch not in "十拾" or index or section:
                    return None
                number = 1  # 十二 = 12
            section += number * PLACES[ch]
            number = None
        else:
            part = section + (number or 0)
            if int(SCALES[ch]) == 10 ** 4:
                if not part:
                    return None
                wan += part * 10 ** 4
            else:
                if not part and not wan:
                    return None
                above_wan += (wan + part) * 10 ** 8
                wan = 0
            section, number = 0, None
    if number and len(run) > 1 and run[-2] not in DIGITS:
        number *= _multiplier(run[-2]) // 10  # 一万五 = 15000, 三千五 = 3500 (but 十五 = 15)
    return above_wan + wan + section + (number or 0)


def _multiplier(ch: str) -> int:
    return PLACES.get(ch) or int(SCALES[ch])
