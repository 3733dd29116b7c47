"""Redis as the shared cache and session store of several app servers (config/settings/production.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import override_settings

from .conftest import RedisTarget, manage, production_env


def redis_caches(target: RedisTarget) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": target.url,
            "KEY_PREFIX": target.prefix,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


def test_cache_round_trip_lives_in_redis_and_is_seen_by_another_client(redis_target: RedisTarget) -> None:
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    with override_settings(CACHES=redis_caches(redis_target)):
        cache = caches["default"]
        assert isinstance(cache, RedisCache)
        cache.set("greeting", {"text": "你好", "n": 1}, timeout=60)
        cache.set_many({"a": 1, "b": 2}, timeout=60)
        assert cache.incr("a") == 2
        assert cache.add("b", 99) is False
        # another process's client (a second app server) reads the same values
        other = RedisCache(redis_target.url, {"KEY_PREFIX": redis_target.prefix})
        assert other.get("greeting") == {"text": "你好", "n": 1}
        assert other.get_many(["a", "b"]) == {"a": 2, "b": 2}
        other.delete("greeting")
        assert cache.get("greeting") is None
        assert any(k.endswith(":a") for k in redis_target.stored_keys()), redis_target.stored_keys()
        assert 0 < redis_target.client.ttl(next(k for k in redis_target.stored_keys() if k.endswith(":a"))) <= 60


@pytest.mark.parametrize("engine", ["django.contrib.sessions.backends.cache", "django.contrib.sessions.backends.cached_db"])
@pytest.mark.django_db
def test_session_saved_by_one_server_loads_on_another(redis_target: RedisTarget, engine: str) -> None:
    from importlib import import_module

    from django.core.cache import caches

    with override_settings(CACHES=redis_caches(redis_target), SESSION_ENGINE=engine):
        store = import_module(engine).SessionStore
        first = store()
        first["cart"] = ["合同", 42]
        first.save()
        assert redis_target.stored_keys(), "the session is not in Redis"
        caches["default"].close()  # a different connection, as another app server would have
        second = store(session_key=first.session_key)
        assert second["cart"] == ["合同", 42]
        second.flush()
        assert store(session_key=first.session_key).get("cart") is None


@pytest.mark.django_db
def test_signed_in_client_session_is_in_redis(client: Any, redis_target: RedisTarget, world: Any) -> None:
    from django.urls import reverse

    with override_settings(CACHES=redis_caches(redis_target), SESSION_ENGINE="django.contrib.sessions.backends.cache"):
        client.force_login(world.pm)
        response = client.get(reverse("home"))
        assert response.status_code == 200
        session_key = client.cookies["sessionid"].value
        assert any(session_key in k for k in redis_target.stored_keys())


def settings_of(env: dict[str, str]) -> dict[str, Any]:
    """What config.settings.production makes of an environment (run in a fresh process)."""
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'caches': s.CACHES, 'session': s.SESSION_ENGINE, 'storages': s.STORAGES, "
        "'databases': sorted(s.DATABASES), 'routers': s.DATABASE_ROUTERS, "
        "'replica': s.DATABASES.get('replica', {}).get('NAME')}, default=str))"
    )
    result = manage("shell", "-c", code, env=env)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_production_settings_follow_the_environment(tmp_path: Any) -> None:
    plain = settings_of(production_env(SQLITE_PATH=str(tmp_path / "a.sqlite3")))
    assert plain["caches"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert plain["session"] == "django.contrib.sessions.backends.db"
    assert plain["storages"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert plain["databases"] == ["default"]
    assert plain["routers"] == ["govworks.core.db.routers.ReplicaRouter"]

    full = settings_of(
        production_env(
            SQLITE_PATH=str(tmp_path / "a.sqlite3"),
            REDIS_URL="redis://127.0.0.1:6379/4",
            S3_BUCKET="govworks-media",
            S3_ENDPOINT_URL="http://127.0.0.1:9000",
            DATABASE_REPLICA_URL="postgres://govworks_ro@10.0.0.2:5432/govworks",
        )
    )
    assert full["caches"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert full["caches"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/4"
    assert full["session"] == "django.contrib.sessions.backends.cached_db"
    s3 = full["storages"]["default"]
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "govworks-media"
    assert s3["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert s3["OPTIONS"]["default_acl"] is None  # objects stay private
    assert full["storages"]["staticfiles"]["BACKEND"].startswith("whitenoise")
    assert full["databases"] == ["default", "replica"]
    assert full["replica"] == "govworks"
