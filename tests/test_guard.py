"""The number guard reads numbers as a person does: property tests over the forms a number takes."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from budgetqa.chat.guard import tool_figures, unsupported
from budgetqa.chat.numerals import parse_chinese, read_figures

PROPERTY = settings(max_examples=150, deadline=None)
CN_DIGITS = "零一二三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789.,%", "０１２３４５６７８９．，％")

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)
integers = st.integers(min_value=1, max_value=10**11)


def grouped(value: Decimal) -> str:
    return f"{value:,.2f}"


def to_chinese(n: int) -> str:
    """An integer in Chinese numerals, written out in full (一万零一十二)."""
    def four(g: int) -> str:
        out, zero = "", False
        for place, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            digit = g // place % 10
            if digit:
                out += ("零" if zero and out else "") + CN_DIGITS[digit] + name
                zero = False
            else:
                zero = True
        return out

    groups, out = [], ""
    while n:
        groups.append(n % 10000)
        n //= 10000
    for index in reversed(range(len(groups))):
        if groups[index]:
            if out and groups[index] < 1000:
                out += "零"
            out += four(groups[index]) + ["", "万", "亿"][index]
    return out


@PROPERTY
@given(amounts, st.sampled_from(["{g}万元", "{p}万元", "{p}万", "{yuan}元", "{fw}万元", "约为{g} 万元"]))
def test_the_same_amount_in_any_form_passes(amount: Decimal, form: str) -> None:
    allowed = tool_figures([f"{amount}万元"])
    text = form.format(g=grouped(amount), p=amount, yuan=f"{amount * 10000:,}", fw=grouped(amount).translate(FULL_WIDTH))
    assert unsupported(f"项目支出{text}。", allowed) == []


@PROPERTY
@given(amounts, st.sampled_from(["{p}亿元", "{p}元", "{p}%", "{p}个", "{p}千元"]))
def test_the_number_with_another_unit_is_caught(amount: Decimal, form: str) -> None:
    allowed = tool_figures([f"{amount}万元"])
    assert unsupported(f"项目支出{form.format(p=amount)}", allowed) != []


@PROPERTY
@given(amounts, st.integers(min_value=1, max_value=9), st.integers(min_value=3, max_value=5))
def test_longer_precision_is_caught(amount: Decimal, digit: int, place: int) -> None:
    longer = amount + Decimal(digit).scaleb(-place)
    allowed = tool_figures([f"{amount}万元", f"{amount}%"])
    assert unsupported(f"合计{longer}万元", allowed) == [f"{longer}万元"]
    assert unsupported(f"增长{longer}%", allowed) == [f"{longer}%"]


@PROPERTY
@given(amounts, amounts)
def test_another_amount_is_caught(amount: Decimal, other: Decimal) -> None:
    allowed = tool_figures([f"{amount}万元"])
    assert (unsupported(f"项目支出{grouped(other)}万元", allowed) == []) == (amount == other)


@PROPERTY
@given(integers)
def test_chinese_numerals_read_as_written(n: int) -> None:
    assert parse_chinese(to_chinese(n)) == n
    (figure,) = read_figures(f"支出{to_chinese(n)}元")
    assert (figure.value, figure.unit) == (n, "元")
    assert unsupported(f"支出{to_chinese(n)}元", tool_figures([f"{n}元"])) == []
    assert unsupported(f"支出{to_chinese(n)}元", tool_figures([f"{n + 1}元"])) != []


@PROPERTY
@given(st.integers(min_value=1, max_value=20))
def test_circled_parenthesised_and_roman_numbers(n: int) -> None:
    forms = [chr(0x2460 + n - 1), chr(0x2474 + n - 1)] + ([chr(0x2160 + n - 1)] if n <= 12 else [])
    for form in forms:
        assert unsupported(f"共{form}万元", tool_figures([f"{n}万元"])) == [], form
        assert unsupported(f"共{form}万元", tool_figures([f"{n + 1}万元"])) != [], form


def test_forms_a_person_reads() -> None:
    assert unsupported("增长１２．５％", tool_figures(["12.50%"])) == []
    assert unsupported("增长百分之十二点五", tool_figures(["12.50%"])) == []
    assert unsupported("一千七百一十二万元", tool_figures(["1712.80万元"])) == ["一千七百一十二万元"]
    assert unsupported("一千七百一十二万元", tool_figures(["1712.00万元"])) == []
    assert unsupported("约0.17亿元", tool_figures(["1712.80万元"])) == ["0.17亿元"]
    assert unsupported("一般公共预算三公经费排第一", []) == []


def test_a_year_is_not_an_amount() -> None:
    allowed = tool_figures(["2024年", "1712.80万元"])
    assert unsupported("2024年项目支出1,712.80万元", allowed) == []
    assert unsupported("项目支出2024万元", allowed) == ["2024万元"]
    assert unsupported("二〇二四年", allowed) == []


def test_table_values_pass_only_next_to_their_row() -> None:
    allowed = tool_figures([{"text": "442.86万元", "names": ["  其中：基本支出"]},
                            {"text": "1,712.80万元", "names": ["项目支出", "2130101"]}, "2130101"])
    assert unsupported("基本支出为442.86万元，项目支出为1,712.80万元。", allowed) == []
    assert unsupported("项目支出为442.86万元，基本支出为1,712.80万元。", allowed) == ["442.86万元", "1,712.80万元"]
    assert unsupported("科目2130101：1712.8万元", allowed) == []
