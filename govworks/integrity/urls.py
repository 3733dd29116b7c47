from django.urls import include, path  # noqa: F401  (areas add their url modules here)

app_name = "integrity"

urlpatterns: list = [
    path("", include("govworks.integrity.urls_complaints")),
]
