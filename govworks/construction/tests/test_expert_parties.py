"""The companies on site are parties of the project for the expert draw (issue 11 item 8): the
contractor's and the supervisor's people never sit on its 专家论证 panel, matched by account or by name."""

from __future__ import annotations

from typing import Any

import pytest

from govworks.construction.parties import project_parties_on_site
from govworks.projects.models import Expert
from govworks.projects.rules import Party
from govworks.projects.services import reviews

pytestmark = pytest.mark.django_db


def test_site_contractor_and_supervisor_staff_are_excluded_from_the_expert_review(cw: Any, site_project: Any) -> None:
    # given the site's contractor (临江建工集团) and supervisor (浙临工程监理) and their people in the pool:
    # one linked by account, one written by name only (with spaces), one by credit code
    by_account = Expert.objects.create(
        name="建工总工", speciality="fire", title="高级工程师", employer="建工", employer_org=cw.contractor_org
    )
    by_name = Expert.objects.create(name="监理甲", speciality="fire", title="高级工程师", employer="浙临工程监理 咨询有限公司")
    by_code = Expert.objects.create(
        name="监理乙", speciality="fire", title="高级工程师", employer="监理", employer_credit_code=cw.supervisor_org.credit_code
    )
    free = [
        Expert.objects.create(name=f"消防专家{i}", speciality="fire", title="高级工程师", employer="临江大学") for i in range(3)
    ]
    # when the project's 专家论证 panel is drawn
    review = reviews.expert_review_draw(
        actor=cw.pm, project=site_project, stage=site_project.stage, subject="消防方案论证", speciality="fire", panel_size=3
    )
    # then only the unrelated experts can be drawn, and the site's companies are stored as parties
    assert set(review.panel) == {e.pk for e in free}
    assert review.excluded_snapshot == sorted([by_account.pk, by_name.pk, by_code.pk])
    assert project_parties_on_site(site_project) == [
        Party("施工单位", "临江建工集团有限公司", cw.contractor_org.credit_code, cw.contractor_org.pk),
        Party("监理单位", "浙临工程监理咨询有限公司", cw.supervisor_org.credit_code, cw.supervisor_org.pk),
    ]
    assert reviews.expert_review_replay(review) == review.panel
