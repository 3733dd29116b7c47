"""The supervision section of the navigation (监督). Each area adds its own entries in its registrations module."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SECTION = _("廉政监督")
