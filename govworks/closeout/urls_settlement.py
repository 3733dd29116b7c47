from django.urls import path

from govworks.closeout.views import settlement as views

urlpatterns = [
    path("settlements/", views.settlement_list, name="settlement_list"),
    path("settlements/export.xlsx", views.settlement_export, name="settlement_export"),
    path("settlements/contract/<int:contract_id>/", views.settlement_detail, name="settlement_detail"),
    path("settlements/contract/<int:contract_id>/submit/", views.settlement_submit, name="settlement_submit"),
    path("settlements/contract/<int:contract_id>/draw/", views.settlement_draw, name="settlement_draw"),
    path("settlements/contract/<int:contract_id>/result/", views.settlement_result, name="settlement_result"),
    path("settlements/contract/<int:contract_id>/confirm/", views.settlement_confirm, name="settlement_confirm"),
    path("settlements/contract/<int:contract_id>/dispute/", views.settlement_dispute, name="settlement_dispute"),
    path("settlements/contract/<int:contract_id>/approve/", views.settlement_approve, name="settlement_approve"),
    path("settlements/contract/<int:contract_id>/report.pdf", views.settlement_report, name="settlement_report"),
    path("settlements/contract/<int:contract_id>/documents/<int:doc_id>/", views.settlement_document, name="settlement_document"),
    path("audit-firms/", views.audit_firm_list, name="audit_firm_list"),
    path("audit-firms/new/", views.audit_firm_create, name="audit_firm_create"),
]
