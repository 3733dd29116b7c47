"""Demo 投诉举报, made through the same services as the public form and the handling page: one anonymous report
waiting for 受理, one named report accepted by 吴海燕 (who records 周涛 as 被举报人) and answered. The seeder's
line prints the tracking code and query password of the answered one, so the query page can be tried."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from govworks.core.registry import register_demo_seeder
from govworks.integrity.models import Complaint
from govworks.integrity.services import complaints as services
from govworks.org.models import User
from govworks.projects.models import Project


def seed_complaints() -> str:
    if Complaint.objects.exists():
        return "已存在，跳过"
    people = {u.username: u for u in User.objects.filter(username__in=["wuhy", "zhoutao"])}
    wuhy = people.get("wuhy")
    if wuhy is None or wuhy.agency is None:
        return "无演示组织，跳过"
    agency = wuhy.agency
    project = Project.objects.filter(agency=agency).order_by("code").first()
    services.complaint_submit(
        agency=agency, project=project, project_text="", anonymous=True, source_ip="192.0.2.10",
        subject="施工现场夜间违规施工", content="该项目近一周每晚十一点后仍在进行混凝土浇筑，噪声扰民，未见夜间施工许可公示。",
    )  # fmt: skip
    named = services.complaint_submit(
        agency=agency, project=None, project_text="市级机关大院围墙改造", anonymous=False, name="王建国",
        phone="13800005678", contact="wangjg@example.cn", source_ip="192.0.2.11",
        subject="围墙改造项目疑似化整为零", content="围墙改造分成三个合同分别直接发包，合计金额超过招标限额，疑似规避招标。",
        files=[SimpleUploadedFile("合同照片.pdf", b"%PDF-1.4 demo complaint evidence", content_type="application/pdf")],
    )  # fmt: skip
    c = services.complaint_accept(actor=wuhy, complaint=named.complaint, handler=wuhy)
    if "zhoutao" in people:
        services.complaint_name_person(actor=wuhy, complaint=c, person=people["zhoutao"])
    services.complaint_reply(
        actor=wuhy, complaint=c, text="已受理并调阅三份合同，正在核实是否存在规避招标情形，核实结果将另行答复。"
    )
    return f"2 件投诉举报；演示查询码 {named.tracking_code}，查询密码 {named.query_password}"


register_demo_seeder(70, "投诉举报", seed_complaints)
