"""Rules of this guide area (none registered yet)."""

from __future__ import annotations

from awsbp.registry import Rule

RULES: tuple[Rule, ...] = ()
