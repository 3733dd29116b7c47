"""Key the audit chain (HMAC-SM3, item 5 of issue 12): the key id per event, the head row's HMAC, signed
checkpoints and archives; then the one-time upgrade: every existing event is re-chained with the current key
(the database owner's maintenance act, done once with the triggers off) and the new guards are installed
(head moves only forward, checkpoints append-only, events deletable only below a signed prune anchor)."""

import django.db.models.deletion
import govworks.core.models
from django.conf import settings
from django.db import migrations, models


def rechain_with_key(apps, schema_editor):
    from govworks.core.audit import canonical_payload, head_mac
    from govworks.core.audit_keys import audit_keyring
    from govworks.core.db.triggers import POSTGRES_CREATE, POSTGRES_DROP, SQLITE_CREATE, SQLITE_DROP

    connection = schema_editor.connection
    postgres = connection.vendor == "postgresql"
    for sql in POSTGRES_DROP if postgres else SQLITE_DROP:
        schema_editor.execute(sql, params=None)
    event_model = apps.get_model("core", "AuditEvent")
    head_model = apps.get_model("core", "AuditChainHead")
    if event_model.objects.exists():
        ring = audit_keyring()
        key_id = ring.current_id
        hasher = ring.hasher(key_id)
        fields = (
            "seq", "occurred_at", "actor_id", "agency_id", "action", "object_type", "object_id", "object_repr",
            "actor_name", "context_type", "context_id", "summary", "changes", "reason", "request_id", "ip",
        )  # fmt: skip
        prev = "0" * 64
        batch = []
        update = "UPDATE core_auditevent SET prev_hash = %s, hash = %s, key_id = %s WHERE seq = %s"
        with connection.cursor() as cursor:
            for row in event_model.objects.order_by("seq").values_list(*fields).iterator(chunk_size=5000):
                values = dict(zip(fields, row, strict=True))
                payload = canonical_payload(**values, key_id=key_id)
                h = hasher.copy()
                h.update(prev.encode("ascii"))
                h.update(payload)
                digest = h.finalize().hex()
                batch.append((prev, digest, key_id, values["seq"]))
                prev = digest
                if len(batch) >= 5000:
                    cursor.executemany(update, batch)
                    batch = []
            if batch:
                cursor.executemany(update, batch)
            last_seq = values["seq"]
            cursor.execute(
                "UPDATE core_auditchainhead SET last_seq = %s, last_hash = %s, key_id = %s, mac = %s WHERE id = 1",
                [last_seq, prev, key_id, head_mac(last_seq, prev, key_id=key_id, ring=ring)],
            )
    elif not head_model.objects.filter(pk=1).exists():
        head_model.objects.create(pk=1)
    for sql in POSTGRES_CREATE if postgres else SQLITE_CREATE:
        schema_editor.execute(sql, params=None)


def drop_new_guards(apps, schema_editor):
    from govworks.core.db.triggers import POSTGRES_DROP, SQLITE_DROP

    for sql in POSTGRES_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_working_calendar"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=32, verbose_name="密钥编号"),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="mac",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="校验码"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=32, verbose_name="密钥编号"),
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("daily", "每日检查点"), ("archive", "归档检查点"), ("prune", "清理锚点")],
                        max_length=10,
                        verbose_name="类型",
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="生成时间")),
                ("last_seq", models.BigIntegerField(verbose_name="截至序号")),
                ("last_hash", models.CharField(max_length=64, verbose_name="截至哈希")),
                ("first_seq", models.BigIntegerField(default=1, verbose_name="起始序号")),
                ("key_id", models.CharField(max_length=32, verbose_name="密钥编号")),
                ("mac", models.CharField(max_length=64, verbose_name="签名")),
            ],
            options={
                "verbose_name": "审计检查点",
                "verbose_name_plural": "审计检查点",
                "ordering": ["-last_seq", "-id"],
                "indexes": [models.Index(fields=["kind", "last_seq"], name="core_checkpoint_kind_idx")],
            },
        ),
        migrations.CreateModel(
            name="AuditArchive",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("first_seq", models.BigIntegerField(verbose_name="起始序号")),
                ("last_seq", models.BigIntegerField(verbose_name="截至序号")),
                ("last_hash", models.CharField(max_length=64, verbose_name="截至哈希")),
                ("cutoff", models.DateTimeField(verbose_name="早于此时间的事件")),
                ("file", models.FileField(upload_to=govworks.core.models.audit_archive_upload_to, verbose_name="归档文件")),
                ("file_sm3", models.CharField(max_length=64, verbose_name="文件 SM3")),
                ("created_at", models.DateTimeField(verbose_name="归档时间")),
                ("downloaded_at", models.DateTimeField(blank=True, null=True, verbose_name="下载时间")),
                ("pruned_at", models.DateTimeField(blank=True, null=True, verbose_name="清理时间")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="归档人",
                    ),
                ),
                (
                    "pruned_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="清理人",
                    ),
                ),
                (
                    "checkpoint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.auditcheckpoint",
                        verbose_name="检查点",
                    ),
                ),
            ],
            options={
                "verbose_name": "审计日志归档",
                "verbose_name_plural": "审计日志归档",
                "ordering": ["-last_seq"],
            },
        ),
        migrations.RunPython(rechain_with_key, drop_new_guards),
    ]
