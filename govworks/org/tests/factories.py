"""Factories for organisation tests. Test setup may build rows directly; behaviour goes through services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from govworks.org.models import Agency, Department, ExternalOrganization, IntegrityPledge, Position, RoleGrant, User
from govworks.org.roles import ExternalKind
from govworks.org.rules import credit_code_check_char

PASSWORD = "Test@2026x"


def make_credit_code(n: int, prefix: str = "11") -> str:
    first17 = f"{prefix}331000{n:09d}"
    return first17 + credit_code_check_char(first17)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"测试机关{n}")
    short_name = factory.LazyAttribute(lambda o: o.name[-6:])
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 100))
    code = factory.Sequence(lambda n: f"TA{n:04d}")
    region_code = "331000"

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Agency:
        parent = kwargs.get("parent")
        agency = model_class(*args, **kwargs)
        agency.save()
        agency.path = f"{parent.path if parent else '/'}{agency.pk}/"
        agency.save(update_fields=["path"])
        from govworks.org.permissions import agency_tree_changed

        agency_tree_changed()
        return agency


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"科室{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试人员{n}")
    agency = factory.SubFactory(AgencyFactory)
    must_change_password = False
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()


class ExternalOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalOrganization

    name = factory.Sequence(lambda n: f"测试建设工程有限公司{n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 500, prefix="91"))
    kind = ExternalKind.CONTRACTOR
    registered_by = factory.SubFactory(AgencyFactory)


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    agency = factory.SelfAttribute("user.agency")
    role = "project_manager"


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    agency = factory.SubFactory(AgencyFactory)
    title = factory.Sequence(lambda n: f"岗位{n}")
    duties = "负责工程项目全过程管理。"


class IntegrityPledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntegrityPledge

    user = factory.SubFactory(UserFactory)
    agency = factory.SelfAttribute("user.agency")
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    file = factory.django.FileField(filename="pledge.pdf", data=b"%PDF-1.4 test")
    recorded_by = factory.SelfAttribute("user")
