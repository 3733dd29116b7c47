"""REST endpoints of the organisation module: the same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from govworks.org import permissions as perms
from govworks.org import selectors, services
from govworks.org.models import Agency, Department, ExternalOrganization, Position, RoleGrant, User
from govworks.org.roles import Role


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "short_name", "code", "credit_code", "parent", "level", "region_code", "is_active"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "agency", "name", "is_construction", "phone", "is_active"]


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "agency", "department", "title", "superior", "holder", "duties", "kpis", "key_tasks_year", "key_tasks"]


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "full_name", "agency", "department", "external_org", "title", "is_active"]


class ExternalOrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExternalOrganization
        fields = ["id", "name", "credit_code", "kind", "legal_representative", "phone", "address", "is_active"]


class RoleGrantSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoleGrant
        fields = ["id", "user", "agency", "role", "granted_by", "granted_at", "revoked_at", "note"]


class RoleGrantInputSerializer(serializers.Serializer):
    user = serializers.IntegerField(error_messages={"invalid": "人员编号须为整数", "required": "请指定人员"})
    agency = serializers.IntegerField(error_messages={"invalid": "单位编号须为整数", "required": "请指定单位"})
    role = serializers.ChoiceField(choices=Role.choices, error_messages={"invalid_choice": "角色“{input}”不存在"})
    note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, error_messages={"max_length": "授权依据不能超过200字"}
    )


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgencySerializer

    def get_queryset(self) -> Any:
        return perms.agencies_visible_to(self.request.user).order_by("path")


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer

    def get_queryset(self) -> Any:
        return perms.departments_visible_to(self.request.user).order_by("agency__path", "name")


class PositionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PositionSerializer

    def get_queryset(self) -> Any:
        return perms.positions_visible_to(self.request.user).order_by("agency__path", "title")


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer

    def get_queryset(self) -> Any:
        return perms.users_visible_to(self.request.user).order_by("username")


class ExternalOrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ExternalOrganizationSerializer

    def get_queryset(self) -> Any:
        return perms.external_orgs_visible_to(self.request.user).order_by("name")


class RoleGrantViewSet(viewsets.ReadOnlyModelViewSet):
    """Active grants visible to the caller; POST grants a role (安全管理员)."""

    serializer_class = RoleGrantSerializer

    def get_queryset(self) -> Any:
        return selectors.role_grant_list_visible_to(user=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = RoleGrantInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = perms.access_agency(request.user, data.validated_data["agency"])
        target = perms.access_user(request.user, data.validated_data["user"])
        grant = services.role_grant(
            actor=request.user,  # type: ignore[arg-type]
            user=target,
            agency=agency,
            role=data.validated_data["role"],
            note=data.validated_data.get("note", ""),
        )
        return Response(RoleGrantSerializer(grant).data, status=status.HTTP_201_CREATED)
