"""Public routes of the 双随机 results (/gongshi/inspections/), anonymous."""

from govworks.portal.views import inspections

urlpatterns = inspections.urlpatterns
