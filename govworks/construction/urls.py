"""Routes of construction supervision (mounted under /construction/): each view module lists its own."""

from govworks.construction.views import actions, pages

app_name = "construction"

urlpatterns = [*actions.urlpatterns, *pages.urlpatterns]
