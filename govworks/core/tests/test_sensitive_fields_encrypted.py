"""Guard (issue 12, item 11): every field of the project that holds a bank account or an identity number — found
by its name or its Chinese label — is stored with SM4 (``SM4EncryptedCharField``), so a new one cannot be added in
plain by mistake; and every keyed digest points at an encrypted field of its model."""

from __future__ import annotations

import re

from django.apps import apps
from django.db import models

from govworks.core.encryption import SM4DigestField, SM4EncryptedCharField

NAME = re.compile(r"(account_number|payee_account|id_number|identity_number|id_card|id_no)$")
LABEL = re.compile(r"(银行账号|收款账号|专用账号|身份证|证件号码)")


def _sensitive(field: models.Field) -> bool:  # type: ignore[type-arg]
    if field.is_relation or isinstance(field, SM4DigestField):
        return False
    return bool(NAME.search(field.name) or LABEL.search(str(field.verbose_name)))


def test_every_account_or_identity_number_field_is_sm4_encrypted() -> None:
    found = [
        (model._meta.label, field.name)
        for model in apps.get_models()
        if model.__module__.startswith("govworks.")
        for field in model._meta.concrete_fields
        if _sensitive(field)
    ]
    plain = [
        f"{label}.{name}"
        for label, name in found
        if not isinstance(apps.get_model(label)._meta.get_field(name), SM4EncryptedCharField)
    ]
    assert ("procurement.SupplierBankAccount", "account_number") in found  # the guard sees what it must
    assert not plain, f"这些字段保存银行账号或身份证号，须用 SM4EncryptedCharField：{plain}"


def test_every_digest_is_of_an_encrypted_field() -> None:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, SM4DigestField):
                assert isinstance(model._meta.get_field(field.source), SM4EncryptedCharField), field
