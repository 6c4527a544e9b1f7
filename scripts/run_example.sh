#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds ort-lite and runs the bundled example: an SRCNN-like
# super-resolution model (examples/make_srcnn.py) upscaling a 1x3x32x32 image 2x with a cubic
# Resize whose scales are a run-time input. Outputs land in build/example-out/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BUILD_DIR=${BUILD_DIR:-build}

bash scripts/setup.sh
BUILD_DIR=$BUILD_DIR bash scripts/build.sh

echo
echo "[example] $BUILD_DIR/ort-lite run examples/srcnn.onnx --input input=examples/srcnn_input.npy --input scales=examples/srcnn_scales.npy --output-dir $BUILD_DIR/example-out"
"$BUILD_DIR/ort-lite" run examples/srcnn.onnx \
  --input input=examples/srcnn_input.npy \
  --input scales=examples/srcnn_scales.npy \
  --output-dir "$BUILD_DIR/example-out"
echo "[example] output written to $BUILD_DIR/example-out/output.npy (1x3x64x64)"
