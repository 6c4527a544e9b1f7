#!/usr/bin/env bash
# Speed targets of issue #4: exports them (first run only, into build/targets) and compares
# ort-lite with ONNX Runtime at 1 and 2 threads, outputs checked, ResNet-50 peak RSS.
#   scripts/bench_targets.sh [path/to/ort-lite] [extra compare_ort.py args...]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/ort-lite}
shift || true
python3 bench/compare_ort.py --targets --bin "$BIN" --threads 1 2 --rounds 3 "$@" --rss resnet50
