"""Routes of 双随机一公开 (mounted under /integrity/inspections/)."""

from govworks.integrity.views import inspections

urlpatterns = inspections.urlpatterns
