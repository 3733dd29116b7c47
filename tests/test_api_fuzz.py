"""Schemathesis over ``/api/`` (issue 12, "Proof"): for every operation of the OpenAPI schema, generated
requests — valid and invalid path ids, queries and bodies — are sent as signed-in people of every kind, and
none may answer with a server error. Each request runs in a rolled-back transaction, so the demo stays as it
was for the next one."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.url_matrix import _rolled_back

pytestmark = pytest.mark.django_db(transaction=False)

PERSONAS = ["liming", "liujing", "sungp", "wuhy", "auditadmin", "secadmin", "machao"]
EXAMPLES_PER_OPERATION = 12


def _request(client: Client, case: Any) -> Any:
    path = case.formatted_path
    query = case.query or {}
    method = case.method.lower()
    caller = getattr(client, method)
    if method in ("get", "delete", "head", "options"):
        return caller(path, query, HTTP_ACCEPT="application/json")
    body = case.body if case.body is not None and not isinstance(case.body, schemathesis.core.NotSet) else {}
    if query:
        from urllib.parse import urlencode

        path = f"{path}?{urlencode(query, doseq=True)}"
    return caller(path, data=json.dumps(body, default=str), content_type="application/json", HTTP_ACCEPT="application/json")


def test_no_api_operation_answers_with_a_server_error() -> None:
    from govworks.org.models import User

    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    User.objects.update(must_change_password=False)
    loader = Client()
    loader.force_login(User.objects.get(username="liming"))
    document = loader.get("/api/schema/?format=json", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    schema = schemathesis.openapi.from_dict(document)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10, "the schema lost its operations"

    clients = {}
    for username in PERSONAS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[username] = client

    failures: list[str] = []

    def fuzz(operation: Any) -> None:
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), username=st.sampled_from(PERSONAS))
        def call(case: Any, username: str) -> None:
            response, _ = _rolled_back(lambda: _request(clients[username], case))
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query} as {username}: {response.status_code}")

        call()

    for operation in operations:
        fuzz(operation)
    assert not failures, "server errors:\n" + "\n".join(sorted(set(failures)))
