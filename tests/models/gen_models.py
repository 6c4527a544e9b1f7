"""Generates the whole-model test set into OUT_DIR (default build/models), cached.

PyTorch models are exported by export_torch.py under Debian's /usr/bin/python3 (python3-torch
1.13); where that torch is missing, or ORTL_MODELS_NO_TORCH=1, onnx.helper stand-ins from
helper_models.py take their place. Each model is checked with onnx.checker, and a manifest
(models.json: name -> file, source, opset, inputs, outputs) is written for the tests.

A second run with unchanged generator sources and torch version does nothing.

usage: python3 tests/models/gen_models.py [OUT_DIR] [--extra] [--force]
  --extra   also resnet50 at 224x224 (for the arena-size report, not the comparison tests)
"""
import hashlib
import json
import os
import subprocess
import sys
import time

import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import helper_models  # noqa: E402

TORCH_PY = os.environ.get("ORTL_TORCH_PYTHON", "/usr/bin/python3")
BASE = ["resnet18", "mobilenet_v2", "mobilenet_v3_small", "shufflenet_v2_x0_5", "efficientnet_b0",
        "squeezenet1_0", "unet", "srcnn_torch", "bert"]
EXTRA = ["resnet50"]


def torch_env():
    # Debian's torch 1.13 is built against Debian's numpy 1.x. Where pip put a numpy 2 into
    # /usr/local for onnx (a fresh Debian, whose python3 on PATH is /usr/bin/python3), put
    # Debian's own packages first for the exporter.
    env = dict(os.environ)
    deb = "/usr/lib/python3/dist-packages"
    if TORCH_PY.startswith("/usr/bin/") and os.path.isdir(deb):
        env["PYTHONPATH"] = os.pathsep.join([deb] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return env


def torch_version():
    if os.environ.get("ORTL_MODELS_NO_TORCH") == "1" or not os.path.exists(TORCH_PY):
        return None
    r = subprocess.run([TORCH_PY, "-c", "import torch, torchvision; print(torch.__version__, torchvision.__version__)"],
                       capture_output=True, text=True, env=torch_env())
    return r.stdout.strip() if r.returncode == 0 else None


def stamp(names, tv):
    h = hashlib.sha256()
    for f in ("export_torch.py", "helper_models.py", "gen_models.py", os.path.join("..", "..", "examples", "make_srcnn.py")):
        with open(os.path.join(HERE, f), "rb") as fh:
            h.update(fh.read())
    h.update(repr((sorted(names), tv, onnx.__version__)).encode())
    return h.hexdigest()


def describe(path):
    m = onnx.load(path, load_external_data=False)
    inits = {i.name for i in m.graph.initializer}

    def vi(v):
        t = v.type.tensor_type
        dims = [d.dim_value if d.HasField("dim_value") else (d.dim_param or "?") for d in t.shape.dim]
        return {"name": v.name, "dtype": onnx.helper.tensor_dtype_to_np_dtype(t.elem_type).name, "shape": dims}

    return {
        "opset": next((o.version for o in m.opset_import if o.domain in ("", "ai.onnx")), None),
        "inputs": [vi(v) for v in m.graph.input if v.name not in inits],
        "outputs": [vi(v) for v in m.graph.output],
        "ops": sorted({n.op_type for n in m.graph.node}),
        "nodes": len(m.graph.node),
    }


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = os.path.abspath(args[0] if args else os.path.join(REPO, "build", "models"))
    torch_names = BASE + (EXTRA if "--extra" in sys.argv else [])
    names = torch_names + list(helper_models.HELPER_ONLY)
    os.makedirs(out, exist_ok=True)
    tv = torch_version()
    key = stamp(names, tv)
    manifest_path = os.path.join(out, "models.json")
    if "--force" not in sys.argv and os.path.exists(manifest_path):
        with open(manifest_path) as f:
            old = json.load(f)
        if old.get("stamp") == key and all(os.path.exists(os.path.join(out, n + ".onnx")) for n in names):
            print(f"[models] cached: {len(names)} models in {out}")
            return

    t0 = time.time()
    sources = {}
    if tv:
        print(f"[models] exporting {len(torch_names)} models with torch {tv} ({TORCH_PY})", flush=True)
        subprocess.run([TORCH_PY, os.path.join(HERE, "export_torch.py"), out, *torch_names], check=True, env=torch_env())
        sources.update({n: f"torch {tv.split()[0]}" for n in torch_names})
    else:
        print("[models] torch unavailable (or ORTL_MODELS_NO_TORCH=1): building onnx.helper stand-ins", flush=True)
        for n in torch_names:
            onnx.save(helper_models.FALLBACKS[n](), os.path.join(out, n + ".onnx"))
            sources[n] = "onnx.helper stand-in"
    for n, build in helper_models.HELPER_ONLY.items():
        onnx.save(build(), os.path.join(out, n + ".onnx"))
        sources[n] = "onnx.helper"

    models = {}
    for n in names:
        path = os.path.join(out, n + ".onnx")
        onnx.checker.check_model(path)
        models[n] = {"file": n + ".onnx", "source": sources[n], **describe(path)}
    with open(manifest_path, "w") as f:
        json.dump({"stamp": key, "models": models}, f, indent=1)
    print(f"[models] {len(names)} models written to {out} in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
