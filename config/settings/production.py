"""Production settings: everything secret or machine-specific comes from the environment."""

from typing import Any

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# --- production profile (docs/adr/0007, docs/deployment.md): each piece is switched on by its variable;
# with none of them set this is the single-machine profile (SQLite or one PostgreSQL, files on local disk).

# Redis: the shared cache and the session store once more than one app server answers (city, province)
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="govworks"),
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # cached_db: reads from Redis, writes through to the database, so a Redis restart signs nobody out
    SESSION_ENGINE = env("SESSION_ENGINE", default="django.contrib.sessions.backends.cached_db")

# S3-compatible object storage (MinIO, Ceph RGW, a cloud's OSS) for uploaded files. Objects stay private:
# downloads go through the application's permission checks (FileResponse), never a public bucket URL.
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    s3_storage: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "region_name": env("S3_REGION", default=None),
            "location": env("S3_PREFIX", default="media"),
            "addressing_style": env("S3_ADDRESSING_STYLE", default="path"),
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
    STORAGES = {**STORAGES, "default": s3_storage}  # noqa: F405
