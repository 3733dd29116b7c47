from django.urls import path

from govworks.org import views, views_calendar

app_name = "org"

urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:parent_pk>/children/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:agency_pk>/departments/new/", views.department_create, name="department_create"),
    path("agencies/<int:agency_pk>/positions/new/", views.position_create, name="position_create"),
    path("agencies/<int:agency_pk>/users/new/", views.user_create, name="user_create"),
    path("agencies/<int:agency_pk>/grants/new/", views.grant_create, name="grant_create"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    path("positions/", views.position_list, name="position_list"),
    path("positions/<int:pk>/", views.position_detail, name="position_detail"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    path("users/", views.user_list, name="user_list"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/reset-password/", views.user_password_reset, name="user_password_reset"),
    path("users/<int:pk>/unlock/", views.account_unlock, name="account_unlock"),
    path("users/<int:pk>/reset-two-factor/", views.two_factor_reset, name="two_factor_reset"),
    path("external/", views.external_org_list, name="external_org_list"),
    path("external/new/", views.external_org_create, name="external_org_create"),
    path("external/<int:pk>/", views.external_org_detail, name="external_org_detail"),
    path("external/<int:pk>/edit/", views.external_org_edit, name="external_org_edit"),
    path("external/<int:org_pk>/users/new/", views.external_user_create, name="external_user_create"),
    path("grants/", views.grant_list, name="grant_list"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("pledges/", views.pledge_list, name="pledge_list"),
    path("pledges/new/", views.pledge_create, name="pledge_create"),
    path("pledges/<int:pk>/file/", views.pledge_download, name="pledge_download"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("notices/", views.notice_list, name="notice_list"),
    path("parameters/", views.parameter_list, name="parameter_list"),
    path("parameters/<str:key>/", views.parameter_edit, name="parameter_edit"),
    path("calendar/", views_calendar.working_calendar, name="working_calendar"),
    path("calendar/<int:pk>/remove/", views_calendar.working_day_remove, name="working_day_remove"),
]
