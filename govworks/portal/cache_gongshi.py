"""The page cache of 阳光公示: each public page is kept per URL for a short time (``PAGE_TTL``) under a
*stamp* — a version number of the published data kept in the shared cache. Any save or delete of a record the
portal reads bumps the stamp (signals, below, and the withdrawal service), so the next request renders afresh in
every process that shares the cache; the TTL bounds staleness from writes that bypass signals (bulk updates).
Like ``org.permissions``' stamps: a stale page is never served once the stamp has moved."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

PAGE_TTL = 60  # seconds
STAMP_KEY = "portal:gongshi:stamp"
STAMP_TTL = 24 * 3600


def current_stamp() -> str:
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        stamp = f"{time.time_ns():x}"
        cache.add(STAMP_KEY, stamp, STAMP_TTL)
        stamp = cache.get(STAMP_KEY, stamp)
    return str(stamp)


def bump_stamp() -> None:
    """Publish a new version: every cached page of the earlier version is no longer read."""
    cache.set(STAMP_KEY, f"{time.time_ns():x}", STAMP_TTL)


def bump_on_commit(**_: Any) -> None:
    """Bump now (a page rendered from the uncommitted state is keyed by the old stamp … ) and again after the
    commit (… so a page rendered by another process between the two, from the old data, is not reused)."""
    bump_stamp()
    transaction.on_commit(bump_stamp)


def connect_signals(models: list[type[Model]]) -> None:
    for model in models:
        post_save.connect(bump_on_commit, sender=model, dispatch_uid=f"portal-stamp-save-{model._meta.label}")
        post_delete.connect(bump_on_commit, sender=model, dispatch_uid=f"portal-stamp-delete-{model._meta.label}")


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve an anonymous GET from the cache (key: stamp + full path); render and keep 200 answers otherwise."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)  # signed-in people read the same page, rendered afresh
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        key = f"portal:gongshi:page:{current_stamp()}:{digest}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Portal-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                if hasattr(response, "render"):
                    response.render()
                cache.set(key, (response.content, response["Content-Type"]), PAGE_TTL)
            response["X-Portal-Cache"] = "miss"
        response["Cache-Control"] = "public, no-cache"  # browsers revalidate: a withdrawal shows at once
        return response

    return wrapper
