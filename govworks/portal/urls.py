from django.urls import include, path  # noqa: F401  (areas add their url modules here)

app_name = "portal"

urlpatterns: list = [
    path("", include("govworks.portal.urls_gongshi")),  # 阳光公示
]
