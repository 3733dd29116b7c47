"""The lifecycle's routes: each view module lists its own (``urlpatterns`` in the module)."""

from govworks.projects.views import approvals, meetings, plans, projects, reviews

app_name = "projects"

urlpatterns = [*projects.urlpatterns, *plans.urlpatterns, *meetings.urlpatterns, *approvals.urlpatterns, *reviews.urlpatterns]
