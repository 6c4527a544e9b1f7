#!/usr/bin/env bash
# Configures and builds ort-lite (Release, ccache when present) into build/, or $BUILD_DIR.
#   BUILD_DIR=build-x  BUILD_TYPE=Debug  JOBS=2  CMAKE_ARGS="-DORTL_SANITIZE=ON"  TARGETS="ort-lite" \
#     bash scripts/build.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-Release}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

cfg=(-S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE")
if command -v ccache >/dev/null 2>&1; then
  cfg+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
# shellcheck disable=SC2206
cfg+=(${CMAKE_ARGS:-})

mkdir -p "$BUILD_DIR"
echo "[build] configuring $BUILD_DIR ($BUILD_TYPE)"
cmake "${cfg[@]}" >"$BUILD_DIR/configure.log" 2>&1 || { cat "$BUILD_DIR/configure.log"; exit 1; }
echo "[build] building with $JOBS jobs"
# Progress lines are dropped; warnings and errors stay.
set +e
# shellcheck disable=SC2086
cmake --build "$BUILD_DIR" -j "$JOBS" ${TARGETS:+--target $TARGETS} 2>&1 |
  grep -Ev '^\[ *[0-9]+%\] (Building|Linking|Built target|Generating|Running)|^Consolidate|^Scanning|^gmake'
status=${PIPESTATUS[0]}
set -e
if [[ $status -ne 0 ]]; then
  echo "[build] FAILED (exit $status)" >&2
  exit "$status"
fi
echo "[build] binary: $(pwd)/$BUILD_DIR/ort-lite"
