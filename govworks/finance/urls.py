"""Routes of finance (mounted under /finance/): each view module lists its own."""

from govworks.finance.views import pages

app_name = "finance"

urlpatterns = [*pages.urlpatterns]
