"""Routes of 投诉举报 handling; included from ``integrity/urls.py``."""

from django.urls import path

from govworks.integrity.views import complaints

urlpatterns = [
    path("complaints/", complaints.complaint_list, name="complaint_list"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/identity/", complaints.complaint_identity, name="complaint_identity"),
    path("complaints/<int:pk>/attachments/<int:attachment_id>/", complaints.complaint_attachment, name="complaint_attachment"),
    path(
        "complaints/<int:pk>/<str:action>/",
        complaints.complaint_action,
        name="complaint_action",
    ),
]
