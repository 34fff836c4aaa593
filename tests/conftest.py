"""Shared fixtures: the real data in ../shared, and a scratch copy of the workflow.

``../shared`` is the folder beside the project; ``BIBNET_SHARED`` names another (a git worktree
of the project is not beside it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BIBNET_SHARED", REPO.parent / "shared"))
REAL_DATA = SHARED / "data" / "openalex-country-coauthorship-2024"
EMULATOR = SHARED / "tools" / "openalex_emulator.py"
WORKFLOW_PARTS = ("Snakefile", "workflow", "config", "profiles")


#: The slow kinds of test (registered in pyproject.toml); each is also ``slow``, so that
#: ``pytest -m "not slow"`` runs the unit tests alone.
SLOW_KINDS = ("planted", "real", "workflow", "e2e", "browser", "slurm")


def pytest_collection_modifyitems(items):
    """Tests under tests/workflow/ run snakemake: ``workflow``; every slow kind is ``slow``."""
    for item in items:
        if "workflow" in item.path.parent.parts[-1:]:
            item.add_marker(pytest.mark.workflow)
        if any(item.get_closest_marker(kind) for kind in SLOW_KINDS):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def real_data() -> Path:
    """The real OpenAlex country networks; the test is skipped where they are absent."""
    if not REAL_DATA.is_dir():
        pytest.skip(f"real OpenAlex networks not found at {REAL_DATA} (../shared is only beside "
                    "the project on the developers' and CI machines)")
    return REAL_DATA


@pytest.fixture
def emulator() -> Path:
    """The OpenAlex emulator; the test is skipped where it is absent."""
    if not EMULATOR.is_file() or not REAL_DATA.is_dir():
        pytest.skip(f"OpenAlex emulator or its data not found under {SHARED}")
    if shutil.which("openssl") is None:
        pytest.skip("the OpenAlex emulator needs openssl on PATH for its HTTPS proxy")
    return EMULATOR


class Workflow:
    """A scratch copy of the workflow in which `snakemake` runs with a test config."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True)
        for part in WORKFLOW_PARTS:
            source = REPO / part
            if source.is_dir():
                shutil.copytree(source, root / part)
            else:
                shutil.copy2(source, root / part)

    def configure(self, **overrides) -> Path:
        """Write config/config.yaml: the shipped config with ``overrides`` on top."""
        path = self.root / "config" / "config.yaml"
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        config.update(overrides)
        path.write_text(yaml.safe_dump(config), encoding="utf-8")
        return path

    def snakemake(self, *args: str, env: dict | None = None,
                  prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
        """Run snakemake here (through ``prefix``, e.g. the emulator, if given)."""
        command = [*prefix, sys.executable, "-m", "snakemake", *args]
        return subprocess.run(command, cwd=self.root, capture_output=True, text=True,
                              env={**os.environ, **(env or {})}, timeout=1800)

    def copied_to(self, root: Path) -> Workflow:
        """A copy of this workflow and everything it wrote, to edit without touching this one."""
        copy = Workflow.__new__(Workflow)
        copy.root = root
        shutil.copytree(self.root, root, symlinks=True)
        return copy

    def written(self) -> list[Path]:
        """Files the workflow wrote (results, raw cache, logs)."""
        return sorted(p for folder in ("data", "logs", "reports")
                      for p in (self.root / folder).rglob("*") if p.is_file())


@pytest.fixture
def workflow(tmp_path: Path) -> Workflow:
    return Workflow(tmp_path / "workflow-copy")
