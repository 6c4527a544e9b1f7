"""Memory report over the test models (and resnet50 at 224x224): the arena size ort-lite's
planner reports, against the no-reuse bound (every intermediate in its own buffer, from onnx
shape inference) and the peak RSS of `ort-lite run` and of ONNX Runtime on the same inputs.
Not a test: it prints a table (and writes it as JSON with --json FILE).

usage: python3 tests/models/arena_report.py [--json FILE] [MODEL...]
env:   ORTL_BIN (build/ort-lite), ORTL_MODELS_DIR (build/models; generated with --extra),
       ORTL_REPORT_FLAG (--verbose: the run flag that makes ort-lite print its arena size)
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from test_models import CASES, make_inputs  # noqa: E402

UNITS = {"b": 1, "bytes": 1, "kb": 1e3, "kib": 1024, "mb": 1e6, "mib": 1 << 20, "gb": 1e9, "gib": 1 << 30}


def naive_bytes(path, dims):
    m = onnx.load(path)
    for vi in list(m.graph.input) + list(m.graph.output):
        for d in vi.type.tensor_type.shape.dim:
            if d.dim_param in dims:
                d.dim_value = dims[d.dim_param]
    m = onnx.shape_inference.infer_shapes(m, data_prop=True)
    total, unknown = 0, 0
    for vi in m.graph.value_info:
        t = vi.type.tensor_type
        if not t.HasField("shape") or any(not d.HasField("dim_value") for d in t.shape.dim):
            unknown += 1
            continue
        n = int(np.prod([d.dim_value for d in t.shape.dim], dtype=np.int64))
        total += n * onnx.helper.tensor_dtype_to_np_dtype(t.elem_type).itemsize
    return total, unknown


# Linux carries a parent's peak RSS into a child's ru_maxrss at exec, so the child is started
# from a bare interpreter (~10 MB) rather than from this process (onnx and the models loaded).
LAUNCH = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(f"\\n@@maxrss_kb {usage.ru_maxrss}")
sys.exit(min(abs(os.waitstatus_to_exitcode(status)), 255))
"""


def run_rss(cmd):
    """(exit status, combined output, peak RSS in MB) of a child process."""
    p = subprocess.run([sys.executable, "-S", "-c", LAUNCH, *cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, errors="replace")
    m = re.search(r"@@maxrss_kb (\d+)", p.stdout)
    text = p.stdout[: m.start()] if m else p.stdout
    return p.returncode, text, (int(m.group(1)) / 1024 if m else None)


ORT_SNIPPET = """
import sys, numpy as np, onnxruntime as ort
s = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
s.run(None, {i.name: np.load(f) for i, f in zip(s.get_inputs(), sys.argv[2:])})
"""


def main():
    args = sys.argv[1:]
    json_out = None
    if "--json" in args:
        i = args.index("--json")
        json_out = args[i + 1]
        del args[i:i + 2]
    bin_ = os.environ.get("ORTL_BIN", os.path.join(REPO, "build", "ort-lite"))
    models_dir = os.environ.get("ORTL_MODELS_DIR", os.path.join(REPO, "build", "models"))
    with open(os.path.join(models_dir, "models.json")) as f:
        manifest = json.load(f)["models"]
    names = args or list(manifest)
    rows = []
    print(f"{'model':22} {'arena MB':>9} {'naive MB':>9} {'ratio':>6} {'ort-lite RSS':>13} {'onnxruntime RSS':>16}")
    for name in names:
        spec = manifest[name]
        case = next(iter(CASES.get(name, {"default": {}})))
        dims = CASES.get(name, {}).get(case, {}).get("dims", {})
        path = os.path.join(models_dir, spec["file"])
        feeds = make_inputs(name, case, spec)
        with tempfile.TemporaryDirectory() as tmp:
            files = []
            for k, v in feeds.items():
                files.append(os.path.join(tmp, k + ".npy"))
                np.save(files[-1], v)
            cmd = [bin_, "run", path, os.environ.get("ORTL_REPORT_FLAG", "--verbose")] + [a for k, f in zip(feeds, files) for a in ("--input", f"{k}={f}")]
            rc, text, rss = run_rss(cmd)
            _, _, ort_rss = run_rss([sys.executable, "-c", ORT_SNIPPET, path, *files])
        m = re.search(r"arena[^0-9\n]*([\d.]+)\s*(bytes|b|kib|kb|mib|mb|gib|gb)?\b", text, re.I)
        arena = float(m.group(1)) * UNITS.get((m.group(2) or "b").lower(), 1) / 1e6 if m else None
        naive, unknown = naive_bytes(path, dims)
        if unknown and not naive:
            naive = None  # shapes depend on input values (e.g. Resize scales): no static bound
        row = {"model": name, "case": case, "arena_mb": arena, "naive_mb": naive / 1e6 if naive else None, "naive_unknown_values": unknown,
               "ortl_rss_mb": rss if rc == 0 else None, "ort_rss_mb": ort_rss, "ortl_exit": rc}
        rows.append(row)
        fmt = lambda v, w: f"{v:{w}.1f}" if v is not None else f"{'-':>{w}}"  # noqa: E731
        ratio = f"{arena / row['naive_mb']:6.2f}" if arena and naive else f"{'-':>6}"
        note = "" if rc == 0 else f"  (ort-lite exit {rc}: {text.strip().splitlines()[-1][:60] if text.strip() else ''})"
        print(f"{name:22} {fmt(arena, 9)} {fmt(row['naive_mb'], 9)} {ratio} {fmt(row['ortl_rss_mb'], 13)} {fmt(ort_rss, 16)}{note}")
    if all(r["arena_mb"] is None for r in rows):
        print("(ort-lite printed no 'arena' figure with --verbose)")
    if json_out:
        with open(json_out, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
