"""Routes of finance (mounted under /finance/): each view module lists its own."""

app_name = "finance"

urlpatterns: list = []
