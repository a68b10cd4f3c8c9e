"""Cost of each checker class, measured in one run on the same parsed files.

Usage: ``python scripts/profile_rules.py [DIR]`` (default: the c7n wheel in the
ecosystem cache). Prints, per checker class, the CPU time of the core with only that
checker's rules on (the walk and the semantic model included), as a ratio of
``ast.parse`` time, next to the time with every rule on. Use it to find the rule
that makes the core slow.
"""

from __future__ import annotations

import ast
import sys
import time
from pathlib import Path

from awsbp.engine import run_rules
from awsbp.options import Settings
from awsbp.registry import Rule, all_rules

DEFAULT = Path(".cache/ecosystem/c7n-0.9.53")


def _load(root: Path) -> list[tuple[ast.Module, list[str], str, float]]:
    out = []
    for path in sorted(root.rglob("*.py")):
        data = path.read_bytes()
        start = time.perf_counter()
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError):
            continue
        parse = time.perf_counter() - start
        out.append((tree, data.decode("utf-8", "replace").splitlines(True), str(path), parse))
    return out


def _time(files: list[tuple[ast.Module, list[str], str, float]], rules: list[Rule]) -> float:
    settings = Settings.from_raw({"awsbp-enable": "AWSBP"})
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for tree, lines, name, _ in files:
            run_rules(tree, lines, name, settings, rules)
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    """Print the table."""
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    files = _load(root)
    parse = sum(f[3] for f in files)
    by_checker: dict[str, list[Rule]] = {}
    for rule in all_rules():
        by_checker.setdefault(f"{rule.checker.__module__}.{rule.checker.__name__}", []).append(
            rule
        )
    everything = _time(files, list(all_rules()))
    sys.stdout.write(f"files={len(files)} parse={parse:.3f}s all rules={everything:.3f}s "
                     f"({everything / parse:.2f}x parse)\n")
    rows = []
    for name, rules in by_checker.items():
        cost = _time(files, rules)
        rows.append((cost, name, ",".join(r.code for r in rules)))
    rows.sort(reverse=True)
    for cost, name, codes in rows:
        sys.stdout.write(f"{cost / parse:6.2f}x  {cost:7.3f}s  {name}  [{codes}]\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
