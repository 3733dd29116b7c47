"""Demo data of case handling, through the services: 吴海燕 (纪检监察) writes down a lead (直接立案) about a project of
the 市机关事务局, opens the case, handles it herself and records the first investigation note. It names nobody."""

from __future__ import annotations

from govworks.core.registry import register_demo_seeder
from govworks.integrity.models import ManualCaseSource
from govworks.org.models import Agency, User
from govworks.projects.models import Project

TITLE = "来信反映维修工程现场签证不实"


def seed_cases() -> str:
    from govworks.integrity.case_sources import case_source_resolve
    from govworks.integrity.services import cases as svc

    root = Agency.objects.filter(code="LJJG").first()
    head = User.objects.filter(username="wuhy").first()
    if root is None or head is None:
        return "跳过：没有市机关事务局或纪检监察人员"
    if ManualCaseSource.objects.filter(agency=root, title=TITLE).exists():
        return "已存在，跳过"
    project = Project.objects.filter(agency=root).order_by("id").first()
    lead = svc.manual_source_create(
        actor=head, agency=root, project=project, title=TITLE,
        summary="群众来信反映某维修工程现场签证的工程量与实际不符，请核查签证依据与现场计量记录。",
    )  # fmt: skip
    case = svc.case_open(
        actor=head, source=case_source_resolve(head, "manual", lead.pk), title="维修工程现场签证核查",
        summary="核对现场签证单、监理计量记录与实际完成工程量。",
    )  # fmt: skip
    svc.case_assign(actor=head, case=case, handlers=[head])
    svc.case_note_add(actor=head, case=case, text="已调取现场签证单六份及对应监理日志，待与施工单位核对工程量。")
    return f"案件 {case.number}（调查中）"


register_demo_seeder(72, "案件办理", seed_cases)
