"""Integrity signals of procurement (DOMAIN.md §7), as pure functions: they say what looks wrong and why,
with the numbers; they never refuse anything. The service stores what they find for 纪检监察 and shows it
on the contract page.

* 围标串标: bidders of one tender sharing a phone, an address, a legal representative or a bank account.
* 低价中标、高价结算: the payable ceiling (contract plus approved changes) — or a settlement — above the
  winning bid by more than ``change.reapproval_cumulative_ratio`` (the point where the rules already ask
  for re-approval; ADR 0006).
* 化整为零 after the fact: several contracts of one project with one supplier in one category, each below
  the 16号令 threshold of the category, whose total reaches it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from govworks.core.rule_seed import rule_name
from govworks.procurement.rules_methods import CATEGORY_LABELS, Category, ProcurementParams, _pct, _yuan

TRAIT_LABELS = {
    "phone": "联系电话",
    "address": "注册地址",
    "legal_representative": "法定代表人",
    "bank_account": "银行账号",
}

#: a value shorter than this (after normalising) identifies nobody: a two-character name does, "1" does not
MIN_LENGTH = {"phone": 7, "address": 4, "legal_representative": 2, "bank_account": 6}


def normalise_trait(kind: str, value: str) -> str:
    """The comparable form of a trait: phones and bank accounts keep their digits only; addresses and names
    lose spaces and punctuation, and full-width letters and digits become half-width."""
    text = (value or "").strip()
    if kind in ("phone", "bank_account"):
        return re.sub(r"\D", "", text)
    text = text.translate({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})
    return re.sub(r"[\s,，.。、()（）\-—#号]", "", text).lower()


@dataclass(frozen=True)
class BidderFacts:
    """What identifies a bidder: name, phone, address, legal representative and bank accounts.

    Bank accounts come either as numbers (``bank_accounts``) or, as the service passes them, as
    ``(keyed digest, masked number)`` pairs (``bank_account_keys``): accounts are matched on the digest and shown
    masked, so the number itself never reaches a signal's text or fingerprint."""

    name: str
    phone: str = ""
    address: str = ""
    legal_representative: str = ""
    bank_accounts: tuple[str, ...] = ()
    bank_account_keys: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SharedTrait:
    """One trait value held by two or more bidders of a tender."""

    kind: str
    value: str
    bidders: tuple[str, ...]
    key: str = ""  # the keyed digest the value was matched on, when it was

    @property
    def fingerprint(self) -> str:
        return f"{self.kind}:{self.key or normalise_trait(self.kind, self.value)}"

    def describe(self) -> str:
        return f"围标串标迹象：投标人 {'、'.join(self.bidders)} 的{TRAIT_LABELS[self.kind]}相同（{self.value}）"


def shared_bidder_traits(bidders: Sequence[BidderFacts]) -> list[SharedTrait]:
    """Every trait value (after :func:`normalise_trait`) that two or more different bidders share, in a
    stable order (trait kind, then value). Empty values are never shared; a bidder counts once per value."""
    found: list[SharedTrait] = []
    for kind in TRAIT_LABELS:
        holders: dict[str, tuple[str, list[str]]] = {}
        keyed: set[str] = set()
        for bidder in bidders:
            if kind == "bank_account" and bidder.bank_account_keys:
                for digest, shown_masked in bidder.bank_account_keys:
                    if not digest:
                        continue
                    keyed.add(digest)
                    _, names = holders.setdefault(digest, (shown_masked, []))
                    if bidder.name not in names:
                        names.append(bidder.name)
                continue
            values = bidder.bank_accounts if kind == "bank_account" else (getattr(bidder, kind),)
            for raw in values:
                key = normalise_trait(kind, raw)
                if len(key) < MIN_LENGTH[kind]:  # too short to identify anyone
                    continue
                shown, names = holders.setdefault(key, (raw.strip(), []))
                if bidder.name not in names:
                    names.append(bidder.name)
        for key in sorted(holders):
            shown, names = holders[key]
            if len(names) >= 2:
                found.append(SharedTrait(kind, shown, tuple(names), key if key in keyed else ""))
    return found


def overrun_over_winning_bid(
    *, winning_bid: Decimal, payable: Decimal, what: str, ratio_key: str, max_ratio: Decimal
) -> str | None:
    """低价中标、高价结算: a signal when ``payable`` (the ceiling or a settlement, named by ``what``) exceeds
    the winning bid by more than ``max_ratio``; None otherwise or when there is no winning bid."""
    if winning_bid <= 0:
        return None
    over = (payable - winning_bid) / winning_bid
    if over <= max_ratio:
        return None
    return (
        f"低价中标、高价结算迹象：{what} {_yuan(payable)}，比中标价 {_yuan(winning_bid)} 高 {_pct(over)}，"
        f"超过“{rule_name(ratio_key)}”{_pct(max_ratio)}"
    )


@dataclass(frozen=True)
class ContractFacts:
    """A contract for the clustering check."""

    ref: str
    project: str
    supplier: str
    category: Category
    amount: Decimal


@dataclass(frozen=True)
class ContractCluster:
    project: str
    supplier: str
    category: Category
    refs: tuple[str, ...]
    total: Decimal
    threshold_key: str
    threshold: Decimal

    @property
    def fingerprint(self) -> str:
        """One group (project, supplier, category) is one signal, whichever contracts join it later: the
        stored signal's facts are updated, it is not stored again."""
        return f"cluster:{self.project}:{self.supplier}:{self.category}"

    def describe(self) -> str:
        return (
            f"化整为零迹象：项目 {self.project} 与{self.supplier}的{CATEGORY_LABELS[self.category]}合同 "
            f"{'、'.join(self.refs)}各自低于“{rule_name(self.threshold_key)}”{_yuan(self.threshold)}，"
            f"合计 {_yuan(self.total)}达到该标准"
        )


def contracts_below_threshold_clusters(contracts: Sequence[ContractFacts], *, params: ProcurementParams) -> list[ContractCluster]:
    """Groups of two or more contracts of one project with one supplier in one category, each below the
    category's mandatory-tendering threshold, whose total reaches it."""
    groups: dict[tuple[str, str, Category], list[ContractFacts]] = {}
    for contract in contracts:
        groups.setdefault((contract.project, contract.supplier, contract.category), []).append(contract)
    clusters = []
    for (project, supplier, category), members in sorted(groups.items(), key=lambda item: (item[0][0], item[0][1], item[0][2])):
        key, threshold = params.mandatory_threshold(category)
        small = [c for c in members if c.amount < threshold]
        total = sum((c.amount for c in small), Decimal(0))
        if len(small) >= 2 and total >= threshold:
            clusters.append(ContractCluster(project, supplier, category, tuple(c.ref for c in small), total, key, threshold))
    return clusters
