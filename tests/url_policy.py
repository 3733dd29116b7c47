"""Declared answers of every URL for every persona (see ``tests/url_matrix.py`` for the personas and how
paths are sampled). A row reads ``"login: anon | 200: pm head … | 403: sysadmin …"``; ``login`` is a
redirect to the sign-in page. Generate the observed rows with ``GW_URL_POLICY_WRITE=/tmp/rows.py ./test -k
url_matrix``, review them, then paste."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: pages anyone may open without signing in
PUBLIC: set[str] = {"login", "healthz", "api-schema", "account_activate"}

#: business pages an administrator may open read-only, with the reason
ADMIN_MAY_READ: dict[str, str] = {}

#: URL names the crawl does not reach, with the reason
UNREACHED: dict[str, str] = {
    "logout": "signs the caller out (POST only); covered by org/tests/test_auth.py",
    "closeout:archive_item_verify": "a form on the archive page shown to the 档案员 only; covered by closeout/tests/test_archives_package_views.py (role matrix)",
    "closeout:archive_item_upload": "a form on the archive page shown to the 档案员 only; covered by closeout/tests/test_archives*.py (services and browser test)",
    "construction:step_evidence": "the demo has no rectification reply with evidence; covered by construction/tests",
    "construction:staged_thumb": "a photo waiting in the uploader's own staging area; covered by test_site_reports",
    "core:audit_archive_download": "the demo has no audit archive (180 days must pass); covered by test_audit_keyed",
    "core:audit_archive_prune": "the demo has no audit archive (180 days must pass); covered by test_audit_keyed",
    "closeout:wage_deposit_return": "the demo has no wage-deposit return in publicity; covered by closeout/tests/test_acceptance_defects",
    "integrity:case_evidence_download": "the demo case has no evidence file; covered by integrity/tests/test_cases*.py (handlers only, 404 to everyone else)",
    "integrity:case_verify": "the demo case has no 整改 awaiting verification; covered by integrity/tests/test_cases.py and tests/e2e/test_cases.py",
}


#: values for URL parameters no sampled page carries (name → a function returning the kwargs)
def _first(model: str, **filters: Any) -> int | None:
    from django.apps import apps

    app_label, name = model.split(".")
    pk = apps.get_model(app_label, name).objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()
    return None if pk is None else int(pk)


def _export_job() -> dict[str, Any]:
    from govworks.core.exports import export_job_request
    from govworks.org.models import User

    job = export_job_request(actor=User.objects.get(username="liming"), kind="procurement.suppliers", params={})
    return {"pk": job.pk}


def _acceptance_party() -> dict[str, Any]:
    from django.apps import apps

    party = apps.get_model("closeout", "AcceptanceParty").objects.select_related("acceptance").order_by("pk").first()
    assert party is not None
    return {"pk": party.acceptance.project_id, "party_pk": party.pk}


def _defect_period() -> dict[str, Any]:
    from django.apps import apps

    period = apps.get_model("closeout", "DefectPeriod").objects.order_by("pk").first()
    assert period is not None
    return {"pk": period.project_id, "period_pk": period.pk}


def _filing_due() -> dict[str, Any]:
    from django.apps import apps

    row = apps.get_model("closeout", "Acceptance").objects.filter(status="passed", filed_on__isnull=True).order_by("pk").first()
    assert row is not None
    return {"pk": row.project_id}


def _accepting_project() -> dict[str, Any]:
    from django.apps import apps

    row = apps.get_model("closeout", "Acceptance").objects.order_by("pk").first()
    assert row is not None
    return {"pk": row.project_id}


def _plan_item() -> dict[str, Any]:
    from django.apps import apps

    item = apps.get_model("projects", "PlanItem").objects.order_by("pk").first()
    assert item is not None
    return {"pk": item.plan_id, "item_pk": item.pk}


SAMPLE_KWARGS: dict[str, Callable[[], dict[str, Any]]] = {
    "core:export_detail": _export_job,
    "core:export_download": lambda: {"pk": _first("core.ExportJob")},
    "projects:project_create_from_plan": lambda: {"item_pk": _first("projects.PlanItem")},
    "projects:responsibility_assign": lambda: {"pk": _first("projects.Project", code__isnull=False), "stage": "construction"},
    "projects:plan_item_remove": _plan_item,
    "projects:opinion_record": lambda: {"item_pk": _first("projects.AgendaItem")},
    "projects:agenda_conclude": lambda: {"item_pk": _first("projects.AgendaItem")},
    "projects:joint_review_opinion": lambda: {"seat_pk": _first("projects.JointReviewSeat")},
    "audit-event-detail": lambda: {"pk": _first("core.AuditEvent")},
    "approval-detail": lambda: {"pk": _first("projects.ApprovalRequest")},
    "approval-decide": lambda: {"pk": _first("projects.ApprovalRequest")},
    "procurement:change_submit": lambda: {"pk": _first("procurement.ChangeOrder")},
    "procurement:change_evidence": lambda: {"pk": _first("procurement.ChangeOrder")},
    "procurement:change_finalize": lambda: {"pk": _first("procurement.ChangeOrder")},
    "construction:freeze_release": lambda: {"pk": _first("construction.PaymentFreeze")},
    "meeting-agenda": lambda: {"pk": _first("projects.Meeting")},
    "meeting-agenda-subjects": lambda: {"pk": _first("projects.Meeting")},
    "construction:task_revise": lambda: {"task_pk": _first("construction.ScheduleTask")},
    "construction:inspection_create": lambda: {"pk": _first("projects.Project", stage="construction"), "kind": "safety"},
    **{
        f"closeout:{n}": lambda: {"pk": _first("projects.Project", final_accounts__isnull=False)}
        for n in ("fa_start", "fa_file", "fa_extension")
    },
    **{
        f"closeout:{n}": lambda: {"pk": _first("projects.Project", asset_handover__isnull=False)}
        for n in ("asset_start", "asset_submit", "asset_confirm", "asset_file")
    },
    "closeout:asset_card_edit": lambda: {"pk": _first("closeout.AssetCard")},
    "closeout:asset_card_split": lambda: {"pk": _first("closeout.AssetCard")},
    "closeout:fa_extension_decide": lambda: {"pk": _first("closeout.FinalAccountsExtension")},
    "closeout:settlement_detail": lambda: {
        "contract_id": _first("procurement.Contract", is_main_construction=True, status="signed")
    },
    "closeout:settlement_submit": lambda: {
        "contract_id": _first("procurement.Contract", is_main_construction=True, status="signed")
    },
    "closeout:settlement_draw": lambda: {
        "contract_id": _first("procurement.Contract", is_main_construction=True, status="signed")
    },
    "closeout:settlement_result": lambda: {
        "contract_id": _first("procurement.Contract", is_main_construction=True, status="signed")
    },
    "closeout:settlement_confirm": lambda: {
        "contract_id": _first("procurement.Contract", is_main_construction=True, status="signed")
    },
    "closeout:settlement_dispute": lambda: {
        "contract_id": _first("procurement.Contract", is_main_construction=True, status="signed")
    },
    "closeout:settlement_approve": lambda: {
        "contract_id": _first("procurement.Contract", is_main_construction=True, status="signed")
    },
    "closeout:settlement_report": lambda: {
        "contract_id": _first("procurement.Contract", is_main_construction=True, status="signed")
    },
    "closeout:acceptance_organise": _accepting_project,
    "closeout:acceptance_archive_pre": _accepting_project,
    "closeout:acceptance_problem": _accepting_project,
    "closeout:acceptance_conclude": _accepting_project,
    "closeout:acceptance_filing": _filing_due,
    "closeout:acceptance_opinion": _acceptance_party,
    "closeout:defect_report": _defect_period,
    "closeout:deposit_prepare": _defect_period,
    "closeout:deposit_request": _defect_period,
    "closeout:wage_deposit_start": _defect_period,
}

DECLARED: dict[tuple[str, str], str] = {
    (
        "account_activate",
        "GET",
    ): "200: anon | 302: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "agency-detail",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sysadmin secadmin auditadmin | 404: sub_pm other contractor supervisor",
    (
        "agency-detail",
        "POST",
    ): "403: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "agency-list",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "annual-plan-detail",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "annual-plan-detail",
        "POST",
    ): "403: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "annual-plan-list",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "api-root",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "api-schema",
        "GET",
    ): "406: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "approval-decide",
        "GET",
    ): "403: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "approval-decide",
        "POST",
    ): "403: anon | 400: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "approval-detail",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "approval-detail",
        "POST",
    ): "403: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "approval-list",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "asset-card-detail",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "asset-card-detail",
        "POST",
    ): "403: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "asset-card-list",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "audit-event-detail",
        "GET",
    ): "403: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin | 200: auditadmin",
    (
        "audit-event-detail",
        "POST",
    ): "403: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "audit-event-list",
        "GET",
    ): "403: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin | 200: auditadmin",
    (
        "closeout:acceptance",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_archive_pre",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_archive_pre",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_conclude",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_conclude",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_declare",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_declare",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_file",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_filing",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_filing",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_opinion",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_opinion",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_organise",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_organise",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_problem",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_problem",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:acceptance_supervision",
        "GET",
    ): "login: anon | 404: pm head sub_pm other contractor supervisor sysadmin secadmin auditadmin | 403: leader chief finance discipline audit liaison archivist",
    (
        "closeout:acceptance_supervision",
        "POST",
    ): "login: anon | 404: pm head sub_pm other contractor supervisor sysadmin secadmin auditadmin | 403: leader chief finance discipline audit liaison archivist",
    (
        "closeout:archive_catalogue",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:archive_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:archive_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:archive_package",
        "POST",
    ): "login: anon | 200: pm head discipline audit archivist | 403: leader chief finance liaison | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:archive_transfer",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:archive_transfer",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison | 400: archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:asset_card_edit",
        "GET",
    ): "login: anon | 200: pm finance | 403: head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 404: sub_pm other",
    (
        "closeout:asset_card_edit",
        "POST",
    ): "login: anon | 200: pm finance | 403: head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 404: sub_pm other",
    (
        "closeout:asset_card_split",
        "GET",
    ): "login: anon | 200: pm finance | 403: head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 404: sub_pm other",
    (
        "closeout:asset_card_split",
        "POST",
    ): "login: anon | 200: pm finance | 403: head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 404: sub_pm other",
    (
        "closeout:asset_confirm",
        "POST",
    ): "login: anon | 400: pm head finance discipline audit liaison | 302: leader chief archivist | 404: sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:asset_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm | 404: other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:asset_file",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:asset_file",
        "POST",
    ): "login: anon | 400: pm finance | 403: head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 404: sub_pm other",
    (
        "closeout:asset_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:asset_pdf",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:asset_start",
        "GET",
    ): "login: anon | 200: pm finance | 403: head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 404: sub_pm other",
    (
        "closeout:asset_start",
        "POST",
    ): "login: anon | 200: pm finance | 403: head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 404: sub_pm other",
    (
        "closeout:asset_submit",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:asset_submit",
        "POST",
    ): "login: anon | 400: pm finance | 403: head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 404: sub_pm other",
    (
        "closeout:asset_xlsx",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:audit_firm_create",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: audit",
    (
        "closeout:audit_firm_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:close_project",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:close_project",
        "POST",
    ): "login: anon | 400: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:defect_report",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:defect_report",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:defects",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:defects_export",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:deposit_prepare",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:deposit_prepare",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:deposit_request",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:deposit_request",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:evaluation_export",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:evaluation_indicator_evidence",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:evaluation_indicator_fill",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:evaluation_indicator_fill",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:evaluation_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:evaluation_pdf",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:evaluation_project",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:evaluation_refresh",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:evaluation_refresh",
        "POST",
    ): "login: anon | 302: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:evaluation_review",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline liaison archivist | 400: finance audit | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:evaluation_start",
        "POST",
    ): "login: anon | 302: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:evaluation_submit",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:evaluation_submit",
        "POST",
    ): "login: anon | 400: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:evaluation_template_copy",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:evaluation_template_copy",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 302: finance audit",
    (
        "closeout:evaluation_template_update",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 400: finance audit",
    (
        "closeout:evaluation_templates",
        "GET",
    ): "login: anon | 403: pm head leader chief discipline liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: finance audit",
    (
        "closeout:fa_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm | 404: other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:fa_document",
        "GET",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 200: finance | 404: sub_pm other",
    (
        "closeout:fa_document",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 200: finance | 404: sub_pm other",
    (
        "closeout:fa_extension",
        "GET",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 200: finance | 404: sub_pm other",
    (
        "closeout:fa_extension",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 200: finance | 404: sub_pm other",
    (
        "closeout:fa_extension_decide",
        "POST",
    ): "login: anon | 403: pm head finance discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 400: leader chief | 404: sub_pm other",
    (
        "closeout:fa_file",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:fa_file",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 400: finance | 404: sub_pm other",
    (
        "closeout:fa_line_remove",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 302: finance | 404: sub_pm other",
    (
        "closeout:fa_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:fa_other_cost",
        "GET",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 200: finance | 404: sub_pm other",
    (
        "closeout:fa_other_cost",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 200: finance | 404: sub_pm other",
    (
        "closeout:fa_pdf",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:fa_refresh",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 302: finance | 404: sub_pm other",
    (
        "closeout:fa_start",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:fa_start",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 400: finance | 404: sub_pm other",
    (
        "closeout:fa_submit",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 400: finance | 404: sub_pm other",
    (
        "closeout:fa_surplus",
        "GET",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 200: finance | 404: sub_pm other",
    (
        "closeout:fa_surplus",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin | 200: finance | 404: sub_pm other",
    (
        "closeout:fa_xlsx",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:lesson_add",
        "POST",
    ): "login: anon | 400: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:lesson_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:review_approve",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:review_approve",
        "POST",
    ): "login: anon | 403: pm leader chief finance discipline audit liaison archivist | 400: head | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:review_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:review_detail",
        "POST",
    ): "login: anon | 400: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:review_submit",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:review_submit",
        "POST",
    ): "login: anon | 400: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:settlement_approve",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:settlement_approve",
        "POST",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:settlement_confirm",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:settlement_confirm",
        "POST",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:settlement_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor | 404: sub_pm other supervisor sysadmin secadmin auditadmin",
    (
        "closeout:settlement_dispute",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:settlement_dispute",
        "POST",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:settlement_document",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor | 404: sub_pm other supervisor sysadmin secadmin auditadmin",
    (
        "closeout:settlement_draw",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:settlement_draw",
        "POST",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:settlement_export",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor | 403: sysadmin secadmin auditadmin",
    (
        "closeout:settlement_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor | 403: sysadmin secadmin auditadmin",
    (
        "closeout:settlement_report",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor | 404: sub_pm other supervisor sysadmin secadmin auditadmin",
    (
        "closeout:settlement_result",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:settlement_result",
        "POST",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:settlement_submit",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "closeout:settlement_submit",
        "POST",
    ): "login: anon | 400: pm head leader chief finance discipline audit liaison archivist contractor | 404: sub_pm other supervisor sysadmin secadmin auditadmin",
    (
        "closeout:wage_deposit_start",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "closeout:wage_deposit_start",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:action_done",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:action_done",
        "POST",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:baseline_set",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "construction:baseline_set",
        "POST",
    ): "login: anon | 302: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:daily_create",
        "GET",
    ): "login: anon | 200: pm liaison contractor supervisor | 403: head leader chief finance discipline audit archivist | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:daily_create",
        "POST",
    ): "login: anon | 400: pm liaison contractor supervisor | 403: head leader chief finance discipline audit archivist | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:diary_create",
        "GET",
    ): "login: anon | 200: pm head supervisor | 403: leader chief finance discipline audit liaison archivist contractor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:diary_create",
        "POST",
    ): "login: anon | 200: pm head supervisor | 403: leader chief finance discipline audit liaison archivist contractor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:freeze_manual",
        "GET",
    ): "login: anon | 403: pm head finance discipline audit liaison archivist contractor supervisor | 200: leader chief | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:freeze_manual",
        "POST",
    ): "login: anon | 403: pm head finance discipline audit liaison archivist contractor supervisor | 200: leader chief | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:freeze_release",
        "GET",
    ): "login: anon | 403: pm head finance discipline audit liaison archivist contractor supervisor | 200: leader chief | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:freeze_release",
        "POST",
    ): "login: anon | 403: pm head finance discipline audit liaison archivist contractor supervisor | 200: leader chief | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:incident_create",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:incident_create",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:inspection_create",
        "GET",
    ): "login: anon | 200: pm head supervisor | 403: leader chief finance discipline audit liaison archivist contractor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:inspection_create",
        "POST",
    ): "login: anon | 200: pm head supervisor | 403: leader chief finance discipline audit liaison archivist contractor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:interview_hold",
        "GET",
    ): "login: anon | 403: pm head finance discipline audit liaison archivist contractor supervisor | 200: leader chief | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:interview_hold",
        "POST",
    ): "login: anon | 403: pm head finance discipline audit liaison archivist contractor supervisor | 200: leader chief | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:meeting_create",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:meeting_create",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:notice_create",
        "GET",
    ): "login: anon | 200: pm head supervisor | 403: leader chief finance discipline audit liaison archivist contractor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:notice_create",
        "POST",
    ): "login: anon | 200: pm head supervisor | 403: leader chief finance discipline audit liaison archivist contractor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:notice_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:notice_reply",
        "GET",
    ): "login: anon | 200: pm head contractor | 403: leader chief finance discipline audit liaison archivist supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:notice_reply",
        "POST",
    ): "login: anon | 200: pm head contractor | 403: leader chief finance discipline audit liaison archivist supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:notice_verify",
        "GET",
    ): "login: anon | 200: pm head supervisor | 403: leader chief finance discipline audit liaison archivist contractor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:notice_verify",
        "POST",
    ): "login: anon | 200: pm head supervisor | 403: leader chief finance discipline audit liaison archivist contractor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:photo_export",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:photo_original",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:photo_thumb",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:portfolio",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor | 403: sysadmin secadmin auditadmin",
    (
        "construction:progress_decide",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist contractor | 404: sub_pm other sysadmin secadmin auditadmin | 302: supervisor",
    (
        "construction:progress_report",
        "GET",
    ): "login: anon | 200: pm liaison contractor | 403: head leader chief finance discipline audit archivist supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:progress_report",
        "POST",
    ): "login: anon | 200: pm liaison contractor | 403: head leader chief finance discipline audit archivist supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:project",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:project",
        "POST",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:project_tab",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:recovery_submit",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:recovery_submit",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:schedule_import",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:schedule_import",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:schedule_xlsx",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:schedule_xlsx",
        "POST",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:site_edit",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:site_edit",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:task_create",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:task_create",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:task_revise",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "construction:task_revise",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist contractor supervisor | 404: sub_pm other sysadmin secadmin auditadmin",
    (
        "core:audit_archive_new",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "core:audit_checkpoints",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin | 200: auditadmin",
    (
        "core:audit_checkpoints_export",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "core:audit_checkpoints_export",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin | 200: auditadmin",
    (
        "core:audit_export",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "core:audit_list",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin | 200: auditadmin",
    (
        "core:audit_verify",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin | 200: auditadmin",
    (
        "core:audit_verify",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin | 200: auditadmin",
    (
        "core:export_detail",
        "GET",
    ): "login: anon | 200: pm | 404: head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "core:export_detail",
        "POST",
    ): "login: anon | 200: pm | 404: head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "core:export_download",
        "GET",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "core:export_download",
        "POST",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "department-detail",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sysadmin secadmin auditadmin | 404: sub_pm other contractor supervisor",
    (
        "department-detail",
        "POST",
    ): "403: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "department-list",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "external-organization-detail",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other sysadmin secadmin auditadmin | 404: contractor supervisor",
    (
        "external-organization-detail",
        "POST",
    ): "403: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "external-organization-list",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:contract_allocate",
        "GET",
    ): "login: anon | 200: pm head finance | 403: leader chief discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:contract_allocate",
        "POST",
    ): "login: anon | 200: pm head finance | 403: leader chief discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:cost_item_create",
        "GET",
    ): "login: anon | 200: pm head finance | 403: leader chief discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:cost_item_create",
        "POST",
    ): "login: anon | 200: pm head finance | 403: leader chief discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:costs",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:costs",
        "POST",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:dashboard",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:instruction_confirm",
        "GET",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist | 200: finance | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:instruction_confirm",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist | 200: finance | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:instruction_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:instruction_pdf",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:instruction_xlsx",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:labour_confirm",
        "POST",
    ): "login: anon | 302: pm head supervisor | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor sysadmin secadmin auditadmin",
    (
        "finance:labour_record",
        "GET",
    ): "login: anon | 200: pm liaison | 403: head leader chief finance discipline audit archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:labour_record",
        "POST",
    ): "login: anon | 200: pm liaison | 403: head leader chief finance discipline audit archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:payments_export",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:payments_export",
        "POST",
    ): "login: anon | 302: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:project",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:receipt_record",
        "GET",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist | 200: finance | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:receipt_record",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist | 200: finance | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:request_create",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:request_create",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:request_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:request_finalize",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist | 400: finance | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:request_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:request_submit",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:request_submit",
        "POST",
    ): "login: anon | 400: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:request_withdraw",
        "POST",
    ): "login: anon | 302: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:source_create",
        "GET",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist | 200: finance | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:source_create",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist | 200: finance | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:supervision",
        "GET",
    ): "login: anon | 200: pm head supervisor | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor sysadmin secadmin auditadmin",
    (
        "finance:treasury_import",
        "GET",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: finance",
    (
        "finance:treasury_import",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: finance",
    (
        "finance:value_confirm",
        "GET",
    ): "login: anon | 200: pm head supervisor | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor sysadmin secadmin auditadmin",
    (
        "finance:value_confirm",
        "POST",
    ): "login: anon | 200: pm head supervisor | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor sysadmin secadmin auditadmin",
    (
        "finance:wage_account_open",
        "GET",
    ): "login: anon | 200: pm finance | 403: head leader chief discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:wage_account_open",
        "POST",
    ): "login: anon | 200: pm finance | 403: head leader chief discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:wage_deposit",
        "GET",
    ): "login: anon | 200: pm finance | 403: head leader chief discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:wage_deposit",
        "POST",
    ): "login: anon | 200: pm finance | 403: head leader chief discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:wage_transfer",
        "GET",
    ): "login: anon | 200: pm finance | 403: head leader chief discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "finance:wage_transfer",
        "POST",
    ): "login: anon | 200: pm finance | 403: head leader chief discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "healthz",
        "GET",
    ): "200: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "home",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "integrity:alert_detail",
        "GET",
    ): "login: anon | 403: pm head leader chief finance liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline audit",
    (
        "integrity:alert_exclude",
        "POST",
    ): "login: anon | 403: pm head leader chief finance liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 400: discipline audit",
    (
        "integrity:alert_export",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "integrity:alert_list",
        "GET",
    ): "login: anon | 403: pm head leader chief finance liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline audit",
    (
        "integrity:alert_read",
        "POST",
    ): "login: anon | 403: pm head leader chief finance liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 302: discipline audit",
    (
        "integrity:case_assign",
        "GET",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_assign",
        "POST",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_close",
        "GET",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_close",
        "POST",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_conclude",
        "GET",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_conclude",
        "POST",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_detail",
        "GET",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_evidence",
        "GET",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_evidence",
        "POST",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_interview",
        "GET",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_interview",
        "POST",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_list",
        "GET",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_manual_new",
        "GET",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_manual_new",
        "POST",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_note",
        "GET",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_note",
        "POST",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_open",
        "GET",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "integrity:case_open",
        "POST",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_party",
        "GET",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_party",
        "POST",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_rectify",
        "GET",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:case_rectify",
        "POST",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:complaint_action",
        "POST",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 400: discipline",
    (
        "integrity:complaint_attachment",
        "GET",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:complaint_detail",
        "GET",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:complaint_identity",
        "POST",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:complaint_list",
        "GET",
    ): "login: anon | 403: pm head leader finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: chief discipline",
    (
        "integrity:inspection_draw",
        "POST",
    ): "login: anon | 404: pm head leader finance liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 403: chief audit | 400: discipline",
    (
        "integrity:inspection_inspector_new",
        "GET",
    ): "login: anon | 403: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:inspection_inspector_new",
        "POST",
    ): "login: anon | 403: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:inspection_inspector_toggle",
        "POST",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 302: discipline",
    (
        "integrity:inspection_inspectors",
        "GET",
    ): "login: anon | 403: pm head leader finance liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: chief discipline audit",
    (
        "integrity:inspection_item_new",
        "GET",
    ): "login: anon | 403: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:inspection_item_new",
        "POST",
    ): "login: anon | 403: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:inspection_item_toggle",
        "POST",
    ): "login: anon | 404: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 302: discipline",
    (
        "integrity:inspection_items",
        "GET",
    ): "login: anon | 403: pm head leader finance liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: chief discipline audit",
    (
        "integrity:inspection_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "integrity:inspection_objects",
        "GET",
    ): "login: anon | 403: pm head leader finance liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: chief discipline audit",
    (
        "integrity:inspection_plan",
        "GET",
    ): "login: anon | 404: pm head leader finance liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: chief discipline audit",
    (
        "integrity:inspection_plan_new",
        "GET",
    ): "login: anon | 403: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:inspection_plan_new",
        "POST",
    ): "login: anon | 403: pm head leader chief finance audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: discipline",
    (
        "integrity:inspection_replay",
        "GET",
    ): "login: anon | 404: pm head leader finance liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: chief discipline audit",
    (
        "integrity:inspection_result",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "integrity:inspection_result",
        "POST",
    ): "login: anon | 404: pm head leader finance liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 400: chief discipline audit",
    (
        "login",
        "GET",
    ): "200: anon | 302: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "meeting-agenda",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "meeting-agenda",
        "POST",
    ): "403: anon | 400: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "meeting-agenda-subjects",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "meeting-agenda-subjects",
        "POST",
    ): "403: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "org:account_unlock",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "org:account_unlock",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sysadmin auditadmin | 404: sub_pm other contractor supervisor | 302: secadmin",
    (
        "org:agency_create",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:agency_create",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:agency_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sysadmin secadmin auditadmin | 404: sub_pm other contractor supervisor",
    (
        "org:agency_edit",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:agency_edit",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:agency_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other sysadmin secadmin auditadmin | 403: contractor supervisor",
    (
        "org:department_create",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:department_create",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:department_edit",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:department_edit",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:department_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other sysadmin secadmin auditadmin | 403: contractor supervisor",
    (
        "org:external_org_create",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor secadmin auditadmin | 200: sysadmin",
    (
        "org:external_org_create",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor secadmin auditadmin | 200: sysadmin",
    (
        "org:external_org_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other sysadmin secadmin auditadmin | 404: contractor supervisor",
    (
        "org:external_org_edit",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other secadmin auditadmin | 404: contractor supervisor | 200: sysadmin",
    (
        "org:external_org_edit",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other secadmin auditadmin | 404: contractor supervisor | 200: sysadmin",
    (
        "org:external_org_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "org:external_user_create",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other secadmin auditadmin | 404: contractor supervisor | 200: sysadmin",
    (
        "org:external_user_create",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other secadmin auditadmin | 404: contractor supervisor | 200: sysadmin",
    (
        "org:grant_create",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sysadmin auditadmin | 404: sub_pm other contractor supervisor | 200: secadmin",
    (
        "org:grant_create",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sysadmin auditadmin | 404: sub_pm other contractor supervisor | 200: secadmin",
    (
        "org:grant_list",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin auditadmin | 200: secadmin",
    (
        "org:grant_revoke",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sysadmin auditadmin | 404: sub_pm other contractor supervisor | 200: secadmin",
    (
        "org:grant_revoke",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sysadmin auditadmin | 404: sub_pm other contractor supervisor | 200: secadmin",
    (
        "org:lockout_list",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin auditadmin | 200: secadmin",
    (
        "org:notice_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "org:notice_list",
        "POST",
    ): "login: anon | 302: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "org:parameter_edit",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor secadmin auditadmin | 200: sysadmin",
    (
        "org:parameter_edit",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor secadmin auditadmin | 200: sysadmin",
    (
        "org:parameter_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other sysadmin secadmin | 403: contractor supervisor auditadmin",
    (
        "org:pledge_create",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other sysadmin secadmin auditadmin | 403: contractor supervisor",
    (
        "org:pledge_create",
        "POST",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other sysadmin secadmin auditadmin | 403: contractor supervisor",
    (
        "org:pledge_download",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sysadmin secadmin auditadmin | 404: sub_pm other contractor supervisor",
    (
        "org:pledge_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other sysadmin secadmin auditadmin | 403: contractor supervisor",
    (
        "org:position_create",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:position_create",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:position_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sysadmin secadmin auditadmin | 404: sub_pm other contractor supervisor",
    (
        "org:position_edit",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:position_edit",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:position_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other sysadmin secadmin auditadmin | 403: contractor supervisor",
    (
        "org:two_factor_reset",
        "POST",
    ): "login: anon | 403: pm head chief finance discipline audit liaison archivist sysadmin auditadmin | 302: leader secadmin | 404: sub_pm other contractor supervisor",
    (
        "org:user_create",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:user_create",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:user_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sysadmin secadmin auditadmin | 404: sub_pm other contractor supervisor",
    (
        "org:user_edit",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:user_edit",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist secadmin auditadmin | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:user_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other sysadmin secadmin auditadmin | 403: contractor supervisor",
    (
        "org:user_password_reset",
        "POST",
    ): "login: anon | 403: pm head chief finance discipline audit liaison archivist secadmin auditadmin | 302: leader | 404: sub_pm other contractor supervisor | 200: sysadmin",
    (
        "org:working_calendar",
        "GET",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor secadmin auditadmin | 200: sysadmin",
    (
        "org:working_calendar",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor secadmin auditadmin | 400: sysadmin",
    (
        "org:working_day_remove",
        "POST",
    ): "login: anon | 403: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor secadmin auditadmin | 302: sysadmin",
    (
        "password_change",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "password_change",
        "POST",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "portal:complaint_captcha",
        "GET",
    ): "200: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "portal:complaint_form",
        "GET",
    ): "200: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "portal:complaint_query",
        "GET",
    ): "200: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "portal:complaint_query",
        "POST",
    ): "400: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "portal:gongshi_feed",
        "GET",
    ): "200: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "portal:gongshi_list",
        "GET",
    ): "200: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "portal:gongshi_manage",
        "GET",
    ): "login: anon | 200: pm head leader chief sub_pm other | 403: finance discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin",
    (
        "portal:gongshi_overview",
        "GET",
    ): "200: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "portal:gongshi_plan",
        "GET",
    ): "200: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "portal:gongshi_project",
        "GET",
    ): "200: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "portal:gongshi_search",
        "GET",
    ): "200: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "portal:gongshi_withdraw",
        "GET",
    ): "login: anon | 200: pm head leader chief | 404: finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "portal:gongshi_withdraw",
        "POST",
    ): "login: anon | 400: pm head leader chief | 404: finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "portal:inspection_detail",
        "GET",
    ): "200: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "portal:inspection_list",
        "GET",
    ): "200: anon pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "position-detail",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sysadmin secadmin auditadmin | 404: sub_pm other contractor supervisor",
    (
        "position-detail",
        "POST",
    ): "403: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "position-list",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:award_notice_pdf",
        "GET",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:award_notice_pdf",
        "POST",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:bid_create",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:bid_create",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:change_create",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:change_create",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:change_evidence",
        "GET",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:change_evidence",
        "POST",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:change_finalize",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:change_finalize",
        "POST",
    ): "login: anon | 302: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:change_submit",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:change_submit",
        "POST",
    ): "login: anon | 302: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:contract_create",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:contract_create",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:contract_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:contract_export",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:contract_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor | 403: sysadmin secadmin auditadmin",
    (
        "procurement:contract_milestones",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:contract_milestones",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:contract_overrun_submit",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:contract_overrun_submit",
        "POST",
    ): "login: anon | 302: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:contract_pdf",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:contract_sign",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:contract_sign",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:legal_exception_create",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:legal_exception_create",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:lot_create",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:lot_create",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:lot_method",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:lot_method",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:lot_update",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:lot_update",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:opening_record",
        "GET",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:opening_record",
        "POST",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_bank_account_add",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist sub_pm other | 404: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_bank_account_add",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist sub_pm other | 404: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_contact_add",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist sub_pm other | 404: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_contact_add",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist sub_pm other | 404: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_create",
        "GET",
    ): "login: anon | 200: pm head sub_pm other | 403: leader chief finance discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_create",
        "POST",
    ): "login: anon | 200: pm head sub_pm other | 403: leader chief finance discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 404: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_evaluate",
        "GET",
    ): "login: anon | 200: pm head sub_pm other | 403: leader chief finance discipline audit liaison archivist | 404: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_evaluate",
        "POST",
    ): "login: anon | 200: pm head sub_pm other | 403: leader chief finance discipline audit liaison archivist | 404: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_export",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_listing_add",
        "GET",
    ): "login: anon | 403: pm leader chief finance audit liaison archivist sub_pm other | 200: head discipline | 404: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_listing_add",
        "POST",
    ): "login: anon | 403: pm leader chief finance audit liaison archivist sub_pm other | 200: head discipline | 404: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_listing_lift",
        "GET",
    ): "login: anon | 403: pm leader chief finance audit liaison archivist sub_pm other | 200: head discipline | 404: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_listing_lift",
        "POST",
    ): "login: anon | 403: pm leader chief finance audit liaison archivist sub_pm other | 200: head discipline | 404: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_qualification_add",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist sub_pm other | 404: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_qualification_add",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist sub_pm other | 404: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_update",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist sub_pm other | 404: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:supplier_update",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist sub_pm other | 404: contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_award",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_award",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_bids_json",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_bids_json",
        "POST",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_create",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_create",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_evaluate",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_evaluate",
        "POST",
    ): "login: anon | 302: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_open",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_open",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_panel_draw",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_panel_draw",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_panel_redraw",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_panel_redraw",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_publicity",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_publicity",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_score_create",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "procurement:tender_score_create",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "project-advance",
        "GET",
    ): "403: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "project-advance",
        "POST",
    ): "403: anon leader chief finance discipline audit liaison archivist | 422: pm head | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "project-detail",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "project-detail",
        "POST",
    ): "403: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "project-list",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:agenda_add",
        "GET",
    ): "login: anon | 200: pm chief | 403: head leader finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:agenda_add",
        "POST",
    ): "login: anon | 200: pm chief | 403: head leader finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:agenda_conclude",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:agenda_conclude",
        "POST",
    ): "login: anon | 400: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:approval_decide",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:approval_decide",
        "POST",
    ): "login: anon | 400: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:approval_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:approval_inbox",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:approval_submit",
        "POST",
    ): "login: anon | 302: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:delegation_create",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:delegation_create",
        "POST",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:delegation_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:document_download",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:document_upload",
        "GET",
    ): "login: anon | 200: pm head finance liaison archivist | 403: leader chief discipline audit | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:document_upload",
        "POST",
    ): "login: anon | 200: pm head finance liaison archivist | 403: leader chief discipline audit | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:expert_create",
        "GET",
    ): "login: anon | 403: pm leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin | 200: head",
    (
        "projects:expert_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:expert_opinion_record",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:expert_opinion_record",
        "POST",
    ): "login: anon | 400: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:expert_review_conclude",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:expert_review_conclude",
        "POST",
    ): "login: anon | 400: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:expert_review_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:expert_review_draw",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:expert_review_draw",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:expert_review_redraw",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:expert_review_redraw",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:higher_review_record",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:higher_review_record",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:joint_review_conclude",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:joint_review_conclude",
        "POST",
    ): "login: anon | 400: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:joint_review_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:joint_review_opinion",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:joint_review_opinion",
        "POST",
    ): "login: anon | 403: pm head leader chief discipline audit liaison archivist | 400: finance | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:joint_review_request",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:joint_review_request",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:meeting_attendance",
        "GET",
    ): "login: anon | 200: pm chief | 403: head leader finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:meeting_attendance",
        "POST",
    ): "login: anon | 200: pm chief | 403: head leader finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:meeting_create",
        "GET",
    ): "login: anon | 200: pm head leader chief sub_pm other | 403: finance discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:meeting_create",
        "POST",
    ): "login: anon | 200: pm head leader chief sub_pm other | 403: finance discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:meeting_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:meeting_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:meeting_minutes",
        "GET",
    ): "login: anon | 200: pm chief | 403: head leader finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:meeting_minutes",
        "POST",
    ): "login: anon | 200: pm chief | 403: head leader finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:meeting_minutes_download",
        "GET",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:meeting_minutes_download",
        "POST",
    ): "login: anon | 404: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:opinion_record",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:opinion_record",
        "POST",
    ): "login: anon | 400: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_create",
        "GET",
    ): "login: anon | 200: pm head sub_pm other | 403: leader chief finance discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_create",
        "POST",
    ): "login: anon | 200: pm head sub_pm other | 403: leader chief finance discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_export",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_file",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_file",
        "POST",
    ): "login: anon | 302: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_import",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_import",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_item_add",
        "GET",
    ): "login: anon | 302: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_item_add",
        "POST",
    ): "login: anon | 302: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_item_remove",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_item_remove",
        "POST",
    ): "login: anon | 302: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_return",
        "POST",
    ): "login: anon | 403: pm finance discipline audit liaison archivist sub_pm | 200: head leader chief | 404: other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_revise",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_revise",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_submit",
        "GET",
    ): "login: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_submit",
        "POST",
    ): "login: anon | 302: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:plan_template",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_advance",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_advance",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_amounts",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_amounts",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_create_from_plan",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_create_from_plan",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_create_outside_plan",
        "GET",
    ): "login: anon | 200: pm head sub_pm other | 403: leader chief finance discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_create_outside_plan",
        "POST",
    ): "login: anon | 200: pm head sub_pm other | 403: leader chief finance discipline audit liaison archivist contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_detail",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_gate_missing",
        "GET",
    ): "login: anon | 302: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_list",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other | 403: contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_resume",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_resume",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_suspend",
        "GET",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_suspend",
        "POST",
    ): "login: anon | 200: pm head | 403: leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:project_timeline",
        "GET",
    ): "login: anon | 302: pm head leader chief finance discipline audit liaison archivist | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:responsibility_assign",
        "GET",
    ): "login: anon | 403: pm chief finance discipline audit liaison archivist | 200: head leader | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "projects:responsibility_assign",
        "POST",
    ): "login: anon | 403: pm chief finance discipline audit liaison archivist | 200: head leader | 404: sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "role-grant-detail",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sysadmin secadmin auditadmin | 404: sub_pm other contractor supervisor",
    (
        "role-grant-detail",
        "POST",
    ): "403: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "role-grant-list",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "role-grant-list",
        "POST",
    ): "403: anon | 400: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "two_factor_enrol",
        "GET",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor | 302: sysadmin secadmin auditadmin",
    (
        "two_factor_enrol",
        "POST",
    ): "login: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor | 302: sysadmin secadmin auditadmin",
    (
        "two_factor_verify",
        "GET",
    ): "login: anon | 302: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor | 200: sysadmin secadmin auditadmin",
    (
        "two_factor_verify",
        "POST",
    ): "login: anon | 302: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor | 200: sysadmin secadmin auditadmin",
    (
        "user-detail",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sysadmin secadmin auditadmin | 404: sub_pm other contractor supervisor",
    (
        "user-detail",
        "POST",
    ): "403: anon | 405: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
    (
        "user-list",
        "GET",
    ): "403: anon | 200: pm head leader chief finance discipline audit liaison archivist sub_pm other contractor supervisor sysadmin secadmin auditadmin",
}
