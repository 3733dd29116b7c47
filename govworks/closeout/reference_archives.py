"""The archive catalogue (domain-rules §3, GB/T 50328-2014 with the 2001 table's retention for the 建设单位), seeded by
a data migration and refreshed by the demo seeder; an agency's 档案员 overrides or adds rows (services.archives).

Each row: (code, category, subcategory, title, retention, required, to the 城建档案馆, source). ``source`` names where
GovWorks already holds the document (see ``selectors.archives.SOURCES``): ``doc:<DocumentType code>`` for a project
document uploaded at its stage, or a record kind (site photos, daily reports, patrols …); empty when the document
exists only on paper and the archivist uploads it. Items a small agency project rarely has (land, demolition,
geological survey) are not required; the agency's archivist may make them so."""

from __future__ import annotations

from typing import Any

P, L, S = "permanent", "long", "short"

# (code, category, subcategory, title, retention, required, to_city_archive, source)
CATALOGUE: list[tuple[str, str, str, str, str, bool, bool, str]] = [
    # A 工程准备阶段文件
    ("A1-01", "A", "A1", "项目建议书", P, True, True, "doc:proposal"),
    ("A1-02", "A", "A1", "项目建议书审批意见（立项批复）", P, True, True, "doc:initiation_approval"),
    ("A1-03", "A", "A1", "可行性研究报告及附件", P, True, True, "doc:feasibility_report"),
    ("A1-04", "A", "A1", "可行性研究报告审批意见", P, True, True, "doc:feasibility_approval"),
    ("A1-05", "A", "A1", "关于立项的会议纪要、领导讲话", P, False, True, "higher_reviews"),
    ("A1-06", "A", "A1", "专家建议文件（专家论证意见）", P, False, True, "expert_reviews"),
    ("A1-07", "A", "A1", "调查资料及项目评估研究材料", L, False, False, ""),
    ("A1-08", "A", "A1", "环境影响评价批复、资金证明文件", P, False, True, ""),
    ("A2-01", "A", "A2", "选址申请及选址规划意见通知书", P, False, True, ""),
    ("A2-02", "A", "A2", "建设用地规划许可证及附件", P, False, True, ""),
    ("A2-03", "A", "A2", "国有土地使用证", P, False, True, ""),
    ("A3-01", "A", "A3", "工程地质勘察报告", P, False, True, ""),
    ("A3-02", "A", "A3", "初步设计图纸和说明", L, True, False, "doc:prelim_design"),
    ("A3-03", "A", "A3", "节能审查意见", P, False, True, "doc:energy_review"),
    ("A3-04", "A", "A3", "施工图及其说明", L, True, False, "doc:construction_drawings"),
    ("A3-05", "A", "A3", "施工图设计审查合格书", P, True, True, "doc:drawing_review_cert"),
    ("A4-01", "A", "A4", "施工招标文件", L, True, False, "doc:tender_documents"),
    ("A4-02", "A", "A4", "开标记录", L, False, False, "tender_openings"),
    ("A4-03", "A", "A4", "中标通知书", L, True, True, "doc:award_notice"),
    ("A4-04", "A", "A4", "施工承包合同", L, True, True, "doc:construction_contract"),
    ("A4-05", "A", "A4", "监理委托合同", L, False, True, "doc:supervision_contract"),
    ("A4-06", "A", "A4", "合同台账（合同编号、金额、签订日期）", L, True, False, "contracts"),
    ("A5-01", "A", "A5", "施工许可证", P, False, True, "doc:construction_permit"),
    ("A6-01", "A", "A6", "概算批复", P, True, True, "doc:estimate_approval"),
    # B 监理文件
    ("B1-01", "B", "B1", "监理规划、监理实施细则", L, False, False, ""),
    ("B1-02", "B", "B1", "监理工作日志", L, False, False, "supervision_diaries"),
    ("B3-01", "B", "B3", "质量安全巡查记录", L, True, True, "inspections"),
    ("B3-02", "B", "B3", "不合格项目通知及整改回复（整改通知单）", L, True, True, "rectifications"),
    ("B4-01", "B", "B4", "设计变更、洽商费用报审与签认", S, False, False, "change_orders"),
    ("B6-01", "B", "B6", "工程竣工总结、质量评估报告", L, True, True, ""),
    # C 施工文件
    ("C1-01", "C", "C1", "施工日志（现场日报）", L, True, False, "daily_reports"),
    ("C7-01", "C", "C7", "隐蔽工程及分部分项工程质量验收记录", L, True, True, ""),
    ("C8-01", "C", "C8", "工程竣工报告", P, True, True, "doc:completion_report"),
    # D 竣工图
    ("D-01", "D", "D", "竣工图（建筑、结构、给排水、电气等）", P, True, True, ""),
    # E 竣工验收文件
    ("E1-01", "E", "E1", "竣工验收报告", P, True, True, "doc:acceptance_report"),
    ("E1-02", "E", "E1", "竣工验收备案表", P, True, True, "doc:acceptance_filing"),
    ("E1-03", "E", "E1", "工程质量保修书", L, True, True, ""),
    ("E2-01", "E", "E2", "竣工结算报告", P, True, False, "doc:settlement_report"),
    ("E2-02", "E", "E2", "结算审计报告", P, True, False, "doc:settlement_audit_report"),
    ("E2-03", "E", "E2", "竣工财务决算报告", P, True, False, "doc:final_accounts_report"),
    ("E2-04", "E", "E2", "决算批复", P, True, False, "doc:final_accounts_approval"),
    ("E3-01", "E", "E3", "工程照片（施工现场照片）", P, True, True, "photos"),
]


def seed_archive_catalogue(catalogue_item: Any) -> int:
    """Create the deployment's rows that are missing (by code); never overwrites what an archivist changed."""
    existing = set(catalogue_item.objects.filter(agency__isnull=True).values_list("code", flat=True))
    made = 0
    for order, (code, category, sub, title, retention, required, to_city, source) in enumerate(CATALOGUE, start=1):
        if code in existing:
            continue
        catalogue_item.objects.create(
            code=code,
            category=category,
            subcategory=sub,
            title=title,
            retention=retention,
            required=required,
            to_city_archive=to_city,
            source=source,
            order=order * 10,
        )
        made += 1
    return made
