"""Pure decisions of procurement: which methods a lot may use, splitting, bonds, time limits, ranking.

No Django, no ORM. The caller reads the rule parameters (``govworks.core.rule_parameters.rule_value``)
at the moment of action, builds a :class:`ProcurementParams` with :meth:`ProcurementParams.from_values`
and passes the facts in; every refusal is a Chinese sentence naming the rule-parameter key and the number.

Sources (see ``docs/reference/domain-rules.md`` §1): 国家发展改革委令第16号《必须招标的工程项目规定》
第二条、第五条; 《政府采购法》第26–32条、第85条; 财政部令第74号; 财库〔2014〕214号; 财政部令第110号;
《招标投标法》第24、46、66条及其实施条例第8、9、26、34、58条. "以上/以下/不少于/以内" include the number
(DOMAIN.md §5): 4,000,000 元以上 means ``amount >= 4000000``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import ClassVar

from govworks.core.errors import DomainError
from govworks.core.rule_seed import rule_name

# ------------------------------------------------------------------------------------------ vocabulary


class Category(StrEnum):
    WORKS = "works"
    GOODS = "goods"
    SERVICES = "services"


CATEGORY_LABELS: dict[Category, str] = {Category.WORKS: "施工", Category.GOODS: "货物", Category.SERVICES: "服务"}

# the wording of 16号令 第五条 for the single-contract amount of each category
_CONTRACT_WORDS: dict[Category, str] = {
    Category.WORKS: "施工单项合同估算价",
    Category.GOODS: "重要设备、材料等货物单项合同估算价",
    Category.SERVICES: "勘察、设计、监理等服务单项合同估算价",
}


class Method(StrEnum):
    OPEN_TENDER = "open_tender"
    INVITED_TENDER = "invited_tender"
    COMPETITIVE_NEGOTIATION = "competitive_negotiation"
    COMPETITIVE_CONSULTATION = "competitive_consultation"
    SINGLE_SOURCE = "single_source"
    INQUIRY = "inquiry"
    FRAMEWORK_AGREEMENT = "framework_agreement"


METHOD_LABELS: dict[Method, str] = {
    Method.OPEN_TENDER: "公开招标",
    Method.INVITED_TENDER: "邀请招标",
    Method.COMPETITIVE_NEGOTIATION: "竞争性谈判",
    Method.COMPETITIVE_CONSULTATION: "竞争性磋商",
    Method.SINGLE_SOURCE: "单一来源",
    Method.INQUIRY: "询价",
    Method.FRAMEWORK_AGREEMENT: "框架协议采购",
}

TENDER_METHODS: frozenset[Method] = frozenset({Method.OPEN_TENDER, Method.INVITED_TENDER})


class Ground(StrEnum):
    """A recorded reason category (适用情形/事由) that lets a lot use a method other than open tendering."""

    # 邀请招标 — 政府采购法 第29条; 招标投标法实施条例 第8条
    LIMITED_SUPPLIERS = "limited_suppliers"
    OPEN_COST_DISPROPORTIONATE = "open_cost_disproportionate"
    # 竞争性谈判 — 政府采购法 第30条; 财政部令第74号 第27条
    TENDER_FAILED = "tender_failed"
    TECHNICALLY_COMPLEX = "technically_complex"
    URGENT = "urgent"
    PRICE_NOT_CALCULABLE = "price_not_calculable"
    # 竞争性磋商 — 财库〔2014〕214号 第三条 (also TECHNICALLY_COMPLEX, PRICE_NOT_CALCULABLE)
    GOVERNMENT_PURCHASED_SERVICE = "government_purchased_service"
    RESEARCH_PROJECT = "research_project"
    # 单一来源 — 政府采购法 第31条
    SOLE_SUPPLIER = "sole_supplier"
    UNFORESEEN_EMERGENCY = "unforeseen_emergency"
    CONSISTENCY_ADDON = "consistency_addon"
    # 询价 — 政府采购法 第32条
    STANDARD_SPOT_GOODS = "standard_spot_goods"
    # 框架协议 — 财政部令第110号
    REPEATED_PURCHASES = "repeated_purchases"


GROUND_LABELS: dict[Ground, str] = {
    Ground.LIMITED_SUPPLIERS: "具有特殊性，只能从有限范围的供应商处采购",
    Ground.OPEN_COST_DISPROPORTIONATE: "采用公开招标方式的费用占项目总价值的比例过大",
    Ground.TENDER_FAILED: "招标后没有供应商投标或者没有合格标的或者重新招标未能成立",
    Ground.TECHNICALLY_COMPLEX: "技术复杂或者性质特殊，不能确定详细规格或者具体要求",
    Ground.URGENT: "采用招标所需时间不能满足用户紧急需要",
    Ground.PRICE_NOT_CALCULABLE: "不能事先计算出价格总额",
    Ground.GOVERNMENT_PURCHASED_SERVICE: "政府购买服务项目",
    Ground.RESEARCH_PROJECT: "市场竞争不充分的科研项目或需要扶持的科技成果转化项目",
    Ground.SOLE_SUPPLIER: "只能从唯一供应商处采购",
    Ground.UNFORESEEN_EMERGENCY: "发生了不可预见的紧急情况不能从其他供应商处采购",
    Ground.CONSISTENCY_ADDON: "必须保证原有采购项目一致性或者服务配套的要求，需要继续从原供应商处添购",
    Ground.STANDARD_SPOT_GOODS: "货物规格、标准统一，现货货源充足且价格变化幅度小",
    Ground.REPEATED_PURCHASES: "技术、服务等标准明确统一，需要多次重复采购",
}

METHOD_GROUNDS: dict[Method, frozenset[Ground]] = {
    Method.INVITED_TENDER: frozenset({Ground.LIMITED_SUPPLIERS, Ground.OPEN_COST_DISPROPORTIONATE}),
    Method.COMPETITIVE_NEGOTIATION: frozenset(
        {Ground.TENDER_FAILED, Ground.TECHNICALLY_COMPLEX, Ground.URGENT, Ground.PRICE_NOT_CALCULABLE}
    ),
    Method.COMPETITIVE_CONSULTATION: frozenset(
        {
            Ground.GOVERNMENT_PURCHASED_SERVICE,
            Ground.TECHNICALLY_COMPLEX,
            Ground.PRICE_NOT_CALCULABLE,
            Ground.RESEARCH_PROJECT,
        }
    ),
    Method.SINGLE_SOURCE: frozenset({Ground.SOLE_SUPPLIER, Ground.UNFORESEEN_EMERGENCY, Ground.CONSISTENCY_ADDON}),
    Method.INQUIRY: frozenset({Ground.STANDARD_SPOT_GOODS}),
    Method.FRAMEWORK_AGREEMENT: frozenset({Ground.REPEATED_PURCHASES}),
}


class Obligation(StrEnum):
    MANDATORY_TENDER = "mandatory_tender"  # 16号令: 必须招标 (公开招标或邀请招标)
    GP_OPEN_TENDER = "gp_open_tender"  # 政府采购: 达到公开招标数额标准, 必须公开招标


class ExceptionKind(StrEnum):
    """A legal exception, approved and recorded with its approval reference (批准文号)."""

    NATIONAL_SECURITY = "national_security"
    EMERGENCY_RESCUE = "emergency_rescue"
    WORK_RELIEF = "work_relief"
    PATENT_PROPRIETARY = "patent_proprietary"
    SELF_SUPPLY = "self_supply"
    ORIGINAL_SUPPLIER = "original_supplier"
    GP_NON_OPEN_APPROVAL = "gp_non_open_approval"


EXCEPTION_LABELS: dict[ExceptionKind, str] = {
    ExceptionKind.NATIONAL_SECURITY: "涉及国家安全、国家秘密（招标投标法第六十六条、政府采购法第八十五条）",
    ExceptionKind.EMERGENCY_RESCUE: "抢险救灾等不可抗力紧急采购（招标投标法第六十六条、政府采购法第八十五条）",
    ExceptionKind.WORK_RELIEF: "利用扶贫资金实行以工代赈、需要使用农民工（招标投标法第六十六条）",
    ExceptionKind.PATENT_PROPRIETARY: "需要采用不可替代的专利或者专有技术（招标投标法实施条例第九条）",
    ExceptionKind.SELF_SUPPLY: "采购人依法能够自行建设、生产或者提供（招标投标法实施条例第九条）",
    ExceptionKind.ORIGINAL_SUPPLIER: "需要向原中标人采购，否则将影响施工或者功能配套要求（招标投标法实施条例第九条）",
    ExceptionKind.GP_NON_OPEN_APPROVAL: "经设区的市级以上政府采购监督管理部门批准采用公开招标以外的方式（政府采购法第二十七条）",
}

# which obligation each exception lifts: the 招标投标法 exemptions lift 必须招标; the 政府采购法 第27条 approval
# lifts 政府采购公开招标; secrecy and emergency purchases fall outside both laws (第66条 / 第85条).
EXCEPTION_LIFTS: dict[ExceptionKind, frozenset[Obligation]] = {
    ExceptionKind.NATIONAL_SECURITY: frozenset({Obligation.MANDATORY_TENDER, Obligation.GP_OPEN_TENDER}),
    ExceptionKind.EMERGENCY_RESCUE: frozenset({Obligation.MANDATORY_TENDER, Obligation.GP_OPEN_TENDER}),
    ExceptionKind.WORK_RELIEF: frozenset({Obligation.MANDATORY_TENDER}),
    ExceptionKind.PATENT_PROPRIETARY: frozenset({Obligation.MANDATORY_TENDER}),
    ExceptionKind.SELF_SUPPLY: frozenset({Obligation.MANDATORY_TENDER}),
    ExceptionKind.ORIGINAL_SUPPLIER: frozenset({Obligation.MANDATORY_TENDER}),
    ExceptionKind.GP_NON_OPEN_APPROVAL: frozenset({Obligation.GP_OPEN_TENDER}),
}


# ------------------------------------------------------------------------------------------ formatting


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"


def _pct(ratio: Decimal) -> str:
    text = format((ratio * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") + "%"


# ------------------------------------------------------------------------------------------ parameters


def _amount(key: str, value: object) -> Decimal:
    result = Decimal(str(value))
    if result < 0:
        raise ValueError(f"规则参数 {key} 不能为负数：{value}")
    return result


def _ratio(key: str, value: object) -> Decimal:
    result = Decimal(str(value))
    if not 0 <= result <= 1:
        raise ValueError(f"规则参数 {key} 应为 0 到 1 之间的小数比例（rule_value 返回的形式），实为 {value}")
    return result


def _days(key: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise ValueError(f"规则参数 {key} 应为整数天数，实为 {value!r}")
    result = int(value)
    if result < 0:
        raise ValueError(f"规则参数 {key} 不能为负数：{value}")
    return result


@dataclass(frozen=True)
class ProcurementParams:
    """The rule parameters these decisions read (DOMAIN.md §5). Ratios are fractions: 2% is ``Decimal("0.02")``."""

    mandatory_construction: Decimal
    mandatory_goods: Decimal
    mandatory_services: Decimal
    state_funds_min: Decimal
    state_funds_min_ratio: Decimal
    gp_limit_goods_services: Decimal
    gp_limit_works: Decimal
    gp_open_goods_services: Decimal
    tender_period_min_days: int
    candidate_publicity_min_days: int
    contract_sign_max_days: int
    bid_bond_max_ratio: Decimal
    performance_bond_max_ratio: Decimal
    single_source_addon_max_ratio: Decimal

    # field name -> rule-parameter key
    KEYS: ClassVar[dict[str, str]] = {
        "mandatory_construction": "tender.mandatory.construction",
        "mandatory_goods": "tender.mandatory.goods",
        "mandatory_services": "tender.mandatory.services",
        "state_funds_min": "tender.mandatory.state_funds",
        "state_funds_min_ratio": "tender.mandatory.state_funds_ratio",
        "gp_limit_goods_services": "gp.decentralized_limit.goods_services",
        "gp_limit_works": "gp.decentralized_limit.works",
        "gp_open_goods_services": "gp.open_tender.goods_services",
        "tender_period_min_days": "bid.tender_period_min_days",
        "candidate_publicity_min_days": "bid.candidate_publicity_min_days",
        "contract_sign_max_days": "bid.contract_sign_max_days",
        "bid_bond_max_ratio": "bid.bid_bond_max_ratio",
        "performance_bond_max_ratio": "bid.performance_bond_max_ratio",
        "single_source_addon_max_ratio": "single_source.addon_max_ratio",
    }
    _RATIOS: ClassVar[frozenset[str]] = frozenset(
        {"state_funds_min_ratio", "bid_bond_max_ratio", "performance_bond_max_ratio", "single_source_addon_max_ratio"}
    )
    _DAYS: ClassVar[frozenset[str]] = frozenset(
        {"tender_period_min_days", "candidate_publicity_min_days", "contract_sign_max_days"}
    )

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> ProcurementParams:
        """Build from ``{rule-parameter key: typed value}`` as ``rule_value`` returns them (amounts and
        ratios as Decimal, ratios already fractions, days as int). Refuses a missing key or a ratio
        outside 0..1 (a "10" passed where 0.10 was meant) with ValueError naming the key."""
        missing = [key for key in cls.KEYS.values() if key not in values]
        if missing:
            raise ValueError("缺少规则参数：" + "、".join(missing))
        kwargs: dict[str, Decimal | int] = {}
        for name, key in cls.KEYS.items():
            if name in cls._RATIOS:
                kwargs[name] = _ratio(key, values[key])
            elif name in cls._DAYS:
                kwargs[name] = _days(key, values[key])
            else:
                kwargs[name] = _amount(key, values[key])
        return cls(**kwargs)  # type: ignore[arg-type]

    def mandatory_threshold(self, category: Category) -> tuple[str, Decimal]:
        """(key, amount) of the 16号令 第五条 single-contract threshold for ``category``."""
        name = {
            Category.WORKS: "mandatory_construction",
            Category.GOODS: "mandatory_goods",
            Category.SERVICES: "mandatory_services",
        }[category]
        return self.KEYS[name], getattr(self, name)

    def decentralized_limit(self, category: Category) -> tuple[str, Decimal]:
        """(key, amount) of the government-procurement 分散采购限额标准 for ``category``."""
        name = "gp_limit_works" if category == Category.WORKS else "gp_limit_goods_services"
        return self.KEYS[name], getattr(self, name)


# ------------------------------------------------------------------------------------------ methods


@dataclass(frozen=True)
class Lot:
    """The facts of one 标段 that decide its procurement method.

    ``state_funds_amount`` / ``total_investment``: the project's 预算资金 and 总投资 (16号令 第二条).
    ``other_mandatory_scope``: a recorded other basis that puts the project in the 必须招标 scope
    (国有企事业单位资金控股、国际组织贷款、843号 基础设施和公用事业范围), empty when none.
    ``grounds``: the recorded reason categories for non-open methods.
    ``original_contract_amount`` / ``previous_addons_total``: for 单一来源 添购 (原合同金额、已添购合计).
    """

    category: Category
    estimated_amount: Decimal
    is_government_procurement: bool
    state_funds_amount: Decimal = Decimal(0)
    total_investment: Decimal = Decimal(0)
    other_mandatory_scope: str = ""
    grounds: frozenset[Ground] = frozenset()
    original_contract_amount: Decimal | None = None
    previous_addons_total: Decimal = Decimal(0)

    @property
    def uses_state_funds(self) -> bool:
        return self.state_funds_amount > 0

    @property
    def state_funds_share(self) -> Decimal | None:
        """预算资金占总投资的比例 (fraction); None when the investment is not recorded."""
        if self.total_investment <= 0:
            return None
        return self.state_funds_amount / self.total_investment


@dataclass(frozen=True)
class LegalException:
    """An approved exception to an obligation to tender: the kind, the approval reference (批准文号) and,
    when the approval names them, the methods it approves (empty: any method whose own conditions hold)."""

    kind: ExceptionKind
    approval_ref: str
    methods: frozenset[Method] = frozenset()


@dataclass(frozen=True)
class MethodDecision:
    """What :func:`allowed_methods` decided.

    ``allowed``: the methods the lot may use, in :class:`Method` order. ``required``: when an obligation
    applies, the methods it leaves open (the lot must use one of them); empty when no obligation applies.
    ``refused``: ``(method, reason)`` for every other method. ``notes``: why each obligation does or does
    not apply, with the numbers (for the decision record).
    """

    allowed: tuple[Method, ...]
    required: tuple[Method, ...]
    refused: tuple[tuple[Method, str], ...]
    mandatory_tender: bool
    gp_applies: bool
    gp_open_tender: bool
    exception_applied: bool
    notes: tuple[str, ...]

    def is_allowed(self, method: Method) -> bool:
        return method in self.allowed

    def reason(self, method: Method) -> str | None:
        """Why ``method`` is refused, or None when it is allowed."""
        return dict(self.refused).get(method)


def _tender_scope(lot: Lot, params: ProcurementParams) -> tuple[bool, str]:
    """Whether the project is in the 16号令 第二至四条 scope, and the sentence saying why."""
    if lot.other_mandatory_scope.strip():
        return True, f"项目属于必须招标范围：{lot.other_mandatory_scope.strip()}"
    key_amount = ProcurementParams.KEYS["state_funds_min"]
    key_ratio = ProcurementParams.KEYS["state_funds_min_ratio"]
    funds = lot.state_funds_amount
    if not lot.uses_state_funds:
        return False, "项目未使用预算资金，不属于16号令第二条必须招标范围"
    share = lot.state_funds_share
    share_text = "总投资未登记" if share is None else f"占总投资 {_pct(share)}"
    enough_amount = funds >= params.state_funds_min
    # share >= ratio, compared without dividing: funds >= ratio × investment
    enough_share = lot.total_investment > 0 and funds >= params.state_funds_min_ratio * lot.total_investment
    facts = f"项目使用预算资金 {_yuan(funds)}，{share_text}"
    if enough_amount and enough_share:
        return True, (
            f"{facts}，达到“{rule_name(key_amount)}”{_yuan(params.state_funds_min)}且达到“{rule_name(key_ratio)}”"
            f"{_pct(params.state_funds_min_ratio)}，属于16号令第二条必须招标范围"
        )
    missing = []
    if not enough_amount:
        missing.append(f"低于“{rule_name(key_amount)}”{_yuan(params.state_funds_min)}")
    if not enough_share:
        missing.append(f"未达到“{rule_name(key_ratio)}”{_pct(params.state_funds_min_ratio)}")
    return False, f"{facts}，{'且'.join(missing)}，不属于16号令第二条必须招标范围"


def allowed_methods(
    lot: Lot,
    *,
    params: ProcurementParams,
    combined_total: Decimal | None = None,
    exception: LegalException | None = None,
) -> MethodDecision:
    """Decide which procurement methods ``lot`` may use, which it must choose from, and why the others
    are refused.

    1. 必须招标 (16号令): the project is in scope (预算资金 ≥ ``tender.mandatory.state_funds`` **and**
       ≥ ``tender.mandatory.state_funds_ratio`` of the total investment, or another recorded scope basis)
       **and** the single contract amount — or ``combined_total``, the total of all combinable lots of
       the same project and category including this one — reaches ``tender.mandatory.<category>``.
       Then only 公开招标/邀请招标 are open.
    2. 政府采购 (``is_government_procurement``): reaching ``gp.decentralized_limit.*`` puts the lot under
       the 政府采购法 method conditions; goods/services reaching ``gp.open_tender.goods_services`` (single
       or combined, 第28条 forbids splitting) must be openly tendered.
    3. A :class:`LegalException` with a non-blank approval reference lifts the obligations its kind
       lifts (:data:`EXCEPTION_LIFTS`), for the methods it names (all when it names none).
    4. Each method's own conditions: 邀请招标/竞争性谈判/竞争性磋商/询价 need a recorded ground
       (:data:`METHOD_GROUNDS`) when a legal obligation applies — except that 竞争性谈判/磋商 are open to
       works that are not (or no longer) subject to 必须招标; 询价 is for goods only; 框架协议 for
       goods/services with repeated purchases only; 单一来源 always needs a recorded reason category, and an
       添购 reason needs the original contract and stays within ``single_source.addon_max_ratio``.

    Below the limits and outside 必须招标, methods are the agency's choice; only the definitions of the
    methods (询价 goods, 框架协议 goods/services, 单一来源 reason) still apply. 集中采购目录 items and the
    approval of invited tendering by the project approval authority are checked elsewhere.
    """
    if lot.estimated_amount < 0:
        raise ValueError("估算价不能为负数")
    category = lot.category
    amount = lot.estimated_amount
    assessed = max(amount, combined_total or Decimal(0))
    if combined_total is not None and combined_total > amount:
        basis = f"同一项目可合并采购的{CATEGORY_LABELS[category]}合同估算价合计 {_yuan(assessed)}"
    else:
        basis = f"{_CONTRACT_WORDS[category]} {_yuan(amount)}"
    notes: list[str] = []

    # 1. 必须招标
    key, threshold = params.mandatory_threshold(category)
    in_scope, scope_text = _tender_scope(lot, params)
    reaches = assessed >= threshold
    mandatory = in_scope and reaches
    mandatory_text = f"{basis}达到“{rule_name(key)}”{_yuan(threshold)}，必须公开招标或邀请招标"
    if mandatory:
        notes.append(f"{scope_text}；{mandatory_text}")
    elif reaches:
        notes.append(f"{basis}达到“{rule_name(key)}”{_yuan(threshold)}，但{scope_text}")
    else:
        notes.append(f"{basis}低于“{rule_name(key)}”{_yuan(threshold)}，不属于依法必须招标")

    # 2. 政府采购
    gp_applies = False
    gp_open = False
    gp_open_text = ""
    if lot.is_government_procurement:
        limit_key, limit = params.decentralized_limit(category)
        gp_applies = assessed >= limit
        if gp_applies:
            notes.append(f"{basis}达到“{rule_name(limit_key)}”{_yuan(limit)}，按政府采购法规定的方式采购")
        else:
            notes.append(f"{basis}低于“{rule_name(limit_key)}”{_yuan(limit)}（分散采购限额），按单位内部采购制度执行")
        if category != Category.WORKS:
            open_key = ProcurementParams.KEYS["gp_open_goods_services"]
            gp_open = assessed >= params.gp_open_goods_services
            if gp_open:
                gp_open_text = f"{basis}达到“{rule_name(open_key)}”{_yuan(params.gp_open_goods_services)}，必须公开招标（政府采购法第二十七条）"
                notes.append(gp_open_text)
    statutory = mandatory or gp_applies or gp_open

    # 3. legal exception
    lifted: frozenset[Obligation] = frozenset()
    exception_methods: frozenset[Method] = frozenset(Method)
    exception_text = "未记录经批准的法定例外"
    if exception is not None:
        label = EXCEPTION_LABELS[exception.kind]
        if not exception.approval_ref.strip():
            exception_text = f"法定例外“{label}”未记录批准文号，不予认可"
            notes.append(exception_text)
        else:
            active = {o for o, on in ((Obligation.MANDATORY_TENDER, mandatory), (Obligation.GP_OPEN_TENDER, gp_open)) if on}
            lifted = frozenset(active & EXCEPTION_LIFTS[exception.kind])
            if exception.methods:
                exception_methods = exception.methods
            exception_text = f"法定例外“{label}”（{exception.approval_ref.strip()}）不免除该项义务"
            if lifted:
                approved = "、".join(METHOD_LABELS[m] for m in Method if m in exception.methods) or "不限方式"
                notes.append(f"已记录法定例外“{label}”（批准文号 {exception.approval_ref.strip()}；批准方式：{approved}）")
            elif not active:
                notes.append(f"法定例外“{label}”：本标段不负公开招标或必须招标义务，无需适用")
    mandatory_open = mandatory and Obligation.MANDATORY_TENDER not in lifted
    no_longer_mandatory = not mandatory_open
    # an obligation still confines the choice: one not lifted, or one lifted only for the approved methods
    binding = (
        mandatory_open
        or (gp_open and Obligation.GP_OPEN_TENDER not in lifted)
        or bool(lifted and exception is not None and exception.methods)
    )

    def obligation_reasons(method: Method) -> list[str]:
        reasons: list[str] = []
        if mandatory and method not in TENDER_METHODS:
            if Obligation.MANDATORY_TENDER not in lifted:
                reasons.append(f"{mandatory_text}；{exception_text}")
            elif method not in exception_methods:
                reasons.append(f"{mandatory_text}；批准的法定例外未包括{METHOD_LABELS[method]}")
        if gp_open and method != Method.OPEN_TENDER:
            if Obligation.GP_OPEN_TENDER not in lifted:
                reasons.append(f"{gp_open_text}；{exception_text}")
            elif method not in exception_methods:
                reasons.append(f"{gp_open_text}；批准的法定例外未包括{METHOD_LABELS[method]}")
        return reasons

    def ground_reason(method: Method) -> str | None:
        grounds = METHOD_GROUNDS[method] & lot.grounds
        if grounds:
            return None
        listed = "；".join(GROUND_LABELS[g] for g in Ground if g in METHOD_GROUNDS[method])
        return f"{METHOD_LABELS[method]}须记录适用情形之一（{listed}），本标段未记录"

    def own_reasons(method: Method) -> list[str]:
        reasons: list[str] = []
        if method == Method.INVITED_TENDER and statutory:
            reasons.extend(filter(None, [ground_reason(method)]))
        elif method in (Method.COMPETITIVE_NEGOTIATION, Method.COMPETITIVE_CONSULTATION) and statutory:
            if not (category == Category.WORKS and no_longer_mandatory):
                reasons.extend(filter(None, [ground_reason(method)]))
        elif method == Method.INQUIRY:
            if category != Category.GOODS:
                reasons.append(f"询价仅适用于货物采购（政府采购法第三十二条），本标段为{CATEGORY_LABELS[category]}")
            elif statutory:
                reasons.extend(filter(None, [ground_reason(method)]))
        elif method == Method.FRAMEWORK_AGREEMENT:
            if category == Category.WORKS:
                reasons.append("框架协议采购仅适用于货物和服务（财政部令第110号），不适用于工程")
            else:
                reasons.extend(filter(None, [ground_reason(method)]))
        elif method == Method.SINGLE_SOURCE:
            reasons.extend(filter(None, [_single_source_reason(lot, params)]))
        return reasons

    allowed: list[Method] = []
    refused: list[tuple[Method, str]] = []
    required: list[Method] = []
    for method in Method:
        blocking = obligation_reasons(method)
        if binding and not blocking:
            required.append(method)
        reasons = blocking + own_reasons(method)
        if reasons:
            refused.append((method, f"{METHOD_LABELS[method]}不可用：" + "；".join(reasons)))
        else:
            allowed.append(method)
    return MethodDecision(
        allowed=tuple(allowed),
        required=tuple(required),
        refused=tuple(refused),
        mandatory_tender=mandatory,
        gp_applies=gp_applies,
        gp_open_tender=gp_open,
        exception_applied=bool(lifted),
        notes=tuple(notes),
    )


def _single_source_reason(lot: Lot, params: ProcurementParams) -> str | None:
    grounds = METHOD_GROUNDS[Method.SINGLE_SOURCE] & lot.grounds
    if not grounds:
        listed = "；".join(GROUND_LABELS[g] for g in Ground if g in METHOD_GROUNDS[Method.SINGLE_SOURCE])
        return f"单一来源采购须记录事由类别（{listed}），本标段未记录"
    if grounds != {Ground.CONSISTENCY_ADDON}:
        return None
    if lot.original_contract_amount is None:
        return "以添购为由采用单一来源，须登记原合同采购金额"
    return single_source_addon_problem(
        lot.previous_addons_total + lot.estimated_amount, lot.original_contract_amount, params=params
    )


# ------------------------------------------------------------------------------------------ the method binds the contract

#: the Chinese names of the amount thresholds a method is bound by (as the rule-parameter register names them)
THRESHOLD_NAMES: dict[str, str] = {
    "tender.mandatory.construction": "施工单项合同必须招标金额",
    "tender.mandatory.goods": "重要设备材料单项合同必须招标金额",
    "tender.mandatory.services": "勘察设计监理等服务单项合同必须招标金额",
    "gp.decentralized_limit.goods_services": "货物服务分散采购限额",
    "gp.decentralized_limit.works": "工程分散采购限额",
    "gp.open_tender.goods_services": "货物服务公开招标数额标准",
}


def _thresholds(lot: Lot, params: ProcurementParams) -> list[tuple[str, Decimal]]:
    """(key, amount) of every amount threshold that can confine ``lot``'s methods, lowest first."""
    found = [params.mandatory_threshold(lot.category)]
    if lot.is_government_procurement:
        found.append(params.decentralized_limit(lot.category))
        if lot.category != Category.WORKS:
            found.append((ProcurementParams.KEYS["gp_open_goods_services"], params.gp_open_goods_services))
    return sorted(found, key=lambda item: item[1])


def contract_method_problem(
    lot: Lot,
    *,
    method: Method,
    contract_amount: Decimal,
    params: ProcurementParams,
    combined_total: Decimal | None = None,
    exception: LegalException | None = None,
) -> str | None:
    """The procurement method binds the contract: a contract above its lot's estimate is decided again as if
    the lot had been estimated at the contract amount (``combined_total``, the combinable lots of the
    category with this one, grows by the same difference). When ``method`` would then not be allowed, the
    refusal names the method, the threshold (its Chinese name and amount) from which it is no longer
    allowed and the methods required there; None when the method still holds. A contract at or below the
    estimate is what the method was chosen for."""
    if contract_amount <= lot.estimated_amount:
        return None
    others = None if combined_total is None else combined_total - lot.estimated_amount

    def decide(amount: Decimal) -> MethodDecision:
        return allowed_methods(
            replace(lot, estimated_amount=amount),
            params=params,
            combined_total=None if others is None else others + amount,
            exception=exception,
        )

    decision = decide(contract_amount)
    if decision.is_allowed(method):
        return None
    label = METHOD_LABELS[method]
    required = "、".join(METHOD_LABELS[m] for m in decision.required)
    must = f"，须采用{required}" if required else ""
    base = f"合同金额 {_yuan(contract_amount)}超过采购方式“{label}”允许的金额（标段估算 {_yuan(lot.estimated_amount)}"
    combined = "，与可合并的同类标段合计计算" if others else ""
    for key, threshold in _thresholds(lot, params):
        at = threshold - (others or Decimal(0))  # the contract amount from which the assessed total reaches it
        if lot.estimated_amount < at <= contract_amount and not decide(at).is_allowed(method):
            return (
                f"{base}{combined}）：{label}只适用于低于{THRESHOLD_NAMES.get(key, key)} {_yuan(threshold)}的采购"
                f"（“以上”含本数）{must}；请按规定的采购方式重新采购，或核减合同金额"
            )
    reason = decision.reason(method) or ""
    return f"{base}{combined}）：{reason}{must}"


# ------------------------------------------------------------------------------------------ 化整为零


@dataclass(frozen=True)
class LotRef:
    """A planned or signed lot, for the splitting check: its reference, project, category, amount, and
    whether it could be procured together with the project's other lots of that category."""

    ref: str
    project: str
    category: Category
    estimated_amount: Decimal
    combinable: bool = True


def split_problem(lots: Sequence[LotRef], *, params: ProcurementParams) -> str | None:
    """化整为零: refuse when combinable lots of one project and one category, each below the 16号令
    threshold of the category, together reach it (16号令 第五条第二款; 政府采购法 第28条). The refusal
    names every such lot, its amount and the total. Lots at or above the threshold on their own are
    mandatory anyway (see :func:`allowed_methods` with ``combined_total``); lots marked not combinable
    are left out. None when there is no split."""
    groups: dict[tuple[str, Category], list[LotRef]] = {}
    for lot in lots:
        if lot.combinable:
            groups.setdefault((lot.project, lot.category), []).append(lot)
    problems: list[str] = []
    for (project, category), members in groups.items():
        key, threshold = params.mandatory_threshold(category)
        small = [lot for lot in members if lot.estimated_amount < threshold]
        total = sum((lot.estimated_amount for lot in small), Decimal(0))
        if len(small) >= 2 and total >= threshold:
            named = "、".join(f"{lot.ref}（{_yuan(lot.estimated_amount)}）" for lot in small)
            problems.append(
                f"化整为零：项目 {project} 的{CATEGORY_LABELS[category]}标段 {named} 可合并采购，"
                f"各自低于“{rule_name(key)}”{_yuan(threshold)}，但合计 {_yuan(total)}达到该标准，"
                "须合并按招标方式采购（16号令第五条、政府采购法第二十八条）"
            )
    return "；".join(problems) or None


# ------------------------------------------------------------------------------------------ bonds, time limits


def _ratio_cap_problem(what: str, amount: Decimal, base_what: str, base: Decimal, key: str, ratio: Decimal) -> str | None:
    if amount < 0:
        return f"{what}不能为负数"
    if base <= 0:
        return f"{base_what}须大于0，才能核定{what}上限"
    cap = base * ratio
    if amount > cap:
        return (
            f"{what} {_yuan(amount)}超过{base_what} {_yuan(base)}的 {_pct(ratio)}（“{rule_name(key)}”），"
            f"上限为 {_yuan(cap.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))}"
        )
    return None


def bid_bond_problem(bond: Decimal, estimated_amount: Decimal, *, params: ProcurementParams) -> str | None:
    """投标保证金 may not exceed ``bid.bid_bond_max_ratio`` of the 招标项目估算价 (实施条例第26条);
    exactly the cap is allowed. None when it is within the cap."""
    return _ratio_cap_problem(
        "投标保证金",
        bond,
        "招标项目估算价",
        estimated_amount,
        ProcurementParams.KEYS["bid_bond_max_ratio"],
        params.bid_bond_max_ratio,
    )


def performance_bond_problem(bond: Decimal, contract_amount: Decimal, *, params: ProcurementParams) -> str | None:
    """履约保证金 may not exceed ``bid.performance_bond_max_ratio`` of the 中标合同金额 (实施条例第58条);
    exactly the cap is allowed."""
    return _ratio_cap_problem(
        "履约保证金",
        bond,
        "中标合同金额",
        contract_amount,
        ProcurementParams.KEYS["performance_bond_max_ratio"],
        params.performance_bond_max_ratio,
    )


def single_source_addon_problem(addon_total: Decimal, original_contract: Decimal, *, params: ProcurementParams) -> str | None:
    """单一来源添购: all additions together (``addon_total``, this one included) may not exceed
    ``single_source.addon_max_ratio`` of the original contract (政府采购法第31条); exactly the cap is allowed."""
    return _ratio_cap_problem(
        "添购资金总额",
        addon_total,
        "原合同采购金额",
        original_contract,
        ProcurementParams.KEYS["single_source_addon_max_ratio"],
        params.single_source_addon_max_ratio,
    )


def tender_period_problem(issued_on: dt.date, deadline: dt.date, *, params: ProcurementParams) -> str | None:
    """招标文件发出之日至投标截止之日不少于 ``bid.tender_period_min_days`` 日 (招标投标法第24条), counted in
    calendar days from the day after issue (the issue day is not counted, 民法典第201条): issued on
    1 March with 20 days → the deadline may be 21 March at the earliest."""
    key = ProcurementParams.KEYS["tender_period_min_days"]
    days = (deadline - issued_on).days
    if days < params.tender_period_min_days:
        earliest = issued_on + dt.timedelta(days=params.tender_period_min_days)
        return (
            f"招标文件 {issued_on:%Y-%m-%d} 发出至投标截止 {deadline:%Y-%m-%d} 仅 {days} 日，"
            f"少于“{rule_name(key)}”{params.tender_period_min_days} 日，投标截止最早为 {earliest:%Y-%m-%d}"
        )
    return None


def candidate_publicity_problem(start: dt.date, end: dt.date, *, params: ProcurementParams) -> str | None:
    """中标候选人公示期不少于 ``bid.candidate_publicity_min_days`` 日 (实施条例第54条). ``start`` and
    ``end`` are the first and the last day of publicity, both counted (公示期 5月8日至5月10日 = 3日)."""
    key = ProcurementParams.KEYS["candidate_publicity_min_days"]
    if end < start:
        return f"公示结束日 {end:%Y-%m-%d} 早于开始日 {start:%Y-%m-%d}"
    days = (end - start).days + 1
    if days < params.candidate_publicity_min_days:
        return (
            f"中标候选人公示期 {start:%Y-%m-%d} 至 {end:%Y-%m-%d} 共 {days} 日，"
            f"少于“{rule_name(key)}”{params.candidate_publicity_min_days} 日"
        )
    return None


def contract_signing_problem(award_notice_on: dt.date, signed_on: dt.date, *, params: ProcurementParams) -> str | None:
    """书面合同应自中标通知书发出之日起 ``bid.contract_sign_max_days`` 日内订立 (招标投标法第46条;
    "以内" includes the number); a contract may not be signed before the notice."""
    key = ProcurementParams.KEYS["contract_sign_max_days"]
    days = (signed_on - award_notice_on).days
    if days < 0:
        return f"合同签订日 {signed_on:%Y-%m-%d} 早于中标通知书发出日 {award_notice_on:%Y-%m-%d}"
    if days > params.contract_sign_max_days:
        return f"中标通知书 {award_notice_on:%Y-%m-%d} 发出后第 {days} 日才签订合同，超过“{rule_name(key)}”{params.contract_sign_max_days} 日"
    return None


# ------------------------------------------------------------------------------------------ evaluation

CENT = Decimal("0.01")


def _round2(value: Fraction) -> Decimal:
    """Exact fraction → Decimal rounded half up to 0.01 (the scores on the evaluation report)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Bid:
    """A bid as opened: bidder, price, submission time, and whether it passed the 初步评审 (with why not)."""

    bidder: str
    price: Decimal
    submitted_at: dt.datetime
    valid: bool = True
    invalid_reason: str = ""


@dataclass(frozen=True)
class PriceRank:
    rank: int
    bidder: str
    price: Decimal
    submitted_at: dt.datetime


@dataclass(frozen=True)
class LowestPriceResult:
    ranking: tuple[PriceRank, ...]
    excluded: tuple[tuple[str, str], ...]  # (bidder, reason) of the invalid bids


def _check_bids(bids: Sequence[Bid]) -> tuple[list[Bid], list[tuple[str, str]]]:
    seen: set[str] = set()
    for bid in bids:
        if bid.bidder in seen:
            raise DomainError("procurement.evaluation.duplicate_bidder", f"投标人 {bid.bidder} 重复投标")
        seen.add(bid.bidder)
    valid = [b for b in bids if b.valid]
    for bid in valid:
        if bid.price <= 0:
            raise DomainError("procurement.evaluation.price", f"投标人 {bid.bidder} 的投标报价 {_yuan(bid.price)}须大于0")
    if not valid:
        raise DomainError("procurement.evaluation.no_valid_bid", "没有通过初步评审的有效投标，不能排序")
    excluded = [(b.bidder, b.invalid_reason or "未通过初步评审") for b in bids if not b.valid]
    return valid, excluded


def rank_by_lowest_price(bids: Sequence[Bid]) -> LowestPriceResult:
    """经评审的最低投标价法 / 最低评标价法: the valid bids by price, lowest first; ties go to the earlier
    submission, then to the bidder identifier (so the order never depends on input order). Invalid bids
    are listed in ``excluded`` with their reason. Refuses (DomainError) duplicates, a non-positive price
    of a valid bid, and a call with no valid bid."""
    valid, excluded = _check_bids(bids)
    ordered = sorted(valid, key=lambda b: (b.price, b.submitted_at, b.bidder))
    return LowestPriceResult(
        ranking=tuple(PriceRank(i, b.bidder, b.price, b.submitted_at) for i, b in enumerate(ordered, start=1)),
        excluded=tuple(excluded),
    )


class CriterionKind(StrEnum):
    PRICE = "price"
    TECHNICAL = "technical"
    COMMERCIAL = "commercial"


@dataclass(frozen=True)
class Criterion:
    """One 评分因素: its code, name, weight (its maximum points; all weights sum to 100) and kind."""

    code: str
    name: str
    weight: Decimal
    kind: CriterionKind = CriterionKind.TECHNICAL


@dataclass(frozen=True)
class Score:
    """One evaluator's points for one bidder on one non-price criterion (0..weight), as stored."""

    evaluator: str
    bidder: str
    criterion: str
    points: Decimal


@dataclass(frozen=True)
class CriterionResult:
    criterion: str
    name: str
    kind: CriterionKind
    points: Decimal  # rounded to 0.01
    detail: str


@dataclass(frozen=True)
class BidderResult:
    rank: int
    bidder: str
    price: Decimal
    submitted_at: dt.datetime
    price_score: Decimal
    technical_score: Decimal
    commercial_score: Decimal
    total: Decimal
    breakdown: tuple[CriterionResult, ...]


@dataclass(frozen=True)
class ComprehensiveResult:
    benchmark_price: Decimal
    ranking: tuple[BidderResult, ...]
    excluded: tuple[tuple[str, str], ...]
    formula: str = field(
        default=(
            "评标基准价 = 通过初步评审的最低投标报价；价格分 = 评标基准价 ÷ 投标报价 × 价格权重；"
            "其他各评分因素得分 = 全体评委对该因素打分的算术平均值；各项得分四舍五入保留两位小数；"
            "总分 = 价格分 + 其他各因素得分之和；总分相同时依次按技术得分高、投标报价低、递交时间早排序"
        )
    )


def _check_criteria(criteria: Sequence[Criterion]) -> Criterion:
    codes = [c.code for c in criteria]
    if len(set(codes)) != len(codes):
        raise DomainError("procurement.evaluation.criteria", "评分因素编号重复")
    total = sum((c.weight for c in criteria), Decimal(0))
    if total != 100:
        raise DomainError("procurement.evaluation.weights", f"评分因素权重合计为 {total}，应为 100")
    for c in criteria:
        if c.weight < 0:
            raise DomainError("procurement.evaluation.weights", f"评分因素“{c.name}”的权重 {c.weight} 不能为负数")
    prices = [c for c in criteria if c.kind == CriterionKind.PRICE]
    if len(prices) != 1:
        raise DomainError("procurement.evaluation.price_criterion", f"综合评分法应有且仅有一个价格因素，现有 {len(prices)} 个")
    return prices[0]


def rank_by_comprehensive_score(
    bids: Sequence[Bid], criteria: Sequence[Criterion], scores: Sequence[Score]
) -> ComprehensiveResult:
    """综合评分法: rank the valid bids by total score, with a per-bidder breakdown.

    Formula (低价优先法 / low-price benchmark method)::

        评标基准价 B = min(price of every valid bid)
        价格分       = round2(B / price × W_price)
        因素 c 得分  = round2(mean over evaluators of their points on c)      for each non-price c
        总分         = 价格分 + Σ 因素得分
        技术得分     = Σ 因素得分 of the technical criteria

    ``round2`` is half-up to 0.01 on the exact value; totals are sums of the rounded parts (as printed on
    the 评标报告), and the ranking uses those totals. Ties: higher 技术得分, then lower price, then earlier
    submission, then bidder identifier.

    Refuses (DomainError): weights not summing to 100, not exactly one price criterion, a score outside
    0..weight, a score for the price criterion or an unknown bidder/criterion, a duplicate score, and an
    evaluator who did not score every valid bidder on every non-price criterion. Scores of invalid bids
    are ignored; those bids are listed in ``excluded``.
    """
    price_criterion = _check_criteria(criteria)
    valid, excluded = _check_bids(bids)
    valid_ids = {b.bidder for b in valid}
    all_ids = {b.bidder for b in bids}
    by_code = {c.code: c for c in criteria}
    others = [c for c in criteria if c.kind != CriterionKind.PRICE]

    table: dict[tuple[str, str, str], Decimal] = {}
    evaluators: list[str] = []
    for s in scores:
        if s.bidder not in all_ids:
            raise DomainError("procurement.evaluation.score", f"评分记录中的投标人 {s.bidder} 不在本次投标中")
        criterion = by_code.get(s.criterion)
        if criterion is None:
            raise DomainError("procurement.evaluation.score", f"评分记录中的评分因素 {s.criterion} 不存在")
        if criterion.kind == CriterionKind.PRICE:
            raise DomainError(
                "procurement.evaluation.score", f"价格分由公式计算，评委 {s.evaluator} 不应对“{criterion.name}”打分"
            )
        if not 0 <= s.points <= criterion.weight:
            raise DomainError(
                "procurement.evaluation.score",
                f"评委 {s.evaluator} 对投标人 {s.bidder} 的“{criterion.name}”打分 {s.points}，超出 0–{criterion.weight} 分",
            )
        if s.bidder not in valid_ids:
            continue
        cell = (s.evaluator, s.bidder, s.criterion)
        if cell in table:
            raise DomainError(
                "procurement.evaluation.score", f"评委 {s.evaluator} 对投标人 {s.bidder} 的“{criterion.name}”重复打分"
            )
        table[cell] = s.points
        if s.evaluator not in evaluators:
            evaluators.append(s.evaluator)
    evaluators.sort()
    if others and not evaluators:
        raise DomainError("procurement.evaluation.score", "没有评委打分记录")
    for evaluator in evaluators:
        for bid in valid:
            for c in others:
                if (evaluator, bid.bidder, c.code) not in table:
                    raise DomainError(
                        "procurement.evaluation.incomplete",
                        f"评委 {evaluator} 未对投标人 {bid.bidder} 的“{c.name}”打分",
                    )

    benchmark = min(b.price for b in valid)
    rows: list[tuple[tuple[Decimal, Decimal, Decimal, dt.datetime, str], BidderResult]] = []
    for bid in valid:
        price_score = _round2(Fraction(benchmark) / Fraction(bid.price) * Fraction(price_criterion.weight))
        breakdown = [
            CriterionResult(
                price_criterion.code,
                price_criterion.name,
                CriterionKind.PRICE,
                price_score,
                f"{_yuan(benchmark)} ÷ {_yuan(bid.price)} × {price_criterion.weight} = {price_score}",
            )
        ]
        technical = commercial = Decimal(0)
        for c in others:
            points = [table[(e, bid.bidder, c.code)] for e in evaluators]
            mean = _round2(sum((Fraction(p) for p in points), Fraction(0)) / len(points))
            given = "、".join(f"{e} {p}" for e, p in zip(evaluators, points, strict=True))
            breakdown.append(CriterionResult(c.code, c.name, c.kind, mean, f"评委打分 {given}，平均 {mean}"))
            if c.kind == CriterionKind.TECHNICAL:
                technical += mean
            else:
                commercial += mean
        total = price_score + technical + commercial
        key = (-total, -technical, bid.price, bid.submitted_at, bid.bidder)
        result = BidderResult(
            0, bid.bidder, bid.price, bid.submitted_at, price_score, technical, commercial, total, tuple(breakdown)
        )
        rows.append((key, result))
    rows.sort(key=lambda row: row[0])
    ranking = tuple(
        BidderResult(
            i,
            r.bidder,
            r.price,
            r.submitted_at,
            r.price_score,
            r.technical_score,
            r.commercial_score,
            r.total,
            r.breakdown,
        )
        for i, (_, r) in enumerate(rows, start=1)
    )
    return ComprehensiveResult(benchmark_price=benchmark, ranking=ranking, excluded=tuple(excluded))
