from django.urls import include, path

app_name = "integrity"

urlpatterns: list = [
    path("inspections/", include("govworks.integrity.urls_inspections")),
    path("", include("govworks.integrity.urls_cases")),
    path("", include("govworks.integrity.urls_alerts")),
    path("", include("govworks.integrity.urls_complaints")),
]
