"""阳光公示 at /gongshi/: anonymous pages, the feed, and the signed-in withdrawal pages under /gongshi/manage/."""

from django.urls import path

from govworks.portal.views import gongshi as views

urlpatterns = [
    path("gongshi/", views.overview, name="gongshi_overview"),
    path("gongshi/search/", views.search, name="gongshi_search"),
    path("gongshi/feed/", views.latest_feed, name="gongshi_feed"),
    path("gongshi/plans/<int:pk>/", views.plan_detail, name="gongshi_plan"),
    path("gongshi/projects/<int:pk>/", views.project_detail, name="gongshi_project"),
    path("gongshi/manage/", views.manage, name="gongshi_manage"),
    path("gongshi/manage/<str:kind>/<int:pk>/withdraw/", views.withdraw, name="gongshi_withdraw"),
    path("gongshi/list/<str:kind>/", views.kind_list, name="gongshi_list"),
]
