"""Everything shown is escaped (issue 12 item 3), in a real browser: a schedule task and a project named with
script payloads show as their characters in the dhtmlx Gantt and in an ECharts tooltip; no dialog fires and no
element of the payload enters the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from govworks.construction.tests.conftest import cw, site_project  # noqa: F401  (fixtures)
from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401  (fixtures)
from tests.e2e.test_foundation import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = '"><script>alert(1)</script>'
PASSWORD = "Escape@2026test"


def _signed_in(open_page: Any, base: str, user: Any) -> tuple[Any, list[str]]:
    user.set_password(PASSWORD)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    watch = open_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    watch.page.on("dialog", on_dialog)
    sign_in(watch, base, user.username, PASSWORD)
    assert "/accounts/" not in watch.page.url
    return watch, dialogs


PAYLOAD_ELEMENTS = "img[src=x], [onerror], script:not([src]):not([type='application/json'])"


def _payload_elements(page: Any) -> int:
    return int(page.evaluate("(selector) => document.querySelectorAll(selector).length", PAYLOAD_ELEMENTS))


def test_task_named_with_a_payload_shows_as_text_in_the_gantt(
    cw: Any,  # noqa: F811
    site_project: Any,  # noqa: F811
    open_page: Any,
    live_server: Any,
) -> None:
    from govworks.construction.services.schedule import task_create

    # given two tasks named with the payloads
    today = dt.date.today()
    for code, name in (("T1", IMG), ("T2", SCRIPT)):
        task_create(
            actor=cw.pm, project=site_project, code=code, name=name,
            planned_start=today - dt.timedelta(days=3), planned_end=today + dt.timedelta(days=5), weight=Decimal(1),
        )  # fmt: skip
    # when 李明 opens the schedule
    watch, dialogs = _signed_in(open_page, live_server.url, cw.pm)
    page = watch.page
    page.goto(f"{live_server.url}/construction/projects/{site_project.pk}/schedule/")
    gantt = page.locator("[data-testid=gantt]")
    gantt.locator(".gantt_task_line").first.wait_for()
    page.wait_for_timeout(300)
    # then the names show as their characters, no dialog fired and no element of the payload is in the page
    text = gantt.inner_text()
    assert f"T1 {IMG}" in text and f"T2 {SCRIPT}" in text
    assert dialogs == []
    assert _payload_elements(page) == 0
    watch.assert_clean()


def test_project_named_with_a_payload_shows_as_text_in_a_chart_tooltip(
    cw: Any,  # noqa: F811
    site_project: Any,  # noqa: F811
    open_page: Any,
    live_server: Any,
) -> None:
    from govworks.projects.models import Project

    # given the project on the portfolio's scatter chart is named with a payload
    Project.objects.filter(pk=site_project.pk).update(name=IMG + SCRIPT)
    watch, dialogs = _signed_in(open_page, live_server.url, cw.pm)
    page = watch.page
    # when the portfolio is opened and the point's tooltip is shown
    page.goto(f"{live_server.url}/construction/")
    chart = page.locator("[data-testid=portfolio-map]")
    chart.locator("svg").first.wait_for()
    shown = page.evaluate(
        """() => {
            const el = document.querySelector('[data-testid=portfolio-map]');
            const chart = window.echarts.getInstanceByDom(el);
            const series = chart.getOption().series;
            const index = series.findIndex((s) => s.data && s.data.length);
            chart.dispatchAction({ type: 'showTip', seriesIndex: index, dataIndex: 0 });
            return index;
        }"""
    )
    assert shown >= 0
    page.wait_for_timeout(500)
    # then the tooltip carries the name as text, no dialog fired and no element of the payload is in the page
    assert IMG in chart.text_content() or IMG in page.evaluate("document.body.textContent")
    assert dialogs == []
    assert _payload_elements(page) == 0
    watch.assert_clean()
