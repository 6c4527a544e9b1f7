"""Runs one Google Benchmark binary and prints ort-lite against a baseline, shape by shape.

usage: python3 bench/ratios.py BINARY FILTER OURS BASE
  e.g. python3 bench/ratios.py build/bench/bench_gemm 'gemm/(gemm_f32_12x32_avx512|onednn_sgemm)/' \\
           gemm/gemm_f32_12x32_avx512 gemm/onednn_sgemm

Benchmarks are named IMPL/SHAPE. Each runs 3 repetitions of at least 0.3 s; the table gives the
medians' GFLOP/s (the FLOPS counter, CPU time), OURS / BASE, and each side as a share of the
FP32 peak of one core here (PEAK: 3.7 GHz x 32 FLOP/cycle on Zen 4). Rows without a FLOPS
counter compare CPU times instead. Pin the thread count of baselines that use OpenMP with
OMP_NUM_THREADS=1.
"""
import collections
import json
import subprocess
import sys

PEAK = 118.4  # GFLOP/s per core


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    binary, filt, ours, base = sys.argv[1:5]
    r = subprocess.run([binary, f"--benchmark_filter={filt}", "--benchmark_min_time=0.3", "--benchmark_format=json",
                        "--benchmark_repetitions=3", "--benchmark_report_aggregates_only=true"],
                       capture_output=True, text=True, check=True)
    rows = collections.defaultdict(dict)
    for b in json.loads(r.stdout)["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        impl, shape = b["run_name"].rsplit("/", 1)
        rows[shape][impl] = ((b.get("FLOPS") or 0) / 1e9, b["cpu_time"])
    print(f"| shape | {ours} GFLOP/s | {base} GFLOP/s | ratio | ours % peak | base % peak |")
    print("|---|---:|---:|---:|---:|---:|")
    for shape, v in rows.items():
        if ours not in v or base not in v:
            continue
        (a, ta), (b, tb) = v[ours], v[base]
        if a and b:
            print(f"| {shape} | {a:.1f} | {b:.1f} | {a / b:.2f} | {100 * a / PEAK:.0f}% | {100 * b / PEAK:.0f}% |")
        else:
            print(f"| {shape} | {ta:.1f} us | {tb:.1f} us | {tb / ta:.2f} | | |")


if __name__ == "__main__":
    main()
