"""Shared helpers of ``ecosystem.py`` and ``benchmark.py``: pinned corpora and host commands.

A corpus is a folder of Python files: either a pinned PyPI distribution from
``ecosystem_projects.toml`` (downloaded with pip, checked against its sha256 and
unpacked under the git-ignored ``.cache/ecosystem/NAME-VERSION/``), or any folder
a user points at. Nothing here imports awsbp, flake8 or pylint.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = REPO_ROOT / ".cache" / "ecosystem"
DOWNLOAD_DIR = CACHE_DIR / "wheels"
PROJECTS_FILE = Path(__file__).resolve().parent / "ecosystem_projects.toml"
EXTRACTED_MARKER = ".awsbp-ecosystem-sha256"
SKIP_DIRS = frozenset(
    {"__pycache__", "node_modules", "site-packages", ".git", ".hg", ".tox", ".nox", ".venv"}
)

# Host command lines (see docs/architecture: flake8 prints col + 1, pylint prints col).
FLAKE8_FORMAT = "%(path)s:%(row)d:%(col)d:%(code)s:%(text)s"


class CorpusError(RuntimeError):
    """A corpus could not be obtained (download failed, hash mismatch, bad archive)."""


@dataclass(frozen=True)
class Project:
    """One pinned distribution file of a PyPI project."""

    name: str
    version: str
    sha256: str
    file: str
    kind: str = "wheel"
    about: str = ""

    @property
    def slug(self) -> str:
        """``name-version``, the name of its cache folder."""
        return f"{self.name}-{self.version}"


@dataclass(frozen=True)
class Corpus:
    """A folder of Python files to lint, with a label for reports."""

    name: str
    version: str
    root: Path
    files: tuple[Path, ...]
    pinned: bool

    def rel(self, path: Path) -> str:
        """``path`` relative to the corpus root, with forward slashes."""
        return path.relative_to(self.root).as_posix()


def _load_toml(path: Path) -> dict[str, object]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_projects(path: Path = PROJECTS_FILE) -> list[Project]:
    """Read the pinned projects, in file order."""
    data = _load_toml(path)
    entries = data.get("project", [])
    if not isinstance(entries, list):
        raise CorpusError(f"{path}: expected [[project]] tables")
    projects = [Project(**{k: str(v) for k, v in entry.items()}) for entry in entries]
    names = [p.name for p in projects]
    if len(set(names)) != len(names):
        raise CorpusError(f"{path}: a project is listed twice")
    return projects


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pip_download(project: Project, dest: Path) -> None:
    binary = "--only-binary=:all:" if project.kind == "wheel" else "--no-binary=:all:"
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        binary,
        f"{project.name}=={project.version}",
        "-d",
        str(dest),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CorpusError(f"pip download {project.slug} failed:\n{result.stderr.strip()}")


def fetch(project: Project) -> Path:
    """The verified archive of ``project``, downloaded into the cache if missing."""
    archive = DOWNLOAD_DIR / project.file
    if not archive.exists():
        DOWNLOAD_DIR.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=DOWNLOAD_DIR) as tmp:
            _pip_download(project, Path(tmp))
            got = Path(tmp) / project.file
            if not got.exists():
                found = sorted(p.name for p in Path(tmp).iterdir())
                raise CorpusError(f"{project.slug}: pip gave {found}, expected {project.file}")
            got.replace(archive)
    actual = sha256_of(archive)
    if actual != project.sha256:
        raise CorpusError(
            f"{archive.name}: sha256 {actual} does not match the pinned {project.sha256}; "
            "delete the file to download it again, or fix the pin"
        )
    return archive


def _safe_target(root: Path, member: str) -> Path:
    target = (root / member).resolve()
    if not target.is_relative_to(root.resolve()):
        raise CorpusError(f"archive member escapes the target folder: {member}")
    return target


def extract(archive: Path, dest: Path) -> None:
    """Unpack a wheel/zip or an sdist tarball into ``dest`` (refusing path traversal)."""
    dest.mkdir(parents=True)
    if archive.suffix in {".whl", ".zip"}:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                target = _safe_target(dest, info.filename)
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zf.read(info))
        return
    with tarfile.open(archive) as tf:
        for member in tf.getmembers():
            _safe_target(dest, member.name)
        tf.extractall(dest, filter="data")


def ensure_project(project: Project) -> Path:
    """The unpacked folder of ``project``; reuses the cache when the pinned hash matches."""
    dest = CACHE_DIR / project.slug
    marker = dest / EXTRACTED_MARKER
    if marker.exists() and marker.read_text().strip() == project.sha256:
        return dest
    archive = fetch(project)
    if dest.exists():
        shutil.rmtree(dest)
    tmp = CACHE_DIR / f".{project.slug}.partial"
    if tmp.exists():
        shutil.rmtree(tmp)
    extract(archive, tmp)
    (tmp / EXTRACTED_MARKER).write_text(project.sha256 + "\n")
    tmp.rename(dest)
    return dest


def iter_python_files(root: Path) -> list[Path]:
    """Every ``.py`` file under ``root``, sorted, skipping caches and hidden folders."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        found.extend(Path(dirpath) / f for f in sorted(filenames) if f.endswith(".py"))
    return sorted(found)


def sample_files(files: Sequence[Path], root: Path, count: int | None) -> list[Path]:
    """A stable sample of ``count`` files (the same files on every run and machine)."""
    if count is None or count >= len(files):
        return list(files)

    def key(path: Path) -> str:
        return hashlib.sha1(path.relative_to(root).as_posix().encode()).hexdigest()

    return sorted(sorted(files, key=key)[:count])


def project_corpus(project: Project, sample: int | None = None) -> Corpus:
    """Download/unpack a pinned project if needed and list its files."""
    root = ensure_project(project)
    files = sample_files(iter_python_files(root), root, sample)
    return Corpus(project.name, project.version, root, tuple(files), pinned=True)


def path_corpus(path: Path, sample: int | None = None) -> Corpus:
    """A corpus for any folder (or a single file's folder)."""
    root = path.resolve()
    if root.is_file():
        files = [root]
        root = root.parent
    else:
        files = iter_python_files(root)
    if not root.is_dir():
        raise CorpusError(f"{path}: no such folder")
    files = sample_files(files, root, sample)
    return Corpus(root.name, "local", root, tuple(files), pinned=False)


def flake8_command(python: str, jobs: int = 1, select: str | None = "AWSBP,E999") -> list[str]:
    """flake8 with the project's machine-readable format; ``select=None`` keeps defaults."""
    cmd = [python, "-m", "flake8", "--isolated", f"--jobs={jobs}", f"--format={FLAKE8_FORMAT}"]
    if select:
        cmd.append(f"--select={select}")
    return cmd


def pylint_command(python: str, rcfile: Path, jobs: int = 1) -> list[str]:
    """pylint with the awsbp plugin loaded and an empty rcfile (no stray config)."""
    return [
        python,
        "-m",
        "pylint",
        f"--rcfile={rcfile}",
        "--load-plugins=pylint_awsbp",
        "--persistent=n",
        f"--jobs={jobs}",
    ]


def empty_rcfile() -> Path:
    """An empty pylint rcfile in the cache, so no project or user config is picked up."""
    path = CACHE_DIR / "empty.pylintrc"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text("")
    return path


def rules_table(python: str = sys.executable) -> list[dict[str, object]]:
    """``python -m awsbp rules --format json`` (the symbol/code/default table)."""
    result = subprocess.run(
        [python, "-m", "awsbp", "rules", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    table = json.loads(result.stdout)
    if not isinstance(table, list):
        raise CorpusError("`python -m awsbp rules --format json` did not print a list")
    return table
