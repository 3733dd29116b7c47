"""Routes of 投诉举报 for the public; included from ``portal/urls.py``."""

from django.urls import path

from govworks.portal.views import complaints

urlpatterns = [
    path("jubao/", complaints.complaint_form, name="complaint_form"),
    path("jubao/captcha.png", complaints.captcha_image, name="complaint_captcha"),
    path("jubao/query/", complaints.complaint_query, name="complaint_query"),
]
