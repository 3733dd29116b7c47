"""The fields the public portal never shows (阳光公示 publishes company names and the facts the law requires,
never a private person's identity, contact or bank details, sealed prices, complaint identities or internal notes).

``PRIVATE_FIELDS`` lists them as ``(app_label.Model, field, why)``; :func:`private_values` reads their values in
the database (the demo's, in the crawl test) so the test can assert none of them appears on any public page."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.apps import apps

PRIVATE_FIELDS: list[tuple[str, str, str]] = [
    # people: names, phones, accounts (user names are the sign-in names)
    ("org.User", "username", "登录账号"),
    ("org.User", "full_name", "工作人员姓名"),
    ("org.User", "phone", "手机号"),
    ("org.User", "email", "电子邮箱"),
    ("org.Department", "phone", "科室电话"),
    ("org.ExternalOrganization", "legal_representative", "法定代表人姓名"),
    ("org.ExternalOrganization", "phone", "联系电话"),
    ("procurement.Supplier", "legal_representative", "法定代表人姓名"),
    ("procurement.Supplier", "phone", "联系电话"),
    ("procurement.Supplier", "note", "内部备注"),
    ("procurement.SupplierContact", "name", "联系人姓名"),
    ("procurement.SupplierContact", "phone", "联系人手机号"),
    ("procurement.SupplierContact", "email", "联系人邮箱"),
    ("procurement.SupplierBankAccount", "account_number", "银行账号"),
    ("projects.Expert", "name", "评审专家姓名"),
    ("projects.Expert", "phone", "评审专家电话"),
    ("closeout.AcceptanceParty", "representative", "验收各方代表姓名"),
    # bid prices before the opening (sealed): read through the unsealing function below
    ("procurement.Bid", "sealed_amount", "开标前的投标报价"),
    # complaint identities (投诉举报, when the integrity app holds them)
    ("integrity.Complaint", "reporter_name", "举报人姓名"),
    ("integrity.Complaint", "reporter_phone", "举报人电话"),
    ("integrity.Complaint", "reporter_contact", "举报人联系方式"),
    ("integrity.Complaint", "reporter_id_number", "举报人身份证号"),
    # internal notes and opinions
    ("projects.Project", "outside_plan_reason", "计划外立项理由（内部）"),
    ("projects.AnnualPlan", "return_comment", "上级退回意见"),
    ("procurement.ProcurementLot", "notes", "标段备注"),
    ("procurement.ProcurementLot", "not_combinable_reason", "不合并采购理由"),
    ("procurement.ChangeOrder", "reason", "变更原因（内部）"),
    ("procurement.ChangeOrder", "supervisor_opinion", "监理意见"),
    ("procurement.ChangeOrder", "designer_opinion", "设计单位意见"),
    ("construction.ProjectSite", "light_reason", "亮灯原因（内部）"),
    ("construction.LightEvaluation", "reasons", "灯色评价原因"),
    ("construction.Interview", "minutes", "约谈记录"),
    ("construction.Interview", "interviewees", "被约谈人"),
    ("closeout.Acceptance", "declaration_note", "竣工报告摘要"),
    ("closeout.Acceptance", "conclusion_note", "验收结论意见"),
    ("closeout.Settlement", "submission_note", "结算书说明"),
    ("closeout.Evaluation", "self_summary", "自评结论"),
    ("closeout.Evaluation", "review_opinion", "部门评价意见"),
    ("org.RoleGrant", "note", "授权说明"),
]

#: values shorter than this are not searched for (a one-character 备注 would match everywhere)
MIN_LENGTH = 2


def _model(label: str) -> Any | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def private_values() -> Iterator[tuple[str, str]]:
    """(description, value) for every stored value of a private field."""
    from govworks.core.templatetags.money import yuan

    for label, field, why in PRIVATE_FIELDS:
        model = _model(label)
        if model is None or field not in {f.name for f in model._meta.get_fields()}:
            continue
        if label == "procurement.Bid":
            from govworks.procurement.models.tenders import bid_amount_unseal

            for bid in model.objects.filter(sealed_amount__isnull=False):
                amount = bid_amount_unseal(bid)
                for text in {str(amount), yuan(amount), f"{Decimal(amount):,}"}:
                    yield f"{why} {label} #{bid.pk}", text
            continue
        for pk, value in model.objects.values_list("pk", field):
            text = str(value or "").strip()
            if len(text) >= MIN_LENGTH:
                yield f"{why} {label}.{field} #{pk}", text
