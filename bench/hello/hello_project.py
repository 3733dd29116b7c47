"""The ceiling of bench/run.py: a bare Django "hello" project (issue 20 item 5).

One view answering ``hello`` with the middleware ``django-admin startproject`` writes that needs no
database (security, common, CSRF, clickjacking), served by the same gunicorn settings as GovWorks
(deploy/gunicorn.conf.py). Every page's cost is reported as a share of this project's throughput,
measured in the same run, so runs on a loaded machine stay comparable.

    gunicorn bench.hello.hello_project:application --config deploy/gunicorn.conf.py
"""

from __future__ import annotations

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-hello-not-secret",  # noqa: S106 (a local benchmark, no sessions or signing)
        ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[],
        MIDDLEWARE=[
            "django.middleware.security.SecurityMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
        ],
        DATABASES={},
        USE_TZ=True,
    )

urlpatterns = [path("healthz", hello), path("", hello)]

application = get_wsgi_application()
