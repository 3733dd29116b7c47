"""Patrol checklists per project type (质量/安全巡查检查表). Kept as code: they change with a release,
not with an agency's decision, and every seeder and test reads the same ones."""

from __future__ import annotations

COMMON_SAFETY = [
    "施工现场围挡封闭、出入口设置门卫和公示牌",
    "作业人员正确佩戴安全帽、高处作业系安全带",
    "临时用电“三级配电、两级保护”，一机一闸一漏",
    "脚手架搭设、验收挂牌，连墙件齐全",
    "临边、洞口防护到位",
    "消防器材配置齐全、动火作业审批",
    "危险性较大分部分项工程专项方案及交底",
]
COMMON_QUALITY = [
    "进场材料有合格证、复试报告，见证取样",
    "隐蔽工程验收记录齐全、监理签认",
    "按图施工，设计变更有书面手续",
    "工序交接检查记录完整",
    "成品保护措施到位",
]
BY_TYPE: dict[str, dict[str, list[str]]] = {
    "repair": {
        "quality": ["屋面/墙面基层处理符合规范", "防水层搭接宽度及闭水试验"],
        "safety": ["拆除作业先加固后拆除、专人监护"],
    },
    "energy": {"quality": ["设备型号参数与节能设计一致", "管道保温及冷凝水坡度"], "safety": ["吊装作业设警戒区、持证指挥"]},
    "it": {"quality": ["综合布线标识及测试报告", "机房接地电阻测试"], "safety": ["机房内动火及带电作业审批"]},
    "new": {
        "quality": ["钢筋隐蔽验收、混凝土试块留置", "模板支撑体系验收"],
        "safety": ["深基坑监测及支护", "塔吊安装验收及限位装置"],
    },
    "expansion": {"quality": ["新旧结构连接处理", "植筋拉拔试验"], "safety": ["既有建筑使用区域隔离"]},
}


def checklist(project_type: str, kind: str) -> list[str]:
    """The items of a ``kind`` (quality/safety) patrol for ``project_type``."""
    common = COMMON_QUALITY if kind == "quality" else COMMON_SAFETY
    return [*common, *BY_TYPE.get(project_type, {}).get(kind, [])]
