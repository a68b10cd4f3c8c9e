"""Benchmark: what awsbp costs on top of parsing, flake8 and pylint, as ratios.

Usage (from the repo root, after ``pip install -e '.[test]'``)::

    python scripts/benchmark.py            # corpus: the pinned c7n wheel (from the ecosystem cache)
    python scripts/benchmark.py --quick    # a smaller run (about a minute)
    python scripts/benchmark.py --path DIR # another folder

Every comparison is measured in one run, on the same files, and printed as a ratio next
to its target; absolute times are only context, since these machines are noisy.
In-process timings (core vs ``ast.parse``, scaling) interleave the two sides and take the
best of N rounds of the thread's CPU time. The flake8 and pylint with/without ratios run
the two sides as pairs, both processes at the same time, each pinned to its own CPU and
swapping CPUs every round (back to back on a one-CPU machine), and give the median of
the geometric means of each two rounds' ratios of CPU time (user + sys): both members
of a pair see the same machine, so a pair's ratio moves far less than the ratio of runs
made one after the other, and the swap cancels one CPU being slower than the other.
A few more flake8 runs with awsbp time awsbp's own share from the inside (a wrapper
around the plugin's import, options and ``Plugin.run``); they are kept out of the
pairs, since the wrapper imports the plugin before flake8 does.

How "flake8 without awsbp" is measured: a venv under ``.cache/bench/`` holds the very
same flake8, pycodestyle, pyflakes and mccabe versions as this environment and nothing
else. flake8 *without* awsbp is that venv's flake8; flake8 *with* awsbp is the same
interpreter and flake8 with ``PYTHONPATH`` set to a folder of symlinks to the working
tree's packages plus a generated ``.dist-info`` holding only the ``flake8.extension``
entry points of ``pyproject.toml``. So the two runs differ by the plugin alone
(``flake8 --version`` is checked to list it in one and not the other). pylint runs in
this environment with the checker enabled, or ``--disable=awsbp``. Wall and CPU time
and peak RSS come from ``os.wait4`` on each flake8/pylint process.
"""

from __future__ import annotations

import argparse
import ast
import gc
import importlib
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import venv
import warnings
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import _corpus
from _corpus import Corpus

BENCH_DIR = _corpus.REPO_ROOT / ".cache" / "bench"
VENV_DIR = BENCH_DIR / "venv-flake8"
PLUGIN_DIR = BENCH_DIR / "plugin-path"
REPORT_JSON = BENCH_DIR / "benchmark.json"
FLAKE8_STACK = ("flake8", "pycodestyle", "pyflakes", "mccabe")
DEFAULT_PROJECT = "c7n"
MIB = 1024 * 1024
# in-process timings use this thread's CPU time: time spent descheduled (other work on a
# shared machine) does not count, and parse and core are measured alike
CLOCK = time.thread_time
# keep the current folder off sys.path (a repo root's *.egg-info would load the plugin)
SAFE_PATH = ["-P"] if sys.version_info >= (3, 11) else []


@dataclass
class Run:
    """One measured subprocess."""

    wall: float
    cpu: float
    max_rss: int  # bytes
    returncode: int
    #: For a best-of-N result: the CPU time of every round, in order.
    round_cpu: list[float] = field(default_factory=list)


@dataclass
class Row:
    """One line of the result table."""

    name: str
    value: float | None
    unit: str
    target: str
    ok: bool | None
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Measuring


# Runs one command from a small, fresh process and prints its wall/CPU time and peak RSS.
# On Linux a child's ru_maxrss starts at the RSS of the process that forked it, so the
# measured command must not be forked from this (large) benchmark process.
_LAUNCHER = """
import json, os, subprocess, sys, time
cmd = json.loads(sys.argv[1])
if len(sys.argv) > 2:  # pin the measured process (and its children) to one CPU
    os.sched_setaffinity(0, {int(sys.argv[2])})
start = time.perf_counter()
proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
stderr = proc.stderr.read()
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - start
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "rss_kib": usage.ru_maxrss, "rc": os.waitstatus_to_exitcode(status),
                  "stderr": stderr.decode(errors="replace")[-4000:]}))
"""


def measure(
    cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None, cpu: int | None = None
) -> Run:
    """Run ``cmd`` once, output discarded; wall time, CPU time and peak RSS of that process.

    With ``cpu``, the process runs on that CPU only.
    """
    launcher = [sys.executable, "-c", _LAUNCHER, json.dumps(list(cmd))]
    if cpu is not None:
        launcher.append(str(cpu))
    out = subprocess.run(launcher, cwd=cwd, env=env, capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    if "Traceback" in data["stderr"]:
        raise SystemExit(f"{' '.join(cmd[:5])} ... failed:\n{data['stderr']}")
    rss = data["rss_kib"] * (1 if sys.platform == "darwin" else 1024)
    return Run(data["wall"], data["cpu"], rss, data["rc"])


def best(runs: Sequence[Run]) -> Run:
    """The fastest run by wall time; RSS is the smallest peak seen (least disturbed)."""
    fastest = min(runs, key=lambda r: r.wall)
    return Run(fastest.wall, min(r.cpu for r in runs), min(r.max_rss for r in runs), 0,
               [r.cpu for r in runs])


def interleaved(sides: dict[str, Callable[[], Run]], rounds: int, label: str) -> dict[str, Run]:
    """Best of ``rounds`` for each side, alternating which side goes first."""
    runs: dict[str, list[Run]] = {name: [] for name in sides}
    names = list(sides)
    for index in range(rounds):
        order = names if index % 2 == 0 else names[::-1]
        for name in order:
            runs[name].append(sides[name]())
            print(
                f"... {label} round {index + 1}/{rounds}: {name} {runs[name][-1].wall:.2f} s",
                file=sys.stderr,
                flush=True,
            )
    return {name: best(r) for name, r in runs.items()}


# ---------------------------------------------------------------------------------------------
# Environments


def _venv_python() -> Path:
    return VENV_DIR / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_flake8_venv() -> Path:
    """A venv with exactly this environment's flake8 stack (and no awsbp)."""
    pins = [f"{name}=={version(name)}" for name in FLAKE8_STACK]
    stamp = VENV_DIR / "awsbp-bench-pins.txt"
    if stamp.exists() and stamp.read_text().split() == pins and _venv_python().exists():
        return _venv_python()
    print(f"... creating {VENV_DIR} with {' '.join(pins)}", file=sys.stderr, flush=True)
    venv.EnvBuilder(clear=True, with_pip=True).create(VENV_DIR)
    subprocess.run(
        [str(_venv_python()), "-m", "pip", "install", "--quiet", "--no-deps", *pins], check=True
    )
    stamp.write_text("\n".join(pins) + "\n")
    return _venv_python()


def _source_root() -> Path:
    """The folder holding the ``awsbp`` package this process imports (the working tree
    under an editable install), so the flake8 runs use the same code as the core timings."""
    import awsbp

    return Path(awsbp.__file__).resolve().parent.parent


def ensure_plugin_path() -> str:
    """``PYTHONPATH`` that adds the working tree's flake8 plugin and nothing else.

    A folder holding symlinks to the imported awsbp's top-level packages and a generated
    ``.dist-info`` with only the ``flake8.extension`` entry points of ``pyproject.toml``
    (the repo root itself is not put on the path: its ``*.egg-info`` would register
    the plugin a second time).
    """
    data = _corpus._load_toml(_corpus.REPO_ROOT / "pyproject.toml")
    project, tool = data["project"], data["tool"]
    assert isinstance(project, dict) and isinstance(tool, dict)
    entry_points = project["entry-points"]["flake8.extension"]
    packages = {name.split(".")[0] for name in tool["setuptools"]["packages"]}
    if PLUGIN_DIR.exists():
        shutil.rmtree(PLUGIN_DIR)
    info = PLUGIN_DIR / "awsbp_bench_plugin-0.dist-info"
    info.mkdir(parents=True)
    source = _source_root()
    for name in sorted(packages):
        (PLUGIN_DIR / name).symlink_to(source / name, target_is_directory=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: awsbp-bench-plugin\nVersion: 0\n")
    lines = ["[flake8.extension]", *(f"{k} = {v}" for k, v in entry_points.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n")
    return str(PLUGIN_DIR)


# Runs flake8's command line in this process and, when the awsbp plugin is importable,
# also times awsbp's own share of the run: importing it, registering and reading its
# options, and every ``Plugin.run``. The times are CPU time of this (single) thread;
# they go as JSON to the file named by AWSBP_BENCH_SHARE.
_FLAKE8_TIMED = """
import json, os, sys, time
spent = 0.0
out = os.environ.get("AWSBP_BENCH_SHARE")
if out:
    start = time.thread_time()
    import flake8_awsbp
    plugin = flake8_awsbp.Plugin
    spent = time.thread_time() - start

    def timed(function):
        def wrapper(*args, **kwargs):
            global spent
            begin = time.thread_time()
            try:
                result = function(*args, **kwargs)
                if function.__name__ == "run":
                    result = list(result)
                return result
            finally:
                spent += time.thread_time() - begin
        return wrapper

    plugin.run = timed(plugin.run)
    plugin.add_options = classmethod(timed(plugin.add_options.__func__))
    plugin.parse_options = classmethod(timed(plugin.parse_options.__func__))
from flake8.main.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
if out:
    with open(out, "w") as handle:
        json.dump({"awsbp": spent, "total": time.process_time()}, handle)
"""


#: flake8's command prefix, its environment with awsbp and without.
Flake8Envs = tuple[list[str], dict[str, str], dict[str, str]]


def flake8_envs() -> Flake8Envs:
    """(command prefix, env with awsbp, env without), after checking the plugin list."""
    python = str(ensure_flake8_venv())
    base = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    with_env = {**base, "PYTHONPATH": ensure_plugin_path()}
    without_env = dict(base)
    versions = {}
    for name, env in (("with", with_env), ("without", without_env)):
        out = subprocess.run(
            [python, *SAFE_PATH, "-m", "flake8", "--version"],
            env=env,
            cwd=BENCH_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        versions[name] = out.stdout.splitlines()[0]
    if "awsbp" not in versions["with"] or "awsbp" in versions["without"]:
        raise SystemExit(f"flake8 plugin lists are not as expected: {versions}")
    print(
        f"... flake8 with: {versions['with']}\n... flake8 without: {versions['without']}",
        file=sys.stderr,
    )
    return [python, *SAFE_PATH, "-m", "flake8", "--isolated"], with_env, without_env


# ---------------------------------------------------------------------------------------------
# The measurements


def _parsable(corpus: Corpus) -> list[tuple[str, bytes]]:
    out = []
    for path in corpus.files:
        data = path.read_bytes()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(data)
        except (SyntaxError, ValueError):
            continue
        out.append((corpus.rel(path), data))
    return out


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8", errors="replace").splitlines(keepends=True)


_SDK_IMPORT = re.compile(
    rb"^[ \t]*(?:import|from)[ \t]+(?:boto3|botocore|aioboto3|aiobotocore)\b", re.M
)


def imports_sdk(data: bytes) -> bool:
    """Whether a module imports an AWS SDK (the core runs every rule only on those)."""
    return bool(_SDK_IMPORT.search(data))


def core_vs_parse(
    files: list[tuple[str, bytes]], check_tree: Callable[..., Any], settings: Any, rounds: int
) -> list[Row]:
    """Core time / ``ast.parse`` time, interleaved per file, best of ``rounds`` round totals.

    A second row gives the same ratio on the modules that import an AWS SDK only.
    """
    texts = [(rel, data, _lines(data), imports_sdk(data)) for rel, data in files]
    totals: dict[tuple[str, bool], list[float]] = defaultdict(list)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(rounds):
            gc.collect()
            sums: dict[tuple[str, bool], float] = defaultdict(float)
            for rel, data, lines, sdk in texts:
                t0 = CLOCK()
                tree = ast.parse(data)
                t1 = CLOCK()
                check_tree(tree, lines, rel, settings)
                t2 = CLOCK()
                sums["parse", sdk] += t1 - t0
                sums["core", sdk] += t2 - t1
                del tree
            for key in (("parse", True), ("parse", False), ("core", True), ("core", False)):
                totals[key].append(sums[key])
    rows = []
    sdk_count = sum(t[3] for t in texts)
    for label, kinds, count in (
        ("core time / ast.parse time", (True, False), len(texts)),
        ("... on modules importing boto3/botocore", (True,), sdk_count),
    ):
        if not count:
            continue
        core = min(sum(totals["core", k][i] for k in kinds) for i in range(rounds))
        parse = min(sum(totals["parse", k][i] for k in kinds) for i in range(rounds))
        ratio = core / parse
        detail = f"{count} files: core {core:.3f} s, parse {parse:.3f} s, best of {rounds}"
        if kinds == (True,):  # a part of the corpus, for context: the target is the whole
            rows.append(Row(label, ratio, "x", "context", None, detail))
        else:
            rows.append(Row(label, ratio, "x", "<= 1.0x", ratio <= 1.0, detail))
    return rows


def _time_best(func: Callable[[], object], min_total: float = 0.3, max_reps: int = 50) -> float:
    """Best time of ``func``, repeated at least 3 times and until ``min_total`` seconds."""
    times: list[float] = []
    while len(times) < 3 or (sum(times) < min_total and len(times) < max_reps):
        t0 = CLOCK()
        func()
        times.append(CLOCK() - t0)
    return min(times)


def _walk(tree: ast.AST) -> int:
    return sum(1 for _ in ast.walk(tree))


def _cold_per_copy(
    source: bytes, factor: int, func: Callable[[ast.Module, list[str]], object], rounds: int = 3
) -> float:
    """Time per ``factor``-sized copy when 100 // ``factor`` copies are each run once.

    The copies are parsed up front (as many separate trees as it takes to hold the
    source 100 times), so every tree is out of the CPU caches when its turn comes, as
    the single 100x tree is: the comparison is about file size, not about caches.
    Best of ``rounds`` round totals, divided by the number of copies.
    """
    copies = 100 // factor
    trees = [ast.parse(source) for _ in range(copies)]
    lines = _lines(source)
    best_total = float("inf")
    for _ in range(rounds):
        total = 0.0
        for tree in trees:
            t0 = CLOCK()
            func(tree, lines)
            total += CLOCK() - t0
        best_total = min(best_total, total)
    del trees
    return best_total / copies


def scaling(
    files: list[tuple[str, bytes]], check_tree: Callable[..., Any], settings: Any
) -> list[Row]:
    """Core time on a median-sized module concatenated 1x, 10x and 100x.

    The module is the median by size among those importing an AWS SDK (so every rule
    runs on it), or among all modules if none does.

    Two ways to time the small sizes, both printed:

    * per size (the target): 100 separate copies of the 1x module (10 of the 10x one)
      are each checked once, against one check of the 100x file, so both sides read
      the same amount of cold memory and the ratio shows what file size alone costs;
    * warm: the 1x module checked over and over, so its tree stays in the CPU caches
      while the 100x tree cannot. Even a bare walk over the tree is far from linear
      that way on this hardware (see the reference row, timed the same way).
    """
    ordered = sorted([f for f in files if imports_sdk(f[1])] or files, key=lambda f: len(f[1]))
    middle = len(ordered) // 2
    # the median module, or its nearest neighbour whose concatenation still parses
    # (a `from __future__` import, for one, must stay first)
    for offset in sorted(range(-middle, len(ordered) - middle), key=abs):
        rel, data = ordered[middle + offset]
        try:
            ast.parse(data + b"\n" + data)
            break
        except SyntaxError:
            continue
    body = data if data.endswith(b"\n") else data + b"\n"

    def core(tree: ast.Module, lines: list[str]) -> object:
        return check_tree(tree, lines, rel, settings)

    def walk(tree: ast.Module, lines: list[str]) -> object:
        return _walk(tree)

    cold: dict[str, dict[int, float]] = {"core": {}, "walk": {}}
    warm: dict[str, dict[int, float]] = {"core": {}, "walk": {}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for factor in (1, 10, 100):
            source = body * factor
            for name, func in (("core", core), ("walk", walk)):
                cold[name][factor] = _cold_per_copy(source, factor, func)
            if factor in (1, 100):
                tree = ast.parse(source)
                lines = _lines(source)
                for name, func in (("core", core), ("walk", walk)):
                    warm[name][factor] = _time_best(lambda f=func, t=tree, ls=lines: f(t, ls))
                del tree
    ratio = {name: {f: t[f] / t[1] for f in (10, 100)} for name, t in cold.items()}
    warm_ratio = {name: t[100] / t[1] for name, t in warm.items()}
    core_t = cold["core"]
    count = body.count(b"\n")
    detail = (
        f"{rel} ({count} lines): 1x {1000 * core_t[1]:.2f} ms, "
        f"10x {1000 * core_t[10]:.1f} ms, 100x {1000 * core_t[100]:.0f} ms "
        "(each size checked cold, as many copies as make 100x)"
    )
    r10, r100 = ratio["core"][10], ratio["core"][100]
    warm_detail = (
        f"1x {1000 * warm['core'][1]:.2f} ms repeated in cache; the same way, a bare "
        f"ast.walk gives {warm_ratio['walk']:.0f}x"
    )
    reference = (
        f"ast.walk {ratio['walk'][10]:.1f}x / {ratio['walk'][100]:.0f}x (10x / 100x, "
        "timed like the core)"
    )
    extra = {"seconds": cold, "ratios": ratio, "warm_seconds": warm, "warm_ratios": warm_ratio}
    return [
        Row("core 10x file / 1x file", r10, "x", "report", None, detail, extra),
        Row("core 100x file / 1x file", r100, "x", "<= 110x", r100 <= 110, detail, extra),
        Row("... 1x kept warm in the CPU caches", warm_ratio["core"], "x", "report", None,
            warm_detail),
        Row("reference: plain ast.walk on the same sources", None, "", "context", None,
            reference),
    ]


#: A side of a paired comparison: runs once, on the CPU it is given (None: anywhere).
Side = Callable[[int | None], Run]


def _two_cpus() -> tuple[int, int] | None:
    """Two CPUs this process may use, when it can pin processes to them (Linux)."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    return (cpus[0], cpus[1]) if len(cpus) >= 2 else None


def paired(sides: tuple[Side, Side], rounds: int, label: str) -> tuple[list[Run], list[Run]]:
    """Each round runs both sides at the same time, each pinned to its own CPU.

    A shared machine's speed drifts by several percent from one run to the next (other
    tenants, clock changes). Two processes started together see the same machine state,
    so the ratio within a pair moves far less than the ratio of runs made one after the
    other. The sides swap CPUs every round, so that a CPU slower than the other (its
    host core busier) weighs on both sides equally.
    """
    cpus = _two_cpus()
    first: list[Run] = []
    second: list[Run] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for index in range(rounds):
            if cpus is None:
                where: tuple[int | None, int | None] = (None, None)
            else:
                where = cpus if index % 2 == 0 else (cpus[1], cpus[0])
            a = pool.submit(sides[0], where[0])
            b = pool.submit(sides[1], where[1])
            first.append(a.result())
            second.append(b.result())
            print(
                f"... {label} round {index + 1}/{rounds}: "
                f"{first[-1].cpu:.2f} s / {second[-1].cpu:.2f} s CPU",
                file=sys.stderr,
                flush=True,
            )
    return first, second


def pair_ratios(first: list[Run], second: list[Run]) -> list[float]:
    """CPU-time ratios of simultaneous pairs, sorted, one per two rounds.

    :func:`paired` swaps the two CPUs every round; when one CPU runs slower than the
    other (its host core busier), one round's ratio is too high by that factor and the
    next one's too low by the same factor. The geometric mean of each two consecutive
    rounds cancels it. (An odd last round counts alone.)
    """
    raw = [a.cpu / b.cpu for a, b in zip(first, second, strict=True)]
    combined = [math.sqrt(raw[i] * raw[i + 1]) for i in range(0, len(raw) - 1, 2)]
    if len(raw) % 2:
        combined.append(raw[-1])
    return sorted(combined)


def sequential_pairs(
    sides: tuple[Side, Side], rounds: int, label: str
) -> tuple[list[Run], list[Run]]:
    """Like :func:`paired`, one side after the other (alternating which goes first)."""
    res = interleaved({"a": lambda: sides[0](None), "b": lambda: sides[1](None)}, rounds, label)
    runs = res["a"], res["b"]
    return (
        [Run(0.0, cpu, runs[0].max_rss, 0) for cpu in runs[0].round_cpu],
        [Run(0.0, cpu, runs[1].max_rss, 0) for cpu in runs[1].round_cpu],
    )


def flake8_rows(corpus_root: Path, rels: list[str], rounds: int, envs: Flake8Envs) -> list[Row]:
    """flake8 with/without awsbp (-j 1), peak memory, and -j 2 vs -j 1 speed-up."""
    prefix, with_env, without_env = envs
    j1 = [*prefix, "--jobs=1", *rels]
    j2 = [*prefix, "--jobs=2", *rels]

    def with_awsbp(cpu: int | None) -> Run:
        return measure(j1, corpus_root, with_env, cpu)

    def without_awsbp(cpu: int | None) -> Run:
        return measure(j1, corpus_root, without_env, cpu)

    simultaneous = _two_cpus() is not None
    pairs = paired if simultaneous else sequential_pairs
    w_runs, wo_runs = pairs((with_awsbp, without_awsbp), rounds, "flake8 -j 1 with / without")
    ratios = pair_ratios(w_runs, wo_runs)
    ratio = statistics.median(ratios)
    how = (
        "both sides at the same time, each pinned to its own CPU, CPUs swapped every round"
        if simultaneous else "the two sides back to back"
    )
    with_cpu = statistics.median(r.cpu for r in w_runs)
    without_cpu = statistics.median(r.cpu for r in wo_runs)
    # The noise floor: the same comparison with the same side twice (A/A)
    floor_a, floor_b = pairs(
        (without_awsbp, without_awsbp), max(3, rounds // 2), "flake8 -j 1 without / without"
    )
    floor = pair_ratios(floor_a, floor_b)
    extra_mib = (min(r.max_rss for r in w_runs) - min(r.max_rss for r in wo_runs)) / MIB
    speed = interleaved(
        {
            "-j 1": lambda: measure(j1, corpus_root, with_env),
            "-j 2": lambda: measure(j2, corpus_root, with_env),
        },
        rounds,
        "flake8 with awsbp",
    )
    speedup = speed["-j 1"].wall / speed["-j 2"].wall
    # awsbp's own share, from separate runs: the timing wrappers import the plugin before
    # flake8 does, so these runs are not the ones compared above
    timed = [prefix[0], *SAFE_PATH, "-c", _FLAKE8_TIMED, "--isolated", "--jobs=1", *rels]
    share_file = BENCH_DIR / "flake8-share.json"
    inside: list[float] = []
    for index in range(min(rounds, 5)):
        measure(timed, corpus_root, {**with_env, "AWSBP_BENCH_SHARE": str(share_file)})
        data = json.loads(share_file.read_text())
        total, spent = float(data["total"]), float(data["awsbp"])
        inside.append(total / (total - spent))
        print(f"... flake8 with awsbp, timed inside, run {index + 1}", file=sys.stderr)
    inside.sort()
    return [
        Row(
            "flake8 with awsbp / without (-j 1)",
            ratio,
            "x",
            "<= 1.06x (6%)",
            ratio <= 1.06,
            f"CPU time, {rounds} simultaneous pairs ({how}); median of the {len(ratios)} "
            f"two-round means: {ratios[0]:.3f}x to {ratios[-1]:.3f}x; median CPU "
            f"{with_cpu:.2f} s vs {without_cpu:.2f} s",
        ),
        Row(
            "... the same pairs with flake8 without awsbp on both sides (noise floor)",
            statistics.median(floor),
            "x",
            "report (1.00x)",
            None,
            f"{len(floor_a)} pairs, two-round means {floor[0]:.3f}x to {floor[-1]:.3f}x: how far "
            "a measurement strays from the truth on this machine at the time of the run",
        ),
        Row(
            "... awsbp's own CPU time inside flake8",
            statistics.median(inside),
            "x",
            "<= 1.06x (6%)",
            statistics.median(inside) <= 1.06,
            f"run / (run - awsbp's import, options and Plugin.run), timed inside "
            f"{len(inside)} more with-awsbp runs: median, {inside[0]:.3f}x to "
            f"{inside[-1]:.3f}x; leaves out effects on the host's own work (garbage "
            "collection, caches)",
        ),
        Row(
            "flake8 peak RSS, with - without awsbp",
            extra_mib,
            "MiB",
            "<= 20 MiB",
            extra_mib <= 20,
            f"{min(r.max_rss for r in w_runs) / MIB:.1f} MiB vs "
            f"{min(r.max_rss for r in wo_runs) / MIB:.1f} MiB (-j 1, lowest of {rounds})",
        ),
        Row(
            "flake8 -j 2 speed-up over -j 1 (with awsbp, wall)",
            speedup,
            "x",
            "report (2 cores)",
            None,
            f"-j 2 {speed['-j 2'].wall:.2f} s vs -j 1 {speed['-j 1'].wall:.2f} s, "
            f"best of {rounds}",
        ),
    ]


_COLLECTED = re.compile(r"Collected : (\d+)")


def flake8_instructions_row(corpus_root: Path, rels: list[str], envs: Flake8Envs) -> Row:
    """flake8 with/without awsbp (-j 1) in instructions executed, counted by callgrind.

    Instruction counts do not depend on what else the machine runs, so this ratio is the
    same on every run (the hash seed is fixed); it leaves out what costs time but not
    instructions (cache misses). Opt-in (``--instructions``): valgrind runs flake8 about
    50 times slower, the two sides in parallel.
    """
    name = "flake8 with awsbp / without (-j 1), instructions"
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return Row(name, None, "x", "<= 1.06x (6%)", None, "valgrind not found: not measured")
    prefix, with_env, without_env = envs
    command = [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null",
               *prefix, "--jobs=1", *rels]
    print("... flake8 under callgrind, with and without awsbp (minutes)", file=sys.stderr)
    procs = {
        side: subprocess.Popen(
            command, cwd=corpus_root, env={**env, "PYTHONHASHSEED": "0"},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        for side, env in (("with", with_env), ("without", without_env))
    }
    counts: dict[str, int] = {}
    for side, proc in procs.items():
        _, stderr = proc.communicate()
        found = _COLLECTED.search(stderr)
        if found is None:
            raise SystemExit(f"callgrind printed no instruction count:\n{stderr[-2000:]}")
        counts[side] = int(found.group(1))
    ratio = counts["with"] / counts["without"]
    return Row(
        name, ratio, "x", "<= 1.06x (6%)", ratio <= 1.06,
        f"{counts['with'] / 1e9:.2f} G vs {counts['without'] / 1e9:.2f} G instructions "
        "(valgrind callgrind, one run each, PYTHONHASHSEED=0); whole run, start-up included",
    )


def pylint_row(corpus_root: Path, rels: list[str], rounds: int, whole: bool) -> Row:
    """pylint (default config, -j 1) with the awsbp checker enabled vs ``--disable=awsbp``."""
    rcfile = _corpus.empty_rcfile()
    base = [*_corpus.pylint_command(sys.executable, rcfile, jobs=1), "--score=n", "--reports=n"]
    enabled = [*base, *rels]
    disabled = [*base, "--disable=awsbp", *rels]
    simultaneous = _two_cpus() is not None
    pairs = paired if simultaneous else sequential_pairs
    on, off = pairs(
        (
            lambda cpu: measure(enabled, corpus_root, cpu=cpu),
            lambda cpu: measure(disabled, corpus_root, cpu=cpu),
        ),
        rounds,
        "pylint -j 1 enabled / disabled",
    )
    ratios = pair_ratios(on, off)
    ratio = statistics.median(ratios)
    scope = "all files" if whole else f"a stable subset of {len(rels)} files"
    how = "at the same time, each on its own CPU, swapped every round" if simultaneous else (
        "back to back"
    )
    return Row(
        "pylint awsbp enabled / disabled (-j 1)",
        ratio,
        "x",
        "<= 1.03x (3%)",
        ratio <= 1.03,
        f"CPU time, {rounds} simultaneous pairs ({how}); median of the {len(ratios)} "
        f"two-round means: {ratios[0]:.3f}x to {ratios[-1]:.3f}x; median CPU "
        f"{statistics.median(r.cpu for r in on):.2f} s vs "
        f"{statistics.median(r.cpu for r in off):.2f} s; {scope}",
    )


# ---------------------------------------------------------------------------------------------
# Main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--path", type=Path, help="benchmark this folder instead of c7n")
    parser.add_argument("--quick", action="store_true", help="fewer files and rounds")
    parser.add_argument("--rounds", type=int, help="rounds per comparison (default 3, quick 2)")
    parser.add_argument("--files", type=int, help="use a stable sample of N files")
    parser.add_argument("--pylint-files", type=int, help="pylint subset size (default 24, quick 8)")
    parser.add_argument("--pylint-rounds", type=int, help="pylint rounds (default 4, quick 2)")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["core", "scaling", "flake8", "pylint"],
        help="skip a part",
    )
    parser.add_argument(
        "--instructions", action="store_true",
        help="also count flake8's instructions with and without awsbp under valgrind "
        "(deterministic; takes several minutes)",
    )
    parser.add_argument("--core-module", default="awsbp.api", help=argparse.SUPPRESS)
    parser.add_argument(
        "--write-doc", nargs="?", type=Path, const=DOC_PAGE, default=None, metavar="PATH",
        help="also write the result as a docs page (default docs/performance.md)",
    )
    parser.add_argument("--json", type=Path, default=REPORT_JSON, help="JSON result path")
    return parser.parse_args(argv)


def load_corpus(args: argparse.Namespace) -> Corpus:
    sample = args.files if args.files is not None else (40 if args.quick else None)
    if args.path:
        return _corpus.path_corpus(args.path, sample)
    project = next(p for p in _corpus.load_projects() if p.name == DEFAULT_PROJECT)
    return _corpus.project_corpus(project, sample)


def load_core(module_name: str) -> tuple[Callable[..., Any], Any]:
    """``check_tree`` and settings built once (as a host builds them once per run)."""
    module = importlib.import_module(module_name)
    try:
        from awsbp.options import Settings

        settings: Any = Settings.default()
    except ImportError:
        settings = None
    return module.check_tree, settings


def render(rows: list[Row], header: list[str]) -> str:
    out = [
        *header,
        "",
        "| measure | result | target | meets | detail |",
        "| --- | ---: | --- | --- | --- |",
    ]
    for row in rows:
        value = "-" if row.value is None else f"{row.value:.2f} {row.unit}"
        meets = {True: "yes", False: "**NO**", None: "-"}[row.ok]
        out.append(f"| {row.name} | {value} | {row.target} | {meets} | {row.detail} |")
    return "\n".join(out) + "\n"


DOC_PAGE = _corpus.REPO_ROOT / "docs" / "performance.md"

_DOC_INTRO = """\
# Speed and memory

<!-- Generated by `python scripts/benchmark.py --write-doc` from its last run; rerun it
     rather than editing this page. -->

awsbp runs inside flake8 and pylint, so its cost is measured as a share of theirs, on a
real boto3-heavy project (the pinned `c7n` wheel of the [ecosystem check](precision.md),
196 modules, 90,000 lines). `python scripts/benchmark.py` measures everything below in
one run on the same files and prints each ratio next to its target:

- **core / `ast.parse`**: awsbp's checks on an already parsed tree (what a host hands
  it), as a share of parsing the same files. Both are the thread's CPU time.
- **flake8 / pylint with and without awsbp**: the same flake8, pycodestyle, pyflakes
  and mccabe in a separate venv, with or without the plugin on its path; pylint with the
  `awsbp` checker enabled or disabled. CPU time of the host processes, run in pairs:
  each round starts both sides at the same time, each pinned to its own CPU (the two
  swap CPUs every round), and the row gives the median, over each two rounds, of the
  geometric mean of their two ratios (which cancels one CPU being slower than the
  other). Two more rows put these numbers in context: the same pairs with flake8
  without awsbp on both sides (the noise floor, 1.00x on a quiet machine), and the
  instruction count below.
- **awsbp's own CPU time inside flake8**: up to five more flake8 runs with awsbp time,
  on their own thread, importing awsbp, registering and reading its options and every
  `Plugin.run`; the row gives run / (run - that), median over those runs (kept apart
  from the pairs above: the timing wrapper imports the plugin before flake8 does). Both
  numbers come from the same process, so the machine's noise moves them together; what
  it leaves out is awsbp's effect on flake8's own work (its garbage collections walk
  awsbp's objects too, and the CPU caches hold less of flake8's data).
- **instructions** (opt-in, `--instructions`, needs valgrind): flake8 with and without
  awsbp under callgrind, the two sides in parallel, hash seed fixed. The count repeats
  exactly from run to run, whatever else the machine does; it leaves out what costs time
  but not instructions (cache misses). On c7n it takes several minutes.
- **file size**: the median boto3 module, concatenated 1x, 10x and 100x. The target row
  checks each size cold, as many copies as make 100x (100 separate 1x trees against one
  100x tree), so both sides read the same amount of memory once and the ratio shows what
  file size itself costs. The warm row repeats the 1x file while its tree sits in the
  CPU caches, which a 100x tree cannot: on that measure even a bare `ast.walk` over the
  tree is about 200x, so it is reported, not judged.
- **peak memory** of the flake8 process with and without the plugin.

These machines are shared and noisy: compare ratios from one run, never absolute times
across runs. A run's speed drifts by 5-10% from one process to the next, so two runs made
one after the other can differ by more than the 6% being measured; two processes started
together on two CPUs see the same machine, and their ratio repeats to about 1%. The host
rows therefore judge simultaneous pairs. The two sides swap CPUs every round, and each
two rounds give one geometric mean of their ratios, which cancels a CPU that runs slower
than the other (a busier host core); the row gives the median of those means, and its
detail their range, whose spread shows the noise that is left. A few more pairs run
flake8 without awsbp on both sides: their ratios (1.00x if the machine were quiet) show
how far a single pair can stray on the machine at the time of the run.

## Last run

"""

_DOC_OUTRO = """
## What keeps it fast

- One iterative walk over the tree for every rule, with a per-file plan per node type
  (kind, handlers, child fields) instead of per-node lookups; scalar fields are never
  read, so leaves are not looked into.
- Text gates before any walking: a file that never mentions boto3/botocore/moto runs
  only the few rules that need no SDK, and each checker skips files (or handlers) whose
  text cannot hold what it reports. Gates run at C speed (`str.find`, or one regex per
  group of words that share a prefix) and remember their answer for the last file.
- Calls are routed to checkers by callee name (or a C-speed name test), and names and
  attributes by identifier, by the walk itself, so most handlers are never called;
  receivers are inferred once per binding state (a memo emptied whenever a binding
  changes) and rejected early when a name was never bound to an SDK value and its
  spelling suggests none.
- Facts needed at a few call sites are not recorded on every node: the security checks
  and the `Config(retries=name)` check replay a function's (or the module's) bindings in
  the walk's order only when a checked call asks for one.
- Response tracking (AWSBP220/221) only notes candidate calls during the walk and then
  replays the one top-level function that holds them: a dozen functions in c7n instead
  of all 3,650.
- The garbage collector is paused during the walk, and the bundled botocore data keeps
  few long-lived, GC-tracked objects (operations and paginators in dicts of strings,
  which the collector never tracks, decoded on lookup; slotted models), so the host's
  own collections slow down little after awsbp has run.
- A light import: plain classes with `__slots__` instead of dataclasses (no
  `dataclasses` import, and about 900 fewer objects for the host's garbage collector
  to walk on every full collection), and the package's data files located
  once. Importing the plugin and registering its options takes about 20 ms inside
  flake8.
"""


def performance_page(table: str) -> str:
    """The ``docs/performance.md`` page for one benchmark result table."""
    return _DOC_INTRO + table + _DOC_OUTRO


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    rounds = args.rounds or (2 if args.quick else 3)
    pylint_rounds = args.pylint_rounds or (2 if args.quick else 4)
    corpus = load_corpus(args)
    files = _parsable(corpus)
    if not files:
        raise SystemExit(f"no parsable .py files under {corpus.root}")
    rels = [rel for rel, _ in files]
    lines = sum(data.count(b"\n") for _, data in files)
    check_tree, settings = load_core(args.core_module)
    rows: list[Row] = []
    if "core" not in args.skip:
        print("... core vs ast.parse", file=sys.stderr, flush=True)
        rows.extend(core_vs_parse(files, check_tree, settings, rounds))
    if "scaling" not in args.skip:
        print("... scaling", file=sys.stderr, flush=True)
        rows.extend(scaling(files, check_tree, settings))
    # Installed wheels ship bytecode (pip compiles on install); compile ours too, so that
    # an environment with PYTHONDONTWRITEBYTECODE does not charge awsbp's import with
    # compiling its sources in every flake8/pylint process.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q",
         *(str(_corpus.REPO_ROOT / pkg) for pkg in ("awsbp", "flake8_awsbp", "pylint_awsbp"))],
        check=False,
    )
    if "flake8" not in args.skip:
        envs = flake8_envs()
        rows.extend(flake8_rows(corpus.root, rels, rounds, envs))
        if args.instructions:
            rows.append(flake8_instructions_row(corpus.root, rels, envs))
    if "pylint" not in args.skip:
        count = args.pylint_files or (8 if args.quick else 24)
        subset = [
            corpus.rel(p)
            for p in _corpus.sample_files([corpus.root / r for r in rels], corpus.root, count)
        ]
        rows.append(pylint_row(corpus.root, subset, pylint_rounds, len(subset) == len(rels)))
    elapsed = time.perf_counter() - started
    header = [
        "# awsbp benchmark",
        "",
        f"Corpus: {corpus.name} {corpus.version}, {len(files)} files, {lines:,} lines"
        f"{' (quick)' if args.quick else ''} · Python {platform.python_version()} · "
        f"flake8 {version('flake8')} · pylint {version('pylint')} · "
        f"{os.cpu_count()} CPUs · took {elapsed:.0f} s",
        "",
        f"Load average (1 min) {load_before:.2f} before, {os.getloadavg()[0]:.2f} after"
        + (
            " — other work shared the CPUs: trust CPU-time ratios over wall times."
            if max(load_before, os.getloadavg()[0]) > 0.5
            else "."
        ),
    ]
    sys.stdout.write(render(rows, header))
    if args.write_doc is not None:
        args.write_doc.write_text(performance_page(render(rows, header[2:])), encoding="utf-8")
        print(f"wrote {args.write_doc}", file=sys.stderr)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "corpus": {
                    "name": corpus.name,
                    "version": corpus.version,
                    "files": len(files),
                    "lines": lines,
                },
                "quick": args.quick,
                "rounds": rounds,
                "seconds": elapsed,
                "load": [load_before, os.getloadavg()[0]],
                "rows": [row.__dict__ for row in rows],
            },
            indent=1,
            default=str,
        )
        + "\n"
    )
    print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
