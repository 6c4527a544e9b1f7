"""Finds the ort_lite package: installed (pip install .), or built by CMake in
$ORTL_PYTHON_DIR (ctest sets it), or in build/python of the repository."""
import os
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

try:
    import ort_lite  # noqa: F401
except ImportError:
    for d in (os.environ.get("ORTL_PYTHON_DIR"), os.path.join(REPO, "build", "python")):
        if d and os.path.isdir(os.path.join(d, "ort_lite")):
            sys.path.insert(0, d)
            break
