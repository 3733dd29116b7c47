"""Case handling (案件办理, issue 14 item 2): each step by the right person, each refusal changing nothing, the audit
log naming steps without content, the workbench and the cockpit counts. A source kind of this module's own
(``casetest``) stands in for the alerts and complaints other areas register."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.core.registry import work_items_for
from govworks.core.workdays import add_working_days
from govworks.integrity import permissions_cases as perms
from govworks.integrity.case_sources import CaseSource, register_case_source
from govworks.integrity.models import (
    Case,
    CaseEvidence,
    CaseInterview,
    CaseNote,
    CaseParty,
    CaseRectification,
    CaseStatus,
)
from govworks.integrity.selectors import cases as sel
from govworks.integrity.services import cases as svc

pytestmark = pytest.mark.django_db

KIND = "casetest"
#: source id → CaseSource, filled by each test
TEST_SOURCES: dict[int, CaseSource] = {}
SECRET = "机密调查内容：某某收受礼金二万元"


def _resolve(user: Any, source_id: int) -> CaseSource:
    source = TEST_SOURCES.get(source_id)
    if source is None or source.agency_id not in perms.case_agency_ids(user):
        raise Http404("来源不存在")
    return source


register_case_source(KIND, "测试来源", _resolve)


def make_source(source_id: int, agency: Any, involved: tuple[int, ...] = (), project_id: int | None = None) -> CaseSource:
    source = CaseSource(
        kind=KIND, source_id=source_id, agency_id=agency.pk, title="围标串标预警：三家投标人联系电话相同",
        summary="某项目三家投标人登记的联系电话相同，疑似围标串标。", url="/integrity/alerts/1/",
        project_id=project_id, involved_user_ids=involved,
    )  # fmt: skip
    TEST_SOURCES[source_id] = source
    return source


def discipline(username: str, agency: Any, full_name: str = "") -> Any:
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory

    user = UserFactory(username=username, full_name=full_name or username, agency=agency)
    RoleGrantFactory(user=user, agency=agency, role="discipline")
    return user


def counts() -> tuple[int, ...]:
    return (
        Case.objects.count(), CaseNote.objects.count(), CaseEvidence.objects.count(), CaseInterview.objects.count(),
        CaseRectification.objects.count(), CaseParty.objects.count(), AuditEvent.objects.count(),
        tuple(Case.objects.order_by("id").values_list("status", flat=True)),
        tuple(CaseRectification.objects.order_by("id").values_list("status", flat=True)),
    )  # fmt: skip


def refused(call: Any, *errors: type[Exception]) -> Exception:
    """``call`` is refused (DomainError or PermissionDenied) and changes nothing."""
    before = counts()
    with pytest.raises(errors or (DomainError, PermissionDenied)) as info:
        call()
    assert counts() == before
    return info.value


@pytest.fixture
def cw(world: Any) -> Any:
    """The case world: the city's 纪检 head 吴海燕 (world.discipline), a second 纪检 王建军 who handles, a 纪检 person
    named by the source, the PM named by the source, and the other agency's 纪检."""

    class CW:
        pass

    w = CW()
    w.world = world
    w.head = world.discipline
    w.handler = discipline("wangjj", world.city, "王建军")
    w.named_dis = discipline("zhoujj", world.city, "周纪检")
    w.other_dis = discipline("otherjj", world.other, "邻市纪检")
    w.source = make_source(101, world.city, involved=(world.pm.pk, w.named_dis.pk))
    return w


def opened(cw: Any, *, handlers: tuple[Any, ...] | None = None) -> Case:
    case = svc.case_open(actor=cw.head, source=cw.source, title="围标串标线索核查", summary="三家投标人联系电话相同，需核查。")
    return svc.case_assign(actor=cw.head, case=case, handlers=handlers or (cw.handler,))


# ---------------------------------------------------------------------------------------- open


def test_open_numbers_the_case_names_the_source_people_and_audits_without_content(cw: Any) -> None:
    case = svc.case_open(actor=cw.head, source=cw.source, title="围标串标线索核查", summary=SECRET)
    assert case.number.startswith(f"AJ-{cw.world.city.code}-{timezone.localdate().year}-")
    assert case.status == CaseStatus.FILED and case.source_kind == KIND and case.source_id == 101
    assert set(case.parties.values_list("user_id", flat=True)) == {cw.world.pm.pk, cw.named_dis.pk}
    event = AuditEvent.objects.get(action="integrity.case.open")
    assert event.summary == f"案件 {case.number} 立案（来源：测试来源）"
    assert "围标" not in event.summary and SECRET not in str(event.changes) and event.object_repr == f"案件 {case.number}"


def test_open_refusals_change_nothing(cw: Any) -> None:
    refused(
        lambda: svc.case_open(actor=cw.world.pm, source=cw.source, title="围标串标线索核查", summary="十个字以上的案情摘要内容")
    )
    refused(
        lambda: svc.case_open(actor=cw.named_dis, source=cw.source, title="围标串标线索核查", summary="十个字以上的案情摘要内容")
    )
    refused(
        lambda: svc.case_open(actor=cw.other_dis, source=cw.source, title="围标串标线索核查", summary="十个字以上的案情摘要内容")
    )
    refused(
        lambda: svc.case_open(
            actor=cw.world.auditadmin, source=cw.source, title="围标串标线索核查", summary="十个字以上的案情摘要内容"
        )
    )
    err = refused(lambda: svc.case_open(actor=cw.head, source=cw.source, title="围标串标线索核查", summary="短"))
    assert "案情摘要" in str(err)
    svc.case_open(actor=cw.head, source=cw.source, title="围标串标线索核查", summary="十个字以上的案情摘要内容")
    err = refused(
        lambda: svc.case_open(actor=cw.head, source=cw.source, title="围标串标线索核查", summary="十个字以上的案情摘要内容")
    )
    assert "已立案" in str(err)


def test_manual_source_is_a_real_source(cw: Any) -> None:
    from govworks.integrity.case_sources import case_source_resolve

    row = svc.manual_source_create(
        actor=cw.head, agency=cw.world.city, title="来信反映工程款拨付", summary="群众来信反映某工程款拨付不及时且有人索要好处费"
    )
    source = case_source_resolve(cw.head, "manual", row.pk)
    assert source.agency_id == cw.world.city.pk and source.title == "来信反映工程款拨付"
    with pytest.raises(Http404):
        case_source_resolve(cw.other_dis, "manual", row.pk)
    with pytest.raises(Http404):
        case_source_resolve(cw.world.pm, "manual", row.pk)
    assert "来信" not in AuditEvent.objects.get(action="integrity.case_source.manual").summary
    refused(
        lambda: svc.manual_source_create(
            actor=cw.world.pm, agency=cw.world.city, title="来信反映工程款", summary="十个字以上的线索摘要内容"
        )
    )


# ---------------------------------------------------------------------------------------- assign


def test_assign_refuses_wrong_handlers_and_changes_nothing(cw: Any) -> None:
    case = svc.case_open(actor=cw.head, source=cw.source, title="围标串标线索核查", summary="十个字以上的案情摘要内容")
    for person, word in (
        (cw.world.pm, "涉及人员"),
        (cw.named_dis, "涉及人员"),
        (cw.world.leader, "不是"),
        (cw.other_dis, "不是"),
        (cw.world.sysadmin, "三员分立"),
        (cw.world.auditadmin, "三员分立"),
    ):
        err = refused(lambda p=person: svc.case_assign(actor=cw.head, case=case, handlers=[p]), DomainError)
        assert word in str(err)
    refused(lambda: svc.case_assign(actor=cw.head, case=case, handlers=[]), DomainError)
    refused(lambda: svc.case_assign(actor=cw.named_dis, case=case, handlers=[cw.handler]), PermissionDenied)
    refused(lambda: svc.case_assign(actor=cw.world.pm, case=case, handlers=[cw.handler]), PermissionDenied)
    svc.case_assign(actor=cw.head, case=case, handlers=[cw.handler])
    assert list(case.handlers.all()) == [cw.handler] and Case.objects.get(pk=case.pk).assigned_by == cw.head


# ---------------------------------------------------------------------------------------- the whole flow


def test_flow_note_evidence_interview_rectify_verify_conclude_close(cw: Any) -> None:
    case = opened(cw)
    refused(
        lambda: svc.case_note_add(actor=cw.head, case=case, text=SECRET), PermissionDenied
    )  # the assigner reads, does not write
    refused(lambda: svc.case_note_add(actor=cw.handler, case=case, text="太短"), DomainError)
    refused(lambda: svc.case_interview_record(actor=cw.handler, case=case, held_on=timezone.localdate(), place="会议室",
                                              interviewees="项目经理", interviewers="王建军", minutes="十个字以上的约谈记录内容"))  # fmt: skip
    svc.case_note_add(actor=cw.handler, case=case, text=SECRET)
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING and case.investigating_since is not None

    fake = SimpleUploadedFile("证据.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    err = refused(lambda: svc.case_evidence_add(actor=cw.handler, case=case, file=fake, description="银行流水"), DomainError)
    assert "HTML" in str(err)
    pdf = SimpleUploadedFile("流水.pdf", b"%PDF-1.4 bank statement", content_type="application/pdf")
    evidence = svc.case_evidence_add(actor=cw.handler, case=case, file=pdf, description="银行流水")
    assert evidence.file.name.startswith(f"integrity/cases/{case.pk}/") and len(evidence.sha256) == 64
    assert "流水" not in evidence.file.name and evidence.file.name.endswith(".pdf")  # the stored name tells nothing
    assert evidence.original_name == "流水.pdf"

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    err = refused(lambda: svc.case_interview_record(actor=cw.handler, case=case, held_on=tomorrow, place="会议室",
                                                    interviewees="项目经理", interviewers="王建军", minutes="十个字以上的约谈记录内容"))  # fmt: skip
    assert "约谈日期" in str(err)
    refused(lambda: svc.case_interview_record(actor=cw.handler, case=case, held_on=timezone.localdate(), place="会议室",
                                              interviewees="", interviewers="王建军", minutes="十个字以上的约谈记录内容"))  # fmt: skip
    svc.case_interview_record(actor=cw.handler, case=case, held_on=timezone.localdate(), place="三楼会议室", interviewees="李明",
                              interviewers="王建军、吴海燕", minutes="谈话要点：说明联系电话相同的原因", commitments="一周内提交说明")  # fmt: skip
    case.refresh_from_db()
    assert case.status == CaseStatus.INTERVIEW

    today = timezone.localdate()
    for deadline, word in (
        (today, "晚于今天"),
        (today - dt.timedelta(days=3), "晚于今天"),
        (add_working_days(today, 61), "60 个工作日"),
    ):
        err = refused(
            lambda d=deadline: svc.case_rectification_demand(
                actor=cw.handler, case=case, demand="十个字以上的整改要求内容", deadline=d
            )
        )
        assert word in str(err)
    refused(
        lambda: svc.case_rectification_demand(actor=cw.head, case=case, demand="十个字以上的整改要求内容", deadline=tomorrow),
        PermissionDenied,
    )
    rect = svc.case_rectification_demand(
        actor=cw.handler, case=case, demand="十个字以上的整改要求内容", deadline=svc.rectification_default_deadline(case)
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.RECTIFICATION

    err = refused(
        lambda: svc.case_conclude(actor=cw.handler, case=case, outcome="reminder", conclusion="十个字以上的结论意见内容")
    )
    assert "未验证" in str(err)
    err = refused(
        lambda: svc.case_rectification_verify(actor=cw.handler, rectification=rect, passed=True, verification="已整改到位")
    )
    assert "职责分离" in str(err)
    refused(
        lambda: svc.case_rectification_verify(actor=cw.world.pm, rectification=rect, passed=True, verification="已整改到位"),
        PermissionDenied,
    )
    refused(lambda: svc.case_rectification_verify(actor=cw.head, rectification=rect, passed=True, verification=""), DomainError)
    svc.case_rectification_verify(
        actor=cw.head, rectification=rect, passed=True, verification="已整改到位"
    )  # the assigner verifies
    refused(lambda: svc.case_rectification_verify(actor=cw.head, rectification=rect, passed=True, verification="已整改到位"))

    refused(lambda: svc.case_conclude(actor=cw.handler, case=case, outcome="", conclusion="十个字以上的结论意见内容"))
    refused(lambda: svc.case_conclude(actor=cw.handler, case=case, outcome="reminder", conclusion="短"))
    refused(lambda: svc.case_close(actor=cw.handler, case=case), DomainError)
    svc.case_conclude(actor=cw.handler, case=case, outcome="reminder", conclusion="经调查，情况基本属实，对相关人员提醒谈话。")
    case.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED and case.get_outcome_display() == "提醒谈话"
    refused(lambda: svc.case_note_add(actor=cw.handler, case=case, text="十个字以上的调查记录内容"), DomainError)
    refused(lambda: svc.case_close(actor=cw.world.pm, case=case), PermissionDenied)
    svc.case_close(actor=cw.handler, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED

    events = list(AuditEvent.objects.filter(object_type="integrity.case", object_id=str(case.pk)).order_by("seq"))
    assert [e.action.split(".")[-1] for e in events] == [
        "open", "assign", "note", "evidence", "interview", "rectify", "verify", "conclude", "close"
    ]  # fmt: skip
    assert events[2].summary == f"案件 {case.number} 调查记录新增"
    for e in events:
        text = f"{e.summary} {e.changes} {e.reason} {e.object_repr}"
        for secret in (SECRET, "银行流水", "谈话要点", "整改要求内容", "提醒谈话", "情况基本属实", "围标"):
            assert secret not in text, (e.action, secret)
        assert e.context_type == ""  # never on the project's timeline


def test_verification_by_the_only_handler_who_demanded_needs_someone_else(cw: Any) -> None:
    case = svc.case_open(actor=cw.handler, source=cw.source, title="围标串标线索核查", summary="十个字以上的案情摘要内容")
    svc.case_assign(actor=cw.handler, case=case, handlers=[cw.handler])
    svc.case_note_add(actor=cw.handler, case=case, text=SECRET)
    rect = svc.case_rectification_demand(
        actor=cw.handler, case=case, demand="十个字以上的整改要求内容", deadline=timezone.localdate() + dt.timedelta(days=5)
    )
    refused(lambda: svc.case_rectification_verify(actor=cw.handler, rectification=rect, passed=True, verification="已整改到位"))
    refused(
        lambda: svc.case_rectification_verify(actor=cw.head, rectification=rect, passed=True, verification="已整改到位"),
        PermissionDenied,
    )
    svc.case_assign(actor=cw.head, case=case, handlers=[cw.handler, cw.head])
    row = svc.case_rectification_verify(actor=cw.head, rectification=rect, passed=False, verification="未整改到位")
    assert row.status == CaseRectification.Status.FAILED


def test_party_added_by_handler_loses_sight_of_the_case(cw: Any) -> None:
    case = opened(cw)
    extra = discipline("xujj", cw.world.city, "徐纪检")
    assert perms.access_case(extra, case.pk).pk == case.pk
    refused(lambda: svc.case_party_add(actor=cw.handler, case=case, person=extra, reason=""), DomainError)
    refused(lambda: svc.case_party_add(actor=cw.handler, case=case, person=cw.handler, reason="经调查其本人涉及"), DomainError)
    refused(lambda: svc.case_party_add(actor=cw.head, case=case, person=extra, reason="经调查其本人涉及"), PermissionDenied)
    svc.case_party_add(actor=cw.handler, case=case, person=extra, reason="经调查其本人涉及")
    with pytest.raises(Http404):
        perms.access_case(extra, case.pk)
    assert not sel.case_list(user=extra, scope="agency").exists()
    refused(lambda: svc.case_assign(actor=cw.head, case=case, handlers=[extra]), DomainError)


def test_an_assigner_the_case_later_names_neither_verifies_nor_closes(cw: Any) -> None:
    """回避 holds in the services too, not only behind the pages' 404: the assigner, once named, may not act."""
    case = opened(cw)
    svc.case_note_add(actor=cw.handler, case=case, text=SECRET)
    rect = svc.case_rectification_demand(
        actor=cw.handler, case=case, demand="十个字以上的整改要求内容", deadline=timezone.localdate() + dt.timedelta(days=5)
    )
    svc.case_party_add(actor=cw.handler, case=case, person=cw.head, reason="经调查其本人涉及")
    err = refused(
        lambda: svc.case_rectification_verify(actor=cw.head, rectification=rect, passed=True, verification="已整改到位"),
        PermissionDenied,
    )
    assert "回避" in str(err)
    extra = discipline("xujj", cw.world.city, "徐纪检")
    svc.case_assign(actor=extra, case=case, handlers=[cw.handler, extra])
    svc.case_rectification_verify(actor=extra, rectification=rect, passed=True, verification="已整改到位")
    svc.case_conclude(actor=cw.handler, case=case, outcome="reminder", conclusion="十个字以上的结论意见内容")
    refused(lambda: svc.case_close(actor=cw.head, case=case), PermissionDenied)
    assert svc.case_close(actor=extra, case=case).status == CaseStatus.CLOSED


def test_visibility_of_the_case_and_its_confidential_parts(cw: Any) -> None:
    case = opened(cw)
    bystander = discipline("xujj", cw.world.city, "徐纪检")
    assert perms.access_case(bystander, case.pk) and not perms.may_read_confidential(bystander, case)
    assert perms.may_read_confidential(cw.handler, case) and perms.may_read_confidential(cw.head, case)
    for person in (cw.world.pm, cw.named_dis, cw.other_dis, cw.world.sysadmin, cw.world.secadmin, cw.world.auditadmin,
                   cw.world.leader, cw.world.contractor, cw.world.no_role, cw.world.sub_pm):  # fmt: skip
        with pytest.raises(Http404):
            perms.access_case(person, case.pk)
        assert not perms.cases_visible_to(person).exists()
    assert list(sel.case_list(user=cw.handler)) == [case]
    assert list(sel.case_list(user=bystander)) == [] and list(sel.case_list(user=bystander, scope="agency")) == [case]


# ---------------------------------------------------------------------------------------- workbench & counts


def test_workbench_lists_cases_due_and_counts(cw: Any) -> None:
    waiting = opened(cw)
    titles = [i.title for i in work_items_for(cw.handler)]
    assert f"案件 {waiting.number} 待调查" in titles
    unassigned = svc.case_open(
        actor=cw.head, source=make_source(102, cw.world.city), title="另一条线索核查", summary="十个字以上的案情摘要内容"
    )
    assert f"案件 {unassigned.number} 待指定承办人" in [i.title for i in work_items_for(cw.head)]
    svc.case_note_add(actor=cw.handler, case=waiting, text=SECRET)
    soon = svc.case_rectification_demand(
        actor=cw.handler, case=waiting, demand="十个字以上的整改要求内容", deadline=add_working_days(timezone.localdate(), 2)
    )
    items = {i.title: i for i in work_items_for(cw.handler)}
    assert items[f"案件 {waiting.number} 整改验证"].due == soon.deadline
    CaseRectification.objects.filter(pk=soon.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    item = {i.title: i for i in work_items_for(cw.head)}[f"案件 {waiting.number} 整改验证"]
    assert item.detail == "整改期限已过，待验证"
    for person in (cw.world.pm, cw.named_dis, cw.world.auditadmin, cw.other_dis):
        assert not [i for i in work_items_for(person) if i.kind == "案件待办" and waiting.number in i.title]
    numbers = sel.case_counts([cw.world.city.pk])
    assert numbers["open"] == 2 and numbers["filed"] == 1 and numbers["rectification"] == 1
    assert numbers["overdue_rectification"] == 1 and numbers["closed"] == 0
    assert sel.case_counts([cw.world.other.pk])["open"] == 0


def test_workbench_reads_the_due_soon_rule_of_the_cases_agency(cw: Any) -> None:
    """An agency's own 临期 rule (案件整改临期提醒) is the one its handlers are reminded by, not the deployment's."""
    from govworks.core.models import RuleParameter

    case = opened(cw)
    svc.case_note_add(actor=cw.handler, case=case, text=SECRET)
    svc.case_rectification_demand(
        actor=cw.handler, case=case, demand="十个字以上的整改要求内容", deadline=add_working_days(timezone.localdate(), 5)
    )
    title = f"案件 {case.number} 整改验证"
    assert title not in [i.title for i in work_items_for(cw.handler)]  # 5 working days away, the default reminds at 3
    template = RuleParameter.objects.get(key="case.due_soon_working_days", scope="deployment", effective_to__isnull=True)
    RuleParameter.objects.create(
        key=template.key, name=template.name, category=template.category, value="10", value_type=template.value_type,
        unit=template.unit, scope="agency", agency=cw.world.city, effective_from=dt.date(2000, 1, 1),
    )  # fmt: skip
    assert title in [i.title for i in work_items_for(cw.handler)]


def test_workbench_queries_stay_constant(cw: Any, django_assert_max_num_queries: Any) -> None:
    for i in range(12):
        case = svc.case_open(
            actor=cw.head, source=make_source(200 + i, cw.world.city), title="线索核查批量", summary="十个字以上的案情摘要内容"
        )
        svc.case_assign(actor=cw.head, case=case, handlers=[cw.handler])
    from govworks.org.permissions import forget_cached_scope

    forget_cached_scope(cw.handler)
    with django_assert_max_num_queries(8):
        sel.handler_todo(cw.handler)
