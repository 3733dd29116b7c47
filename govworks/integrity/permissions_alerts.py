"""Who reads and handles risk alerts (风险预警).

* 纪检监察 and 内审 read the alerts of the agencies where they hold that role (``agency_ids_where``), and mark
  them 已阅 or 排除 (with a reason); a case is opened from an alert by the cases area.
* Nobody ever reads an alert that names them (``involved_user_ids``): not in the list, not by its URL (404).
* The three administrators (三员) hold no business role and read none — checked explicitly as well.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from govworks.org import permissions as org_perms
from govworks.org.roles import Role

ALERT_READ = "integrity.alert_read"
ALERT_HANDLE = "integrity.alert_handle"

org_perms.register_role_actions(
    Role.DISCIPLINE,
    {ALERT_READ, ALERT_HANDLE},
    {ALERT_READ: "查看风险预警", ALERT_HANDLE: "处理风险预警（已阅、排除）"},
)
org_perms.register_role_actions(Role.INTERNAL_AUDIT, {ALERT_READ, ALERT_HANDLE})


def alert_agency_ids(user: Any) -> set[int]:
    """The agencies whose alerts ``user`` reads: where they hold 纪检监察 or 内审; none for administrators."""
    if not org_perms.is_signed_in(user) or getattr(user, "is_external", False):
        return set()
    ids = org_perms.agency_ids_where(user, ALERT_READ)
    if ids and org_perms.is_administrator(user):
        return set()
    return ids


def may_read_alerts(user: Any) -> bool:
    return bool(alert_agency_ids(user))


def alerts_visible_to(user: Any) -> QuerySet[Any]:
    """The alerts ``user`` may read: of their 纪检/内审 agencies, leaving out every alert that names them."""
    from govworks.integrity.models import RiskAlert, RiskAlertPerson

    agencies = alert_agency_ids(user)
    if not agencies:
        return RiskAlert.objects.none()
    named = RiskAlertPerson.objects.filter(alert=OuterRef("pk"), user_id=user.pk)
    return RiskAlert.objects.filter(agency_id__in=agencies).exclude(Exists(named))


def access_alert(user: Any, pk: Any) -> Any:
    """The alert ``pk`` as ``user`` may read it; 404 otherwise (also for the people it names)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("预警不存在或您无权查看") from None
    alert = alerts_visible_to(user).select_related("agency", "project", "status_by").filter(pk=pk).first()
    if alert is None:
        raise Http404("预警不存在或您无权查看")
    return alert


def may_handle_alert(user: Any, alert: Any) -> bool:
    """已阅 / 排除: 纪检监察 or 内审 of the alert's agency, not named by it, not an administrator."""
    if user.pk in set(alert.involved_user_ids or ()):
        return False
    return alert.agency_id in alert_agency_ids(user) and org_perms.can(user, ALERT_HANDLE, alert.agency_id)
