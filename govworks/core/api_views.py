"""REST endpoint of the audit log (安全审计员)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from govworks.core.access import access_policy
from govworks.core.models import AuditEvent
from govworks.core.selectors import AUDIT_VIEW, audit_events_visible_to


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "occurred_at",
            "actor",
            "actor_name",
            "agency",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "summary",
            "changes",
            "reason",
            "ip",
            "prev_hash",
            "hash",
        ]


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEventSerializer
    queryset = AuditEvent.objects.none()  # for the schema; requests use get_queryset()

    def get_queryset(self) -> Any:
        if not access_policy().can_anywhere(self.request.user, AUDIT_VIEW):
            raise PermissionDenied("只有安全审计员可以查看审计日志")
        return audit_events_visible_to(user=self.request.user).order_by("-seq")
