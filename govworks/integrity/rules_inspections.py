"""双随机一公开: the pure decisions — ratio limits, how many objects a ratio draws, who must step aside
(回避) for an object, the draw itself and its fingerprint (SHA-256). No Django: the draw is replayed from the
stored seed, parameters and pool snapshot alone.

The random choices reuse the expert draw's :func:`govworks.projects.rules.draw_panel` (seeded from a CSPRNG
value, reproducible), and the employer match reuses :func:`govworks.projects.rules.employer_party` (credit
code, external-organisation account or normalised name).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from decimal import ROUND_CEILING, Decimal
from typing import Any

from govworks.core.rule_seed import rule_name
from govworks.projects.rules import Candidate, Party, draw_panel, employer_party

GENERAL = "general"
KEY = "key"
KIND_LABELS = {GENERAL: "一般检查事项", KEY: "重点检查事项"}

RATIO_RULE = "random_inspection.general_ratio_max"
INSPECTORS_RULE = "random_inspection.inspectors_per_draw"
PUBLISH_RULE = "random_inspection.publish_within_days"


def percent(value: Decimal) -> str:
    """A per-cent number as people write it: 20.0 → "20", 12.50 → "12.5" (never "2E+1")."""
    return format(value.normalize(), "f")


def item_ratio_problem(kind: str, ratio: Decimal, *, general_max: Decimal) -> str | None:
    """Why an item's ratio is not allowed: 0 < ratio ≤ 100; a 一般 item at most the rule's cap."""
    if ratio <= 0 or ratio > 100:
        return f"抽查比例须大于 0% 且不超过 100%（当前 {ratio}%）"
    if kind == GENERAL and ratio > general_max:
        return f"一般检查事项的抽查比例不得超过 {percent(general_max)}%（规则“{rule_name(RATIO_RULE)}”），当前 {ratio}%；重点检查事项不设上限"
    return None


def plan_ratio_problem(ratio: Decimal, item_ratios: Sequence[tuple[str, Decimal]]) -> str | None:
    """A plan draws at most the highest ratio among its items (each item's ratio is already within its limit)."""
    if not item_ratios:
        return "抽查计划至少须包含 1 个抽查事项"
    if ratio <= 0:
        return f"抽查比例须大于 0%（当前 {ratio}%）"
    top = max(r for _, r in item_ratios)
    if ratio > top:
        return f"计划抽查比例 {ratio}% 超过所选抽查事项的最高比例 {top}%"
    return None


def inspectors_problem(count: int, *, minimum: int) -> str | None:
    """Each object is checked by at least the rule's number of inspectors."""
    if count < minimum:
        return f"每个检查对象须随机选派不少于 {minimum} 名检查人员（规则“{rule_name(INSPECTORS_RULE)}”），当前 {count} 名"
    return None


def objects_to_draw(pool_size: int, ratio: Decimal) -> int:
    """How many objects ``ratio`` % of ``pool_size`` draws: rounded up, at least 1 when the pool is not empty."""
    if pool_size <= 0:
        return 0
    n = int((Decimal(pool_size) * ratio / Decimal(100)).to_integral_value(rounding=ROUND_CEILING))
    return max(1, min(pool_size, n))


def conflict_reason(inspector: Mapping[str, Any], obj: Mapping[str, Any]) -> str | None:
    """Why ``inspector`` must step aside for ``obj`` (both as stored in the snapshot), or None.

    * the inspector's employer is one of the object's companies (its contractor, supervisor or the company
      itself), matched by credit code, account or normalised name;
    * the inspector declared a conflict with one of those companies;
    * the inspector is listed as responsible for (a project of) the object.
    """
    parties = [Party(**p) for p in obj.get("parties", [])]
    candidate = Candidate(
        expert_id=inspector["id"],
        speciality="",
        employer_agency_id=None,
        employer_org_id=None,
        conflict_agency_ids=frozenset(),
        conflict_org_ids=frozenset(inspector.get("conflict_orgs", [])),
        employer_name=inspector.get("employer_name", ""),
        employer_credit_code=inspector.get("employer_credit_code", ""),
    )
    party = employer_party(candidate, parties)
    if party is not None:
        return f"工作单位为检查对象的{party.role}“{party.name}”"
    for p in parties:
        if p.org_id is not None and p.org_id in candidate.conflict_org_ids:
            return f"申报与{p.role}“{p.name}”存在利害关系"
    if inspector.get("user") in set(obj.get("responsible_users", [])):
        return "为检查对象项目的负责人或责任人"
    return None


def draw(seed: str, parameters: Mapping[str, Any], snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """The draw, fully determined by its inputs: which objects (``ratio`` of the pool) and, for each, which
    ``inspectors_per_object`` inspectors among those without a conflict. Conflicts of the drawn objects are
    listed with their reasons. Raises ``ValueError`` when an object has too few inspectors left."""
    objects = list(snapshot.get("objects", []))
    inspectors = list(snapshot.get("inspectors", []))
    size = objects_to_draw(len(objects), Decimal(str(parameters["ratio"])))
    drawn_idx = draw_panel(list(range(len(objects))), size=size, seed=f"{seed}:objects") if size else []
    per = int(parameters["inspectors_per_object"])
    rows: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    for i in drawn_idx:
        obj = objects[i]
        ok: list[int] = []
        for insp in inspectors:
            reason = conflict_reason(insp, obj)
            if reason:
                excluded.append({"object": obj["key"], "inspector": insp["id"], "reason": reason})
            else:
                ok.append(insp["id"])
        if len(ok) < per:
            raise ValueError(f"{obj['label']}：回避后可选检查人员只有 {len(ok)} 名，不足 {per} 名")
        rows.append({"object": obj["key"], "inspectors": draw_panel(ok, size=per, seed=f"{seed}:{obj['key']}")})
    return {"objects": rows, "excluded": excluded}


def canonical(value: Any) -> bytes:
    """The bytes that are hashed: JSON with sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def draw_hash(seed: str, parameters: Mapping[str, Any], snapshot: Mapping[str, Any], result: Mapping[str, Any]) -> str:
    """SHA-256 of (seed, parameters, snapshot, result)."""
    body = {"seed": seed, "parameters": parameters, "snapshot": snapshot, "result": result}
    return hashlib.sha256(canonical(body)).hexdigest()


def replay(
    seed: str, parameters: Mapping[str, Any], snapshot: Mapping[str, Any], result: Mapping[str, Any], stored_hash: str
) -> tuple[bool, str]:
    """(consistent, explanation): the result recomputed from seed+parameters+snapshot equals the stored one and
    the hash of all four equals the stored hash."""
    try:
        again = draw(seed, parameters, snapshot)
    except (ValueError, KeyError, TypeError) as err:
        return False, f"按存档种子与名录快照无法重新抽取：{err}"
    if canonical(again) != canonical(result):
        return False, "按存档种子与名录快照重新抽取的结果与存档结果不同"
    if draw_hash(seed, parameters, snapshot, result) != stored_hash:
        return False, "种子、参数、名录快照与结果的 SHA-256 摘要与存档摘要不符（存档数据已被改动）"
    return True, "按存档种子与名录快照重新抽取，结果与存档结果相同，SHA-256 摘要一致"
