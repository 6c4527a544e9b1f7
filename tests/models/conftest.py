import os

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def pytest_configure(config):
    config.addinivalue_line("markers", "model(name): whole-model comparison of ort-lite against ONNX Runtime")


@pytest.fixture(scope="session")
def ortl_bin():
    path = os.environ.get("ORTL_BIN", os.path.join(REPO, "build", "ort-lite"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"ort-lite binary not found at {path}: build it (bash scripts/build.sh) or set ORTL_BIN")
    return path


@pytest.fixture(scope="session")
def models_dir():
    return os.environ.get("ORTL_MODELS_DIR", os.path.join(REPO, "build", "models"))
