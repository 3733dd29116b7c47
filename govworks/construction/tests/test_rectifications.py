"""The rectification loop: a patrol's failed items become notices; overdue escalates to the leader; a
failed verification reopens with a new deadline; a pass closes; a 重大隐患 escalates at once with a
stop-work order; every step is on the project's timeline."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from govworks.construction.models import RectificationNotice, RectificationStep
from govworks.construction.reference import checklist
from govworks.construction.services import inspections as svc
from govworks.construction.tests.conftest import days
from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.core.registry import work_items_for

pytestmark = pytest.mark.django_db


def timeline(project: Any) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            context_type="projects.project", context_id=str(project.pk), action__startswith="construction.notice"
        )
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_deadline_passes_escalates_failed_verification_reopens_all_on_the_timeline(cw: Any, site_project: Any) -> None:
    items = checklist(site_project.project_type, "safety")
    results = [{"item": i, "ok": True} for i in items]
    results[1] = {"item": items[1], "ok": False, "note": "两名工人未系安全带"}
    inspection = svc.inspection_record(actor=cw.pm, project=site_project, kind="safety", inspected_on=days(0), results=results)
    notice = RectificationNotice.objects.get(inspection=inspection)
    assert (notice.deadline, notice.responsible_org, notice.severity) == (days(7), cw.contractor_org, "general")
    assert [i.kind for i in work_items_for(cw.contractor)] == ["整改"]
    # given the deadline passed 2 days ago: not yet; 3 days ago: escalated to the leader, once
    assert svc.notices_escalate(days(9)) == "整改通知逾期升级 0 份"
    assert svc.notices_escalate(days(10)) == "整改通知逾期升级 1 份"
    assert svc.notices_escalate(days(11)) == "整改通知逾期升级 0 份"
    notice.refresh_from_db()
    assert (notice.escalated_to, notice.escalated_on) == (cw.leader, days(10))
    assert [i.kind for i in work_items_for(cw.leader) if i.kind.startswith("整改")] == ["整改督办"]
    # the contractor replies; the inspector fails it: reopened with a new deadline
    svc.notice_reply(actor=cw.contractor, notice=notice, text="已督促全员系挂安全带")
    assert [i.kind for i in work_items_for(cw.pm) if i.kind.startswith("整改")] == ["整改复查"]
    svc.notice_verify(actor=cw.supervisor, notice=notice, passed=False, opinion="复查仍有一人未系", new_deadline=days(3))
    notice.refresh_from_db()
    assert (notice.status, notice.deadline, notice.reopen_count) == ("open", days(3), 1)
    svc.notice_reply(actor=cw.contractor, notice=notice, text="已处罚并再次教育")
    svc.notice_verify(actor=cw.pm, notice=notice, passed=True, opinion="复查合格")
    notice.refresh_from_db()
    assert (notice.status, notice.closed_on) == ("closed", days(0))
    assert list(notice.steps.values_list("kind", flat=True)) == ["escalate", "reply", "fail", "reply", "pass"]
    assert timeline(site_project) == [
        "construction.notice.issue", "construction.notice.escalate", "construction.notice.reply", "construction.notice.verify",
        "construction.notice.reply", "construction.notice.verify",
    ]  # fmt: skip


def test_major_hazard_escalates_at_once_and_stops_work(cw: Any, site_project: Any) -> None:
    notice = svc.notice_issue(
        actor=cw.pm, project=site_project, finding="深基坑支护变形超预警值", severity="major", stop_work=True, deadline=days(1)
    )
    assert (notice.escalated_to, notice.stop_work) == (cw.leader, True)
    site_project.refresh_from_db()
    assert site_project.stage == "suspended"
    assert RectificationStep.objects.filter(notice=notice, kind="escalate").count() == 1


def test_refusals_change_nothing(cw: Any, site_project: Any) -> None:
    notice = svc.notice_issue(actor=cw.pm, project=site_project, finding="消防通道堆放材料", severity="general")

    def snapshot() -> tuple[Any, ...]:
        return list(
            RectificationNotice.objects.values_list("status", "deadline", "reopen_count")
        ), RectificationStep.objects.count()

    before = snapshot()
    with pytest.raises(DomainError):
        svc.notice_verify(actor=cw.pm, notice=notice, passed=True, opinion="未回复就复查")
    with pytest.raises(PermissionDenied):
        svc.notice_reply(actor=cw.stranger, notice=notice, text="别的施工单位回复")
    with pytest.raises(PermissionDenied):
        svc.notice_issue(actor=cw.contractor, project=site_project, finding="施工单位自己签发")
    with pytest.raises(DomainError):
        svc.notice_issue(actor=cw.pm, project=site_project, finding="一般问题不能停工", stop_work=True)
    with pytest.raises(DomainError):
        svc.notice_issue(actor=cw.pm, project=site_project, finding="期限早于今天", deadline=days(-1))
    with pytest.raises(DomainError) as err:
        svc.notice_issue(
            actor=cw.supervisor, project=site_project, finding="监理不能下达暂停令", severity="major", stop_work=True
        )
    assert err.value.code == "construction.notice_stop_right"
    assert snapshot() == before
    svc.notice_reply(actor=cw.pm, notice=notice, text="工程管理岗代为回复已清理")
    with pytest.raises(DomainError) as err:
        svc.notice_verify(actor=cw.pm, notice=notice, passed=True, opinion="自己复查自己")
    assert err.value.code == "construction.verify_self"


def test_reply_evidence_is_kept_and_read_only_by_those_who_read_the_notice(cw: Any, site_project: Any, client: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    notice = svc.notice_issue(actor=cw.pm, project=site_project, finding="配电箱未上锁", severity="general")
    svc.notice_reply(
        actor=cw.contractor, notice=notice, text="已加锁并张贴警示", evidence=SimpleUploadedFile("lock.pdf", b"%PDF-1.4 evidence")
    )
    step = notice.steps.get(kind="reply")
    url = reverse("construction:step_evidence", args=[step.pk])
    client.force_login(cw.supervisor)
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 evidence"
    assert 'data-testid="evidence"' in client.get(reverse("construction:notice_detail", args=[notice.pk])).content.decode()
    client.force_login(cw.stranger)
    assert client.get(url).status_code == 404


def test_reply_evidence_that_is_html_named_jpg_is_refused_and_nothing_changes(cw: Any, site_project: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from govworks.construction.models import RectificationStep
    from govworks.core.models import AuditEvent

    # given an open notice and a page with a script renamed to a photo (issue 12 item 8)
    notice = svc.notice_issue(actor=cw.pm, project=site_project, finding="配电箱未上锁", severity="general")
    fake = SimpleUploadedFile("整改照片.jpg", b"<html><script>alert(1)</script></html>")
    before = (notice.status, RectificationStep.objects.count(), AuditEvent.objects.count())
    # when the contractor replies with it, then it is refused naming the content, and nothing changed
    with pytest.raises(DomainError) as err:
        svc.notice_reply(actor=cw.contractor, notice=notice, text="已加锁并张贴警示", evidence=fake)
    assert (err.value.code, err.value.message, err.value.field) == (
        "file.content",
        "文件内容为 HTML，不是 JPEG 图片，请上传真实的文件",
        "evidence",
    )
    notice.refresh_from_db()
    assert (notice.status, RectificationStep.objects.count(), AuditEvent.objects.count()) == before
