"""Developer / single-machine settings: embedded SQLite under var/, DEBUG on unless told otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
