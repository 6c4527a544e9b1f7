"""Whole-model latency: ort-lite against ONNX Runtime on the same inputs and thread count.

Rounds alternate between the two runtimes (ORT timed in-process, ort-lite through
`ort-lite bench --json`), each round after its own warm-up; the table reports the median over
rounds of each side's p50 and the ratio ORT / ort-lite (> 1: ort-lite is faster). Before timing,
each model runs once through `ort-lite run` at the same thread count and every output is
compared with ORT's (rtol 1e-3, atol 1e-4): the table gives max |diff| and whether it agrees;
a row that does not agree is flagged and left out of the geometric mean.

usage: python3 bench/compare_ort.py [--models-dir build/models] [--threads 1 2] [--rounds 5]
                                    [--iters 20] [MODEL ...]
       python3 bench/compare_ort.py --targets [--models-dir build/targets] [MODEL ...]
           the speed targets of issue #4 (bench/target_models.py), exported on first use;
           without --iters each model gets its own iteration count (fewer for the big ones)
       --rss [MODEL ...]   also peak RSS (ru_maxrss) of `ort-lite bench` and of a fresh python
                process running ORT on the same model, warm-up and iterations (all models if none named;
                put it after the model list or end it with --)
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
sys.path.insert(0, os.path.join(ROOT, "bench"))
from test_models import CASES, make_inputs  # noqa: E402  (same seeded inputs as the model tests)
import target_models  # noqa: E402

RTOL, ATOL = 1e-3, 1e-4
RETRIES = 3  # the binary may be mid-relink (rebuilt by someone else): retry a failed start


def spec_from_session(models_dir, name):
    """For models outside the manifest (resnet50 from gen_models.py --extra): static float inputs."""
    sess = ort.InferenceSession(os.path.join(models_dir, f"{name}.onnx"), providers=["CPUExecutionProvider"])
    inputs = [{"name": i.name, "dtype": "float32", "shape": [d if isinstance(d, int) else 1 for d in i.shape]}
              for i in sess.get_inputs()]
    return {"file": f"{name}.onnx", "inputs": inputs}


def ort_session(model, threads, spin=True):
    so = ort.SessionOptions()  # default graph optimization level (ORT_ENABLE_ALL)
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    if not spin:  # not ORT's default: its pool threads spin-wait, which suffers on an overloaded host
        so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])


def ort_p50(sess, feeds, warmup, iters):
    for _ in range(warmup):
        sess.run(None, feeds)
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        sess.run(None, feeds)
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def run_ortl(cmd, timeout=1800):
    """Runs an ort-lite command. A start failure (ETXTBSY / ENOENT while the binary is being
    relinked), 126/127 or death by a signal is retried; an ordinary error exit is not."""
    for attempt in range(RETRIES):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return subprocess.CompletedProcess(cmd, -9, "", f"timed out after {timeout}s")
        except OSError as e:
            r = subprocess.CompletedProcess(cmd, 127, "", str(e))
        if r.returncode == 0 or (0 < r.returncode < 126) or attempt == RETRIES - 1:
            return r
        print(f"  (ort-lite exit {r.returncode}: {r.stderr.strip()[-200:]}; retrying in 20 s)", file=sys.stderr,
              flush=True)
        time.sleep(20)
    return r


def rss_of(cmd):
    """Peak RSS (KiB) of one process, started through /usr/bin/time: a child forked straight
    from this python would inherit its memory high-water mark (Linux copies it with the mm on
    fork and keeps it across exec), so ru_maxrss would read at least this process's peak."""
    for _ in range(RETRIES):
        r = subprocess.run(["/usr/bin/time", "-f", "ORTL_MAXRSS_KB %M"] + cmd, capture_output=True, text=True)
        if r.returncode == 0 or 0 < r.returncode < 126:
            break
        time.sleep(20)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr[-500:]}")
    kb = [int(line.split()[1]) for line in r.stderr.splitlines() if line.startswith("ORTL_MAXRSS_KB ")]
    return kb[-1], r.stdout


def ortl_bench_cmd(binary, model, inputs, threads, warmup, iters, js=None):
    cmd = [binary, "bench", model, "--threads", str(threads), "--warmup", str(warmup), "--iters", str(iters)]
    if js:
        cmd += ["--json", js]
    return cmd + [a for n, p in inputs.items() for a in ("--input", f"{n}={p}")]


def ortl_p50(binary, model, inputs, threads, warmup, iters):
    with tempfile.NamedTemporaryFile(suffix=".json") as js:
        r = run_ortl(ortl_bench_cmd(binary, model, inputs, threads, warmup, iters, js.name))
        if r.returncode != 0:
            raise RuntimeError(f"ort-lite bench failed ({r.returncode}): {r.stderr[-1500:]}")
        with open(js.name) as f:
            return json.load(f)["latency_ms"]["p50"]


def check_outputs(binary, model, inputs, threads, sess, feeds, tmp):
    """ort-lite run vs ORT (same threads): (max |diff| over all outputs, all within tolerance, note)."""
    out_dir = tempfile.mkdtemp(dir=tmp)
    cmd = [binary, "run", model, "--threads", str(threads), "--output-dir", out_dir]
    cmd += [a for n, p in inputs.items() for a in ("--input", f"{n}={p}")]
    r = run_ortl(cmd)
    if r.returncode != 0:
        return float("nan"), False, f"ort-lite run failed ({r.returncode}): {r.stderr.strip()[-600:]}"
    worst, ok, notes = 0.0, True, []
    names = [o.name for o in sess.get_outputs()]
    for name, ref in zip(names, sess.run(None, feeds)):
        f = os.path.join(out_dir, f"{name}.npy")
        if not os.path.exists(f):
            return float("nan"), False, f"output {name} not written"
        got = np.load(f)
        if got.shape != ref.shape or got.dtype != ref.dtype:
            return float("nan"), False, f"output {name}: {got.dtype}{got.shape} vs ORT {ref.dtype}{ref.shape}"
        diff = np.abs(got.astype(np.float64) - ref.astype(np.float64))
        m = float(np.nanmax(diff)) if diff.size else 0.0
        if np.isnan(got).any() and not np.isnan(ref).any():
            m = float("inf")
        bad = int((~(diff <= ATOL + RTOL * np.abs(ref.astype(np.float64)))).sum())
        if bad:
            ok = False
            notes.append(f"{name}: {bad} of {diff.size} off")
        worst = max(worst, m)
    return worst, ok, "; ".join(notes)


ORT_RSS_CHILD = r"""
import resource, sys, numpy as np, onnxruntime as ort
model, threads, warmup, iters = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
feeds = {a.split("=", 1)[0]: np.load(a.split("=", 1)[1]) for a in sys.argv[5:]}
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
so = ort.SessionOptions(); so.intra_op_num_threads = threads; so.inter_op_num_threads = 1
sess = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
for _ in range(warmup + iters):
    sess.run(None, feeds)
print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def ort_rss(model, paths, threads, warmup, iters):
    """(KiB after importing numpy + onnxruntime, peak KiB after the runs) of a fresh python."""
    peak, out = rss_of([sys.executable, "-c", ORT_RSS_CHILD, model, str(threads), str(warmup), str(iters)]
                       + [f"{n}={p}" for n, p in paths.items()])
    return int(out.split()[0]), peak


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="*")
    ap.add_argument("--targets", action="store_true", help="the issue #4 speed targets (bench/target_models.py)")
    ap.add_argument("--models-dir", default=None, help="default build/models, or build/targets with --targets")
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "ort-lite"))
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=None, help="default 3 (2 with --targets)")
    ap.add_argument("--iters", type=int, default=None, help="default 20 (per model with --targets)")
    ap.add_argument("--rss", nargs="*", default=None, metavar="MODEL",
                    help="also peak RSS of ort-lite bench vs a python+ORT process (for these models; none named: all)")
    ap.add_argument("--no-check", action="store_true", help="skip the output comparison")
    ap.add_argument("--ort-no-spin", action="store_true",
                    help="ORT with session.intra_op.allow_spinning=0 (not its default; for loaded hosts)")
    args = ap.parse_args()
    warmup = args.warmup if args.warmup is not None else (2 if args.targets else 3)

    if args.targets:
        models_dir = args.models_dir or target_models.DEFAULT_DIR
        names = args.models or list(target_models.TARGETS)
        unknown = [n for n in names if n not in target_models.TARGETS]
        if unknown:
            sys.exit(f"unknown target(s) {unknown}; known: {list(target_models.TARGETS)}")
        target_models.ensure_exported(models_dir, names)
    else:
        models_dir = args.models_dir or os.path.join(ROOT, "build", "models")
        with open(os.path.join(models_dir, "models.json")) as f:
            manifest = json.load(f)["models"]
        names = args.models or [m for m in manifest if m != "srcnn_scales"]

    rows, rss_rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            if args.targets:
                model = os.path.join(models_dir, f"{name}.onnx")
                feeds, case = target_models.make_feeds(name), "target"
                iters = args.iters or target_models.default_iters(name)
            else:
                spec = manifest.get(name) or spec_from_session(models_dir, name)
                case = next(iter(CASES.get(name, {"default": {}})))
                feeds = make_inputs(name, case, spec)
                model = os.path.join(models_dir, spec["file"])
                iters = args.iters or 20
            paths = {}
            for n, v in feeds.items():
                paths[n] = os.path.join(tmp, f"{name}_{n}.npy")
                np.save(paths[n], v)
            shape = "x".join(str(d) for d in next(iter(feeds.values())).shape)
            for threads in args.threads:
                sess = ort_session(model, threads, spin=not args.ort_no_spin)
                if args.no_check:
                    worst, ok, note = float("nan"), True, "not checked"
                else:
                    worst, ok, note = check_outputs(args.bin, model, paths, threads, sess, feeds, tmp)
                    print(f"{name:20s} {threads}t  outputs {'agree' if ok else 'DIFFER'} (max |diff| {worst:.3g})"
                          + (f": {note}" if note else ""), flush=True)
                a, b = [], []
                try:
                    for _ in range(args.rounds):
                        a.append(ort_p50(sess, feeds, warmup, iters))
                        b.append(ortl_p50(args.bin, model, paths, threads, warmup, iters))
                except RuntimeError as e:
                    print(f"{name:20s} {threads}t  {e}", flush=True)
                    rows.append((name, shape, threads, statistics.median(a) if a else float("nan"), float("nan"),
                                 float("nan"), worst, False, iters))
                    continue
                ma, mb = statistics.median(a), statistics.median(b)
                rows.append((name, shape, threads, ma, mb, ma / mb, worst, ok, iters))
                per_round = f"ORT {', '.join(f'{x:.1f}' for x in a)}; ort-lite {', '.join(f'{x:.1f}' for x in b)}"
                print(f"{name:20s} {threads}t  ORT {ma:8.3f} ms  ort-lite {mb:8.3f} ms  ratio {ma / mb:5.2f}"
                      f"  (rounds: {per_round})", flush=True)
                del sess
                if args.rss is not None and (not args.rss or name in args.rss):
                    kb_l, _ = rss_of(ortl_bench_cmd(args.bin, model, paths, threads, warmup, iters))
                    base, kb_o = ort_rss(model, paths, threads, warmup, iters)
                    rss_rows.append((name, threads, kb_l, kb_o, base))
                    print(f"{name:20s} {threads}t  peak RSS ort-lite {kb_l / 1024:.0f} MiB, python+ORT "
                          f"{kb_o / 1024:.0f} MiB (of which {base / 1024:.0f} MiB after imports)", flush=True)

    print("\n| model | input | threads | iters | ONNX Runtime p50 ms | ort-lite p50 ms | ORT / ort-lite "
          "| max abs diff | agree |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, shape, threads, ma, mb, r, worst, ok, iters in rows:
        print(f"| {name} | {shape} | {threads} | {iters} | {ma:.3f} | {mb:.3f} | {r:.2f} | {worst:.2g} | "
              f"{'yes' if ok else '**NO**'} |")
    for threads in args.threads:
        rs = [r[5] for r in rows if r[2] == threads and r[7] and np.isfinite(r[5])]
        left = sum(1 for r in rows if r[2] == threads) - len(rs)
        if rs:
            print(f"geometric mean ratio, {threads} thread(s): {float(np.exp(np.mean(np.log(rs)))):.2f}"
                  f" over {len(rs)} model(s)" + (f" ({left} left out: failed or outputs differ)" if left else ""))
    if rss_rows:
        print("\n| model | threads | ort-lite bench peak RSS MiB | python+ORT peak RSS MiB "
              "| python+numpy+ORT after imports MiB |")
        print("|---|---|---|---|---|")
        for name, threads, kb_l, kb_o, base in rss_rows:
            print(f"| {name} | {threads} | {kb_l / 1024:.0f} | {kb_o / 1024:.0f} | {base / 1024:.0f} |")


if __name__ == "__main__":
    main()
