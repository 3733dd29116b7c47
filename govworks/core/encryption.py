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
import re
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


def _digest_key(ring: Keyring, key_id: str) -> bytes:
    """A key for keyed digests, derived apart from the SM4 key (a digest never helps decrypt)."""
    h = hmac.HMAC(ring.keys[key_id], hashes.SM3())
    h.update(b"govworks-field-digest")
    return h.finalize()


def digest_normalised(value: str) -> str:
    """The comparable form of a number before it is digested: letters and digits only, upper case
    (``6222 0200-1234`` and ``62220200 1234`` are the same account)."""
    return re.sub(r"[^0-9A-Za-z]", "", value or "").upper()


def field_digest(value: str | None, *, purpose: str, ring: Keyring | None = None) -> str:
    """The keyed digest (HMAC-SM3, hex) of a sensitive number, for uniqueness and matching without the
    plaintext: the same number in the same column always gives the same digest under the current key; without
    the key nobody can test guesses against the column. Empty for an empty value."""
    plain = digest_normalised(value or "")
    if not plain:
        return ""
    ring = ring or field_keyring()
    h = hmac.HMAC(_digest_key(ring, ring.current_id), hashes.SM3())
    h.update(purpose.encode() + b"\x00" + plain.encode())
    return h.finalize().hex()


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


class SM4SealedField(SM4EncryptedCharField):
    """A value sealed until a service opens it (a bid amount before the tender opening): stored like
    :class:`SM4EncryptedCharField`, but reads give the *ciphertext*, never the plaintext, so no page, form,
    export or log that loads the row can show it; only :meth:`unseal`, called by the opening service (and by the
    reader after the opening time), decrypts. Rotation re-encrypts it like any encrypted field."""

    description = "SM4 密封值"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return value

    def to_python(self, value: Any) -> Any:
        return value

    def seal(self, plaintext: str) -> str:
        """The stored token of ``plaintext`` under the current key, bound to this column."""
        return sm4_encrypt(plaintext, purpose=self.purpose)

    def unseal(self, token: str) -> str:
        """The plaintext of a stored token (DecryptionError when altered, moved or under an unknown key)."""
        if not is_encrypted(token):
            raise DecryptionError(f"密封字段 {self.purpose} 的值不是密文")
        return sm4_decrypt(token, purpose=self.purpose)


class SM4DigestField(models.CharField):  # type: ignore[type-arg]
    """The keyed digest (:func:`field_digest`) of an encrypted field of the same model (``source``), kept up to
    date on every save and on ``full_clean`` (so unique constraints on it are checked before saving). Used where
    the plaintext was used for uniqueness or matching (a supplier's bank account; shared accounts between
    bidders). Not editable; recomputed by key rotation."""

    description = "加密字段的keyed摘要"

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")  # not blank: Model.clean_fields skips blank fields, and clean() computes it
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, value in (("max_length", 64), ("editable", False), ("default", "")):
            if kwargs.get(key, value) == value:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    @property
    def purpose(self) -> str:
        return f"{self.model._meta.label_lower}.{self.source}"

    def digest_of(self, plaintext: str | None) -> str:
        return field_digest(plaintext, purpose=self.purpose)

    def _compute(self, instance: models.Model) -> str:
        value = field_digest(getattr(instance, self.source), purpose=self.purpose)
        setattr(instance, self.attname, value)
        return value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        return self._compute(model_instance)

    def clean(self, value: Any, model_instance: models.Model | None) -> Any:
        return self._compute(model_instance) if model_instance is not None else value


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


def column_digest_fill(
    connection: Any, *, table: str, pk_column: str, source_column: str, digest_column: str, purpose: str
) -> int:
    """Recompute the keyed digest of every row from its (encrypted or still plain) source column under the
    current key, with raw SQL (migrations and rotation). Returns how many rows changed."""
    ring = field_keyring()
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn(pk_column)}, {qn(source_column)}, {qn(digest_column)} FROM {qn(table)}"  # noqa: S608
        )
        rows = cursor.fetchall()
        changed = 0
        for pk, stored, old in rows:
            plain = sm4_decrypt(stored, purpose=purpose, ring=ring) if is_encrypted(stored) else (stored or "")
            new = field_digest(plain, purpose=purpose, ring=ring)
            if new != (old or ""):
                cursor.execute(
                    f"UPDATE {qn(table)} SET {qn(digest_column)} = %s WHERE {qn(pk_column)} = %s",  # noqa: S608
                    [new, pk],
                )
                changed += 1
    return changed


def digest_fields() -> list[tuple[type[models.Model], SM4DigestField]]:
    """Every (model, digest field) of the project."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, SM4DigestField)
    ]


def field_values_reencrypt() -> int:
    """Bring every encrypted column under the current key (plain values encrypted too), then recompute every
    keyed digest under the current key. Returns how many encrypted values changed."""
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
    for model, digest in digest_fields():
        column_digest_fill(
            connection,
            table=model._meta.db_table,
            pk_column=str(model._meta.pk.column),  # type: ignore[union-attr]
            source_column=str(model._meta.get_field(digest.source).column),  # type: ignore[union-attr]
            digest_column=str(digest.column),
            purpose=digest.purpose,
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
