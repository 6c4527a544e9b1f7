"""Whole-model comparisons: ort-lite against ONNX Runtime (CPUExecutionProvider) on the models
gen_models.py writes (build/models, or $ORTL_MODELS_DIR), with seeded random inputs.

Per case: ONNX Runtime gives the reference; the inputs are saved as .npy and run through
    ort-lite run MODEL --input NAME=FILE.npy ... --output-dir DIR
and DIR/<output>.npy is compared with rtol 1e-3, atol 1e-4. Everything a failing case used
(inputs, ort-lite outputs, ONNX Runtime's as ref_<output>.npy, the command) stays in
build/models/work/<case>/ so the failure can be replayed by hand.

Select one model:  python3 -m pytest tests/models -k resnet18
"""
import json
import os
import shlex
import shutil
import subprocess
import zlib

import numpy as np
import onnxruntime as ort
import pytest

RTOL, ATOL = 1e-3, 1e-4
TIMEOUT_S = int(os.environ.get("ORTL_MODEL_TIMEOUT", "600"))

# model -> {case id: {"dims": symbolic dim values, "values": fixed input values}}.
# A model not listed runs once with its declared (static) shapes.
CASES = {
    "resnet18": {"b1": {"dims": {"N": 1}}, "b2": {"dims": {"N": 2}}},
    "bert": {"seq8": {"dims": {"S": 8}}, "seq33": {"dims": {"S": 33}, "pad": 5}},
    "srcnn_scales": {
        "x2": {"dims": {"N": 1, "H": 24, "W": 32}, "values": {"scales": [1, 1, 2, 2]}},
        "x1.5x3": {"dims": {"N": 1, "H": 20, "W": 16}, "values": {"scales": [1, 1, 1.5, 3]}},
    },
}
# Generated into the models folder but only for reports (scripts/arena_report.sh), not compared here.
REPORT_ONLY = {"resnet50"}

ALL_MODELS = ["resnet18", "mobilenet_v2", "mobilenet_v3_small", "shufflenet_v2_x0_5", "efficientnet_b0",
              "squeezenet1_0", "unet", "srcnn_torch", "srcnn_scales", "bert"]


def params():
    out = []
    for m in ALL_MODELS:
        for case in CASES.get(m, {"default": {}}):
            out.append(pytest.param(m, case, id=f"{m}-{case}", marks=pytest.mark.model(m)))
    return out


def load_manifest(models_dir):
    path = os.path.join(models_dir, "models.json")
    if not os.path.exists(path):
        pytest.fail(f"{path} missing: generate the models with python3 tests/models/gen_models.py {models_dir}")
    with open(path) as f:
        return json.load(f)["models"]


def make_inputs(model, case, spec):
    """Seeded random inputs for the declared inputs, dynamic dims from the case."""
    conf = CASES.get(model, {}).get(case, {})
    rng = np.random.default_rng(zlib.crc32(f"{model}/{case}".encode()))
    feeds = {}
    for inp in spec["inputs"]:
        name, dtype = inp["name"], np.dtype(inp["dtype"])
        if name in conf.get("values", {}):
            feeds[name] = np.asarray(conf["values"][name], dtype=dtype)
            continue
        shape = []
        for d in inp["shape"]:
            if isinstance(d, int):
                shape.append(d)
            elif d in conf.get("dims", {}):
                shape.append(conf["dims"][d])
            else:
                raise AssertionError(f"{model}: input {name} has dynamic dim {d!r} and case {case} gives no value")
        if name == "input_ids":
            feeds[name] = rng.integers(0, 1000, shape, dtype=dtype)
        elif name == "attention_mask":
            mask = np.ones(shape, dtype=dtype)
            if conf.get("pad"):
                mask[..., -conf["pad"]:] = 0
            feeds[name] = mask
        elif dtype.kind == "f":
            feeds[name] = rng.standard_normal(shape).astype(dtype)
        else:
            raise AssertionError(f"{model}: no input generator for {name} ({dtype})")
    return feeds


def describe_diff(ref, got):
    diff = np.abs(got.astype(np.float64) - ref.astype(np.float64))
    tol = ATOL + RTOL * np.abs(ref.astype(np.float64))
    bad = diff > tol
    worst = np.unravel_index(int(np.argmax(diff - tol)), diff.shape) if diff.size else ()
    lines = [f"  {int(bad.sum())} of {diff.size} elements off, max |diff| {diff.max():.3g}",
             f"  worst at {tuple(int(i) for i in worst)}: ort-lite {float(got[worst]):.7g} vs onnxruntime {float(ref[worst]):.7g}",
             f"  reference range [{ref.min():.4g}, {ref.max():.4g}], ort-lite range [{np.nanmin(got):.4g}, {np.nanmax(got):.4g}]"]
    if np.isnan(got).any():
        lines.append(f"  ort-lite output has {int(np.isnan(got).sum())} NaNs")
    return "\n".join(lines)


@pytest.mark.parametrize("model,case", params())
def test_model(model, case, ortl_bin, models_dir):
    manifest = load_manifest(models_dir)
    if model not in manifest:
        pytest.fail(f"{model} not in {models_dir}/models.json: regenerate with tests/models/gen_models.py")
    spec = manifest[model]
    path = os.path.join(models_dir, spec["file"])
    label = f"{model} [{case}] ({spec['source']}, opset {spec['opset']})"

    feeds = make_inputs(model, case, spec)
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    out_names = [o.name for o in sess.get_outputs()]
    ref = dict(zip(out_names, sess.run(None, feeds)))

    work = os.path.join(models_dir, "work", f"{model}-{case}")
    shutil.rmtree(work, ignore_errors=True)
    out_dir = os.path.join(work, "out")
    os.makedirs(out_dir)
    cmd = [ortl_bin, "run", path]
    for name, value in feeds.items():
        f = os.path.join(work, f"{name}.npy")
        np.save(f, value)
        cmd += ["--input", f"{name}={f}"]
    cmd += ["--output-dir", out_dir]
    for name, value in ref.items():
        np.save(os.path.join(work, f"ref_{name}.npy"), value)
    with open(os.path.join(work, "cmd.sh"), "w") as f:
        f.write(shlex.join(cmd) + "\n")

    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{label}: ort-lite run did not finish in {TIMEOUT_S}s\n  {shlex.join(cmd)}")
    if r.returncode != 0:
        how = f"killed by signal {-r.returncode}" if r.returncode < 0 else f"exit {r.returncode}"
        pytest.fail(f"{label}: ort-lite run failed ({how})\n  {shlex.join(cmd)}\n"
                    f"--- stderr ---\n{r.stderr[-3000:]}\n--- stdout ---\n{r.stdout[-1500:]}")

    problems = []
    for name in out_names:
        f = os.path.join(out_dir, f"{name}.npy")
        if not os.path.exists(f):
            problems.append(f"output {name}: {f} not written (found: {sorted(os.listdir(out_dir))})")
            continue
        got, want = np.load(f), ref[name]
        if got.dtype != want.dtype:
            problems.append(f"output {name}: dtype {got.dtype}, onnxruntime gives {want.dtype}")
        elif got.shape != want.shape:
            problems.append(f"output {name}: shape {got.shape}, onnxruntime gives {want.shape}")
        elif not np.allclose(got, want, rtol=RTOL, atol=ATOL):
            problems.append(f"output {name} {want.shape} differs (rtol {RTOL}, atol {ATOL}):\n" + describe_diff(want, got))
    if problems:
        pytest.fail(f"{label}: outputs differ from onnxruntime\n  replay: bash {work}/cmd.sh\n" + "\n".join(problems))
