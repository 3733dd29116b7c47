"""SM4 for sensitive fields at rest (issue 12, item 11): bank accounts, identity numbers.

A value is stored as ``sm4gcm$<key id>$<base64 nonce>$<base64 ciphertext+tag>``: SM4 in GCM mode (authenticated: a
changed byte fails to decrypt) with a 16-byte key derived by HMAC-SM3 from the keyring's 32-byte key, and the
column's name (``app.model.field``) as associated data, so a ciphertext copied into another column does not decrypt.
The keyring lives outside the database like the audit chain's, but is a different one
(``FIELD_ENCRYPTION_KEY_SOURCE``: ``file:…`` or ``env:…``). Rotation: add a key and make it current
(``manage.py field_keys_rotate``), which re-encrypts every stored value under it; old keys stay for reading.
"""

from __future__ import annotations

import base64
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models

from govworks.core.audit_keys import Keyring, keyring_from

PREFIX = "sm4gcm"


class DecryptionError(ValueError):
    """A stored value that does not decrypt (unknown key, altered bytes, or moved from another column)."""


def field_keyring() -> Keyring:
    """The keyring of encrypted fields (``FIELD_ENCRYPTION_KEY_SOURCE``), cached until it changes."""
    return keyring_from(
        str(getattr(settings, "FIELD_ENCRYPTION_KEY_SOURCE", "") or ""),
        autocreate=getattr(settings, "FIELD_ENCRYPTION_KEY_AUTOCREATE", False),
    )


def _sm4_key(ring: Keyring, key_id: str) -> bytes:
    h = hmac.HMAC(ring.keys[key_id], hashes.SM3())
    h.update(b"govworks-field-sm4")
    return h.finalize()[:16]


def masked(value: str | None, *, keep: int = 4) -> str:
    """A sensitive number for display and for the audit trail: only its last ``keep`` characters, e.g. ****9871."""
    if not value:
        return ""
    return "*" * 4 + value[-keep:] if len(value) > keep else "*" * len(value)


def is_encrypted(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX + "$")


def key_id_of(token: str) -> str:
    """The key id a stored value was encrypted with."""
    return token.split("$", 2)[1]


def sm4_encrypt(plaintext: str, *, purpose: str, ring: Keyring | None = None) -> str:
    """Encrypt ``plaintext`` under the current key, bound to ``purpose`` (the column)."""
    ring = ring or field_keyring()
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(_sm4_key(ring, ring.current_id)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(purpose.encode())
    body = encryptor.update(plaintext.encode()) + encryptor.finalize() + encryptor.tag
    return "$".join([PREFIX, ring.current_id, base64.b64encode(nonce).decode("ascii"), base64.b64encode(body).decode("ascii")])


def sm4_decrypt(token: str, *, purpose: str, ring: Keyring | None = None) -> str:
    """The plaintext of a stored value; DecryptionError when it cannot be trusted."""
    ring = ring or field_keyring()
    try:
        prefix, key_id, nonce_b64, body_b64 = token.split("$")
        if prefix != PREFIX:
            raise ValueError(prefix)
        nonce, body = base64.b64decode(nonce_b64), base64.b64decode(body_b64)
        if key_id not in ring.keys:
            raise DecryptionError(f"未知的字段密钥 {key_id}")
        decryptor = Cipher(algorithms.SM4(_sm4_key(ring, key_id)), modes.GCM(nonce, body[-16:])).decryptor()
        decryptor.authenticate_additional_data(purpose.encode())
        return (decryptor.update(body[:-16]) + decryptor.finalize()).decode()
    except DecryptionError:
        raise
    except (ValueError, InvalidTag) as err:
        raise DecryptionError(f"加密字段 {purpose} 的值无法解密：已被改动或不属于该字段") from err


class SM4EncryptedCharField(models.TextField):  # type: ignore[type-arg]
    """A short text (account number, identity number) stored SM4-encrypted; reads give the plaintext.

    ``max_length`` limits the plaintext (forms and ``full_clean``). The database sees only ciphertext, so the column
    cannot be searched, ordered or made unique by content: every lookup but ``isnull`` is refused. Values written
    before the field was encrypted (plain text) are read as they are and encrypted on the next save or rotation.
    """

    description = "SM4 加密文本"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.plain_max_length = kwargs.get("max_length")
        super().__init__(*args, **kwargs)

    @property
    def purpose(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if is_encrypted(value):
            return sm4_decrypt(value, purpose=self.purpose)
        return value

    def to_python(self, value: Any) -> Any:
        if is_encrypted(value):
            return sm4_decrypt(value, purpose=self.purpose)
        return super().to_python(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, "") or is_encrypted(value):
            return value
        return sm4_encrypt(str(value), purpose=self.purpose)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(f"加密字段 {self.name} 不能按内容查询（{lookup_name}）")
        return super().get_lookup(lookup_name)


def encrypted_fields() -> list[tuple[type[models.Model], SM4EncryptedCharField]]:
    """Every (model, field) of the project stored with SM4."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, SM4EncryptedCharField)
    ]


def column_reencrypt(connection: Any, *, table: str, pk_column: str, column: str, purpose: str) -> int:
    """Encrypt every plain value of one column, and re-encrypt values under an old key with the current one, with
    raw SQL (used by migrations, which have no model logic, and by rotation). Returns how many rows changed."""
    ring = field_keyring()
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn(pk_column)}, {qn(column)} FROM {qn(table)}")  # noqa: S608 (names, not input)
        rows = cursor.fetchall()
        changed = 0
        for pk, stored in rows:
            if stored in (None, ""):
                continue
            if is_encrypted(stored):
                if key_id_of(stored) == ring.current_id:
                    continue
                plain = sm4_decrypt(stored, purpose=purpose, ring=ring)
            else:
                plain = stored
            cursor.execute(
                f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE {qn(pk_column)} = %s",  # noqa: S608
                [sm4_encrypt(plain, purpose=purpose, ring=ring), pk],
            )
            changed += 1
    return changed


def field_values_reencrypt() -> int:
    """Bring every encrypted column under the current key (plain values encrypted too). Returns how many values."""
    from django.db import connection

    total = 0
    for model, field in encrypted_fields():
        total += column_reencrypt(
            connection,
            table=model._meta.db_table,
            pk_column=str(model._meta.pk.column),  # type: ignore[union-attr]
            column=str(field.column),
            purpose=field.purpose,
        )
    return total


@register(Tags.security, deploy=True)
def check_field_key(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """``check --deploy``: the field-encryption key is configured and not created on the fly."""
    problems: list[Any] = []
    if getattr(settings, "FIELD_ENCRYPTION_KEY_AUTOCREATE", False):
        problems.append(Error("生产环境不得自动生成字段加密密钥", id="govworks.E013"))
    try:
        field_keyring()
    except ImproperlyConfigured as err:
        problems.append(Error(f"字段加密密钥不可用：{err}", hint="设置 FIELD_ENCRYPTION_KEY_SOURCE", id="govworks.E012"))
    return problems
