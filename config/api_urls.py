"""REST API routes (/api/…), one router for all modules."""

from rest_framework.routers import DefaultRouter

from govworks.closeout.api_final import AssetCardViewSet
from govworks.core.api_views import AuditEventViewSet
from govworks.org import api as org_api
from govworks.projects import api as projects_api

router = DefaultRouter()
router.register("org/agencies", org_api.AgencyViewSet, basename="agency")
router.register("org/departments", org_api.DepartmentViewSet, basename="department")
router.register("org/positions", org_api.PositionViewSet, basename="position")
router.register("org/users", org_api.UserViewSet, basename="user")
router.register("org/external-organizations", org_api.ExternalOrganizationViewSet, basename="external-organization")
router.register("org/role-grants", org_api.RoleGrantViewSet, basename="role-grant")
router.register("core/audit-events", AuditEventViewSet, basename="audit-event")
router.register("projects/projects", projects_api.ProjectViewSet, basename="project")
router.register("projects/plans", projects_api.PlanViewSet, basename="annual-plan")
router.register("projects/approvals", projects_api.ApprovalViewSet, basename="approval")
router.register("projects/meetings", projects_api.MeetingViewSet, basename="meeting")
router.register("closeout/asset-cards", AssetCardViewSet, basename="asset-card")

urlpatterns = router.urls
