"""The close-out section of the navigation. Each area adds its own entries and workbench providers in its module."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SECTION = _("竣工收尾")
