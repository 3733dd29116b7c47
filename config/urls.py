"""URL map: each module mounts its own urls.py under its prefix."""

from django.contrib.auth.views import LogoutView
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from govworks.core import views as core_views
from govworks.org import views_auth

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", views_auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", views_auth.password_change, name="password_change"),
    path("accounts/activate/", views_auth.account_activate, name="account_activate"),
    path("accounts/2fa/", views_auth.two_factor_verify, name="two_factor_verify"),
    path("accounts/2fa/enrol/", views_auth.two_factor_enrol, name="two_factor_enrol"),
    path("core/", include("govworks.core.urls")),
    path("org/", include("govworks.org.urls")),
    path("projects/", include("govworks.projects.urls")),
    path("procurement/", include("govworks.procurement.urls")),
    path("construction/", include("govworks.construction.urls")),
    path("finance/", include("govworks.finance.urls")),
    path("closeout/", include("govworks.closeout.urls")),
    path("integrity/", include("govworks.integrity.urls")),
    path("", include("govworks.portal.urls")),
    path("api/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("healthz", core_views.healthz, name="healthz"),
]

# Uploaded files are never served from a public URL: each module's download view checks access first.
