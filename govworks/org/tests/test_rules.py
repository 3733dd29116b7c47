"""govworks/org/rules.py: pure decisions (统一社会信用代码, password policy, 三员分立). No database."""

from __future__ import annotations

import itertools
import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from govworks.org.roles import ADMIN_ROLES, BUSINESS_ROLES, Role
from govworks.org.rules import (
    CREDIT_CODE_CHARSET,
    CREDIT_CODE_WEIGHTS,
    credit_code_check_char,
    credit_code_problem,
    password_problems,
    separation_of_duties_problem,
)

# ------------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)
# ------------------------------------------------------------------------------------------------

#: The code table of GB 32100-2015 written out by hand (I, O, Z, S, V are not used), independent of
#: the module's string so a typo in either shows up.
GB32100_VALUES = {
    **{str(d): d for d in range(10)},
    "A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17, "J": 18, "K": 19, "L": 20,
    "M": 21, "N": 22, "P": 23, "Q": 24, "R": 25, "T": 26, "U": 27, "W": 28, "X": 29, "Y": 30,
}  # fmt: skip
GB32100_WEIGHTS = [3**i % 31 for i in range(17)]  # W_i = 3^(i-1) mod 31


def reference_check_char(first17: str) -> str:
    """C18 = 31 - (Σ C_i·W_i mod 31), with 31 written as 0 (GB 32100-2015 §5)."""
    total = sum(GB32100_VALUES[ch] * w for ch, w in zip(first17, GB32100_WEIGHTS, strict=True))
    value = (31 - total % 31) % 31
    return next(ch for ch, v in GB32100_VALUES.items() if v == value)


def test_charset_and_weights_follow_the_standard():
    # given the standard's table: 31 characters, no I O Z S V, weights 3^(i-1) mod 31
    assert list(CREDIT_CODE_CHARSET) == list(GB32100_VALUES)
    assert len(CREDIT_CODE_CHARSET) == 31
    assert not set("IOZSV") & set(CREDIT_CODE_CHARSET)
    assert list(CREDIT_CODE_WEIGHTS) == GB32100_WEIGHTS


# Worked by hand for 91350100M000100Y4:
#   9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17 + M(21)·20 + 0·29 + 0·25 + 0·13 + 1·8 + 0·24
#   + 0·10 + Y(30)·30 + 4·28 = 1640;  1640 mod 31 = 28;  31 - 28 = 3  → check char "3".
# The others are published codes of real companies and institutions.
VALID_CODES = [
    "91350100M000100Y43",
    "914403001922038216",
    "91440300708461136T",
    "91330100716105852F",
    "12100000400000624D",
]


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_codes_pass(code):
    # given a code whose 18th char is right  # when checked  # then no problem
    assert credit_code_problem(code) is None
    assert credit_code_check_char(code[:17]) == code[17]
    assert reference_check_char(code[:17]) == code[17]


def test_check_char_worked_example():
    assert credit_code_check_char("91350100M000100Y4") == "3"


def test_check_char_when_sum_is_a_multiple_of_31_is_zero():
    # given 17 zeros, the weighted sum is 0 → (31 - 0) mod 31 = 0 → "0" (not index 31)
    assert credit_code_check_char("0" * 17) == "0"
    assert credit_code_problem("0" * 18) is None


def test_check_char_can_be_a_letter():
    # given a first-17 whose sum gives 30 → "Y"
    first17 = next(
        "".join(p) + "0" * 14
        for p in itertools.product("0123456789", repeat=3)
        if reference_check_char("".join(p) + "0" * 14) == "Y"
    )
    assert credit_code_check_char(first17) == "Y"
    assert credit_code_problem(first17 + "Y") is None


def test_wrong_check_char_names_expected_and_actual():
    # given a valid code with its last char changed 3 → 4
    # then the message says which char it should be and which it is
    assert credit_code_problem("91350100M000100Y44") == "统一社会信用代码校验位错误：第18位应为 3，实为 4"


@pytest.mark.parametrize(
    ("code", "length"),
    [("", 0), ("9135010", 7), ("91350100M000100Y4", 17), ("91350100M000100Y430", 19), ("9" * 30, 30)],
)
def test_wrong_length_is_refused_with_the_length(code, length):
    assert credit_code_problem(code) == f"统一社会信用代码应为18位，当前为{length}位"


def test_length_checked_before_characters():
    # given a 17-char code with a forbidden char  # then the length is reported (one problem at a time)
    assert credit_code_problem("i1350100M000100Y4") == "统一社会信用代码应为18位，当前为17位"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_excluded_by_the_standard_are_refused(letter):
    # given an 18-char code with a letter the standard never uses in position 9
    code = "91350100" + letter + "000100Y43"
    assert credit_code_problem(code) == (f"统一社会信用代码含有不允许的字符：{letter}（不使用 I、O、Z、S、V 及小写字母）")


def test_lowercase_is_refused_not_silently_upper_cased():
    # given the valid 91350100M000100Y43 written with a lowercase m and y
    assert credit_code_problem("91350100m000100y43") == (
        "统一社会信用代码含有不允许的字符：m、y（不使用 I、O、Z、S、V 及小写字母）"
    )


def test_several_bad_characters_are_listed_sorted_and_once():
    assert credit_code_problem("O1I50100OOOOOOOI43") == (
        "统一社会信用代码含有不允许的字符：I、O（不使用 I、O、Z、S、V 及小写字母）"
    )


@pytest.mark.parametrize("char", [" ", "-", "Ｍ", "中", "\t"])
def test_spaces_full_width_and_chinese_chars_are_refused(char):
    code = "91350100" + char + "000100Y43"
    assert credit_code_problem(code) == f"统一社会信用代码含有不允许的字符：{char}（不使用 I、O、Z、S、V 及小写字母）"


charset_text = st.text(alphabet=CREDIT_CODE_CHARSET, min_size=17, max_size=17)


@given(first17=charset_text)
def test_property_any_17_chars_plus_check_char_is_valid(first17):
    check = credit_code_check_char(first17)
    assert check in CREDIT_CODE_CHARSET
    assert check == reference_check_char(first17)
    assert credit_code_problem(first17 + check) is None


@given(first17=charset_text, other=st.sampled_from(CREDIT_CODE_CHARSET))
def test_property_any_other_18th_char_is_invalid(first17, other):
    check = credit_code_check_char(first17)
    assume(other != check)
    assert credit_code_problem(first17 + other) == f"统一社会信用代码校验位错误：第18位应为 {check}，实为 {other}"


@given(first17=charset_text, position=st.integers(0, 16), replacement=st.sampled_from(CREDIT_CODE_CHARSET))
def test_property_a_single_changed_char_in_the_first_17_is_caught(first17, position, replacement):
    # the weights are non-zero mod the prime 31, so any single substitution changes the check char
    assume(first17[position] != replacement)
    code = first17 + credit_code_check_char(first17)
    changed = code[:position] + replacement + code[position + 1 :]
    assert credit_code_problem(changed) is not None


@given(code=st.text(alphabet=CREDIT_CODE_CHARSET + "IOZSVabc", max_size=25))
def test_property_problem_is_none_exactly_for_well_formed_codes(code):
    well_formed = len(code) == 18 and all(c in CREDIT_CODE_CHARSET for c in code) and code[17] == reference_check_char(code[:17])
    assert (credit_code_problem(code) is None) == well_formed


# ------------------------------------------------------------------------------------------------
# password policy
# ------------------------------------------------------------------------------------------------

POLICY = {"min_length": 8, "min_classes": 3}


@pytest.mark.parametrize("password", ["Abcdef1!", "abcdefg1!", "ABCDEFG1!", "Abcdefgh1", "Gw2026@Linjiang"])
def test_password_meeting_the_policy_has_no_problems(password):
    assert password_problems(password, username="liming", **POLICY) == []


def test_too_short_and_too_few_classes_are_both_reported():
    # given "abc": 3 chars, one class
    assert password_problems("abc", username="liming", **POLICY) == [
        "密码长度不少于8位（当前3位）",
        "密码须包含大写字母、小写字母、数字、特殊字符中的至少3类（当前1类）",
    ]


def test_length_boundary():
    assert password_problems("Abcde1!", username="u", **POLICY) == ["密码长度不少于8位（当前7位）"]
    assert password_problems("Abcdef1!", username="u", **POLICY) == []


def test_two_classes_when_three_are_required():
    assert password_problems("abcdefgh12", username="u", **POLICY) == [
        "密码须包含大写字母、小写字母、数字、特殊字符中的至少3类（当前2类）"
    ]


def test_empty_password():
    assert password_problems("", username="u", **POLICY) == [
        "密码长度不少于8位（当前0位）",
        "密码须包含大写字母、小写字母、数字、特殊字符中的至少3类（当前0类）",
    ]


def test_password_equal_to_username_ignoring_case_is_refused():
    assert password_problems("LiMing@2026", username="liming@2026", **POLICY) == ["密码不能与用户名相同"]


def test_no_username_skips_the_username_check():
    assert password_problems("Abcdef1!", username="", **POLICY) == []


def test_all_three_problems_together():
    assert password_problems("ab", username="AB", **POLICY) == [
        "密码长度不少于8位（当前2位）",
        "密码须包含大写字母、小写字母、数字、特殊字符中的至少3类（当前1类）",
        "密码不能与用户名相同",
    ]


def test_policy_numbers_come_from_the_parameters():
    # given a stricter policy: 12 characters, all 4 classes
    assert password_problems("Abcdef1!", username="u", min_length=12, min_classes=4) == ["密码长度不少于12位（当前8位）"]
    assert password_problems("Abcdefgh1234", username="u", min_length=12, min_classes=4) == [
        "密码须包含大写字母、小写字母、数字、特殊字符中的至少4类（当前3类）"
    ]


def test_chinese_characters_count_as_no_class():
    # Chinese chars are alphanumeric to Python but neither upper, lower, digit nor special
    assert password_problems("密码密码密码密码", username="u", **POLICY) == [
        "密码须包含大写字母、小写字母、数字、特殊字符中的至少3类（当前0类）"
    ]


@given(
    lower=st.integers(0, 4),
    upper=st.integers(0, 4),
    digits=st.integers(0, 4),
    special=st.integers(0, 4),
    min_length=st.integers(1, 16),
    min_classes=st.integers(1, 4),
)
def test_property_problems_match_length_and_class_count(lower, upper, digits, special, min_length, min_classes):
    password = "a" * lower + "B" * upper + "7" * digits + "#" * special
    classes = sum(n > 0 for n in (lower, upper, digits, special))
    problems = password_problems(password, username="~no-such-user~", min_length=min_length, min_classes=min_classes)
    expected = []
    if len(password) < min_length:
        expected.append(f"密码长度不少于{min_length}位（当前{len(password)}位）")
    if classes < min_classes:
        expected.append(f"密码须包含大写字母、小写字母、数字、特殊字符中的至少{min_classes}类（当前{classes}类）")
    assert problems == expected


@given(password=st.text(alphabet=string.printable, max_size=20))
def test_property_same_as_username_is_always_reported(password):
    assume(password)
    problems = password_problems(password, username=password.swapcase(), min_length=0, min_classes=0)
    assert problems == ["密码不能与用户名相同"]


# ------------------------------------------------------------------------------------------------
# 三员分立
# ------------------------------------------------------------------------------------------------

ADMIN_MIX = "三员分立：管理员角色不能与其他任何角色兼任"
BUSINESS_FOR_ADMIN = "三员分立：系统管理员、安全管理员、安全审计员不能承担业务角色"


def sod(new_role: str, held: set[str]) -> str | None:
    return separation_of_duties_problem(new_role=new_role, held_roles=held, admin_roles=ADMIN_ROLES)


def test_role_sets_partition_the_vocabulary():
    assert {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN} == ADMIN_ROLES
    assert set(Role.values) == BUSINESS_ROLES | ADMIN_ROLES
    assert not BUSINESS_ROLES & ADMIN_ROLES
    assert len(BUSINESS_ROLES) == 9


@pytest.mark.parametrize("role", sorted(Role.values))
def test_first_role_is_always_allowed(role):
    assert sod(role, set()) is None


@pytest.mark.parametrize(("new", "held"), list(itertools.permutations(sorted(ADMIN_ROLES), 2)))
def test_two_different_admin_roles_are_refused(new, held):
    assert sod(new, {held}) == ADMIN_MIX


@pytest.mark.parametrize(("new", "held"), list(itertools.product(sorted(ADMIN_ROLES), sorted(BUSINESS_ROLES))))
def test_admin_role_on_top_of_a_business_role_is_refused(new, held):
    assert sod(new, {held}) == ADMIN_MIX


@pytest.mark.parametrize(("new", "held"), list(itertools.product(sorted(BUSINESS_ROLES), sorted(ADMIN_ROLES))))
def test_business_role_on_top_of_an_admin_role_is_refused(new, held):
    assert sod(new, {held}) == BUSINESS_FOR_ADMIN


@pytest.mark.parametrize(("new", "held"), list(itertools.product(sorted(BUSINESS_ROLES), repeat=2)))
def test_business_roles_combine_freely(new, held):
    # (a person can be 工程管理岗 in one agency and 联络员 in another; duplicates are the service's business)
    assert sod(new, {held}) is None


@pytest.mark.parametrize("role", sorted(ADMIN_ROLES))
def test_same_admin_role_held_again_is_not_a_separation_problem(role):
    # the same admin role in a second agency (e.g. a subordinate) is not a mix of roles
    assert sod(role, {role}) is None


@given(new=st.sampled_from(sorted(Role.values)), held=st.sets(st.sampled_from(sorted(Role.values)), max_size=5))
def test_property_separation_of_duties(new, held):
    problem = sod(new, held)
    if new in ADMIN_ROLES:
        assert problem == (ADMIN_MIX if held - {new} else None)
    else:
        assert problem == (BUSINESS_FOR_ADMIN if held & ADMIN_ROLES else None)
