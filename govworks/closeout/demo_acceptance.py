"""Demo: one project walked through the completion acceptance, and one in its defect-liability period (filled in
below)."""

from __future__ import annotations
