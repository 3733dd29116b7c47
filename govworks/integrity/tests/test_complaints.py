"""投诉举报 end to end below the browser: the public form (CAPTCHA read from the session as the server keeps it,
limits, attachments, the hourly limit per source — each refusal in Chinese naming the field and the limit, and
storing nothing), the SM4 sealing of the reporter's identity (raw SQL shows no plaintext), the audited read by
the handler only, the people named and the administrators kept out (404), deadlines in working days, the daily
escalation, the reporter's query (no enumeration), the case source and the list's query budget."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext

from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.core.workdays import add_working_days
from govworks.integrity import rules_complaints as rules
from govworks.integrity.case_sources import case_source_resolve
from govworks.integrity.models import Complaint, ComplaintAttachment
from govworks.integrity.selectors.complaints import complaint_counts
from govworks.integrity.services import complaints as services
from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
#: where the public form keeps the CAPTCHA answer in the session (``govworks.portal.captcha.SESSION_KEY``; the
#: portal sits above this app, so its tests read the session key rather than import it)
CAPTCHA_KEY = "portal.captcha"


def _captcha_answer(client: Client) -> str | None:
    stored = client.session.get(CAPTCHA_KEY)
    return str(stored["answer"]) if isinstance(stored, dict) else None


NAME, PHONE, CONTACT = "张三丰", "13900001234", "330102199001011234"
CONTENT = "某项目负责人在招标前向特定投标人泄露标底，并收受礼金两万元。"


@pytest.fixture
def cw(lifecycle: Any, make_project: Any) -> Any:  # noqa: F811
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory

    w = lifecycle
    w.discipline2 = UserFactory(username="zhoujj", full_name="周静静", agency=w.city)
    RoleGrantFactory(user=w.discipline2, agency=w.city, role="discipline")
    w.project = make_project(name="机关食堂修缮")
    return w


def _snapshot() -> tuple[int, int, int]:
    return Complaint.objects.count(), ComplaintAttachment.objects.count(), AuditEvent.objects.count()


def _post(client: Client, agency: Any, *, answer: str | None = None, files: Any = None, ip: str = "127.0.0.1",
          **data: Any) -> Any:  # fmt: skip
    """The form as a browser sends it: open the page, load the CAPTCHA image, read the answer the server keeps
    in the session, post."""
    client.get(f"/jubao/?agency={agency.pk}", REMOTE_ADDR=ip)
    client.get("/jubao/captcha.png", REMOTE_ADDR=ip)
    solved = _captcha_answer(client)
    fields = {
        "agency": agency.pk,
        "subject": "招标前泄露标底",
        "content": CONTENT,
        "mode": "anonymous",
        "captcha": solved if answer is None else answer,
        **data,
    }
    if files is not None:
        fields["attachments"] = files
    return client.post("/jubao/", fields, REMOTE_ADDR=ip)


def _submit(w: Any, *, anonymous: bool = False, ip: str = "10.9.8.7", **kw: Any) -> services.Submitted:
    return services.complaint_submit(
        agency=w.city, project=kw.pop("project", None), project_text="", subject="围标串标", content=CONTENT,
        anonymous=anonymous, name=NAME, phone=PHONE, contact=CONTACT, source_ip=ip, **kw,
    )  # fmt: skip


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ------------------------------------------------------------------------------------------ public form


def test_anonymous_citizen_submits_and_gets_code_and_password(cw: Any) -> None:
    client = Client()
    assert client.get("/jubao/").status_code == 200
    page = client.get(f"/jubao/?agency={cw.city.pk}")
    assert cw.project.name in page.content.decode()
    image = client.get("/jubao/captcha.png")
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG")
    response = _post(
        client, cw.city, project=cw.project.pk, files=SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    c = Complaint.objects.get()
    html = response.content.decode()
    assert c.tracking_code in html and len(c.tracking_code) == 16
    assert set(c.tracking_code) <= set(rules.CODE_ALPHABET)
    assert c.anonymous and c.reporter_name == "" and c.project_id == cw.project.pk
    assert c.attachments.count() == 1 and c.attachments.get().original_name == "photo.png"
    assert "$" in c.query_password and "query_password" not in html  # a Django password hash, never the password
    assert c.accept_due == add_working_days(c.received_on, 5)
    event = AuditEvent.objects.get(action="integrity.complaint.submit")
    assert not event.ip and c.tracking_code not in event.summary
    assert _captcha_answer(client) is None  # used up


@pytest.mark.parametrize(
    ("data", "field_text"),
    [
        ({"answer": "WRONG"}, "验证码不正确"),
        ({"content": "字" * 5001}, "5,000"),
        ({"subject": "题" * 101}, "100"),
        ({"mode": "named", "name": "", "phone": ""}, "请填写姓名"),
    ],
)
def test_refused_form_names_field_and_limit_and_stores_nothing(cw: Any, data: dict[str, Any], field_text: str) -> None:
    before = _snapshot()
    response = _post(Client(), cw.city, **data)
    assert response.status_code == 400
    assert field_text in response.content.decode()
    assert _snapshot() == before


def test_bad_attachment_refused_naming_the_field_and_kind(cw: Any) -> None:
    before = _snapshot()
    fake = SimpleUploadedFile("证据.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = _post(Client(), cw.city, files=fake)
    assert response.status_code == 400
    html = response.content.decode()
    assert "文件内容为 HTML，不是 PDF" in html and 'data-testid="jubao-error-attachments"' in html
    exe = SimpleUploadedFile("a.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = _post(Client(), cw.city, files=exe)
    assert "文件类型不支持：只接受 PDF" in response.content.decode()
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + b"0" * (10 * 1024 * 1024 + 1), content_type="application/pdf")
    response = _post(Client(), cw.city, files=big)
    assert "文件不能超过 10MB" in response.content.decode()
    assert _snapshot() == before


def test_captcha_is_single_use_and_expires(cw: Any) -> None:
    client = Client()
    client.get("/jubao/captcha.png")
    answer = _captcha_answer(client)
    data = {"agency": cw.city.pk, "subject": "主题", "content": CONTENT, "mode": "anonymous", "captcha": answer}
    assert client.post("/jubao/", data).status_code == 200
    assert client.post("/jubao/", data).status_code == 400  # the same answer again: used up
    assert Complaint.objects.count() == 1
    client.get("/jubao/captcha.png")
    data["captcha"] = _captcha_answer(client)
    session = client.session
    session[CAPTCHA_KEY] = {**session[CAPTCHA_KEY], "expires": 0}  # ten minutes have passed
    session.save()
    response = client.post("/jubao/", data)
    assert response.status_code == 400 and "验证码不正确或已过期" in response.content.decode()
    assert Complaint.objects.count() == 1


def test_hourly_limit_per_source_names_rule_and_number(cw: Any) -> None:
    for _ in range(5):
        assert _post(Client(), cw.city, ip="10.1.1.1").status_code == 200
    before = _snapshot()
    response = _post(Client(), cw.city, ip="10.1.1.1")
    assert response.status_code == 400
    html = response.content.decode()
    assert "同一来源每小时提交举报上限" in html and "最多提交 5 件" in html
    assert _snapshot() == before
    assert _post(Client(), cw.city, ip="10.1.1.2").status_code == 200  # another source is not limited


def _post_from(client: Client, agency: Any, ip: str) -> Any:
    client.get("/jubao/captcha.png", REMOTE_ADDR=ip)
    return client.post(
        "/jubao/",
        {"agency": agency.pk, "subject": "主题", "content": CONTENT, "mode": "anonymous",
         "captcha": _captcha_answer(client)},
        REMOTE_ADDR=ip,
    )  # fmt: skip


def test_source_is_kept_only_as_keyed_digest(cw: Any) -> None:
    assert _post_from(Client(), cw.city, "203.0.113.9").status_code == 200
    c = Complaint.objects.get()
    assert c.source_digest and "203.0.113.9" not in c.source_digest
    assert c.source_digest == services.source_digest("203.0.113.9") != services.source_digest("203.0.11.39")


# ------------------------------------------------------------------------------------------ sealed identity


def test_identity_encrypted_at_rest(cw: Any) -> None:
    c = _submit(cw).complaint
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_name, reporter_phone, reporter_contact FROM integrity_complaint WHERE id = %s", [c.pk])
        row = cursor.fetchone()
    for stored, plain in zip(row, (NAME, PHONE, CONTACT), strict=True):
        assert stored.startswith("sm4gcm$") and plain not in stored
    again = Complaint.objects.get(pk=c.pk)
    assert (again.reporter_name, again.reporter_phone, again.reporter_contact) == (NAME, PHONE, CONTACT)


def test_only_the_handler_reads_identity_and_each_read_is_audited(cw: Any) -> None:
    c = _submit(cw).complaint
    services.complaint_accept(actor=cw.discipline, complaint=c, handler=cw.discipline)
    other = _as(cw.discipline2)
    page = other.get(f"/integrity/complaints/{c.pk}/")
    assert page.status_code == 200 and NAME not in page.content.decode()
    before = AuditEvent.objects.count()
    assert other.post(f"/integrity/complaints/{c.pk}/identity/").status_code == 403
    assert AuditEvent.objects.count() == before
    handler = _as(cw.discipline)
    assert NAME not in handler.get(f"/integrity/complaints/{c.pk}/").content.decode()  # not before the button
    assert NAME not in handler.get("/integrity/complaints/").content.decode()
    shown = handler.post(f"/integrity/complaints/{c.pk}/identity/")
    html = shown.content.decode()
    assert shown.status_code == 200 and NAME in html and PHONE in html and CONTACT in html
    event = AuditEvent.objects.filter(action="integrity.complaint.identity_read").get()
    assert event.actor_id == cw.discipline.pk and event.object_id == str(c.pk)
    for e in AuditEvent.objects.all():
        text = f"{e.summary} {e.object_repr} {e.changes} {e.reason}"
        assert NAME not in text and PHONE not in text and CONTACT not in text and c.tracking_code not in text
    handler.post(f"/integrity/complaints/{c.pk}/identity/")
    assert AuditEvent.objects.filter(action="integrity.complaint.identity_read").count() == 2


def test_named_people_and_administrators_get_404(cw: Any) -> None:
    c = _submit(cw).complaint
    services.complaint_name_person(actor=cw.discipline, complaint=c, person=cw.discipline2)
    services.complaint_name_person(actor=cw.discipline, complaint=c, person=cw.pm)
    for person in (cw.discipline2, cw.sysadmin, cw.secadmin, cw.auditadmin, cw.pm, cw.leader, cw.other_pm):
        client = _as(person)
        assert client.get(f"/integrity/complaints/{c.pk}/").status_code == 404, person.username
        assert client.post(f"/integrity/complaints/{c.pk}/identity/").status_code == 404, person.username
        listing = client.get("/integrity/complaints/")
        assert listing.status_code in (403, 200) and c.subject not in listing.content.decode()
    assert Client().get(f"/integrity/complaints/{c.pk}/").status_code == 302  # to sign-in
    before = _snapshot()
    with pytest.raises(DomainError, match="被举报人"):
        services.complaint_accept(actor=cw.discipline, complaint=c, handler=cw.discipline2)
    assert _snapshot() == before
    with pytest.raises(DomainError):
        services.complaint_accept(actor=cw.sysadmin, complaint=c, handler=cw.discipline)
    with pytest.raises(Http404):  # the named person cannot open a case from it
        case_source_resolve(cw.discipline2, "complaint", c.pk)
    source = case_source_resolve(cw.discipline, "complaint", c.pk)
    assert set(source.involved_user_ids) == {cw.discipline2.pk, cw.pm.pk} and source.agency_id == cw.city.pk


def test_person_picker_lists_no_administrator(cw: Any) -> None:
    from govworks.integrity.selectors.complaints import handler_choices, person_choices

    c = _submit(cw).complaint
    people = set(person_choices(c))
    assert cw.pm in people and cw.discipline in people
    assert not people & {cw.sysadmin, cw.secadmin, cw.auditadmin}
    assert set(handler_choices(c)) == {cw.discipline, cw.discipline2}
    page = _as(cw.discipline).get(f"/integrity/complaints/{c.pk}/").content.decode()
    assert cw.auditadmin.full_name not in page and cw.sysadmin.full_name not in page
    handler = _as(cw.discipline)
    before = _snapshot()
    assert handler.post(f"/integrity/complaints/{c.pk}/name/", {"person": cw.auditadmin.pk}).status_code == 400
    assert _snapshot() == before and not c.named_people.exists()


def test_naming_the_handler_ends_the_assignment(cw: Any) -> None:
    c = _submit(cw).complaint
    services.complaint_accept(actor=cw.discipline, complaint=c, handler=cw.discipline2)
    services.complaint_name_person(actor=cw.discipline, complaint=c, person=cw.discipline2)
    c.refresh_from_db()
    assert c.handler_id is None
    assert _as(cw.discipline2).get(f"/integrity/complaints/{c.pk}/").status_code == 404


# ------------------------------------------------------------------------------------------ handling and deadlines


def test_accept_reply_close_through_the_pages_and_reporter_reads_reply(cw: Any) -> None:
    done = _submit(cw, anonymous=True)
    c = done.complaint
    handler = _as(cw.discipline)
    assert handler.post(f"/integrity/complaints/{c.pk}/accept/", {"handler": cw.discipline.pk}).status_code == 302
    c.refresh_from_db()
    assert c.status == "accepted" and c.handler_id == cw.discipline.pk
    assert c.accepted_on is not None and c.reply_due == add_working_days(c.accepted_on, 30)
    before = _snapshot()
    too_long = handler.post(f"/integrity/complaints/{c.pk}/reply/", {"reply": "答" * 5001})
    assert too_long.status_code == 400 and "5,000" in too_long.content.decode()
    assert _snapshot() == before
    reply = "经核查，反映的泄露标底问题属实，已对相关人员立案审查。"
    assert handler.post(f"/integrity/complaints/{c.pk}/reply/", {"reply": reply}).status_code == 302
    # not the handler: cannot close
    assert _as(cw.discipline2).post(f"/integrity/complaints/{c.pk}/close/").status_code == 400
    assert handler.post(f"/integrity/complaints/{c.pk}/close/").status_code == 302
    c.refresh_from_db()
    assert c.status == "closed"
    query = Client().post("/jubao/query/", {"code": done.tracking_code.lower(), "password": done.query_password})
    assert query.status_code == 200 and reply in query.content.decode() and "已办结" in query.content.decode()


def test_reject_with_reason_is_published(cw: Any) -> None:
    done = _submit(cw)
    handler = _as(cw.discipline)
    before = _snapshot()
    response = handler.post(f"/integrity/complaints/{done.complaint.pk}/reject/", {"reason": ""})
    assert response.status_code == 400 and _snapshot() == before
    handler.post(f"/integrity/complaints/{done.complaint.pk}/reject/", {"reason": "不属于本单位管辖，请向住建部门反映。"})
    query = Client().post("/jubao/query/", {"code": done.tracking_code, "password": done.query_password})
    assert "不属于本单位管辖" in query.content.decode() and "不予受理" in query.content.decode()


def test_query_gives_one_message_for_wrong_code_or_password_and_is_limited(cw: Any) -> None:
    done = _submit(cw)
    wrong_password = Client().post("/jubao/query/", {"code": done.tracking_code, "password": "nope"})
    wrong_code = Client().post("/jubao/query/", {"code": "A" * 16, "password": done.query_password})
    assert wrong_password.status_code == wrong_code.status_code == 400
    assert "查询码或查询密码不正确" in wrong_password.content.decode()
    assert "查询码或查询密码不正确" in wrong_code.content.decode()
    assert done.complaint.subject not in wrong_password.content.decode()
    client = Client()
    for _ in range(20):
        client.post("/jubao/query/", {"code": "B" * 16, "password": "x"}, REMOTE_ADDR="10.0.0.9")
    limited = client.post("/jubao/query/", {"code": done.tracking_code, "password": done.query_password}, REMOTE_ADDR="10.0.0.9")
    assert limited.status_code == 429 and "每小时最多查询 20 次" in limited.content.decode()
    assert "同一来源每小时查询举报进度上限" in limited.content.decode()  # the rule, by its Chinese name


def test_deadlines_in_working_days_over_a_weekend(cw: Any, monkeypatch: Any) -> None:
    friday = dt.date(2026, 12, 4)
    assert friday.weekday() == 4
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: friday)
    c = _submit(cw).complaint
    assert c.received_on == friday and c.accept_due == dt.date(2026, 12, 11)  # 5 working days: next Friday
    c = services.complaint_accept(actor=cw.discipline, complaint=c, handler=cw.discipline)
    assert c.reply_due == add_working_days(friday, 30)
    assert (c.reply_due - friday).days >= 42


def test_form_states_the_agency_own_accept_deadline(cw: Any) -> None:
    """An agency that set its own 受理期限 (8 工作日) is announced with it on the public form, as the service
    computes the deadline with it."""
    import copy

    from govworks.core.models import RuleParameter

    row = copy.copy(RuleParameter.objects.get(key=services.ACCEPT_RULE, scope="deployment"))
    row.pk = row.id = None
    row._state = copy.copy(row._state)
    row._state.adding = True
    row.scope, row.agency, row.value = RuleParameter.Scope.AGENCY, cw.city, "8"
    row.save()
    page = Client().get(f"/jubao/?agency={cw.city.pk}").content.decode()
    assert "受理期限为收到后 8 个工作日" in page
    c = _submit(cw).complaint
    assert c.accept_due == add_working_days(c.received_on, 8)


def test_overdue_escalated_by_the_daily_job_to_the_principal_leader(cw: Any) -> None:
    from govworks.core.registry import work_items_for

    c = _submit(cw).complaint
    assert _as(cw.principal).get(f"/integrity/complaints/{c.pk}/").status_code == 404  # not escalated yet
    assert services.complaints_escalate(c.accept_due) == 0  # the deadline day is in time
    assert services.complaints_escalate(c.accept_due + dt.timedelta(days=1)) == 1
    assert services.complaints_escalate(c.accept_due + dt.timedelta(days=2)) == 0  # once
    c.refresh_from_db()
    assert c.escalated_on == c.accept_due + dt.timedelta(days=1)
    titles = [i.title for i in work_items_for(cw.principal)]
    assert any("逾期督办" in t for t in titles)
    page = _as(cw.principal).get(f"/integrity/complaints/{c.pk}/")
    assert page.status_code == 200 and 'data-testid="complaint-accept"' not in page.content.decode()
    assert not rules.accept_overdue("received", c.accept_due, c.accept_due)
    assert rules.accept_overdue("received", c.accept_due, c.accept_due + dt.timedelta(days=1))
    assert not rules.accept_overdue("accepted", c.accept_due, c.accept_due + dt.timedelta(days=1))


def test_workbench_items_and_counts(cw: Any) -> None:
    from govworks.core.registry import work_items_for

    a = _submit(cw).complaint
    _submit(cw, ip="10.0.0.2")
    services.complaint_accept(actor=cw.discipline, complaint=a, handler=cw.discipline)
    titles = [i.title for i in work_items_for(cw.discipline)]
    assert sum(t.startswith("举报待受理") for t in titles) == 1
    assert sum(t.startswith("举报待答复") for t in titles) == 1
    assert not any("举报" in i.title for i in work_items_for(cw.discipline2) if i.title.startswith("举报待答复"))
    assert not any("举报" in i.title for i in work_items_for(cw.sysadmin))
    assert complaint_counts([cw.city.pk]) == {"to_accept": 1, "to_reply": 1, "overdue": 0}
    assert complaint_counts([cw.other.pk]) == {"to_accept": 0, "to_reply": 0, "overdue": 0}


def test_list_counts_leave_out_a_complaint_naming_the_reader(cw: Any) -> None:
    a = _submit(cw).complaint
    _submit(cw, ip="10.0.0.2")
    services.complaint_name_person(actor=cw.discipline, complaint=a, person=cw.discipline2)
    assert complaint_counts([cw.city.pk], reader=cw.discipline)["to_accept"] == 2
    assert complaint_counts([cw.city.pk], reader=cw.discipline2)["to_accept"] == 1
    assert complaint_counts([cw.city.pk], reader=cw.auditadmin)["to_accept"] == 0
    page = _as(cw.discipline2).get("/integrity/complaints/").content.decode()
    assert page.count('data-testid="complaint-row"') == 1


def test_list_page_keeps_a_constant_number_of_queries(cw: Any) -> None:
    client = _as(cw.discipline)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/integrity/complaints/").status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        _submit(cw, ip=f"10.2.0.{i}")
    small = count()
    for i in range(18):
        c = _submit(cw, ip=f"10.3.0.{i}", project=cw.project).complaint
        if i % 2:
            services.complaint_accept(actor=cw.discipline, complaint=c, handler=cw.discipline2)
    assert count() <= small + 1


def test_demo_seeder_makes_complaints_through_the_services() -> None:
    from govworks.core.rule_parameters import rule_parameters_seed
    from govworks.integrity.demo_complaints import seed_complaints
    from govworks.org.demo import seed_organisation

    rule_parameters_seed()
    seed_organisation()
    line = seed_complaints()
    assert "2 件投诉举报" in line
    named = Complaint.objects.get(anonymous=False)
    assert named.status == "replied" and named.named_people.filter(username="zhoutao").exists()
    assert named.attachments.count() == 1
    assert seed_complaints() == "已存在，跳过"


def test_attachment_downloaded_by_handlers_only(cw: Any) -> None:
    pdf = SimpleUploadedFile("证据.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    c = _submit(cw, files=[pdf]).complaint
    a = c.attachments.get()
    assert a.file.name.startswith(f"integrity/complaints/{c.pk}/") and "证据" not in a.file.name
    url = f"/integrity/complaints/{c.pk}/attachments/{a.pk}/"
    response = _as(cw.discipline).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    services.complaint_name_person(actor=cw.discipline, complaint=c, person=cw.discipline2)
    for person in (cw.discipline2, cw.auditadmin, cw.pm):
        assert _as(person).get(url).status_code == 404
