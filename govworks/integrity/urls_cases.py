from django.urls import path

from govworks.integrity.views import cases as views

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_open, name="case_open"),
    path("cases/manual/new/", views.manual_new, name="case_manual_new"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/notes/new/", views.case_note, name="case_note"),
    path("cases/<int:pk>/evidence/new/", views.case_evidence, name="case_evidence"),
    path("cases/evidence/<int:pk>/", views.evidence_download, name="case_evidence_download"),
    path("cases/<int:pk>/parties/new/", views.case_party, name="case_party"),
    path("cases/<int:pk>/interviews/new/", views.case_interview, name="case_interview"),
    path("cases/<int:pk>/rectifications/new/", views.case_rectify, name="case_rectify"),
    path("cases/rectifications/<int:pk>/verify/", views.case_verify, name="case_verify"),
    path("cases/<int:pk>/conclude/", views.case_conclude, name="case_conclude"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
]
