"""The written notice to the quality supervision body (质量监督机构) before the completion acceptance
(建质〔2013〕171号第六条（三）: 7 working days before): recorded with date, body and document; the acceptance date
cannot come earlier than the notice plus the rule's working days, nor be concluded without a notice — each refusal
names the rule and the number and changes nothing; a scheduled acceptance without a notice is on the workbench."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from govworks.closeout import rules_acceptance as rules
from govworks.closeout.models import Acceptance
from govworks.closeout.services import acceptance as s
from govworks.closeout.tests import acceptance_fixtures as fx
from govworks.closeout.tests.acceptance_fixtures import all_agree, days
from govworks.core.audit import AuditEvent
from govworks.core.audit_labels import audit_action_label
from govworks.core.errors import DomainError
from govworks.core.rule_parameters import rule_value
from govworks.core.rule_seed import rule_name
from govworks.core.workdays import add_working_days

pytestmark = pytest.mark.django_db
acc, cw, lifecycle, make_project = fx.acc, fx.cw, fx.lifecycle, fx.make_project  # the fixtures

KEY = "acceptance.supervision_notice_working_days"


def notice_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("验收通知书.pdf", b"%PDF-1.4 notice", content_type="application/pdf")


def snapshot() -> Any:
    return list(Acceptance.objects.values()), AuditEvent.objects.count()


def refused(call: Any, code: str, *texts: str) -> None:
    before = snapshot()
    with pytest.raises(DomainError) as err:
        call()
    assert err.value.code == code, err.value
    for text in texts:
        assert text in err.value.message, err.value.message
    assert snapshot() == before


def declared(w: Any) -> Acceptance:
    return s.acceptance_declare(actor=w.contractor, project=w.project, note="工程已按合同全部完成，自检合格")


def organise(w: Any, a: Acceptance, on: dt.date) -> Acceptance:
    return s.acceptance_organise(
        actor=w.pm, acceptance=a, scheduled_on=on, location="会议室", party_names={"survey": "甲勘察", "design": "乙设计"}
    )


def test_the_rule_parameter_is_seeded_and_named() -> None:
    assert rule_value(KEY) == 7
    assert rule_name(KEY) == "竣工验收提前书面通知质量监督机构"
    assert audit_action_label("closeout.acceptance.supervision_notice") == "登记通知质量监督机构"


def test_the_pure_rule() -> None:
    on, earliest = dt.date(2026, 3, 2), dt.date(2026, 3, 11)
    assert rules.supervision_notice_problem(on, earliest, earliest, days=7, rule=rule_name(KEY)) is None
    assert "尚未登记" in (rules.supervision_notice_problem(None, None, earliest, days=7, rule=rule_name(KEY)) or "")
    early = rules.supervision_notice_problem(on, earliest, earliest - dt.timedelta(days=1), days=7, rule=rule_name(KEY)) or ""
    assert "竣工验收提前书面通知质量监督机构" in early and "7个工作日" in early and "2026-03-11" in early


def test_notice_recorded_then_a_date_too_early_is_refused(acc: Any) -> None:
    a = declared(acc)
    notified = days(-2)
    a = s.acceptance_supervision_notice_record(
        actor=acc.pm, acceptance=a, notified_on=notified, body="临江市建设工程质量监督站", file=notice_file()
    )
    assert a.supervision_notified_on == notified and a.supervision_body == "临江市建设工程质量监督站"
    assert a.supervision_notice_file and a.supervision_notified_by == acc.pm
    assert AuditEvent.objects.filter(action="closeout.acceptance.supervision_notice").count() == 1
    earliest = add_working_days(notified, 7)
    refused(lambda: organise(acc, a, earliest - dt.timedelta(days=1)), "closeout.supervision_notice",
            "竣工验收提前书面通知质量监督机构", "7个工作日", f"{earliest:%Y-%m-%d}")  # fmt: skip
    a = organise(acc, a, earliest)
    assert a.status == "organised" and a.scheduled_on == earliest


def test_notice_given_too_late_for_the_scheduled_date_is_refused(acc: Any) -> None:
    a = organise(acc, declared(acc), days(0))
    refused(
        lambda: s.acceptance_supervision_notice_record(
            actor=acc.pm, acceptance=a, notified_on=days(-3), body="临江市建设工程质量监督站", file=notice_file()
        ),
        "closeout.supervision_notice",
        "7个工作日",
    )
    fx.notify_supervision(acc, a)
    assert Acceptance.objects.get(pk=a.pk).supervision_notified_on == days(-21)


def test_no_conclusion_without_the_notice(acc: Any) -> None:
    a = organise(acc, declared(acc), days(0))
    all_agree(acc, a)
    refused(
        lambda: s.acceptance_conclude(actor=acc.pm, acceptance=a, passed=True, note="同意验收合格"),
        "closeout.supervision_notice",
        "竣工验收提前书面通知质量监督机构",
        "尚未登记",
    )
    fx.notify_supervision(acc, a)
    assert s.acceptance_conclude(actor=acc.pm, acceptance=a, passed=True, note="同意验收合格").status == "passed"


def test_bad_notice_input_is_refused_naming_the_field(acc: Any) -> None:
    a = declared(acc)
    for kwargs, code in (
        ({"notified_on": days(1), "body": "质监站", "file": notice_file()}, "closeout.supervision_date"),
        ({"notified_on": days(0), "body": " ", "file": notice_file()}, "closeout.supervision_body"),
        ({"notified_on": days(0), "body": "质监站", "file": None}, "closeout.supervision_file"),
    ):
        refused(lambda kw=kwargs: s.acceptance_supervision_notice_record(actor=acc.pm, acceptance=a, **kw), code)
    with pytest.raises(Exception):  # noqa: B017  (a stranger: PermissionDenied)
        s.acceptance_supervision_notice_record(
            actor=acc.stranger, acceptance=a, notified_on=days(0), body="质监站", file=notice_file()
        )
    assert Acceptance.objects.get(pk=a.pk).supervision_notified_on is None


def test_the_page_form_records_the_notice(client: Client, acc: Any) -> None:
    a = organise(acc, declared(acc), days(30))
    url = reverse("closeout:acceptance_supervision", args=[acc.project.pk])
    client.force_login(acc.pm)
    page = client.get(reverse("closeout:acceptance", args=[acc.project.pk])).content.decode()
    assert 'data-testid="supervision-missing"' in page and url in page
    assert client.get(url).status_code == 200
    response = client.post(url, {"notified_on": days(0).isoformat(), "body": "临江市质监站", "file": notice_file()})
    assert response.status_code == 302
    assert Acceptance.objects.get(pk=a.pk).supervision_body == "临江市质监站"
    page = client.get(reverse("closeout:acceptance", args=[acc.project.pk])).content.decode()
    assert "临江市质监站" in page and "验收不早于" in page
    client.force_login(acc.contractor)
    assert client.post(url, {"notified_on": days(0).isoformat(), "body": "别的", "file": notice_file()}).status_code in (403, 404)
    client.force_login(acc.other_pm)
    assert client.get(url).status_code == 404


def _accepted_projects(w: Any, make: Any, n: int) -> None:
    from govworks.projects.models import Project

    for i in range(n):
        project = make(amount="300000", name=f"台账项目{i}")
        Project.objects.filter(pk=project.pk).update(stage="settlement")  # test setup: past 竣工验收
        Acceptance.objects.create(
            project=project, declared_by=w.pm, declared_on=days(-30), declaration_note="完工", status="passed",
            scheduled_on=days(-20), concluded_on=days(-20), supervision_notified_on=days(-40), supervision_body="质监站",
        )  # fmt: skip


def test_the_register_lists_rounds_with_a_constant_number_of_queries(client: Client, acc: Any, make_project: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("closeout:acceptance_list")
    organise(acc, declared(acc), days(10))
    client.force_login(acc.pm)
    page = client.get(url).content.decode()
    assert 'data-testid="notice-missing"' in page and acc.project.code in page
    _accepted_projects(acc, make_project, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _accepted_projects(acc, make_project, 18)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('data-testid="acceptance-row"') == 20
    assert len(many) == len(few), (len(few), len(many))
    assert client.get(url + "?open=1").content.decode().count('data-testid="acceptance-row"') == 1
    client.force_login(acc.contractor)
    assert client.get(url).status_code == 403
    client.force_login(acc.other_pm)
    assert acc.project.code not in client.get(url).content.decode()


def test_a_scheduled_acceptance_without_the_notice_is_on_the_workbench_with_the_agency_s_deadline(acc: Any) -> None:
    from django.utils import timezone

    from govworks.closeout.registrations_acceptance import work_items
    from govworks.core.models import RuleParameter
    from govworks.core.rule_parameters import rule_parameters_changed

    scheduled = add_working_days(days(0), 20)
    organise(acc, declared(acc), scheduled)
    template = RuleParameter.objects.filter(key=KEY).first()
    assert template is not None
    RuleParameter.objects.create(
        key=KEY, name=template.name, category=template.category, value="3", value_type=template.value_type,
        unit=template.unit, scope=RuleParameter.Scope.AGENCY, agency=acc.project.agency,
        effective_from=timezone.localdate(), source=template.source, status=template.status,
    )  # fmt: skip
    rule_parameters_changed()
    items = [i for i in work_items(acc.pm) if "通知质量监督机构" in i.title]
    assert len(items) == 1 and items[0].due == add_working_days(scheduled, -3), items
    assert "须提前3个工作日" in items[0].detail
    notify = s.acceptance_supervision_notice_record(
        actor=acc.pm, acceptance=Acceptance.objects.get(project=acc.project), notified_on=days(0), body="质监站",
        file=notice_file(),
    )  # fmt: skip
    assert notify.supervision_notified_on == days(0)
    assert not [i for i in work_items(acc.pm) if "通知质量监督机构" in i.title]
