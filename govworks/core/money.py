"""Amounts in Chinese capitals (人民币大写) for printed contracts and vouchers, e.g. 1,580,000.00 →
壹佰伍拾捌万元整, 100,000,000.05 → 壹亿元零伍分, 0.50 → 伍角. Pure: no Django."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ["", "拾", "佰", "仟"]


def _group(n: int) -> str:
    """0 < n < 10000 written with 拾佰仟, inner zeros collapsed to one 零, no leading or trailing 零."""
    out: list[str] = []
    zero = False
    for pos in range(3, -1, -1):
        d = (n // 10**pos) % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + SMALL_UNITS[pos])
    return "".join(out)


def _integer(n: int) -> str:
    """n > 0 yuan: 亿 groups above 万 groups above 仟佰拾; one 零 marks the zeros where a lower part starts
    below its highest place (壹拾万零壹拾, 壹拾亿零壹, 壹万零壹亿)."""
    for size, unit in ((10**8, "亿"), (10**4, "万")):
        if n >= size:
            high, low = divmod(n, size)
            out = _integer(high) + unit
            if low:
                out += ("零" if low < size // 10 else "") + _integer(low)
            return out
    return _group(n)


def amount_in_words(amount: Decimal) -> str:
    """``amount`` yuan (rounded half-up to fen) in Chinese capitals; a negative amount reads 负….
    The yuan end in 元; 整 closes an amount without 角 or 分; 零 stands between 元 and 分 when 角 is zero."""
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        return "负" + amount_in_words(-value)
    fen_total = int(value * 100)
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)
    if fen_total == 0:
        return "零元整"
    out = _integer(yuan) + "元" if yuan else ""
    if jiao:
        out += DIGITS[jiao] + "角"
    elif fen and yuan:
        out += "零"
    if fen:
        out += DIGITS[fen] + "分"
    else:
        out += "整" if not jiao else ""
    return out


def yuan_text(amount: Decimal) -> str:
    """An amount as messages and rules write it: 1580000 → "1,580,000.00 元"."""
    return f"{amount:,.2f} 元"


def percent_text(ratio: Decimal) -> str:
    """A ratio (fraction) as a percentage rounded half up to 0.01 without trailing zeros: 0.125 → "12.5%"."""
    text = format((ratio * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") + "%"
