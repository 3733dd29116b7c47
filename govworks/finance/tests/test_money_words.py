"""Amounts in Chinese capitals (大写) on payment instructions: ``core.money.amount_in_words`` checked against an
independent implementation written here (a left-to-right digit scan instead of the core's recursive
split by 亿/万), by hypothesis over every amount below 1万亿 元, and on the tricky values by hand.

Convention (《支付结算办法》附一): one 零 for any run of zeros inside the number; a zero at the end of a 万/亿
section followed by a non-zero 仟 takes no 零 (壹拾万壹仟); 整 closes an amount ending in 元; 零 stands
between 元 and 分 when 角 is zero."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govworks.core.money import amount_in_words

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL = ["", "拾", "佰", "仟"]
BIG = ["", "万", "亿"]


def reference_words(amount: Decimal) -> str:
    """Independent: scan the yuan digits from the left, keeping a pending zero that a section unit absorbs."""
    fen_total = int((amount * 100).to_integral_value())
    if fen_total < 0:
        return "负" + reference_words(-amount)
    if fen_total == 0:
        return "零元整"
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    text = ""
    if yuan:
        digits = str(yuan)
        n = len(digits)
        assert n <= 12, "the reference covers amounts below 1万亿 元"
        pending = False
        for i, ch in enumerate(digits):
            pos = n - 1 - i
            d = int(ch)
            if d == 0:
                pending = True
            else:
                if pending and text:
                    text += "零"
                pending = False
                text += DIGITS[d] + SMALL[pos % 4]
            if pos % 4 == 0 and pos > 0 and int(digits[max(0, i - 3) : i + 1]) > 0:
                text += BIG[pos // 4]
                pending = False
        text += "元"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif fen and yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    elif not jiao:
        text += "整"
    return text


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("100000000.05", "壹亿元零伍分"),
        ("1580000", "壹佰伍拾捌万元整"),
        ("0.50", "伍角"),
        ("0.05", "伍分"),
        ("0", "零元整"),
        ("10", "壹拾元整"),
        ("100010", "壹拾万零壹拾元整"),
        ("101000", "壹拾万壹仟元整"),
        ("100000001", "壹亿零壹元整"),
        ("100010000", "壹亿零壹万元整"),
        ("1000010000", "壹拾亿零壹万元整"),
        ("1100001000", "壹拾壹亿零壹仟元整"),  # a whole 万 section of zeros still takes its 零
        ("200000.00", "贰拾万元整"),
        ("1004.07", "壹仟零肆元零柒分"),
        ("970000.1", "玖拾柒万元壹角"),
        ("-12.34", "负壹拾贰元叁角肆分"),
    ],
)
def test_tricky_values(amount: str, words: str) -> None:
    assert reference_words(Decimal(amount)) == words
    assert amount_in_words(Decimal(amount)) == words


@settings(max_examples=3000, deadline=None)
@given(st.integers(min_value=0, max_value=10**14 - 1))
def test_core_agrees_with_the_independent_implementation(fen: int) -> None:
    amount = Decimal(fen) / 100
    assert amount_in_words(amount) == reference_words(amount)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([0, 0, 0, 1, 5, 9]), min_size=1, max_size=14))
def test_zero_heavy_amounts_agree(digits: list[int]) -> None:
    """Amounts made mostly of zeros, where the 零 rules bite."""
    fen = int("".join(map(str, digits)))
    amount = Decimal(fen) / 100
    assert amount_in_words(amount) == reference_words(amount)
