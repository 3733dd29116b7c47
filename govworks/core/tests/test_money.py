"""人民币大写: the examples, and a property test against an independent implementation (the classic
"digit + place for every position, then collapse the zeros" method)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govworks.core.money import amount_in_words

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = "元拾佰仟万拾佰仟亿拾佰仟万拾佰仟"


def reference(fen: int) -> str:
    """Written independently of the module: every digit with its place, then the zeros collapsed."""
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if fen == 0:
        return "零元整"
    text = ""
    if yuan:
        digits = str(yuan)
        text = "".join(DIGITS[int(d)] + PLACES[len(digits) - 1 - i] for i, d in enumerate(digits))
        text = re.sub("零[拾佰仟]", "零", text)
        text = re.sub("零+", "零", text)
        # a whole 万 section of zeros after 亿 still leaves one 零 before what follows (壹拾壹亿零壹仟元)
        text = re.sub("零+", "零", text.replace("亿零万", "亿零"))
        text = re.sub("零([万亿元])", r"\1", text)
        text = text.replace("亿万", "亿")
    tail = (DIGITS[jiao] + "角" if jiao else ("零" if yuan and fen_digit else "")) + (
        DIGITS[fen_digit] + "分" if fen_digit else ""
    )
    return text + (tail if tail else "整")


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("100000000.05", "壹亿元零伍分"),
        ("1580000.00", "壹佰伍拾捌万元整"),
        ("0.50", "伍角"),
        ("0.05", "伍分"),
        ("0", "零元整"),
        ("10", "壹拾元整"),
        ("100010", "壹拾万零壹拾元整"),
        ("105000", "壹拾万伍仟元整"),
        ("1001.10", "壹仟零壹元壹角"),
        ("20000000", "贰仟万元整"),
        ("1000000001", "壹拾亿零壹元整"),
        ("1000100000000", "壹万零壹亿元整"),
        ("1100001000", "壹拾壹亿零壹仟元整"),
        ("1100000100", "壹拾壹亿零壹佰元整"),
        ("10000000000001", "壹拾万亿零壹元整"),
        ("3456.78", "叁仟肆佰伍拾陆元柒角捌分"),
        ("0.005", "壹分"),  # rounded half-up to fen
        ("-12.30", "负壹拾贰元叁角"),
    ],
)
def test_examples(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


@given(st.integers(min_value=0, max_value=10**16 - 1))
def test_matches_independent_implementation(fen: int) -> None:
    assert amount_in_words(Decimal(fen) / 100) == reference(fen)


@given(st.integers(min_value=0, max_value=10**16 - 1))
def test_only_capitals(fen: int) -> None:
    assert set(amount_in_words(Decimal(fen) / 100)) <= set(DIGITS + "拾佰仟万亿元角分整")
