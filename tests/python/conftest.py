import os
import subprocess

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture(scope="session")
def ortl_bin():
    path = os.environ.get("ORTL_BIN", os.path.join(REPO, "build", "ort-lite"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"ort-lite binary not found at {path}: build it (bash scripts/build.sh) or set ORTL_BIN")
    return path


@pytest.fixture(scope="session")
def ortl(ortl_bin):
    """ortl("run", model, ...) -> CompletedProcess (text, stdout/stderr captured, 120 s limit)."""

    def call(*args, timeout=120):
        cmd = [ortl_bin, *map(str, args)]
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, errors="replace")
        except subprocess.TimeoutExpired:
            pytest.fail(f"ort-lite hung (> {timeout}s): {' '.join(cmd)}")

    return call
