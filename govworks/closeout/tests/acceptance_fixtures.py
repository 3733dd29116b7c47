"""Fixtures of the acceptance tests (imported by the test modules: the app's conftest is shared with the other
close-out areas): a project in 竣工验收 with its signed main construction and supervision contracts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govworks.construction.tests.conftest import cw, sign_site_contracts  # noqa: F401  (fixtures)
from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401  (fixtures)


def pdf(name: str = "doc") -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 test " + name.encode(), content_type="application/pdf")


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def acc(cw: Any, make_project: Any) -> Any:  # noqa: F811
    """cw + ``acc.project`` in 竣工验收 (historical import) with 马超's main contract and 杨帆's supervision."""
    from govworks.projects.services.projects import project_import_at_stage

    project = make_project(amount="1200000", name="老干部活动中心屋面防水修缮")
    project = project_import_at_stage(
        actor=cw.pm, project=project, stage="acceptance", note="前期手续已线下办理：临机事〔2025〕9号批复"
    )
    cw.main, cw.supervision = sign_site_contracts(cw, project)
    cw.project = project
    return cw


def organised(w: Any, *, archive: bool = False) -> Any:
    """Declared by the contractor and organised by the PM, survey/design named."""
    from govworks.closeout.services import acceptance as s

    a = s.acceptance_declare(actor=w.contractor, project=w.project, note="工程已按合同全部完成，自检合格")
    notify_supervision(w, a)
    return s.acceptance_organise(
        actor=w.pm, acceptance=a, scheduled_on=days(0), location="活动中心三楼会议室",
        party_names={"survey": "临江勘察院", "design": "临江建筑设计院"}, archive_pre_required=archive,
    )  # fmt: skip


def notify_supervision(w: Any, a: Any, *, on: Any = None) -> Any:
    """The written notice to the quality supervision body, three weeks before today (more than 7 working days)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from govworks.closeout.services import acceptance as s

    return s.acceptance_supervision_notice_record(
        actor=w.pm, acceptance=a, notified_on=on or days(-21), body="临江市建设工程质量监督站",
        file=SimpleUploadedFile("验收通知书.pdf", b"%PDF-1.4 notice", content_type="application/pdf"),
    )  # fmt: skip


def all_agree(w: Any, a: Any) -> None:
    from govworks.closeout.services import acceptance as s

    for party in a.parties.all():
        actor = {"contractor": w.contractor, "supervisor": w.supervisor}.get(party.role, w.pm)
        s.acceptance_opinion_record(actor=actor, party=party, opinion="agree", text="同意", representative="代表")


def passed(w: Any) -> Any:
    from govworks.closeout.services import acceptance as s

    a = organised(w)
    all_agree(w, a)
    return s.acceptance_conclude(actor=w.pm, acceptance=a, passed=True, note="工程质量符合设计和规范要求，同意验收")
