"""Routes of procurement and contracts (mounted under /procurement/): each view module lists its own."""

from govworks.procurement.views import contracts, lots, suppliers, tenders

app_name = "procurement"

urlpatterns = [*suppliers.urlpatterns, *lots.urlpatterns, *contracts.urlpatterns, *tenders.urlpatterns]
