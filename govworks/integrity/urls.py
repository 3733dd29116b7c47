from django.urls import include, path

app_name = "integrity"

urlpatterns: list = [
    path("", include("govworks.integrity.urls_complaints")),
]
