"""REST endpoint of the 交付使用资产清单 (/api/closeout/asset-cards/…) for the fixed-asset system: read only, the cards
of the projects the caller may read (another agency's card is 404), filtered by ``project``; the same columns as
the import Excel (reports_final.ASSET_COLUMNS)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from govworks.closeout import permissions_final as perms
from govworks.closeout.asset_classes import CLASS_NAMES
from govworks.closeout.models import AssetCard


class AssetCardSerializer(serializers.ModelSerializer):
    asset_number = serializers.SerializerMethodField(help_text="资产编号（项目编号-序号）")
    class_name = serializers.SerializerMethodField(help_text="资产分类名称（GB/T 14885）")
    project_code = serializers.CharField(source="handover.project.code", read_only=True)
    project_name = serializers.CharField(source="handover.project.name", read_only=True)
    using_department = serializers.CharField(source="handover.using_department.name", read_only=True)
    custodian_department = serializers.CharField(source="custodian_department.name", read_only=True)
    handover_status = serializers.CharField(source="handover.status", read_only=True)
    confirmed_on = serializers.DateField(source="handover.confirmed_on", read_only=True)
    source_line = serializers.CharField(source="line.label", read_only=True)
    value = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = AssetCard
        fields = [
            "id",
            "asset_number",
            "name",
            "class_code",
            "class_name",
            "quantity",
            "unit",
            "value",
            "delivered_on",
            "location",
            "using_department",
            "custodian_department",
            "project_code",
            "project_name",
            "handover_status",
            "confirmed_on",
            "source_line",
        ]
        read_only_fields = fields

    def get_asset_number(self, card: AssetCard) -> str:
        return f"{card.handover.project.code}-{card.seq:03d}"

    def get_class_name(self, card: AssetCard) -> str:
        return CLASS_NAMES.get(card.class_code, "")


class AssetCardViewSet(viewsets.ReadOnlyModelViewSet):
    """交付使用资产卡片: the cards of the projects the caller may read."""

    queryset = AssetCard.objects.none()  # for the schema; requests use get_queryset() / get_object()
    serializer_class = AssetCardSerializer

    def get_queryset(self) -> Any:
        qs = perms.asset_cards_visible_to(self.request.user).select_related(
            "handover", "handover__project", "handover__using_department", "custodian_department", "line"
        )
        project = self.request.query_params.get("project", "")
        if project.isdigit():
            qs = qs.filter(handover__project_id=int(project))
        return qs.order_by("handover_id", "seq")

    def get_object(self) -> AssetCard:
        return perms.access_asset_card(self.request.user, self.kwargs["pk"])  # type: ignore[no-any-return]

    @extend_schema(parameters=[OpenApiParameter("project", int, description="项目ID")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)
