"""Factories for supplier tests. Test setup may build rows directly; behaviour goes through services."""

from __future__ import annotations

import datetime as dt

import factory

from govworks.org.tests.factories import AgencyFactory, UserFactory, make_credit_code
from govworks.procurement.models import (
    PerformanceEvaluation,
    Qualification,
    Supplier,
    SupplierCategory,
    SupplierContact,
    SupplierListing,
)


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"测试供应商{n}有限公司")
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 500_000, prefix="91"))
    category = SupplierCategory.GENERAL_CONTRACTING
    legal_representative = factory.Sequence(lambda n: f"法人{n}")
    registered_by = factory.SubFactory(AgencyFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierContact

    supplier = factory.SubFactory(SupplierFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    phone = "13800000000"


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    supplier = factory.SubFactory(SupplierFactory)
    kind = "建筑工程施工总承包"
    category = SupplierCategory.GENERAL_CONTRACTING
    grade = "二级"
    certificate_number = factory.Sequence(lambda n: f"D{233000000 + n}")
    issued_on = dt.date(2024, 1, 1)
    expires_on = dt.date(2029, 1, 1)


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceEvaluation

    supplier = factory.SubFactory(SupplierFactory)
    agency = factory.SelfAttribute("supplier.registered_by")
    contract_name = "维修合同"
    score = 85
    comment = "良好"
    evaluated_on = dt.date(2026, 1, 1)
    evaluated_by = factory.SubFactory(UserFactory)


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierListing

    supplier = factory.SubFactory(SupplierFactory)
    kind = SupplierListing.Kind.GREY
    reason = "逾期整改"
    starts_on = dt.date(2026, 1, 1)
    deciding_authority = "临江市住房和城乡建设局"
    deciding_document = "临建罚〔2026〕1号"
    decided_by = factory.SelfAttribute("supplier.registered_by")
    recorded_by = factory.SubFactory(UserFactory)
