"""The asset classes an asset card may carry (资产分类代码), shipped as data.

Source: GB/T 14885-2010《固定资产分类与代码》, 5 代码表 (4 levels, 7 digits: 门类 1 digit, 大类 2, 中类 2, 小类 2),
the 门类 and the 大类 of 表1–表15 and the 医疗设备 table; the codes most construction projects hand over.
GB/T 14885-2022《固定资产等资产基础分类与代码》 superseded it on 2022-12-30 and renumbered the classes; the
fixed-asset systems the agencies feed still import the 2010 codes, so these are kept until the asset system moves.
An agency whose asset system needs a finer code adds rows here (a code ending in zeros stands for its class)."""

from __future__ import annotations

SOURCE = "GB/T 14885-2010《固定资产分类与代码》第5章代码表"

#: (code, name, level) — level 1 门类, 2 大类
ASSET_CLASSES: tuple[tuple[str, str, int], ...] = (
    ("1000000", "土地、房屋及构筑物", 1),
    ("1010000", "土地、海域及无居民海岛", 2),
    ("1020000", "房屋", 2),
    ("1030000", "构筑物", 2),
    ("2000000", "通用设备", 1),
    ("2010000", "计算机设备及软件", 2),
    ("2020000", "办公设备", 2),
    ("2030000", "车辆", 2),
    ("2040000", "图书档案设备", 2),
    ("2100000", "机械设备", 2),
    ("2200000", "电气设备", 2),
    ("2300000", "雷达、无线电和卫星导航设备", 2),
    ("2310000", "通信设备", 2),
    ("2320000", "广播、电视、电影设备", 2),
    ("2400000", "仪器仪表", 2),
    ("2410000", "电子和通信测量仪器", 2),
    ("2420000", "计量标准器具及量具、衡器", 2),
    ("3000000", "专用设备", 1),
    ("3220000", "医疗设备", 2),
    ("4000000", "文物和陈列品", 1),
    ("5000000", "图书、档案", 1),
    ("6000000", "家具、用具、装具及动植物", 1),
)

CLASS_NAMES: dict[str, str] = {code: name for code, name, _level in ASSET_CLASSES}


def class_choices() -> list[tuple[str, str]]:
    """For a picker: "1020000 房屋", the 门类 marked."""
    return [(code, f"{code} {'【门类】' if level == 1 else ''}{name}") for code, name, level in ASSET_CLASSES]
