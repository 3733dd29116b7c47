"""Reference data of the lifecycle, seeded by a migration and refreshed by ``seed_demo``: the documents
each stage must produce (domain-rules §8.1), the default approval chains and the default responsibility
template. Written against model classes passed in, so the migration can use its historical models."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# (code, name, stage, required, min_amount, order, description)
DOCUMENT_TYPES: list[tuple[str, str, str, bool, int, int, str]] = [
    ("proposal", "项目建议书", "initiation", True, 0, 10, "项目必要性、建设内容、投资估算"),
    ("initiation_approval", "立项批复", "initiation", True, 0, 20, "投资主管部门或本单位立项批复文件"),
    ("feasibility_report", "可行性研究报告", "feasibility", True, 0, 10, ""),
    ("feasibility_approval", "可研批复", "feasibility", True, 0, 20, ""),
    ("energy_review", "节能审查意见", "feasibility", False, 0, 30, ""),
    ("prelim_design", "初步设计及概算", "prelim_design", True, 0, 10, ""),
    ("estimate_approval", "概算批复", "prelim_design", True, 0, 20, "概算是控制总投资的依据"),
    ("construction_drawings", "施工图设计文件", "design_review", True, 0, 10, ""),
    ("drawing_review_cert", "施工图审查合格书", "design_review", True, 0, 20, "施工图审查机构出具"),
    ("tender_documents", "招标文件", "procurement", True, 0, 10, ""),
    ("award_notice", "中标通知书", "procurement", True, 0, 20, ""),
    ("construction_contract", "施工合同", "contract", True, 0, 10, "须约定计量周期、进度结算办法、人工费拨付周期"),
    ("supervision_contract", "监理合同", "contract", False, 0, 20, ""),
    ("construction_permit", "施工许可证", "construction", False, 300000, 5, "投资额30万元以下或建筑面积300㎡以下可不办理"),
    ("completion_report", "工程竣工报告", "construction", True, 0, 10, ""),
    ("acceptance_report", "竣工验收报告", "acceptance", True, 0, 10, ""),
    ("acceptance_filing", "竣工验收备案表", "acceptance", True, 0, 20, "验收合格之日起15日内备案"),
    ("settlement_report", "竣工结算报告", "settlement", True, 0, 10, ""),
    ("settlement_audit_report", "结算审计报告", "settlement", True, 0, 20, ""),
    ("final_accounts_report", "竣工财务决算报告", "final_accounts", True, 0, 10, ""),
    ("final_accounts_approval", "决算批复", "final_accounts", True, 0, 20, ""),
    ("archive_transfer", "档案移交证明", "archiving", True, 0, 10, "GB/T 50328"),
    ("asset_handover_list", "交付使用资产清单", "asset_handover", True, 0, 10, ""),
    ("performance_report", "绩效评价报告", "evaluation", True, 0, 10, "财预〔2020〕10号"),
]

# (kind, name, min_amount, steps)
APPROVAL_CHAINS: list[tuple[str, str, int, list[str]]] = [
    ("project.initiation", "立项审批（50万元以下）", 0, ["department_head", "leader_in_charge"]),
    ("project.initiation", "立项审批（50万元以上）", 500000, ["department_head", "leader_in_charge", "principal_leader"]),
    ("project.feasibility", "可研审批", 0, ["department_head", "leader_in_charge"]),
    ("project.feasibility", "可研审批（100万元以上）", 1000000, ["department_head", "leader_in_charge", "principal_leader"]),
    ("project.prelim_design", "概算审批", 0, ["department_head", "leader_in_charge", "principal_leader"]),
]

# (stage, responsible role, consulted, informed, due days)
RESPONSIBILITY: list[tuple[str, str, list[str], list[str], int]] = [
    ("initiation", "project_manager", ["finance", "department_head"], ["leader_in_charge", "discipline"], 30),
    ("feasibility", "project_manager", ["department_head"], ["leader_in_charge"], 45),
    ("prelim_design", "project_manager", ["finance"], ["leader_in_charge"], 45),
    ("design_review", "project_manager", [], ["department_head"], 30),
    ("procurement", "department_head", ["discipline", "finance"], ["leader_in_charge"], 60),
    ("contract", "department_head", ["finance", "internal_audit"], ["leader_in_charge"], 30),
    ("construction", "project_manager", ["liaison"], ["leader_in_charge"], 365),
    ("suspended", "leader_in_charge", ["project_manager"], ["principal_leader", "discipline"], 30),
    ("acceptance", "project_manager", ["archivist"], ["leader_in_charge"], 30),
    ("settlement", "finance", ["internal_audit"], ["leader_in_charge"], 60),
    ("final_accounts", "finance", ["internal_audit"], ["principal_leader"], 90),
    ("archiving", "archivist", ["project_manager"], ["department_head"], 90),
    ("asset_handover", "finance", ["project_manager"], ["principal_leader"], 30),
    ("evaluation", "department_head", ["finance", "internal_audit"], ["principal_leader"], 60),
    ("closed", "department_head", [], [], 0),
]


def seed_reference(*, document_type: Any, chain_rule: Any, responsibility_template: Any) -> int:
    """Create what is missing (by natural key); never overwrites what an administrator changed."""
    made = 0
    existing_docs = set(document_type.objects.values_list("code", flat=True))
    for code, name, stage, required, min_amount, order, description in DOCUMENT_TYPES:
        if code not in existing_docs:
            document_type.objects.create(
                code=code,
                name=name,
                stage=stage,
                required=required,
                min_amount=Decimal(min_amount),
                order=order,
                description=description,
            )
            made += 1
    existing_chains = set(chain_rule.objects.filter(agency__isnull=True).values_list("kind", "min_amount"))
    for kind, name, min_amount, steps in APPROVAL_CHAINS:
        if (kind, Decimal(min_amount)) not in existing_chains:
            chain_rule.objects.create(kind=kind, name=name, min_amount=Decimal(min_amount), steps=steps)
            made += 1
    existing_templates = set(
        responsibility_template.objects.filter(agency__isnull=True, project_type="").values_list("stage", flat=True)
    )
    for stage, role, consulted, informed, due in RESPONSIBILITY:
        if stage not in existing_templates:
            responsibility_template.objects.create(
                stage=stage, responsible_role=role, consulted_roles=consulted, informed_roles=informed, due_days=due
            )
            made += 1
    return made
