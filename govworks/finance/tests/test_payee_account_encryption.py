"""SM4 for the payee account of a payment instruction (issue 12, item 11): the column holds ciphertext; the full
number is shown only to 财务 holding 国库支付 at the paying agency (who key it into the treasury system at the moment
of payment), on the page and in the Excel export; everyone else sees ****1234, and the request page always masks."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from govworks.core.encryption import is_encrypted
from govworks.finance import rules
from govworks.finance.models import PaymentInstruction
from govworks.finance.services import labour, payments
from govworks.finance.tests.conftest import TODAY
from govworks.finance.tests.test_payments import approve_chain, draft

pytestmark = pytest.mark.django_db


def issued(fin: Any) -> PaymentInstruction:
    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "advance", "200000"))
    approve_chain(fin, request)
    return payments.payment_request_finalize(actor=fin.finance, request=request)


def xlsx_account(client: Client, instruction: PaymentInstruction) -> str:
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(client.get(reverse("finance:instruction_xlsx", args=[instruction.pk])).content))
    header, values = list(book["支付指令"].iter_rows(values_only=True))
    return str(dict(zip(header, values, strict=True))["收款账号"])


def test_payee_account_is_ciphertext_at_rest(fin: Any) -> None:
    instruction = issued(fin)
    number = fin.contract.payee_account.account_number
    with connection.cursor() as cursor:
        cursor.execute("SELECT payee_account FROM finance_paymentinstruction WHERE id = %s", [instruction.pk])
        stored = str(cursor.fetchone()[0])
    assert is_encrypted(stored) and number not in stored
    assert PaymentInstruction.objects.get(pk=instruction.pk).payee_account == number


def test_full_number_only_to_the_treasury_role_pages_and_exports(client: Client, fin: Any) -> None:
    """Given an issued instruction, then 财务 sees the full number on the list and in the Excel file; the project
    manager and the department head see it masked in both; the request page masks it for everybody."""
    instruction = issued(fin)
    number = fin.contract.payee_account.account_number
    tail = "****" + number[-4:]
    client.force_login(fin.finance)
    assert number in client.get(reverse("finance:instruction_list")).content.decode()
    assert xlsx_account(client, instruction) == number
    for user in (fin.pm, fin.head):
        client.force_login(user)
        body = client.get(reverse("finance:instruction_list")).content.decode()
        assert number not in body and tail in body, user
        assert xlsx_account(client, instruction) == tail
    for user in (fin.finance, fin.pm):
        client.force_login(user)
        body = client.get(reverse("finance:request_detail", args=[instruction.request_id])).content.decode()
        assert number not in body and tail in body


def test_wage_account_number_full_only_to_finance_on_the_project_page(client: Client, fin: Any) -> None:
    """The migrant-wage account: 财务, who pay the labour costs into it, see the number; the project manager sees
    ****9871."""
    labour.wage_account_open(
        actor=fin.pm,
        contract=fin.contract,
        bank_name="农业银行",
        account_name="工资专用户",
        account_number="19-015101040099871",
        labour_cost_ratio=Decimal("0.2"),
        opened_on=rules.month_start(TODAY),
    )
    url = reverse("finance:project", args=[fin.contract.project_id])
    client.force_login(fin.finance)
    assert "19-015101040099871" in client.get(url).content.decode()
    client.force_login(fin.pm)
    body = client.get(url).content.decode()
    assert "19-015101040099871" not in body and "****9871" in body
