"""The Python code passes ruff (the rules in pyproject.toml's [tool.ruff]); the rules' files
are checked by snakefmt in tests/workflow/test_catalog.py."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_the_python_code_passes_ruff():
    check = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache"], cwd=REPO,
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, f"{check.stdout[-3000:]}{check.stderr[-2000:]}"
