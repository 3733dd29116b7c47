"""The default performance-evaluation template (绩效评价指标体系) as data, with its source.

The framework is the 部门评价/财政评价 共性指标框架 of 财预〔2020〕10号 (domain-rules.md §4.4: 决策 项目立项·绩效目标·
资金投入; 过程 资金管理·组织实施; 产出 数量·质量·时效·成本; 效益 项目效益·满意度) with the suggested default weights
决策 20、过程 20、产出 30、效益 30 (rule parameters perf.weight_*; 产出 + 效益 = 60 meets the ≥ 60 rule). The points
of each third-level indicator and the scoring of the measured ones (full/zero points at the stated values) are this
deployment's default (status D in the reference): an agency copies the template and adjusts them.

Indicators GovWorks measures (``auto``): 资金到位率 and 预算执行率 from the project's funds, 完成及时性 from the planned
completion date and the acceptance, 成本节约率 from the final cost and the approved estimate, 质量达标率 from the
acceptance, 结算审减率 from the settlement audit, 安全生产 from the recorded safety incidents.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

DEFAULT_TEMPLATE_NAME = "建设项目支出绩效评价指标体系（默认）"
DEFAULT_TEMPLATE_SOURCE = "财预〔2020〕10号《项目支出绩效评价管理办法》附件 共性指标框架；权重 20/20/30/30（产出+效益≥60）"

# automatic indicators: key → (label, unit, how measured)
AUTO_FUNDS_ARRIVAL = "funds_arrival"
AUTO_BUDGET_EXECUTION = "budget_execution"
AUTO_ON_TIME = "on_time"
AUTO_COST_SAVING = "cost_saving"
AUTO_QUALITY = "quality"
AUTO_REDUCTION_RATE = "reduction_rate"
AUTO_SAFETY = "safety"

AUTO_SOURCES: dict[str, tuple[str, str]] = {
    AUTO_FUNDS_ARRIVAL: ("资金到位率", "实际到位资金 ÷ 计划投入资金（资金来源的预算指标合计）"),
    AUTO_BUDGET_EXECUTION: ("预算执行率", "国库已支付 ÷ 预算指标合计"),
    AUTO_ON_TIME: ("完成及时性", "竣工验收合格日期与计划竣工日期之差（延期天数）"),
    AUTO_COST_SAVING: ("成本节约率", "（批复概算 − 竣工决算总投资）÷ 批复概算"),
    AUTO_QUALITY: ("质量达标", "竣工验收一次合格且无未修复缺陷"),
    AUTO_REDUCTION_RATE: ("审减率", "（送审金额 − 审定金额）÷ 送审金额"),
    AUTO_SAFETY: ("安全事故", "施工期间登记的安全事故起数"),
}
AUTO_CHOICES = [(k, v[0]) for k, v in AUTO_SOURCES.items()]

D = Decimal

# (一级, 二级, 三级, 分值, 评分方法, auto key, 满分值, 零分值)
DEFAULT_INDICATORS: tuple[tuple[str, str, str, Decimal, str, str, Decimal | None, Decimal | None], ...] = (
    (
        "decision",
        "项目立项",
        "立项依据充分性",
        D(4),
        "符合发展规划和部门职责、经可行性研究和集体决策的得满分，酌情扣分",
        "",
        None,
        None,
    ),
    ("decision", "项目立项", "立项程序规范性", D(4), "按规定程序申请、审批，审批文件齐全的得满分，酌情扣分", "", None, None),
    ("decision", "绩效目标", "绩效目标合理性", D(3), "目标与实际工作内容相关、与预算匹配的得满分", "", None, None),
    ("decision", "绩效目标", "绩效指标明确性", D(3), "指标细化、量化、可衡量的得满分", "", None, None),
    ("decision", "资金投入", "预算编制科学性", D(3), "预算经论证、内容与项目匹配、测算依据充分的得满分", "", None, None),
    ("decision", "资金投入", "资金分配合理性", D(3), "分配依据充分、额度合理的得满分", "", None, None),
    ("process", "资金管理", "资金到位率", D(5), "到位率100%得满分，按比例得分", AUTO_FUNDS_ARRIVAL, D(1), D(0)),
    ("process", "资金管理", "预算执行率", D(5), "执行率100%得满分，按比例得分", AUTO_BUDGET_EXECUTION, D(1), D(0)),
    ("process", "资金管理", "资金使用合规性", D(4), "无截留、挤占、挪用、虚列支出的得满分，发现一项扣1分", "", None, None),
    ("process", "组织实施", "管理制度健全性", D(3), "财务和业务管理制度健全的得满分", "", None, None),
    ("process", "组织实施", "制度执行有效性", D(3), "严格执行制度、手续完备的得满分", "", None, None),
    ("output", "产出数量", "实际完成率", D(6), "实际完成工程量 ÷ 计划工程量，100%得满分", "", None, None),
    ("output", "产出质量", "质量达标率", D(6), "竣工验收一次合格且无未修复缺陷得满分，否则不得分", AUTO_QUALITY, D(1), D(0)),
    ("output", "产出质量", "安全生产", D(3), "无安全事故得满分，每发生一起扣一半，两起及以上不得分", AUTO_SAFETY, D(0), D(2)),
    (
        "output",
        "产出时效",
        "完成及时性",
        D(6),
        "按计划竣工日期完成得满分，按延期天数比例扣分，延期90天及以上不得分",
        AUTO_ON_TIME,
        D(0),
        D(90),
    ),
    (
        "output",
        "产出成本",
        "成本节约率",
        D(6),
        "未超批复概算得满分，超支按比例扣分，超支10%及以上不得分",
        AUTO_COST_SAVING,
        D(0),
        D("-0.10"),
    ),
    (
        "output",
        "产出成本",
        "结算审减率",
        D(3),
        "审减率5%及以下得满分，按比例扣分，15%及以上不得分",
        AUTO_REDUCTION_RATE,
        D("0.05"),
        D("0.15"),
    ),
    ("effect", "项目效益", "社会效益", D(8), "改善办公和服务条件、达到预期目标的得满分，酌情扣分", "", None, None),
    ("effect", "项目效益", "经济效益", D(6), "节能降耗、降低运行成本达到预期的得满分", "", None, None),
    ("effect", "项目效益", "生态效益", D(4), "符合绿色建筑和节能环保要求的得满分", "", None, None),
    ("effect", "项目效益", "可持续影响", D(4), "建成后运行维护机制健全的得满分", "", None, None),
    ("effect", "满意度", "服务对象满意度", D(8), "满意度调查90%及以上得满分，按比例得分", "", None, None),
)


def default_weights() -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for dimension, _level2, _name, points, *_rest in DEFAULT_INDICATORS:
        out[dimension] = out.get(dimension, Decimal(0)) + points
    return out


def seed_default_template(*, template_model: Any, indicator_model: Any) -> Any:
    """Create the deployment's default template once (idempotent); returns it."""
    existing = template_model.objects.filter(agency__isnull=True, name=DEFAULT_TEMPLATE_NAME).first()
    if existing is not None:
        return existing
    w = default_weights()
    template = template_model.objects.create(
        agency=None,
        name=DEFAULT_TEMPLATE_NAME,
        source=DEFAULT_TEMPLATE_SOURCE,
        weight_decision=w["decision"],
        weight_process=w["process"],
        weight_output=w["output"],
        weight_effect=w["effect"],
    )
    indicator_model.objects.bulk_create(
        indicator_model(
            template=template,
            seq=i,
            dimension=dim,
            level2=l2,
            name=name,
            points=points,
            method=method,
            auto_key=auto,
            full_at=full,
            zero_at=zero,
        )
        for i, (dim, l2, name, points, method, auto, full, zero) in enumerate(DEFAULT_INDICATORS, start=1)
    )
    return template
