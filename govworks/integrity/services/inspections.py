"""Every write of 双随机一公开: the item list, the inspector register, plans, draws (and re-draws with a reason),
results entered by the drawn inspectors and published on entry. Each refusal raises ``DomainError`` naming the
rule and the number and changes nothing; each write is audited."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.rule_parameters import rule_value
from govworks.core.workdays import deadline_from_rule
from govworks.integrity import permissions_inspections as perms
from govworks.integrity import rules_inspections as rules
from govworks.integrity.models import InspectionDraw, InspectionItem, InspectionPlan, InspectionResult, Inspector
from govworks.integrity.selectors.inspections import inspector_pool, object_register, subtree_ids
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, ExternalOrganization, User
from govworks.projects.rules import redraw_reason_problem


def _general_max(agency: Agency) -> Decimal:
    """The cap in per cent, exact (the parameter reads as a fraction: 20 % → 0.2 → 20.0)."""
    return Decimal(str(rule_value(rules.RATIO_RULE, agency=agency))) * 100


def _min_inspectors(agency: Agency) -> int:
    return int(rule_value(rules.INSPECTORS_RULE, agency=agency))


# ------------------------------------------------------------------------------------------ 一单: items


@transaction.atomic
def item_create(*, actor: User, agency: Agency, name: str, kind: str, ratio: Decimal, basis: str) -> InspectionItem:
    """Add an item to the agency's 随机抽查事项清单 (纪检监察). 一般 items' ratio ≤ the rule's cap."""
    perms.require_manage(actor, agency.pk)
    name, basis = (name or "").strip(), (basis or "").strip()
    if not name:
        raise DomainError("inspection.item_name", "请填写抽查事项名称", field="name")
    if kind not in InspectionItem.Kind.values:
        raise DomainError("inspection.item_kind", "事项类别只能是一般检查事项或重点检查事项", field="kind")
    problem = rules.item_ratio_problem(kind, ratio, general_max=_general_max(agency))
    if problem:
        raise DomainError("inspection.item_ratio", problem, field="ratio")
    if not basis:
        raise DomainError("inspection.item_basis", "请填写检查依据", field="basis")
    if InspectionItem.objects.filter(agency=agency, name=name).exists():
        raise DomainError("inspection.item_duplicate", f"本单位已有抽查事项“{name}”", field="name")
    item = InspectionItem.objects.create(agency=agency, name=name, kind=kind, ratio=ratio, basis=basis, created_by=actor)
    audit_event_record(
        actor=actor, action="integrity.inspection_item.create", obj=item, agency=agency,
        summary=f"新增随机抽查事项“{name}”（{item.get_kind_display()}，{ratio}%）",
    )  # fmt: skip
    return item


@transaction.atomic
def item_set_active(*, actor: User, item: InspectionItem, active: bool) -> InspectionItem:
    """Switch an item on or off in the list (plans that used it keep it)."""
    perms.require_manage(actor, item.agency_id)
    item = InspectionItem.objects.select_for_update().get(pk=item.pk)
    if item.is_active != active:
        item.is_active = active
        item.save(update_fields=["is_active"])
        audit_event_record(
            actor=actor, action="integrity.inspection_item.toggle", obj=item, agency=item.agency,
            summary=f"{'启用' if active else '停用'}随机抽查事项“{item.name}”",
            changes={"is_active": {"before": not active, "after": active}},
        )  # fmt: skip
    return item


# ------------------------------------------------------------------------------------------ 两库: inspectors


@transaction.atomic
def inspector_add(
    *,
    actor: User,
    agency: Agency,
    person: User,
    employer_name: str = "",
    employer_credit_code: str = "",
    conflict_orgs: list[ExternalOrganization] | None = None,
    conflict_note: str = "",
) -> Inspector:
    """Enter a business person of the agency's tree into the 执法检查人员名录库 with their employer (their
    agency unless stated) and declared conflicts."""
    perms.require_manage(actor, agency.pk)
    if person.is_external or person.agency_id is None:
        raise DomainError("inspection.inspector_external", "执法检查人员须为机关工作人员，外部单位人员不能入库", field="person")
    if person.agency_id not in subtree_ids(agency):
        raise DomainError(
            "inspection.inspector_agency", f"{person.display_name} 不属于本单位或下级单位，不能入库", field="person"
        )
    org_perms.require_business_person(person, duty="执法检查人员", field="person")
    if Inspector.objects.filter(agency=agency, user=person).exists():
        raise DomainError("inspection.inspector_duplicate", f"{person.display_name} 已在执法检查人员名录库中", field="person")
    home = person.agency
    assert home is not None  # checked above: a person of the agency's tree
    employer_name = (employer_name or "").strip() or home.name
    employer_credit_code = (employer_credit_code or "").strip().upper()
    if not employer_credit_code and employer_name == home.name:
        employer_credit_code = home.credit_code
    if employer_credit_code and len(employer_credit_code) != 18:
        raise DomainError(
            "inspection.inspector_code", f"统一社会信用代码须为 18 位（当前 {len(employer_credit_code)} 位）",
            field="employer_credit_code",
        )  # fmt: skip
    inspector = Inspector.objects.create(
        agency=agency, user=person, employer_name=employer_name, employer_credit_code=employer_credit_code,
        conflict_note=(conflict_note or "").strip(), added_by=actor,
    )  # fmt: skip
    inspector.conflict_orgs.set(conflict_orgs or [])
    audit_event_record(
        actor=actor, action="integrity.inspector.add", obj=inspector, agency=agency,
        summary=f"{person.display_name} 入执法检查人员名录库（工作单位：{employer_name}；申报利害关系企业 {len(conflict_orgs or [])} 家）",
    )  # fmt: skip
    return inspector


@transaction.atomic
def inspector_set_active(*, actor: User, inspector: Inspector, active: bool, reason: str = "") -> Inspector:
    """Take an inspector out of the register (or back in); earlier draws keep them in their snapshots."""
    perms.require_manage(actor, inspector.agency_id)
    inspector = Inspector.objects.select_for_update().select_related("user", "agency").get(pk=inspector.pk)
    if inspector.is_active != active:
        inspector.is_active = active
        inspector.save(update_fields=["is_active"])
        audit_event_record(
            actor=actor, action="integrity.inspector.toggle", obj=inspector, agency=inspector.agency, reason=reason,
            summary=f"{inspector.user.display_name} {'恢复入库' if active else '移出执法检查人员名录库'}",
            changes={"is_active": {"before": not active, "after": active}},
        )  # fmt: skip
    return inspector


# ------------------------------------------------------------------------------------------ 一细则: plans


@transaction.atomic
def plan_create(
    *,
    actor: User,
    agency: Agency,
    title: str,
    items: list[InspectionItem],
    object_kind: str,
    ratio: Decimal,
    inspectors_per_object: int,
    period_start: dt.date,
    period_end: dt.date,
    rules_text: str,
) -> InspectionPlan:
    """A plan of the agency: its items (of the agency, active), the object kind, the ratio (≤ the highest of its
    items), at least the rule's number of inspectors per object, the period and the working rules."""
    perms.require_manage(actor, agency.pk)
    title, rules_text = (title or "").strip(), (rules_text or "").strip()
    if not title:
        raise DomainError("inspection.plan_title", "请填写计划名称", field="title")
    if object_kind not in InspectionPlan.ObjectKind.values:
        raise DomainError("inspection.plan_kind", "检查对象类别只能是在建项目、施工单位或监理单位", field="object_kind")
    foreign = [i for i in items if i.agency_id != agency.pk or not i.is_active]
    if foreign:
        raise DomainError("inspection.plan_items", f"抽查事项“{foreign[0].name}”不是本单位在用的事项", field="items")
    problem = rules.plan_ratio_problem(ratio, [(i.kind, i.ratio) for i in items])
    if problem:
        raise DomainError("inspection.plan_ratio", problem, field="ratio" if items else "items")
    problem = rules.inspectors_problem(inspectors_per_object, minimum=_min_inspectors(agency))
    if problem:
        raise DomainError("inspection.inspectors_min", problem, field="inspectors_per_object")
    if period_end < period_start:
        raise DomainError("inspection.plan_period", "检查结束日期不能早于开始日期", field="period_end")
    if not rules_text:
        raise DomainError("inspection.plan_rules", "请填写抽查工作细则", field="rules_text")
    plan = InspectionPlan.objects.create(
        agency=agency, title=title, object_kind=object_kind, ratio=ratio, inspectors_per_object=inspectors_per_object,
        period_start=period_start, period_end=period_end, rules_text=rules_text, created_by=actor,
    )  # fmt: skip
    plan.items.set(items)
    audit_event_record(
        actor=actor, action="integrity.inspection_plan.create", obj=plan, agency=agency,
        summary=f"制定抽查计划“{title}”：{plan.get_object_kind_display()}，抽查比例 {ratio}%，每个对象 {inspectors_per_object} 名检查人员",
    )  # fmt: skip
    return plan


# ------------------------------------------------------------------------------------------ the draw


@transaction.atomic
def plan_draw(*, actor: User, plan: InspectionPlan, reason: str = "") -> InspectionDraw:
    """Draw the plan's objects and inspectors with a CSPRNG seed; store seed, parameters, the pool snapshot
    (objects and inspectors), the result with the conflicts left out and their reasons, and the SHA-256 of all
    four. A re-draw (a current draw exists) needs a written reason; the earlier draw stays, superseded."""
    plan = InspectionPlan.objects.select_for_update().select_related("agency").get(pk=plan.pk)
    perms.require_manage(actor, plan.agency_id)
    previous = plan.draws.filter(is_current=True).first()
    if previous is not None:
        problem = redraw_reason_problem(reason)
        if problem:
            raise DomainError("inspection.redraw_reason", problem, field="reason")
        if previous.results.exists():
            raise DomainError(
                "inspection.redraw_after_results",
                f"第{previous.number}次抽取已有检查结果录入，不能重新抽取",
                field="reason",
            )
    minimum = _min_inspectors(plan.agency)
    problem = rules.inspectors_problem(plan.inspectors_per_object, minimum=minimum)
    if problem:
        raise DomainError("inspection.inspectors_min", problem, field="reason")
    parameters = {
        "plan": plan.pk,
        "object_kind": plan.object_kind,
        "ratio": str(plan.ratio),
        "inspectors_per_object": plan.inspectors_per_object,
        "min_inspectors_rule": minimum,
        "items": sorted(plan.items.values_list("pk", flat=True)),
        "period": [plan.period_start.isoformat(), plan.period_end.isoformat()],
    }
    snapshot = {
        "objects": [o.row() for o in object_register(plan.agency, plan.object_kind, all_parties=True)],
        "inspectors": inspector_pool(plan.agency),
    }
    if not snapshot["objects"]:
        raise DomainError(
            "inspection.no_objects", f"检查对象名录库中没有{plan.get_object_kind_display()}，无法抽取", field="reason"
        )
    seed = secrets.token_hex(16)
    try:
        result = rules.draw(seed, parameters, snapshot)
    except ValueError as err:
        raise DomainError(
            "inspection.too_few_inspectors",
            f"{err}（规则“{rules.rule_name(rules.INSPECTORS_RULE)}”不少于 {minimum} 名；请充实执法检查人员名录库）",
            field="reason",
        ) from None
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    number = (plan.draws.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    draw = InspectionDraw.objects.create(
        plan=plan, number=number, seed=seed, parameters=parameters, snapshot=snapshot, result=result,
        result_hash=rules.draw_hash(seed, parameters, snapshot, result), redraw_reason=(reason or "").strip(),
        drawn_by=actor,
    )  # fmt: skip
    user_ids = {i["user"] for i in snapshot["inspectors"] if any(i["id"] in r["inspectors"] for r in result["objects"])}
    draw.inspector_users.set(User.objects.filter(pk__in=user_ids))
    audit_event_record(
        actor=actor, action="integrity.inspection.redraw" if previous else "integrity.inspection.draw", obj=draw,
        agency=plan.agency, reason=(reason or "").strip(),
        summary=(
            f"“{plan.title}”第{number}次随机抽取：名录 {len(snapshot['objects'])} 个对象、{len(snapshot['inspectors'])} 名检查人员，"
            f"抽中 {len(result['objects'])} 个对象，回避 {len(result['excluded'])} 人次；SHA-256 {draw.result_hash[:16]}…"
        ),
    )  # fmt: skip
    return draw


def draw_replay(draw: InspectionDraw) -> tuple[bool, str]:
    """Recompute ``draw`` from its stored seed, parameters and snapshot: (一致?, explanation). Reads only."""
    return rules.replay(draw.seed, draw.parameters, draw.snapshot, draw.result, draw.result_hash)


# ------------------------------------------------------------------------------------------ results


def result_due_on(plan: InspectionPlan) -> dt.date:
    """The deadline for entering results: ``publish_within_days`` working days after the check period ends."""
    return deadline_from_rule(rules.PUBLISH_RULE, agency=plan.agency, start=plan.period_end)


@transaction.atomic
def result_enter(
    *, actor: User, draw: InspectionDraw, object_key: str, outcome: str, findings: str, internal_note: str = ""
) -> InspectionResult:
    """One of the object's drawn inspectors enters its result (谁检查、谁录入); it is published at once
    (谁公开). After the deadline the entry is accepted and marked overdue."""
    draw = InspectionDraw.objects.select_for_update().select_related("plan", "plan__agency").get(pk=draw.pk)
    plan = draw.plan
    if not draw.is_current:
        raise DomainError("inspection.result_superseded", f"第{draw.number}次抽取已被重新抽取取代，不能录入结果", field="outcome")
    row = next((r for r in draw.result.get("objects", []) if r["object"] == object_key), None)
    if row is None:
        raise DomainError("inspection.result_object", "该对象不在本次抽取结果中", field="outcome")
    inspectors = {i["id"]: i for i in draw.snapshot.get("inspectors", [])}
    if actor.pk not in {inspectors.get(i, {}).get("user") for i in row["inspectors"]}:
        raise DomainError(
            "inspection.result_not_inspector", "只有抽中检查该对象的检查人员可以录入结果（谁检查、谁录入）", field="outcome"
        )
    if outcome not in InspectionResult.Outcome.values:
        raise DomainError("inspection.result_outcome", "请选择检查结果", field="outcome")
    findings = (findings or "").strip()
    if len(findings) < 5:
        raise DomainError(
            "inspection.result_findings", f"检查情况（公开）不少于 5 个字（当前 {len(findings)} 个字）", field="findings"
        )
    if draw.results.filter(object_key=object_key).exists():
        raise DomainError("inspection.result_duplicate", "该对象的检查结果已录入", field="outcome")
    objects = {o["key"]: o for o in draw.snapshot.get("objects", [])}
    now = timezone.now()
    due = result_due_on(plan)
    result = InspectionResult.objects.create(
        draw=draw, plan=plan, object_key=object_key, object_label=objects.get(object_key, {}).get("label", object_key)[:200],
        outcome=outcome, findings=findings, internal_note=(internal_note or "").strip(), due_on=due,
        is_overdue=timezone.localdate() > due, entered_by=actor, published_at=now,
    )  # fmt: skip
    audit_event_record(
        actor=actor, action="integrity.inspection_result.enter", obj=result, agency=plan.agency,
        summary=f"录入并公示“{plan.title}”对象 {result.object_label} 的检查结果：{result.get_outcome_display()}"
        + ("（逾期录入）" if result.is_overdue else ""),
    )  # fmt: skip
    return result
