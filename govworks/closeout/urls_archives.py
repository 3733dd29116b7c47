"""Routes of the archive (档案) and the review (复盘); included from ``closeout/urls.py``."""

from django.urls import path

from govworks.closeout.views import archives, lessons

urlpatterns = [
    path("archives/", archives.archive_list, name="archive_list"),
    path("archives/catalogue/", archives.catalogue, name="archive_catalogue"),
    path("archives/<int:pk>/", archives.archive_detail, name="archive_detail"),
    path("archives/<int:pk>/items/<str:code>/verify/", archives.archive_item_verify, name="archive_item_verify"),
    path("archives/<int:pk>/items/<str:code>/upload/", archives.archive_item_upload, name="archive_item_upload"),
    path("archives/<int:pk>/transfer/", archives.archive_transfer, name="archive_transfer"),
    path("archives/<int:pk>/package/", archives.archive_package, name="archive_package"),
    path("lessons/", lessons.lesson_list, name="lesson_list"),
    path("reviews/<int:pk>/", lessons.review_detail, name="review_detail"),
    path("reviews/<int:pk>/submit/", lessons.review_submit, name="review_submit"),
    path("reviews/<int:pk>/approve/", lessons.review_approve, name="review_approve"),
    path("reviews/<int:pk>/lessons/", lessons.lesson_add, name="lesson_add"),
]
