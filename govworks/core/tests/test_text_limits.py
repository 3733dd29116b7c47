"""Every free-text field has a length limit (issue 12 item 9): the central save guard and the form base."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from govworks.core.errors import DomainError
from govworks.core.forms import LimitedForm
from govworks.core.models import RuleParameter
from govworks.core.text_limits import TEXT_MAX_LENGTH, text_lengths_check


class _Form(LimitedForm):
    reason = forms.CharField(label="变更原因", widget=forms.Textarea)
    title = forms.CharField(label="标题", max_length=20)
    password = forms.CharField(label="密码", widget=forms.PasswordInput)


def test_every_text_field_of_a_form_gets_a_limit_naming_its_label() -> None:
    form = _Form(data={"reason": "x" * 100_000, "title": "y" * 21, "password": "p" * 6000})
    assert not form.is_valid()
    assert form.errors == {
        "reason": ["“变更原因”不能超过 5,000 字（当前 100,000 字）"],
        "title": ["“标题”不能超过 20 字（当前 21 字）"],
    }
    assert form.fields["reason"].widget.attrs["maxlength"] == str(TEXT_MAX_LENGTH)
    assert _Form(data={"reason": "x" * TEXT_MAX_LENGTH, "title": "y" * 20, "password": "p"}).is_valid()


def test_every_form_of_the_project_derives_from_the_limited_bases() -> None:
    """A guard: a new form that is a bare forms.Form or ModelForm would have no text limit."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    bare = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and ("(forms.Form)" in (text := path.read_text(encoding="utf-8")) or "(forms.ModelForm)" in text)
        and not (path.parent.name == "core" and path.name == "forms.py")
    ]
    assert bare == []


def test_saving_a_text_longer_than_its_limit_is_refused_and_stores_nothing(world: Any) -> None:
    # given a rule parameter whose note (a TextField or CharField) is far too long
    row = RuleParameter.objects.first()
    assert row is not None
    field = next(f for f in RuleParameter._meta.concrete_fields if f.get_internal_type() in ("TextField", "CharField"))
    limit = field.max_length or TEXT_MAX_LENGTH
    before = getattr(row, field.attname)
    setattr(row, field.attname, "长" * (limit + 1))
    # when it is saved, whichever code path saves it
    with pytest.raises(DomainError) as info:
        row.save()
    # then it is refused naming the field's label and the limit, and the stored row is unchanged
    assert info.value.code == "text.too_long" and info.value.field == field.name
    assert info.value.message == f"“{field.verbose_name}”不能超过 {limit:,} 字（当前 {limit + 1:,} 字）"
    row.refresh_from_db()
    assert getattr(row, field.attname) == before


def test_rows_the_system_writes_are_not_measured() -> None:
    from govworks.core.models import AuditEvent

    text_lengths_check(AuditEvent(summary="x" * 100_000))  # the audit code cuts what it stores itself
