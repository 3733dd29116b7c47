"""Template context for every page: the navigation the user may use.

Section names may be lazy translations; they are resolved with ``str()`` here, in the request's language,
so grouping compares and hashes plain strings."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

from govworks.core.registry import NavItem, registry

#: Menus shared between the requests of this process, keyed by the person, the stamps of their grants and
#: of the agency tree (read with the signed-in user, see ``govworks.org.permissions.access_stamps``: a
#: grant or agency change in any process changes them), whether they are external, and the language.
#: A user object without stamps (tests, scripts) computes its menu every time.
_MENUS: OrderedDict[tuple[Any, ...], list[tuple[str, list[NavItem]]]] = OrderedDict()
_MENUS_MAX = 2048


def _menu_key(user: Any) -> tuple[Any, ...] | None:
    grants, tree = getattr(user, "gw_grants_stamp", None), getattr(user, "gw_tree_stamp", None)
    if grants is None or tree is None:
        return None
    return (
        user.pk,
        grants,
        tree,
        getattr(user, "external_org_id", None),
        user.is_active,
        get_language(),
        len(registry.navigation),
    )


def _menu(user: Any) -> list[tuple[str, list[NavItem]]]:
    sections: OrderedDict[str, list[NavItem]] = OrderedDict()
    for item in sorted(registry.navigation, key=lambda i: i.order):
        if item.visible(user):
            sections.setdefault(str(item.section), []).append(item)
    return list(sections.items())


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": []}
    key = _menu_key(user)
    if key is None:
        return {"nav_sections": _menu(user)}
    menu = _MENUS.get(key)
    if menu is None:
        menu = _menu(user)
        _MENUS[key] = menu
        while len(_MENUS) > _MENUS_MAX:
            _MENUS.popitem(last=False)
    return {"nav_sections": menu}
