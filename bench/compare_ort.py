"""Whole-model latency: ort-lite against ONNX Runtime on the same inputs and thread count.

Rounds alternate between the two runtimes (ORT timed in-process, ort-lite through
`ort-lite bench --json`), each round after its own warm-up; the table reports the median over
rounds of each side's p50 and the ratio ORT / ort-lite (> 1: ort-lite is faster).

usage: python3 bench/compare_ort.py [--models-dir build/models] [--threads 1 2] [--rounds 5]
                                    [--iters 20] [MODEL ...]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnxruntime as ort

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "models"))
from test_models import CASES, make_inputs  # noqa: E402  (same seeded inputs as the model tests)


def spec_from_session(models_dir, name):
    """For models outside the manifest (resnet50 from gen_models.py --extra): static float inputs."""
    sess = ort.InferenceSession(os.path.join(models_dir, f"{name}.onnx"), providers=["CPUExecutionProvider"])
    inputs = [{"name": i.name, "dtype": "float32", "shape": [d if isinstance(d, int) else 1 for d in i.shape]}
              for i in sess.get_inputs()]
    return {"file": f"{name}.onnx", "inputs": inputs}


def ort_p50(sess, feeds, warmup, iters):
    for _ in range(warmup):
        sess.run(None, feeds)
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        sess.run(None, feeds)
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def ortl_p50(binary, model, inputs, threads, warmup, iters):
    with tempfile.NamedTemporaryFile(suffix=".json") as js:
        cmd = [binary, "bench", model, "--threads", str(threads), "--warmup", str(warmup), "--iters", str(iters),
               "--json", js.name] + [a for n, p in inputs.items() for a in ("--input", f"{n}={p}")]
        subprocess.run(cmd, check=True, capture_output=True, text=True)
        with open(js.name) as f:
            return json.load(f)["latency_ms"]["p50"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="*")
    ap.add_argument("--models-dir", default=os.path.join(ROOT, "build", "models"))
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "ort-lite"))
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--iters", type=int, default=20)
    args = ap.parse_args()
    with open(os.path.join(args.models_dir, "models.json")) as f:
        manifest = json.load(f)["models"]
    names = args.models or [m for m in manifest if m != "srcnn_scales"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            spec = manifest.get(name) or spec_from_session(args.models_dir, name)
            case = next(iter(CASES.get(name, {"default": {}})))
            feeds = make_inputs(name, case, spec)
            paths = {}
            for n, v in feeds.items():
                paths[n] = os.path.join(tmp, f"{name}_{n}.npy")
                np.save(paths[n], v)
            model = os.path.join(args.models_dir, spec["file"])
            for threads in args.threads:
                so = ort.SessionOptions()
                so.intra_op_num_threads = threads
                so.inter_op_num_threads = 1
                sess = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
                a, b = [], []
                for _ in range(args.rounds):
                    a.append(ort_p50(sess, feeds, args.warmup, args.iters))
                    b.append(ortl_p50(args.bin, model, paths, threads, args.warmup, args.iters))
                ma, mb = statistics.median(a), statistics.median(b)
                shape = "x".join(str(d) for d in next(iter(feeds.values())).shape)
                rows.append((name, case, shape, threads, ma, mb, ma / mb))
                print(f"{name:20s} {threads}t  ORT {ma:8.3f} ms  ort-lite {mb:8.3f} ms  ratio {ma / mb:5.2f}",
                      flush=True)
    print("\n| model | input | threads | ONNX Runtime p50 ms | ort-lite p50 ms | ORT / ort-lite |")
    print("|---|---|---|---|---|---|")
    for name, case, shape, threads, ma, mb, r in rows:
        print(f"| {name} | {shape} | {threads} | {ma:.3f} | {mb:.3f} | {r:.2f} |")
    for threads in args.threads:
        rs = [r[6] for r in rows if r[3] == threads]
        if rs:
            print(f"geometric mean ratio, {threads} thread(s): {float(np.exp(np.mean(np.log(rs)))):.2f}")


if __name__ == "__main__":
    main()
