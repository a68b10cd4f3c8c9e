"""Rule modules, one per guide area. Each defines ``RULES`` (and may define ``OPTIONS``)."""

from __future__ import annotations

from types import ModuleType

from awsbp.rules import (
    api_correctness,
    client_config,
    client_setup,
    clients,
    concurrency,
    credentials,
    data_handling,
    errors,
    lambda_rules,
    observability,
    security,
    testing,
)

RULE_MODULES: tuple[ModuleType, ...] = (
    clients,
    client_config,
    client_setup,
    api_correctness,
    data_handling,
    credentials,
    security,
    errors,
    observability,
    lambda_rules,
    concurrency,
    testing,
)
