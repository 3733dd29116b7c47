"""Template context for every page: the navigation the user may use.

Section names may be lazy translations; they are resolved with ``str()`` here, in the request's language,
so grouping compares and hashes plain strings."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.http import HttpRequest

from govworks.core.registry import NavItem, registry


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": []}
    sections: OrderedDict[str, list[NavItem]] = OrderedDict()
    for item in sorted(registry.navigation, key=lambda i: i.order):
        if item.visible(user):
            sections.setdefault(str(item.section), []).append(item)
    return {"nav_sections": list(sections.items())}
