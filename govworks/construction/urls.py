"""Routes of construction supervision (mounted under /construction/): each view module lists its own."""

app_name = "construction"

urlpatterns: list = []
