#!/usr/bin/env bash
# Memory report: ort-lite's planned arena vs the no-reuse bound, and peak RSS against ONNX
# Runtime, over the test models plus resnet50 (224x224). Assumes setup.sh has run.
#   bash scripts/arena_report.sh [MODEL...]        (BUILD_DIR, default build)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BUILD_DIR=${BUILD_DIR:-build}
[[ -x $BUILD_DIR/ort-lite ]] || BUILD_DIR=$BUILD_DIR bash scripts/build.sh
export ORTL_BIN=$PWD/$BUILD_DIR/ort-lite ORTL_MODELS_DIR=$PWD/$BUILD_DIR/models
python3 tests/models/gen_models.py "$ORTL_MODELS_DIR" --extra
python3 tests/models/arena_report.py --json "$BUILD_DIR/arena_report.json" "$@"
echo "[arena] JSON: $BUILD_DIR/arena_report.json"
