"""Declared answers of every URL for every persona (see ``tests/url_matrix.py`` for the personas and how
paths are sampled). A row reads ``"login: anon | 200: pm head … | 403: sysadmin …"``; ``login`` is a
redirect to the sign-in page. Generate the observed rows with ``GW_URL_POLICY_WRITE=/tmp/rows.py ./test -k
url_matrix``, review them, then paste."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: pages anyone may open without signing in
PUBLIC: set[str] = {"login", "healthz", "set_language", "api-schema"}

#: business pages an administrator may open read-only, with the reason
ADMIN_MAY_READ: dict[str, str] = {}

#: URL names the crawl does not reach, with the reason
UNREACHED: dict[str, str] = {
    "logout": "signs the caller out (POST only); covered by org/tests/test_auth.py",
    "set_language": "the public language switch; covered by core/tests/test_i18n.py",
    "construction:step_evidence": "the demo has no rectification reply with evidence; covered by construction/tests",
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
    "construction:task_revise": lambda: {"task_pk": _first("construction.ScheduleTask")},
    "construction:inspection_create": lambda: {"pk": _first("projects.Project", stage="construction"), "kind": "safety"},
}

DECLARED: dict[tuple[str, str], str] = {}
