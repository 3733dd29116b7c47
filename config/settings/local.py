"""Developer / single-machine settings: embedded SQLite under var/, DEBUG on unless told otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)

# a developer's first manage.py command creates var/audit-chain.key (0600) when ./run has not yet done so
AUDIT_CHAIN_KEY_AUTOCREATE = env.bool("AUDIT_CHAIN_KEY_AUTOCREATE", default=True)
FIELD_ENCRYPTION_KEY_AUTOCREATE = env.bool("FIELD_ENCRYPTION_KEY_AUTOCREATE", default=True)
