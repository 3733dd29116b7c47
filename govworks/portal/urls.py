from django.urls import include, path

app_name = "portal"

urlpatterns: list = [
    path("", include("govworks.portal.urls_inspections")),
    path("", include("govworks.portal.urls_complaints")),
    path("", include("govworks.portal.urls_gongshi")),  # 阳光公示
]
