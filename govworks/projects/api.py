"""REST endpoints of the project lifecycle (/api/projects/…): the same selectors and services as the pages.

Every list starts from ``*_visible_to`` (through the module's selectors) and every by-id read from
``access_*``: a record the caller may not see is 404, an action the caller does not hold is 403, a
business rule that refuses is 422 ``{code, detail, field}`` (govworks.core.api.exception_handler).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.fields import empty
from rest_framework.request import Request
from rest_framework.response import Response

from govworks.core.registry import decision_subject_kind
from govworks.org import permissions as org_perms
from govworks.org.roles import Role
from govworks.projects import permissions as perms
from govworks.projects.models import (
    AgendaItem,
    AnnualPlan,
    ApprovalRequest,
    ApprovalStep,
    Meeting,
    PlanItem,
    Project,
    ProjectType,
    Stage,
)
from govworks.projects.selectors import approvals as approval_selectors
from govworks.projects.selectors import meetings as meeting_selectors
from govworks.projects.selectors.plans import PlanFilter, PlanPage, plan_list_visible_to, plan_page
from govworks.projects.selectors.projects import ProjectFilter, project_list_visible_to
from govworks.projects.services import approvals as approval_services
from govworks.projects.services import decisions as decision_services
from govworks.projects.services import projects as project_services


def _amount(max_digits: int = 16) -> serializers.DecimalField:
    """An amount in yuan, as a string with two decimals (e.g. "380000.00"); null when not yet recorded."""
    return serializers.DecimalField(max_digits=max_digits, decimal_places=2, read_only=True)


def _role_label(role: str | None) -> str:
    return Role(role).label if role in Role.values else (role or "")


def _enum(choices: Any) -> dict[str, Any]:
    """An OpenAPI enum with its own component name: ``status`` means different things on plans and
    approvals, and drf_spectacular's automatic naming would collide (drf_spectacular.W001)."""
    return {
        "type": "string",
        "enum": [value for value, _label in choices],
        "description": "；".join(f"`{value}` {label}" for value, label in choices),
    }


@extend_schema_field(_enum(AnnualPlan.Status.choices), component_name="AnnualPlanStatusEnum")
class PlanStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=AnnualPlan.Status.choices, **kwargs)


@extend_schema_field(_enum(ApprovalRequest.Status.choices), component_name="ApprovalStatusEnum")
class ApprovalStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ApprovalRequest.Status.choices, **kwargs)


# ---------------------------------------------------------------------------------------- errors (schema only)


class ErrorSerializer(serializers.Serializer):
    """The body of a refusal: a stable code and a Chinese message (and the field to blame, if any)."""

    code = serializers.CharField()
    detail = serializers.CharField()
    field = serializers.CharField(required=False)


REFUSALS = {
    403: OpenApiResponse(ErrorSerializer, description="无权执行此操作（未登录，或在该单位没有相应权限）"),
    404: OpenApiResponse(ErrorSerializer, description="记录不存在或您无权查看"),
    422: OpenApiResponse(ErrorSerializer, description="业务规则不允许（detail 写明缺少什么），未作任何修改"),
}


# ---------------------------------------------------------------------------------------- projects


class ProjectFilterInputSerializer(serializers.Serializer):
    """Query parameters of the project register (the same meaning as ``selectors.ProjectFilter``)."""

    stage = serializers.ChoiceField(
        choices=Stage.choices, required=False, allow_blank=True, error_messages={"invalid_choice": "阶段“{input}”不存在"}
    )
    project_type = serializers.ChoiceField(
        choices=ProjectType.choices,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": "项目类型“{input}”不存在"},
    )
    agency = serializers.IntegerField(
        required=False, min_value=1, error_messages={"invalid": "单位编号须为整数", "min_value": "单位编号须为正整数"}
    )
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=50, error_messages={"max_length": "查询文字不能超过50字"}
    )
    outside_plan = serializers.BooleanField(required=False, error_messages={"invalid": "“仅计划外”须为 true 或 false"})

    def to_filter(self) -> ProjectFilter:
        data = self.validated_data
        return ProjectFilter(
            agency_id=data.get("agency"),
            stage=data.get("stage", ""),
            project_type=data.get("project_type", ""),
            text=data.get("q", "").strip(),
            outside_plan=bool(data.get("outside_plan")),
        )


class GateConditionSerializer(serializers.Serializer):
    """One condition for leaving the current stage, evaluated now."""

    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label (popped by the metaclass)
    ok = serializers.BooleanField()
    detail = serializers.CharField()


class ProjectSerializer(serializers.ModelSerializer):
    """A row of the project register."""

    agency_name = serializers.CharField(source="agency.name", read_only=True)
    project_type_label = serializers.CharField(source="get_project_type_display", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    estimate_amount = _amount()
    approved_estimate = _amount()
    budget_amount = _amount()
    manager_name = serializers.CharField(source="manager.display_name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    outside_plan = serializers.BooleanField(source="is_outside_plan", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "agency",
            "agency_name",
            "project_type",
            "project_type_label",
            "stage",
            "stage_label",
            "stage_entered_on",
            "estimate_amount",
            "approved_estimate",
            "budget_amount",
            "manager",
            "manager_name",
            "department",
            "department_name",
            "outside_plan",
            "planned_start",
            "planned_end",
        ]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    """One project with the conditions of its current stage's gate."""

    funding_source_label = serializers.CharField(source="get_funding_source_display", read_only=True)
    controlling_amount = _amount()
    gate = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "location",
            "funding_source",
            "funding_source_label",
            "plan_item",
            "outside_plan_reason",
            "controlling_amount",
            "created_at",
            "updated_at",
            "gate",
        ]
        read_only_fields = fields

    @extend_schema_field(GateConditionSerializer(many=True))
    def get_gate(self, project: Project) -> Any:
        return GateConditionSerializer(project_services.gate_conditions(project), many=True).data


class AdvanceInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=500, error_messages={"max_length": "办结说明不能超过500字"}
    )


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """项目库: visible projects (filters as on the register page); one project with its stage gate;
    办结本阶段 (advance)."""

    queryset = Project.objects.none()  # for the schema; requests use get_queryset() / get_object()
    serializer_class = ProjectSerializer

    def get_serializer_class(self) -> Any:
        return ProjectSerializer if self.action == "list" else ProjectDetailSerializer

    def get_queryset(self) -> Any:
        filters = ProjectFilterInputSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return project_list_visible_to(user=self.request.user, filters=filters.to_filter())

    def get_object(self) -> Project:
        return perms.access_project(self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=[ProjectFilterInputSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ProjectDetailSerializer, 403: REFUSALS[403], 404: REFUSALS[404]})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=AdvanceInputSerializer,
        responses={200: ProjectDetailSerializer, **REFUSALS},
        description="办结当前阶段、进入下一阶段；条件不满足时 422，detail 列出所缺的每一项，项目不作任何修改。",
    )
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str | None = None) -> Response:
        project = perms.access_project(request.user, pk)
        org_perms.require(request.user, perms.PROJECT_ADVANCE, project.agency_id)
        data = AdvanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project = project_services.project_advance(
            actor=request.user,  # type: ignore[arg-type]
            project=project,
            note=data.validated_data.get("note", "").strip(),
        )
        return Response(ProjectDetailSerializer(project).data)


# ---------------------------------------------------------------------------------------- annual plans


class PlanFilterInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": "年度须为整数", "min_value": "年度不正确", "max_value": "年度不正确"},
    )
    agency = serializers.IntegerField(
        required=False, min_value=1, error_messages={"invalid": "单位编号须为整数", "min_value": "单位编号须为正整数"}
    )
    status = PlanStatusField(
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": "计划状态“{input}”不存在"},
    )

    def to_filter(self) -> PlanFilter:
        data = self.validated_data
        return PlanFilter(year=data.get("year"), agency_id=data.get("agency"), status=data.get("status", ""))


class PlanSerializer(serializers.ModelSerializer):
    """A row of the plan list, with its number of items and their total estimate."""

    agency_name = serializers.CharField(source="agency.name", read_only=True)
    status = PlanStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    drafted_by_name = serializers.CharField(source="drafted_by.display_name", read_only=True)
    item_count = serializers.IntegerField(read_only=True)
    total = serializers.SerializerMethodField()

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "agency",
            "agency_name",
            "year",
            "revision",
            "previous",
            "title",
            "status",
            "status_label",
            "drafted_by",
            "drafted_by_name",
            "submitted_at",
            "decided_at",
            "filed_at",
            "returned_at",
            "item_count",
            "total",
        ]
        read_only_fields = fields

    @extend_schema_field(_amount(18))
    def get_total(self, plan: AnnualPlan) -> str:
        return f"{getattr(plan, 'total', None) or 0:.2f}"


class PlanItemSerializer(serializers.ModelSerializer):
    project_type_label = serializers.CharField(source="get_project_type_display", read_only=True)
    estimated_amount = _amount()
    funding_source_label = serializers.CharField(source="get_funding_source_display", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    responsible_name = serializers.CharField(source="responsible.display_name", read_only=True)
    project = serializers.SerializerMethodField()

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "seq",
            "name",
            "project_type",
            "project_type_label",
            "location",
            "estimated_amount",
            "funding_source",
            "funding_source_label",
            "planned_start",
            "planned_end",
            "department",
            "department_name",
            "responsible",
            "responsible_name",
            "expected_outcome",
            "project",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_project(self, item: PlanItem) -> int | None:
        """The project built from this item, if any (loaded with the item)."""
        project = getattr(item, "project", None)
        return project.pk if project is not None else None


class PlanDetailSerializer(serializers.ModelSerializer):
    """One plan with its items (``context["page"]``: the selector's ``PlanPage``)."""

    agency_name = serializers.CharField(source="agency.name", read_only=True)
    status = PlanStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    drafted_by_name = serializers.CharField(source="drafted_by.display_name", read_only=True)
    total = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "agency",
            "agency_name",
            "year",
            "revision",
            "previous",
            "title",
            "status",
            "status_label",
            "revision_reason",
            "drafted_by",
            "drafted_by_name",
            "submitted_at",
            "decided_at",
            "filed_at",
            "returned_at",
            "return_comment",
            "total",
            "items",
        ]
        read_only_fields = fields

    def _page(self) -> PlanPage:
        page: PlanPage = self.context["page"]
        return page

    @extend_schema_field(_amount(18))
    def get_total(self, plan: AnnualPlan) -> str:
        return f"{self._page().total:.2f}"

    @extend_schema_field(PlanItemSerializer(many=True))
    def get_items(self, plan: AnnualPlan) -> Any:
        return PlanItemSerializer(self._page().items, many=True).data


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """年度工程建设计划: visible plans (a subordinate's only once filed) and one plan with its items."""

    queryset = AnnualPlan.objects.none()  # for the schema; requests use get_queryset() / get_object()
    serializer_class = PlanSerializer

    def get_queryset(self) -> Any:
        filters = PlanFilterInputSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return plan_list_visible_to(user=self.request.user, filters=filters.to_filter())

    @extend_schema(parameters=[PlanFilterInputSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: PlanDetailSerializer, 403: REFUSALS[403], 404: REFUSALS[404]})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = perms.access_plan(request.user, kwargs["pk"])
        page = plan_page(user=request.user, plan=plan)
        return Response(PlanDetailSerializer(plan, context={"page": page}).data)


# ---------------------------------------------------------------------------------------- approvals


class ApprovalInboxSerializer(serializers.ModelSerializer):
    """A pending request whose current step the caller may decide (``context["scope"]``: DecidingScope)."""

    kind_label = serializers.SerializerMethodField()
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    amount = _amount()
    project_code = serializers.CharField(source="project.code", read_only=True, allow_null=True)
    submitted_by_name = serializers.CharField(source="submitted_by.display_name", read_only=True)
    status = ApprovalStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    current_role = serializers.CharField(read_only=True, allow_null=True)
    current_role_label = serializers.SerializerMethodField()
    current_due = serializers.DateField(read_only=True, allow_null=True)
    on_behalf_of = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalRequest
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "amount",
            "agency",
            "agency_name",
            "project",
            "project_code",
            "chain_name",
            "submitted_by",
            "submitted_by_name",
            "submitted_at",
            "status",
            "status_label",
            "current_index",
            "current_role",
            "current_role_label",
            "current_due",
            "on_behalf_of",
        ]
        read_only_fields = fields

    def get_kind_label(self, request: ApprovalRequest) -> str:
        return approval_services.KIND_LABELS.get(request.kind, request.kind)

    def get_current_role_label(self, request: ApprovalRequest) -> str:
        return _role_label(getattr(request, "current_role", None))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_on_behalf_of(self, request: ApprovalRequest) -> str | None:
        """The delegator's name when the caller decides only by delegation."""
        scope: approval_selectors.DecidingScope | None = self.context.get("scope")
        role = getattr(request, "current_role", None)
        return scope.on_behalf_of(request, role) if scope is not None and role else None


class ApprovalStepSerializer(serializers.ModelSerializer):
    role_label = serializers.SerializerMethodField()
    decision_label = serializers.CharField(source="get_decision_display", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.display_name", read_only=True, allow_null=True)
    on_behalf_of_name = serializers.CharField(source="on_behalf_of.display_name", read_only=True, allow_null=True)

    class Meta:
        model = ApprovalStep
        fields = [
            "index",
            "role",
            "role_label",
            "decision",
            "decision_label",
            "opinion",
            "decided_by",
            "decided_by_name",
            "on_behalf_of",
            "on_behalf_of_name",
            "decided_at",
            "due_on",
        ]
        read_only_fields = fields

    def get_role_label(self, step: ApprovalStep) -> str:
        return _role_label(step.role)


class ApprovalDetailSerializer(serializers.ModelSerializer):
    """One request with its chain of steps (loaded by ``selectors.approval_steps``)."""

    kind_label = serializers.SerializerMethodField()
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    amount = _amount()
    submitted_by_name = serializers.CharField(source="submitted_by.display_name", read_only=True)
    status = ApprovalStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    steps = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalRequest
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "amount",
            "agency",
            "agency_name",
            "project",
            "chain_name",
            "submitted_by",
            "submitted_by_name",
            "submitted_at",
            "status",
            "status_label",
            "current_index",
            "finished_at",
            "steps",
        ]
        read_only_fields = fields

    def get_kind_label(self, request: ApprovalRequest) -> str:
        return approval_services.KIND_LABELS.get(request.kind, request.kind)

    @extend_schema_field(ApprovalStepSerializer(many=True))
    def get_steps(self, request: ApprovalRequest) -> Any:
        return ApprovalStepSerializer(approval_selectors.approval_steps(request=request), many=True).data


class RequiredBooleanField(serializers.BooleanField):
    """A boolean that must be given, also in a form-encoded body (where DRF would read a missing box as False)."""

    default_empty_html = empty


class DecideInputSerializer(serializers.Serializer):
    approve = RequiredBooleanField(
        error_messages={"required": "请选择同意或退回", "null": "请选择同意或退回", "invalid": "“同意”须为 true 或 false"}
    )
    opinion = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        error_messages={"max_length": "审批意见不能超过2000字"},
    )


class ApprovalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """待我审批: pending requests whose current step the caller may decide (as holder of the step's role or
    by delegation, never their own submissions), oldest deadline first; one request with its chain; decide."""

    queryset = ApprovalRequest.objects.none()  # for the schema; requests use get_queryset() / get_object()
    serializer_class = ApprovalInboxSerializer

    def get_serializer_class(self) -> Any:
        return ApprovalInboxSerializer if self.action == "list" else ApprovalDetailSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if self.action == "list":
            context["scope"] = self._scope()
        return context

    def _scope(self) -> approval_selectors.DecidingScope:
        if not hasattr(self, "_deciding_scope"):
            self._deciding_scope = approval_selectors.deciding_scope(user=self.request.user)
        return self._deciding_scope

    def get_queryset(self) -> Any:
        return approval_selectors.approval_todo_for(user=self.request.user, scope=self._scope())

    def get_object(self) -> ApprovalRequest:
        return perms.access_approval(self.request.user, self.kwargs["pk"])

    @extend_schema(responses={200: ApprovalDetailSerializer, 403: REFUSALS[403], 404: REFUSALS[404]})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=DecideInputSerializer,
        responses={200: ApprovalDetailSerializer, **REFUSALS},
        description=(
            "审批当前环节：同意（可不填意见，记为“同意”）或退回（须填写理由）。职责分离：起草、提交或审批过前一环节的人"
            "（本人或经委托）不能审批后续环节（422，代码 approval.own_submission / approval.own_draft / approval.earlier_step），"
            "被拒绝的尝试记入审计日志供纪检监察查看。"
        ),
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        approval = perms.access_approval(request.user, pk)
        data = DecideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval = approval_services.approval_decide(
            actor=request.user,  # type: ignore[arg-type]
            request=approval,
            approve=data.validated_data["approve"],
            opinion=data.validated_data.get("opinion", ""),
        )
        return Response(ApprovalDetailSerializer(approval).data)


# ---------------------------------------------------------------------------------------- 三重一大 agenda


@extend_schema_field(_enum(AgendaItem.Category.choices), component_name="AgendaCategoryEnum")
class AgendaCategoryField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=AgendaItem.Category.choices, **kwargs)


@extend_schema_field(_enum(AgendaItem.Status.choices), component_name="AgendaStatusEnum")
class AgendaStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=AgendaItem.Status.choices, **kwargs)


class FactSerializer(serializers.Serializer):
    """One fact of the decided object as the meeting saw it (e.g. 合同金额 / 1,000,000.00 元)."""

    label = serializers.CharField()  # type: ignore[assignment]  # the fact's name, not the field's label
    value = serializers.CharField()


class AgendaItemSerializer(serializers.ModelSerializer):
    """An agenda item with the facts of its object recorded when it was put on the agenda."""

    category = AgendaCategoryField(read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status = AgendaStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    amount = _amount()
    subject_kind_label = serializers.SerializerMethodField()
    subject_facts = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "seq",
            "title",
            "category",
            "category_label",
            "amount",
            "subject_kind",
            "subject_kind_label",
            "subject_id",
            "subject_facts",
            "subject_url",
            "status",
            "status_label",
            "chair_conclusion",
            "concluded_at",
        ]
        read_only_fields = fields

    def get_subject_kind_label(self, item: AgendaItem) -> str:
        kind = decision_subject_kind(item.subject_kind)
        return kind.label if kind else ""

    @extend_schema_field(FactSerializer(many=True))
    def get_subject_facts(self, item: AgendaItem) -> list[dict[str, str]]:
        return [{"label": str(label), "value": str(value)} for label, value in item.subject_facts or []]


class AgendaSubjectSerializer(serializers.Serializer):
    """An object that may be put on the meeting's agenda: ``value`` is what ``POST …/agenda/`` takes."""

    value = serializers.CharField()
    kind = serializers.CharField(source="kind.key")
    kind_label = serializers.CharField(source="kind.label")
    title = serializers.CharField(source="facts.title")
    amount = _amount()
    facts = serializers.SerializerMethodField()
    url = serializers.CharField(source="facts.url")

    @extend_schema_field(FactSerializer(many=True))
    def get_facts(self, choice: Any) -> list[dict[str, str]]:
        return [{"label": f.label, "value": f.value} for f in choice.facts.facts]


class AgendaAddInputSerializer(serializers.Serializer):
    subject = serializers.RegexField(
        r"^[a-z_]+:[1-9][0-9]{0,17}$",
        error_messages={"required": "请选择决策事项", "invalid": "决策事项须写作“类型:编号”，如 contract:12"},
        help_text="决策事项：类型:编号（见 agenda-subjects）",
    )
    category = AgendaCategoryField(
        required=False, allow_blank=True, error_messages={"invalid_choice": "三重一大类别“{input}”不存在"}
    )
    title = serializers.CharField(
        required=False, allow_blank=True, max_length=200, error_messages={"max_length": "议题名称不能超过200字"}
    )


class MeetingViewSet(viewsets.GenericViewSet):
    """A decision meeting's agenda: the items with their objects' facts; adding an item (the meeting's
    recorder or chair, through the same service as the page); what may be added, grouped by kind."""

    queryset = Meeting.objects.none()  # for the schema; requests use access_meeting()
    serializer_class = AgendaItemSerializer

    @extend_schema(methods=["GET"], responses={200: AgendaItemSerializer(many=True), 403: REFUSALS[403], 404: REFUSALS[404]})
    @extend_schema(
        methods=["POST"],
        request=AgendaAddInputSerializer,
        responses={201: AgendaItemSerializer, **REFUSALS},
        description="增加议题：决策事项须为本单位待集体决策且尚未列入议题的事项（见 agenda-subjects）；"
        "类别与议题名称不填时按事项确定。只有会议记录人或主持人可以办理。",
    )
    @action(detail=True, methods=["get", "post"])
    def agenda(self, request: Request, pk: str | None = None) -> Response:
        meeting = perms.access_meeting(request.user, pk)
        if request.method == "POST":
            data = AgendaAddInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            kind_key, _, obj_id = data.validated_data["subject"].partition(":")
            subject = meeting_selectors.decision_subject_get(user=request.user, kind_key=kind_key, pk=int(obj_id))
            item = decision_services.agenda_item_add(
                actor=request.user,  # type: ignore[arg-type]
                meeting=meeting,
                subject=subject,
                category=data.validated_data.get("category", ""),
                title=data.validated_data.get("title", ""),
            )
            return Response(AgendaItemSerializer(item).data, status=201)
        items = AgendaItem.objects.filter(meeting=meeting).order_by("seq")
        return Response(AgendaItemSerializer(items, many=True).data)

    @extend_schema(responses={200: AgendaSubjectSerializer(many=True), 403: REFUSALS[403], 404: REFUSALS[404]})
    @action(detail=True, methods=["get"], url_path="agenda-subjects")
    def agenda_subjects(self, request: Request, pk: str | None = None) -> Response:
        meeting = perms.access_meeting(request.user, pk)
        choices = meeting_selectors.agenda_subject_choices(meeting=meeting, user=request.user)
        return Response(AgendaSubjectSerializer(choices, many=True).data)
