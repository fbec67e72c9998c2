"""The theme registry: stable theme ids and names that survive refits (DESIGN.md §4)."""

from pipeline.workgroup.registry.store import *  # noqa: F403 - split into modules next
