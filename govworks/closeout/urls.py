from django.urls import include, path

app_name = "closeout"

urlpatterns: list = []
urlpatterns += [path("", include("govworks.closeout.urls_evaluation"))]
