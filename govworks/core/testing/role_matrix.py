"""The role-matrix test helper every module uses (DESIGN.md §4).

A protected endpoint is called as each kind of actor, the status is compared with what is expected, and
for every refusal a snapshot taken before and after proves that nothing changed::

    assert_role_matrix(
        client, "post", url, data={...},
        expected={"anonymous": 302, "other_agency": 404, "no_role": 403, "with_role": 302,
                  "superior": 403, "external": 404},
        actors=actors,                    # name -> User | None
        snapshot=lambda: list(Model.objects.values_list("id", "name")),
    )
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.test import Client

DENIALS = {302, 400, 401, 403, 404, 405, 409, 422}

STANDARD_ACTORS = ("anonymous", "other_agency", "no_role", "with_role", "superior", "external")


def call_as(client: Client, user: Any | None, method: str, url: str, data: Any = None, **extra: Any) -> Any:
    client.logout()
    if user is not None:
        client.force_login(user)
    caller = getattr(client, method.lower())
    if data is None:
        return caller(url, **extra)
    return caller(url, data, **extra)


def assert_role_matrix(
    client: Client,
    method: str,
    url: str,
    *,
    expected: Mapping[str, int],
    actors: Mapping[str, Any | None],
    data: Any = None,
    snapshot: Callable[[], Any] | None = None,
    success: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Call ``url`` as each actor named in ``expected`` and check the status code.

    A response whose expected status is a refusal (anything but ``success``; by default 200, 201 and a
    302 that does not lead to the login page) must leave ``snapshot()`` unchanged. Returns the responses.
    """
    responses: dict[str, Any] = {}
    failures: list[str] = []
    for name, want in expected.items():
        before = snapshot() if snapshot else None
        response = call_as(client, actors[name], method, url, data, **extra)
        responses[name] = response
        got = response.status_code
        if got != want:
            failures.append(f"{name}: expected {want}, got {got}")
            continue
        refused = (success is not None and want != success) or (
            success is None and (want in (400, 401, 403, 404, 405, 409, 422) or _is_login_redirect(response))
        )
        if refused and snapshot is not None:
            after = snapshot()
            if after != before:
                failures.append(f"{name}: refused with {got} but data changed")
    client.logout()
    assert not failures, f"{method.upper()} {url}: " + "; ".join(failures)
    return responses


def _is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response.get("Location", "")
