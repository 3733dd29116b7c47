from django.urls import path

from govworks.core import views, views_chain

app_name = "core"

urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("audit/checkpoints/", views_chain.audit_checkpoints, name="audit_checkpoints"),
    path("audit/checkpoints/export/", views_chain.audit_checkpoints_download, name="audit_checkpoints_export"),
    path("audit/archives/new/", views_chain.audit_archive_new, name="audit_archive_new"),
    path("audit/archives/<int:pk>/download/", views_chain.audit_archive_file, name="audit_archive_download"),
    path("audit/archives/<int:pk>/prune/", views_chain.audit_archive_prune, name="audit_archive_prune"),
    path("exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
