"""Writes of a tender record (招标): announcement with the minimum document period, bids before the
deadline with the bond cap, the opening (only at or after the opening time), the evaluation panel drawn
from the expert pool with the reproducible, conflict-free draw of 专家论证, each evaluator's scores, the
evaluation with the ranking computed by ``rules_methods`` and stored, the candidate publicity with its
minimum period, and the award (refused and recorded for 纪检监察 when the supplier may not be awarded).
工程管理岗/科室负责人 of the project's agency only; every refusal raises before anything is written;
every write is one transaction with one audit event in the project's timeline. Registers the gate
condition of the 招标采购 stage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from govworks.core.audit import audit_event_record
from govworks.core.encryption import DecryptionError
from govworks.core.errors import DomainError
from govworks.core.money import yuan_text
from govworks.core.numbering import next_document_number
from govworks.core.registry import GateCondition, register_gate_conditions
from govworks.core.uploads import upload_check
from govworks.org import permissions as org_perms
from govworks.org.models import User
from govworks.procurement import permissions as perms
from govworks.procurement.models import (
    Award,
    Bid,
    Contract,
    EvaluationMethod,
    EvaluationPanel,
    EvaluationScore,
    ProcurementLot,
    Supplier,
    Tender,
    TenderOpening,
    bid_amount_seal,
    bid_amount_unseal,
)
from govworks.procurement.rules_methods import (
    Bid as RuleBid,
)
from govworks.procurement.rules_methods import (
    Criterion,
    CriterionKind,
    Score,
    bid_bond_problem,
    candidate_publicity_problem,
    rank_by_comprehensive_score,
    rank_by_lowest_price,
    tender_period_problem,
)
from govworks.procurement.selectors.lots import procurement_params
from govworks.procurement.selectors.parties import project_parties_in_procurement, supplier_register_as_employers
from govworks.procurement.selectors.tenders import TENDER_METHODS, bid_amount, is_sealed, sealed_bidder_label
from govworks.procurement.services.integrity import integrity_signals_scan
from govworks.procurement.services.suppliers import supplier_award_problem, supplier_award_refused_record
from govworks.projects.models import Expert, Project, Speciality, Stage
from govworks.projects.rules import redraw_reason_problem
from govworks.projects.services.expert_draws import (
    PanelDraw,
    expert_panel_draw,
    expert_panel_replay,
    register_employer_directory,
    register_project_parties,
)


def _require(actor: User, project: Project) -> None:
    org_perms.require(actor, perms.TENDER_MANAGE, project.agency_id)


def _audit(actor: User, tender: Tender, action: str, summary: str, **kw: Any) -> None:
    project = tender.lot.project
    audit_event_record(
        actor=actor,
        action=f"procurement.tender.{action}",
        obj=tender,
        agency=project.agency,
        context=project,
        summary=summary,
        **kw,
    )


def _locked(tender: Tender) -> Tender:
    return Tender.objects.select_for_update(of=("self",)).select_related("lot__project__agency").get(pk=tender.pk)


def criteria_of(raw: Any) -> list[Criterion]:
    """The criteria JSON (``[{code, name, weight, kind}]``) as rule objects; shape errors are refused."""
    try:
        return [
            Criterion(str(c["code"]), str(c["name"]), Decimal(str(c["weight"])), CriterionKind(c.get("kind", "technical")))
            for c in raw
        ]
    except (KeyError, TypeError, ValueError, ArithmeticError):
        raise DomainError(
            "procurement.tender.criteria", "评分因素格式不正确：每项须有编号、名称、权重和类别", field="criteria"
        ) from None


def tender_announce(
    *,
    actor: User,
    lot: ProcurementLot,
    announced_on: dt.date,
    documents_issued_on: dt.date,
    bid_deadline: dt.datetime,
    opening_at: dt.datetime,
    evaluation_method: str,
    speciality: str,
    criteria: list[dict[str, Any]] | None = None,
) -> Tender:
    project = lot.project
    _require(actor, project)
    if lot.method not in TENDER_METHODS:
        raise DomainError("procurement.tender.method", f"{lot}的采购方式不是招标，不能登记招标", field="lot")
    if evaluation_method not in EvaluationMethod.values:
        raise DomainError("procurement.tender.evaluation_method", "请选择评标方法", field="evaluation_method")
    if speciality not in Speciality.values:
        raise DomainError("procurement.tender.speciality", "请选择评标专家专业", field="speciality")
    if documents_issued_on < announced_on:
        raise DomainError("procurement.tender.dates", "招标文件发出日期不能早于公告日期", field="documents_issued_on")
    if opening_at < bid_deadline:
        raise DomainError("procurement.tender.opening", "开标时间不能早于投标截止时间", field="opening_at")
    params = procurement_params(project.agency)
    problem = tender_period_problem(documents_issued_on, timezone.localtime(bid_deadline).date(), params=params)
    if problem:
        raise DomainError("procurement.tender.period", problem, field="bid_deadline")
    criteria = list(criteria or [])
    if evaluation_method == EvaluationMethod.COMPREHENSIVE:
        rules = criteria_of(criteria)
        total = sum((c.weight for c in rules), Decimal(0))
        if total != 100:
            raise DomainError("procurement.tender.weights", f"评分因素权重合计为 {total}，应为 100", field="criteria")
        if sum(1 for c in rules if c.kind == CriterionKind.PRICE) != 1:
            raise DomainError("procurement.tender.price_criterion", "综合评分法应有且仅有一个价格因素", field="criteria")
    else:
        criteria = []
    with transaction.atomic():
        if Tender.objects.filter(lot=lot).exists():
            raise DomainError("procurement.tender.exists", f"{lot}已登记招标", field="lot")
        number = next_document_number(agency=project.agency, key="procurement.tender", year=announced_on.year, word="ZBGG")
        tender = Tender.objects.create(
            lot=lot,
            number=number,
            announced_on=announced_on,
            documents_issued_on=documents_issued_on,
            bid_deadline=bid_deadline,
            opening_at=opening_at,
            evaluation_method=evaluation_method,
            speciality=speciality,
            criteria=criteria,
            created_by=actor,
        )
        _audit(actor, tender, "announce", f"发布{lot}招标公告 {number}")
    return tender


def bid_record(
    *,
    actor: User,
    tender: Tender,
    supplier: Supplier,
    amount: Decimal,
    bond_amount: Decimal,
    submitted_at: dt.datetime | None = None,
) -> Bid:
    """Record receipt of a bid before the deadline. The amount is stored sealed: ``Bid.amount`` stays NULL and
    ``Bid.sealed_amount`` holds it SM4-encrypted (bound to the tender and supplier) until :func:`tender_open`.
    The audit event names neither the bidder nor the amount (招标投标法第二十二条)."""
    _require(actor, tender.lot.project)
    submitted_at = submitted_at or timezone.now()
    if submitted_at > tender.bid_deadline or timezone.now() > tender.bid_deadline:
        raise DomainError(
            "procurement.bid.late", f"投标截止时间 {timezone.localtime(tender.bid_deadline):%Y-%m-%d %H:%M} 已过，不再接收投标"
        )
    if amount <= 0:
        raise DomainError("procurement.bid.amount", "投标报价须大于0", field="amount")
    problem = bid_bond_problem(bond_amount, tender.lot.estimated_amount, params=procurement_params(tender.lot.project.agency))
    if problem:
        raise DomainError("procurement.bid.bond", problem, field="bond_amount")
    with transaction.atomic():
        tender = _locked(tender)
        if Bid.objects.filter(tender=tender, supplier=supplier).exists():
            raise DomainError("procurement.bid.duplicate", f"{supplier.name} 已投标", field="supplier")
        bid = Bid.objects.create(
            tender=tender,
            supplier=supplier,
            submitted_at=submitted_at,
            amount=None,  # sealed: only the SM4 ciphertext is stored until the opening
            sealed_amount=bid_amount_seal(tender_id=tender.pk, supplier_id=supplier.pk, amount=amount),
            bond_amount=bond_amount,
            recorded_by=actor,
        )
        seq = Bid.objects.filter(tender=tender).count()
        # 招标投标法第二十二条: the trail (shown on the project page) names the bidder only at the opening
        _audit(actor, tender, "bid", f"登记第{seq}份投标（投标人名称与报价密封至开标）")
    integrity_signals_scan(tender.lot.project, actor=actor)
    return bid


OPENING_RECORD_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
OPENING_RECORD_MAX_BYTES = 20 * 1024 * 1024


def tender_open(*, actor: User, tender: Tender, witnesses: str = "", record_file: Any = None) -> TenderOpening:
    """Open the tender (at or after the opening time, once): decrypt every sealed bid amount and write it in
    plain (the ciphertext cleared) in the same transaction as the opening record and its audit event, which names
    the bidders and their prices as read out at the opening (唱标). Refused before the opening time, when already
    opened or without bids — nothing is decrypted or written then."""
    _require(actor, tender.lot.project)
    if record_file:
        upload_check(record_file, field="record_file", types=OPENING_RECORD_TYPES, max_bytes=OPENING_RECORD_MAX_BYTES)
    if is_sealed(tender):
        raise DomainError(
            "procurement.tender.not_yet", f"开标时间 {timezone.localtime(tender.opening_at):%Y-%m-%d %H:%M} 未到，不能开标"
        )
    with transaction.atomic():
        tender = _locked(tender)
        if tender.status != Tender.Status.ANNOUNCED:
            raise DomainError("procurement.tender.opened", "已开标")
        bids = list(
            Bid.objects.select_for_update(of=("self",))
            .filter(tender=tender)
            .select_related("supplier")
            .order_by("submitted_at", "pk")
        )
        if not bids:
            raise DomainError("procurement.tender.no_bids", "没有投标，不能开标")
        opening = TenderOpening.objects.create(
            tender=tender, opened_at=timezone.now(), opened_by=actor, witnesses=witnesses, record_file=record_file or ""
        )
        tender.status = Tender.Status.OPENED
        tender.save(update_fields=["status"])
        read_out: list[Decimal] = []
        for bid in bids:
            if bid.amount is None:  # sealed: the key is released here
                try:
                    bid.amount = bid_amount_unseal(bid)
                except DecryptionError:  # altered, swapped from another bid, or under a lost key: stop the opening
                    raise DomainError(
                        "procurement.tender.seal_broken",
                        f"第{len(read_out) + 1}份投标的密封报价无法解密（已被改动、不属于该投标或密钥缺失），不能开标，请联系安全管理员",
                    ) from None
                bid.sealed_amount = None
                bid.save(update_fields=["amount", "sealed_amount"])
            read_out.append(Decimal(bid.amount))
        named = "、".join(
            f"{sealed_bidder_label(i)}{b.supplier.name}（报价 {yuan_text(a)}）"
            for i, (b, a) in enumerate(zip(bids, read_out, strict=True), start=1)
        )
        _audit(
            actor,
            tender,
            "open",
            f"{tender.number} 开标，投标人：{named}",
            changes={"unsealed_bids": {"before": 0, "after": len(bids)}},
        )
    return opening


def _panel_audit(actor: User, tender: Tender, drawn: PanelDraw, *, action: str, verb: str, reason: str = "") -> None:
    _audit(
        actor,
        tender,
        action,
        f"{verb}评标专家 {len(drawn.panel)} 名：{drawn.panel_names()}（候选 {drawn.eligible_count} 名，回避 {len(drawn.excluded)} 名）",
        changes={"seed": {"before": None, "after": drawn.seed}, "panel": {"before": None, "after": drawn.panel}},
        reason=reason,
    )


def _panel_draw_for(tender: Tender, panel_size: int) -> PanelDraw:
    return expert_panel_draw(
        project=tender.lot.project,
        speciality=tender.speciality,
        panel_size=panel_size,
        refusal_code="procurement.panel.pool_too_small",
        pool_label="",
    )


def panel_draw(*, actor: User, tender: Tender, panel_size: int) -> EvaluationPanel:
    """Draw the 评标委员会 from the pool of the tender's speciality with the one draw of
    :func:`govworks.projects.services.expert_draws.expert_panel_draw`: experts of the agency (and its
    superiors), of companies tied to the project, and employees of any party of the project — every
    bidder included, by credit code or name, whether or not it has an external account — are left out.
    Seed, pool and parties are stored. A second draw goes through :func:`panel_redraw` with a reason."""
    project = tender.lot.project
    _require(actor, project)
    if panel_size < 1:
        raise DomainError("procurement.panel.size", "评标委员会人数须大于0", field="panel_size")
    with transaction.atomic():
        tender = _locked(tender)
        if EvaluationPanel.objects.filter(tender=tender).exists():
            raise DomainError("procurement.panel.exists", "评标委员会已抽取；如须重新抽取，请写明理由后重新抽取")
        drawn = _panel_draw_for(tender, panel_size)
        panel = EvaluationPanel.objects.create(
            tender=tender,
            speciality=tender.speciality,
            panel_size=panel_size,
            seed=drawn.seed,
            pool_snapshot=drawn.pool_snapshot,
            excluded_snapshot=drawn.excluded,
            panel=drawn.panel,
            drawn_by=actor,
        )
        _panel_audit(actor, tender, drawn, action="panel", verb="随机抽取")
    return panel


def panel_redraw(*, actor: User, tender: Tender, reason: str) -> EvaluationPanel:
    """Draw the 评标委员会 again, the same size, for a written reason. The earlier draw is kept (no longer
    current) and shown beside the new one. Refused without a reason, before a first draw, once any score
    is recorded, or after the evaluation."""
    _require(actor, tender.lot.project)
    problem = redraw_reason_problem(reason)
    if problem:
        raise DomainError("procurement.panel.redraw_reason", problem, field="reason")
    with transaction.atomic():
        tender = _locked(tender)
        current = EvaluationPanel.objects.select_for_update().filter(tender=tender, is_current=True).first()
        if current is None:
            raise DomainError("procurement.panel.none", "尚未抽取评标委员会，请先抽取")
        if tender.status not in (Tender.Status.ANNOUNCED, Tender.Status.OPENED):
            raise DomainError("procurement.panel.redraw_status", f"招标{tender.get_status_display()}，不能重新抽取评标委员会")
        scored = EvaluationScore.objects.filter(tender=tender).count()
        if scored:
            raise DomainError("procurement.panel.redraw_scored", f"已录入 {scored} 条评委评分，不能再重新抽取评标委员会")
        drawn = _panel_draw_for(tender, current.panel_size)
        current.is_current = False
        current.save(update_fields=["is_current"])
        panel = EvaluationPanel.objects.create(
            tender=tender,
            speciality=tender.speciality,
            panel_size=current.panel_size,
            seed=drawn.seed,
            pool_snapshot=drawn.pool_snapshot,
            excluded_snapshot=drawn.excluded,
            panel=drawn.panel,
            drawn_by=actor,
            replaces=current,
            redraw_reason=reason.strip(),
        )
        _panel_audit(actor, tender, drawn, action="panel_redraw", verb="重新抽取", reason=reason.strip())
    return panel


def panel_replay(panel: EvaluationPanel) -> list[int]:
    """Re-run the stored draw: the same seed and snapshot give the same panel."""
    return expert_panel_replay(
        pool_snapshot=panel.pool_snapshot, speciality=panel.speciality, panel_size=panel.panel_size, seed=panel.seed
    )


def score_record(*, actor: User, tender: Tender, evaluator: Expert, bid: Bid, criterion: str, score: Decimal) -> EvaluationScore:
    _require(actor, tender.lot.project)
    if tender.evaluation_method != EvaluationMethod.COMPREHENSIVE:
        raise DomainError("procurement.score.method", "最低投标价法不需要评委打分")
    by_code = {c.code: c for c in criteria_of(tender.criteria)}
    c = by_code.get(criterion)
    if c is None or c.kind == CriterionKind.PRICE:
        raise DomainError("procurement.score.criterion", "请选择非价格评分因素（价格分由公式计算）", field="criterion")
    if not 0 <= score <= c.weight:
        raise DomainError("procurement.score.range", f"“{c.name}”打分须在 0–{c.weight} 分之间（填写的是 {score}）", field="score")
    if bid.tender_id != tender.pk:
        raise DomainError("procurement.score.bid", "该投标不属于本次招标", field="bid")
    with transaction.atomic():
        tender = _locked(tender)
        if tender.status != Tender.Status.OPENED:
            raise DomainError("procurement.score.status", "开标后、评标结束前方可录入评分")
        panel = EvaluationPanel.objects.filter(tender=tender, is_current=True).first()
        if panel is None or evaluator.pk not in panel.panel:
            raise DomainError("procurement.score.evaluator", f"{evaluator.name} 不是本次抽中的评标专家", field="evaluator")
        if EvaluationScore.objects.filter(evaluator=evaluator, bid=bid, criterion=criterion).exists():
            raise DomainError("procurement.score.duplicate", f"{evaluator.name} 对该投标的“{c.name}”已打分", field="criterion")
        row = EvaluationScore.objects.create(tender=tender, evaluator=evaluator, bid=bid, criterion=criterion, score=score)
        _audit(actor, tender, "score", f"录入评委 {evaluator.name} 对“{bid.supplier.name}”的“{c.name}”评分 {score}")
    return row


def _bidder(bid: Bid) -> str:
    return str(bid.pk)


def compute_ranking(tender: Tender) -> list[dict[str, Any]]:
    """The ranking of the opened tender from its stored bids and scores (amounts read via bid_amount)."""
    bids = list(Bid.objects.filter(tender=tender).select_related("supplier"))
    rule_bids = []
    for b in bids:
        amount = bid_amount(b, tender=tender)
        if amount is None:
            raise DomainError("procurement.tender.sealed", "开标前投标报价保密，不能评标")
        rule_bids.append(RuleBid(_bidder(b), amount, b.submitted_at, b.valid, b.invalid_reason))
    names = {_bidder(b): b.supplier.name for b in bids}
    if tender.evaluation_method == EvaluationMethod.LOWEST_PRICE:
        low = rank_by_lowest_price(rule_bids)
        return [
            {
                "rank": r.rank,
                "bid": int(r.bidder),
                "supplier": names[r.bidder],
                "price": str(r.price),
                "total": None,
                "breakdown": [],
            }
            for r in low.ranking
        ]
    scores = [
        Score(str(s.evaluator_id), str(s.bid_id), s.criterion, s.score) for s in EvaluationScore.objects.filter(tender=tender)
    ]
    result = rank_by_comprehensive_score(rule_bids, criteria_of(tender.criteria), scores)
    return [
        {
            "rank": r.rank,
            "bid": int(r.bidder),
            "supplier": names[r.bidder],
            "price": str(r.price),
            "total": str(r.total),
            "breakdown": [
                {"criterion": c.criterion, "name": c.name, "points": str(c.points), "detail": c.detail} for c in r.breakdown
            ],
        }
        for r in result.ranking
    ]


def evaluate(*, actor: User, tender: Tender) -> Tender:
    _require(actor, tender.lot.project)
    with transaction.atomic():
        tender = _locked(tender)
        if tender.status != Tender.Status.OPENED:
            raise DomainError("procurement.tender.evaluate_status", "开标后方可评标")
        if (
            tender.evaluation_method == EvaluationMethod.COMPREHENSIVE
            and not EvaluationPanel.objects.filter(tender=tender, is_current=True).exists()
        ):
            raise DomainError("procurement.tender.no_panel", "尚未抽取评标委员会")
        tender.ranking = compute_ranking(tender)
        tender.status = Tender.Status.EVALUATED
        tender.save(update_fields=["ranking", "status"])
        first = tender.ranking[0]
        _audit(actor, tender, "evaluate", f"{tender.number} 评标完成，第一中标候选人：{first['supplier']}")
    return tender


def publicity_start(*, actor: User, tender: Tender, start: dt.date, end: dt.date) -> Award:
    """Publicize the first-ranked candidate from ``start`` to ``end`` (both counted, ≥ the minimum days)."""
    project = tender.lot.project
    _require(actor, project)
    problem = candidate_publicity_problem(start, end, params=procurement_params(project.agency))
    if problem:
        raise DomainError("procurement.tender.publicity", problem, field="end")
    with transaction.atomic():
        tender = _locked(tender)
        if tender.status != Tender.Status.EVALUATED or not tender.ranking:
            raise DomainError("procurement.tender.publicity_status", "评标完成后方可公示中标候选人")
        bid = Bid.objects.select_related("supplier").get(pk=tender.ranking[0]["bid"], tender=tender)
        award = Award.objects.create(tender=tender, bid=bid, publicity_start=start, publicity_end=end, recorded_by=actor)
        tender.status = Tender.Status.PUBLICIZED
        tender.save(update_fields=["status"])
        _audit(actor, tender, "publicity", f"公示中标候选人“{bid.supplier.name}”，{start:%Y-%m-%d} 至 {end:%Y-%m-%d}")
    return award


def award(*, actor: User, tender: Tender, notice_issued_on: dt.date) -> Award:
    """Issue the 中标通知书 after the publicity ended; refused (and recorded for 纪检监察) when the supplier
    is black-listed or its qualification expired."""
    project = tender.lot.project
    _require(actor, project)
    row = Award.objects.select_related("bid__supplier").filter(tender=tender).first()
    if row is None or tender.status != Tender.Status.PUBLICIZED:
        raise DomainError("procurement.award.status", "中标候选人公示后方可发出中标通知书")
    if notice_issued_on <= row.publicity_end:
        raise DomainError(
            "procurement.award.publicity",
            f"公示期至 {row.publicity_end:%Y-%m-%d} 结束，结束后方可发出中标通知书",
            field="notice_issued_on",
        )
    supplier = row.bid.supplier
    problem = supplier_award_problem(supplier, on=notice_issued_on)
    if problem:
        supplier_award_refused_record(actor=actor, supplier=supplier, project=project, reason=f"{tender.number}：{problem}")
        raise DomainError("procurement.award.refused", problem)
    with transaction.atomic():
        tender = _locked(tender)
        row = Award.objects.select_for_update().get(pk=row.pk)
        row.notice_issued_on = notice_issued_on
        row.number = next_document_number(agency=project.agency, key="procurement.award", year=notice_issued_on.year, word="ZB")
        row.save(update_fields=["notice_issued_on", "number"])
        tender.status = Tender.Status.AWARDED
        tender.save(update_fields=["status"])
        _audit(actor, tender, "award", f"发出中标通知书 {row.number}，中标人“{supplier.name}”")
    return row


def _procurement_gate(project: Any) -> list[GateCondition]:
    lots = list(ProcurementLot.objects.filter(project=project).order_by("seq"))
    awarded = set(Tender.objects.filter(lot__project=project, status=Tender.Status.AWARDED).values_list("lot_id", flat=True))
    direct = set(Contract.objects.filter(project=project, status=Contract.Status.SIGNED).values_list("lot_id", flat=True))
    missing = [lot for lot in lots if lot.pk not in awarded and not (lot.method not in TENDER_METHODS and lot.pk in direct)]
    ok = bool(lots) and not missing
    if not lots:
        detail = "尚未编制采购计划（标段）"
    elif missing:
        detail = "未定标：" + "、".join(str(lot) for lot in missing)
    else:
        detail = f"全部 {len(lots)} 个标段已定标"
    return [
        GateCondition(
            "procurement:all_awarded",
            "所有标段已定标（中标通知书已发出）",
            ok,
            detail,
            reverse("projects:project_detail", args=[project.pk]),
        )
    ]


register_gate_conditions(Stage.PROCUREMENT, _procurement_gate)
register_project_parties(project_parties_in_procurement)  # the expert draws leave their employees out
register_employer_directory(supplier_register_as_employers)  # the expert form names any supplier as 工作单位
