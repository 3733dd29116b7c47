from django.urls import path

from govworks.integrity.views import alerts as views

urlpatterns = [
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/export/", views.alert_export, name="alert_export"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/read/", views.alert_read, name="alert_read"),
    path("alerts/<int:pk>/exclude/", views.alert_exclude, name="alert_exclude"),
]
