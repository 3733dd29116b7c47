from django.urls import include, path  # noqa: F401  (areas add ``path(..., include(...))`` lines below)

app_name = "closeout"

urlpatterns: list = [
    path("", include("govworks.closeout.urls_archives")),
]
