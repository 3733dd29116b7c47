from django.urls import include, path

app_name = "closeout"

urlpatterns: list = [
    path("", include("govworks.closeout.urls_final")),
    path("", include("govworks.closeout.urls_archives")),
    path("", include("govworks.closeout.urls_settlement")),
    path("", include("govworks.closeout.urls_acceptance")),
    path("", include("govworks.closeout.urls_evaluation")),
]
