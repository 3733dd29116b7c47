"""Pure decisions of the project lifecycle: no Django, no ORM. Parameters in, decision out."""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

# ------------------------------------------------------------------------------------------ stages

STAGE_ORDER: tuple[str, ...] = (
    "planned",
    "initiation",
    "feasibility",
    "prelim_design",
    "design_review",
    "procurement",
    "contract",
    "construction",
    "acceptance",
    "settlement",
    "final_accounts",
    "archiving",
    "asset_handover",
    "evaluation",
    "closed",
)
SUSPENDED = "suspended"


@dataclass(frozen=True)
class SkipRule:
    """A stage that a project below ``min_amount`` does not go through separately."""

    stage: str
    parameter_key: str
    min_amount: Decimal
    label: str


@dataclass(frozen=True)
class NextStage:
    stage: str
    skipped: tuple[tuple[str, str], ...]  # (stage, the rule text that allowed the skip)


def next_stage(current: str, *, amount: Decimal, skip_rules: Sequence[SkipRule]) -> NextStage | None:
    """The stage after ``current`` for a project of ``amount``; stages whose skip rule applies are passed
    over and returned with the reason. None when ``current`` is the last stage or is 停工."""
    if current == SUSPENDED or current not in STAGE_ORDER:
        return None
    index = STAGE_ORDER.index(current)
    skipped: list[tuple[str, str]] = []
    for candidate in STAGE_ORDER[index + 1 :]:
        rule = next((r for r in skip_rules if r.stage == candidate), None)
        if rule is not None and amount < rule.min_amount:
            skipped.append(
                (
                    candidate,
                    f"金额 {amount:,.2f} 元低于“{rule.label}”{rule.min_amount:,.2f} 元，不单独履行该阶段",
                )
            )
            continue
        return NextStage(candidate, tuple(skipped))
    return None


def stage_index(stage: str) -> int:
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else STAGE_ORDER.index("construction")


# ------------------------------------------------------------------------------------------ thresholds


def requires_collective_decision(amount: Decimal, threshold: Decimal) -> bool:
    """三重一大: at or above the agency's large-fund amount ("以上" includes the number)."""
    return amount >= threshold


def requires_higher_review(amount: Decimal, threshold: Decimal) -> bool:
    """政府常务会议/人大 review at or above ``initiation.higher_review_min_amount``."""
    return amount >= threshold


# ------------------------------------------------------------------------------------------ approvals


@dataclass(frozen=True)
class ChainRule:
    name: str
    min_amount: Decimal
    steps: tuple[str, ...]
    agency_specific: bool


def pick_chain(rules: Iterable[ChainRule], amount: Decimal) -> ChainRule | None:
    """The chain for ``amount``: an agency's own rules win over the deployment's; among them the one with
    the highest ``min_amount`` not above ``amount``."""
    candidates = [r for r in rules if r.min_amount <= amount]
    if not candidates:
        return None
    own = [r for r in candidates if r.agency_specific]
    pool = own or candidates
    return max(pool, key=lambda r: r.min_amount)


@dataclass(frozen=True)
class PriorAct:
    """Someone's earlier part in an item: ``kind`` is ``drafted``, ``submitted`` or ``approved``;
    ``label`` says which step in Chinese (e.g. "审批了本事项第1环节（科室负责人）")."""

    user_id: int
    kind: str
    label: str


#: refusal code per kind of earlier part (stable: the API and 纪检监察's list use them)
SOD_CODES = {"submitted": "approval.own_submission", "drafted": "approval.own_draft", "approved": "approval.earlier_step"}


def separation_of_duties_problem(
    *, actor_id: int, acting_for: tuple[int, str] | None, prior: Sequence[PriorAct], step_label: str
) -> tuple[str, str] | None:
    """职责分离: whoever drafted, submitted or approved an earlier step of an item may not approve a later
    step of it — neither in person nor through someone they act for (``acting_for`` = (delegator id,
    name)). Returns (code, Chinese message naming the rule and the earlier step), or None when allowed.
    The submitter is named first, then the drafter, then an earlier approver."""
    order = {"submitted": 0, "drafted": 1, "approved": 2}
    for act in sorted(prior, key=lambda a: order.get(a.kind, 9)):
        if act.user_id == actor_id:
            if act.kind == "submitted":
                return SOD_CODES["submitted"], (
                    f"职责分离：本事项由您提交，不能审批自己提交的事项（审批与提交须由不同的人办理），{step_label}须由他人办理"
                )
            return SOD_CODES[act.kind], (
                f"职责分离：您{act.label}，不能再办理后续的{step_label}（起草、提交或审批过前一环节的人不得审批后续环节）"
            )
    if acting_for is not None:
        delegator_id, name = acting_for
        for act in sorted(prior, key=lambda a: order.get(a.kind, 9)):
            if act.user_id == delegator_id:
                return SOD_CODES[act.kind], (
                    f"职责分离：委托人{name}{act.label}，受托人不能代其办理后续的{step_label}"
                    "（起草、提交或审批过前一环节的人不得审批后续环节）"
                )
    return None


# ------------------------------------------------------------------------------------------ collective decisions


@dataclass(frozen=True)
class Tally:
    expected: int
    present: int
    agree: int
    disagree: int
    abstain: int
    recused: int


def quorum_met(*, expected: int, present: int, ratio: Decimal) -> bool:
    """到会人数达到应到人数的法定比例（含本数）。

    The parameter is a percentage with two decimals, so 三分之二 is stored as 66.67%: the required
    head count is compared at a hundredth of a person (4 of 6 meets 66.67%, 3 of 5 does not)."""
    required = (Decimal(expected) * ratio).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return expected > 0 and Decimal(present) >= required


def decision_problem(tally: Tally, *, ratio: Decimal, chair_says_pass: bool) -> str | None:
    """Why the chair may not conclude as proposed, or None. A pass needs the quorum and more than half of
    the present members who did not recuse themselves agreeing (民主集中制, 末位表态)."""
    if not quorum_met(expected=tally.expected, present=tally.present, ratio=ratio):
        return f"到会 {tally.present} 人，未达到应到 {tally.expected} 人的 {ratio:.0%}（法定人数），不能作出决定"
    voting = tally.present - tally.recused
    if chair_says_pass and tally.agree * 2 <= voting:
        return f"同意 {tally.agree} 人，未超过参与表决的 {voting} 人的半数，主持人不能作出“通过”的结论"
    return None


# ------------------------------------------------------------------------------------------ expert draw


@dataclass(frozen=True)
class Candidate:
    """An expert as the draw sees them: speciality and every tie that can exclude them."""

    expert_id: int
    speciality: str
    employer_agency_id: int | None
    employer_org_id: int | None
    conflict_agency_ids: frozenset[int]
    conflict_org_ids: frozenset[int]
    employer_name: str = ""  # 工作单位 as written (matched by name against the project's parties)
    employer_credit_code: str = ""  # 工作单位的统一社会信用代码, when known


@dataclass(frozen=True)
class Party:
    """A company on the other side of a project: a contract's supplier, a bidder, the contractor or the
    supervisor on site. ``org_id`` is its external-organisation account, when it has one."""

    role: str
    name: str
    credit_code: str = ""
    org_id: int | None = None


_NAME_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def organisation_name_key(name: str) -> str:
    """A company name made comparable: full-width forms folded (NFKC), spaces, brackets and punctuation
    dropped, Latin letters lower-cased — “临江二建（集团） 有限公司” and “临江二建(集团)有限公司” are the same."""
    return _NAME_NOISE.sub("", unicodedata.normalize("NFKC", name or "")).casefold()


def employer_party(c: Candidate, parties: Iterable[Party]) -> Party | None:
    """The party of the project that employs the expert, or None: the same 统一社会信用代码, the same
    external-organisation account, or the same name once normalised (:func:`organisation_name_key`)."""
    code = (c.employer_credit_code or "").strip().upper()
    name = organisation_name_key(c.employer_name)
    for party in parties:
        if code and code == (party.credit_code or "").strip().upper():
            return party
        if c.employer_org_id is not None and c.employer_org_id == party.org_id:
            return party
        if name and name == organisation_name_key(party.name):
            return party
    return None


def conflict_reason(
    c: Candidate, *, agency_ids: frozenset[int], org_ids: frozenset[int], parties: Sequence[Party] = ()
) -> str | None:
    """Why the expert must not sit on the panel: works for or is tied to the agency, a related company,
    or works for any party of the project (matched by credit code, account or name)."""
    if c.employer_agency_id is not None and c.employer_agency_id in agency_ids:
        return "本单位或上级主管单位人员"
    if c.conflict_agency_ids & agency_ids:
        return "与本单位存在利害关系"
    if c.employer_org_id is not None and c.employer_org_id in org_ids:
        return "参建企业人员"
    if c.conflict_org_ids & org_ids:
        return "与参建企业存在利害关系"
    party = employer_party(c, parties)
    if party is not None:
        return f"{party.role}“{party.name}”的人员"
    return None


def eligible(
    pool: Iterable[Candidate],
    *,
    speciality: str,
    agency_ids: frozenset[int],
    org_ids: frozenset[int],
    parties: Sequence[Party] = (),
) -> tuple[list[int], list[int]]:
    """(eligible ids, excluded ids) of the pool for ``speciality``, both sorted."""
    ok: list[int] = []
    excluded: list[int] = []
    for c in pool:
        if c.speciality != speciality:
            continue
        if conflict_reason(c, agency_ids=agency_ids, org_ids=org_ids, parties=parties):
            excluded.append(c.expert_id)
        else:
            ok.append(c.expert_id)
    return sorted(ok), sorted(excluded)


def redraw_reason_problem(reason: str, *, min_length: int = 5) -> str | None:
    """Why a re-draw may not go ahead: every re-draw states in writing why the first draw is set aside."""
    text = (reason or "").strip()
    if len(text) < min_length:
        return f"重新抽取须写明理由（不少于 {min_length} 个字，当前 {len(text)} 个字），原抽取结果保留备查"
    return None


def draw_panel(eligible_ids: Sequence[int], *, size: int, seed: str) -> list[int]:
    """Reproducible random draw: the same eligible ids (sorted) and seed always give the same panel."""
    if size <= 0:
        raise ValueError("size must be positive")
    if len(eligible_ids) < size:
        raise ValueError(f"only {len(eligible_ids)} eligible experts for a panel of {size}")
    rng = random.Random(int(hashlib.sha256(seed.encode()).hexdigest(), 16))  # noqa: S311  (reproducible by design; the seed is a CSPRNG value)
    return rng.sample(sorted(eligible_ids), size)


# ------------------------------------------------------------------------------------------ joint review


def joint_review_summary(opinions: Sequence[tuple[str, str, str]]) -> tuple[str, str]:
    """(conclusion, consolidated text) from ``(unit, opinion, comment)``; dissent is named, not averaged.

    Any 不同意 → 不通过; otherwise any 有条件同意 → 有条件通过; otherwise 通过.
    """
    dissent = [(u, c) for u, o, c in opinions if o == "disagree"]
    conditional = [(u, c) for u, o, c in opinions if o == "conditional"]
    agree = [u for u, o, _ in opinions if o == "agree"]
    lines = []
    if agree:
        lines.append("同意：" + "、".join(agree))
    for unit, comment in conditional:
        lines.append(f"有条件同意：{unit}（{comment or '未说明条件'}）")
    for unit, comment in dissent:
        lines.append(f"不同意：{unit}（{comment or '未说明理由'}）")
    conclusion = "fail" if dissent else ("conditional" if conditional else "pass")
    return conclusion, "\n".join(lines)
