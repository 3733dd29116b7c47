"""Case pages (案件办理): confidentiality across the role matrix — every persona of ``tests/url_matrix.py`` (the three
administrators included) and a person the case names gets 404 on every case URL, GET and POST, and finds the case in
no list; the audit log shows the steps without content; the list keeps a constant number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govworks.core.models import AuditEvent
from govworks.integrity.models import Case, CaseNote, CaseRectification
from govworks.integrity.services import cases as svc
from govworks.integrity.tests.test_cases import SECRET, counts, discipline, make_source
from tests.url_matrix import ADMINS, PERSONAS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> Any:
    """The demo organisation with two cases of the root agency: A names 李明 (PM) and 郑丽 (内审), opened and assigned by
    吴海燕 to 王建军; B names 吴海燕 herself, opened and assigned by 王建军."""
    from govworks.core.rule_parameters import rule_parameters_seed
    from govworks.org.demo import seed_organisation
    from govworks.org.models import Agency, User
    from govworks.org.tests.factories import AgencyFactory, RoleGrantFactory, UserFactory

    rule_parameters_seed()
    seed_organisation()
    other_agency = AgencyFactory(name="邻江市机关事务管理局", short_name="邻市机关事务局")
    other = UserFactory(username="other", full_name="邻市经办人", agency=other_agency)
    RoleGrantFactory(user=other, agency=other_agency, role="project_manager")
    User.objects.update(must_change_password=False)
    users = {u.username: u for u in User.objects.all()}
    root = Agency.objects.get(code="LJJG")

    class D:
        pass

    d = D()
    d.users = {persona: (users[name] if name else None) for persona, name in PERSONAS.items()}
    d.head = users["wuhy"]
    d.handler = discipline("wangjj", root, "王建军")
    d.other_dis = discipline("otherjj", other_agency, "邻市纪检")
    d.a = svc.case_open(
        actor=d.head, source=make_source(301, root, involved=(users["liming"].pk, users["zhengli"].pk)),
        title="围标串标线索核查", summary="三家投标人联系电话相同，需核查。",
    )  # fmt: skip
    svc.case_assign(actor=d.head, case=d.a, handlers=[d.handler])
    svc.case_note_add(actor=d.handler, case=d.a, text=SECRET)
    d.evidence = svc.case_evidence_add(
        actor=d.handler, case=d.a, file=SimpleUploadedFile("流水.pdf", b"%PDF-1.4 x"), description="银行流水"
    )
    d.rect = svc.case_rectification_demand(
        actor=d.handler, case=d.a, demand="十个字以上的整改要求内容", deadline=timezone.localdate() + dt.timedelta(days=7)
    )
    d.b = svc.case_open(
        actor=d.handler,
        source=make_source(302, root, involved=(d.head.pk,)),
        title="另一线索核查",
        summary="十个字以上的案情摘要内容",
    )
    svc.case_assign(actor=d.handler, case=d.b, handlers=[d.handler])
    return d


def case_urls(d: Any, case: Case) -> list[str]:
    urls = [
        reverse(f"integrity:{name}", args=[case.pk])
        for name in (
            "case_detail",
            "case_assign",
            "case_note",
            "case_evidence",
            "case_party",
            "case_interview",
            "case_rectify",
            "case_conclude",
            "case_close",
        )
    ]
    if case.pk == d.a.pk:
        urls += [
            reverse("integrity:case_evidence_download", args=[d.evidence.pk]),
            reverse("integrity:case_verify", args=[d.rect.pk]),
        ]
    return urls


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_persona_but_the_assigner_gets_404_on_every_url_of_case_a_and_everyone_on_case_b(demo: Any) -> None:
    d = demo
    people = dict(d.users)
    people["other_discipline"] = d.other_dis
    assert people["discipline"] == d.head and set(ADMINS) <= set(people)
    before = counts()
    integrity_events = AuditEvent.objects.filter(action__startswith="integrity.").count()
    for persona, user in people.items():
        client = client_for(user)
        for case in (d.a, d.b):
            if persona == "discipline" and case.pk == d.a.pk:
                continue
            for url in case_urls(d, case):
                for method in ("get", "post"):
                    response = getattr(client, method)(url, {"text": "十个字以上的调查记录内容", "confirm": "on"})
                    if user is None:
                        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (persona, url)
                    else:
                        assert response.status_code == 404, (persona, method, url, response.status_code)
        if user is not None:
            listing = client.get(reverse("integrity:case_list"), {"scope": "agency"})
            assert listing.status_code in (200, 404)
            page = listing.content.decode()
            assert d.b.number not in page and SECRET not in page, persona
            if persona != "discipline":
                assert d.a.number not in page, persona
            home = client.get("/").content.decode()
            assert d.b.number not in home and (persona == "discipline" or d.a.number not in home), persona
    after = counts()  # signing the personas in is audited; nothing of the cases is
    assert after[:6] == before[:6] and after[7:] == before[7:]
    assert AuditEvent.objects.filter(action__startswith="integrity.").count() == integrity_events


def test_handler_and_assigner_read_everything_a_bystander_only_the_header(demo: Any) -> None:
    d = demo
    for user in (d.handler, d.head):
        page = client_for(user).get(reverse("integrity:case_detail", args=[d.a.pk])).content.decode()
        assert SECRET in page and "银行流水" in page and "十个字以上的整改要求内容" in page
    bystander = discipline("xujj", d.a.agency, "徐纪检")
    client = client_for(bystander)
    page = client.get(reverse("integrity:case_detail", args=[d.a.pk])).content.decode()
    assert d.a.number in page and SECRET not in page and "银行流水" not in page and "需核查" not in page
    assert "王建军" in page  # the handlers are named in the header
    assert client.get(reverse("integrity:case_evidence_download", args=[d.evidence.pk])).status_code == 404
    assert client.get(reverse("integrity:case_note", args=[d.a.pk])).status_code == 403
    assert client.get(reverse("integrity:case_verify", args=[d.rect.pk])).status_code == 403
    response = client_for(d.handler).get(reverse("integrity:case_evidence_download", args=[d.evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    listing = client_for(d.handler).get(reverse("integrity:case_list")).content.decode()
    assert d.a.number in listing and d.b.number in listing


def test_audit_log_shows_steps_without_content(demo: Any) -> None:
    auditor = demo.users["auditadmin"]
    page = client_for(auditor).get(reverse("core:audit_list")).content.decode()
    assert f"案件 {demo.a.number} 调查记录新增" in page
    for secret in (SECRET, "银行流水", "整改要求内容", "围标", "三家投标人"):
        assert secret not in page


def test_refused_posts_change_nothing_and_name_the_field(demo: Any) -> None:
    d = demo
    client = client_for(d.handler)
    before = counts()
    response = client.post(reverse("integrity:case_note", args=[d.a.pk]), {"text": "短"})
    assert response.status_code == 400 and "调查记录" in response.content.decode()
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("integrity:case_rectify", args=[d.a.pk]), {"demand": "十个字以上的整改要求内容", "deadline": past}
    )
    assert response.status_code == 400 and "整改期限须晚于今天" in response.content.decode()
    assert "15 个工作日（规则“案件整改默认期限”）" in response.content.decode()  # the rule by its name and number
    assert "60 个工作日（规则“案件整改最长期限”）" in response.content.decode()
    response = client.post(reverse("integrity:case_verify", args=[d.rect.pk]), {"passed": "1", "verification": "已整改到位"})
    assert response.status_code == 400 and "职责分离" in response.content.decode()
    response = client.post(
        reverse("integrity:case_conclude", args=[d.a.pk]), {"outcome": "referral", "conclusion": "十个字以上的结论意见内容"}
    )
    assert response.status_code == 400 and "未验证" in response.content.decode()
    assert counts() == before
    assert CaseNote.objects.filter(case=d.a).count() == 1 and CaseRectification.objects.filter(case=d.a).count() == 1


def test_open_from_a_source_get_shows_it_post_opens(demo: Any) -> None:
    d = demo
    make_source(401, d.a.agency, involved=(d.users["pm"].pk,))
    url = f"{reverse('integrity:case_open')}?source=casetest&id=401"
    client = client_for(d.head)
    page = client.get(url).content.decode()
    assert "测试来源" in page and "围标串标预警" in page and "李明" in page
    assert client_for(d.users["pm"]).get(url).status_code == 404
    assert client_for(d.other_dis).get(url).status_code == 404
    assert client_for(d.users["auditadmin"]).get(url).status_code == 404
    assert client.get(f"{reverse('integrity:case_open')}?source=nosuch&id=1").status_code == 404
    response = client.post(url, {"title": "新立案件标题", "summary": "十个字以上的案情摘要内容"})
    case = Case.objects.get(source_kind="casetest", source_id=401)
    assert response.status_code == 302 and response["Location"] == reverse("integrity:case_detail", args=[case.pk])
    response = client.post(
        reverse("integrity:case_manual_new"),
        {"agency": d.a.agency_id, "title": "来信反映问题", "summary": "十个字以上的线索摘要内容"},
    )
    assert response.status_code == 302 and "source=manual" in response["Location"]
    response = client.post(response["Location"], {"title": "来信反映问题核查", "summary": "十个字以上的案情摘要内容"})
    assert response.status_code == 302 and Case.objects.filter(source_kind="manual").count() == 1


def test_case_list_queries_do_not_grow(demo: Any) -> None:
    d = demo
    client = client_for(d.handler)
    client.get(reverse("integrity:case_list"))

    def measure() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("integrity:case_list"), {"scope": "agency"}).status_code == 200
        return len(ctx.captured_queries)

    few = measure()
    for i in range(18):
        case = svc.case_open(
            actor=d.head, source=make_source(500 + i, d.a.agency), title="批量线索核查", summary="十个字以上的案情摘要内容"
        )
        svc.case_assign(actor=d.head, case=case, handlers=[d.handler])
    assert measure() <= few


def test_demo_seeder_opens_a_case_through_the_services() -> None:
    from govworks.core.rule_parameters import rule_parameters_seed
    from govworks.integrity.demo_cases import seed_cases
    from govworks.org.demo import seed_organisation
    from govworks.org.models import User

    rule_parameters_seed()
    seed_organisation()
    assert seed_cases().startswith("案件 AJ-LJJG-")
    assert seed_cases() == "已存在，跳过"
    User.objects.update(must_change_password=False)
    case = Case.objects.get()
    head, pm = User.objects.get(username="wuhy"), User.objects.get(username="liming")
    assert client_for(head).get(reverse("integrity:case_detail", args=[case.pk])).status_code == 200
    assert client_for(pm).get(reverse("integrity:case_detail", args=[case.pk])).status_code == 404
