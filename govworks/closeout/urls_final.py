"""Routes of the final accounts and the asset handover (mounted under /closeout/ by ``closeout.urls``)."""

from govworks.closeout.views import assets, final_accounts

urlpatterns = [*final_accounts.urlpatterns, *assets.urlpatterns]
