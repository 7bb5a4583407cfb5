"""``python -m bodymap.i18n``: rebuild the interface strings' JSON cache (the Makefile runs it)."""

from bodymap.i18n import write_cache

print(write_cache())
