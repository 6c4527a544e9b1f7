#!/usr/bin/env bash
# Sets up, builds, and runs every ort-lite test, then prints one summary; exit 1 if anything failed.
#   ctest        GoogleTest binaries under tests/ (ctest in the build folder)
#   conformance  the onnx package's backend node tests: `ort-lite test`, checked against
#                tests/conformance/expected_pass.txt (every listed case must PASS)
#   models       whole models (torchvision, UNet, SRCNN, BERT) against ONNX Runtime (tests/models)
#   python       CLI contract and error-handling tests (tests/python)
#   asan         the runtime tests (loader, planner, every bad-input case, concurrent runs), the graph
#                pass tests and the NCHWc kernel tests
#                rebuilt with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
#
# usage: bash scripts/test.sh [ctest] [conformance] [models] [python] [asan]    (default: all)
# env:   BUILD_DIR (build), SKIP_SETUP=1, SKIP_BUILD=1, CONFORMANCE_TIMEOUT (900 s),
#        PYTEST_ARGS (extra pytest arguments, e.g. "-k resnet18")
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$(pwd)
BUILD_DIR=${BUILD_DIR:-build}
B=$ROOT/$BUILD_DIR
export ORTL_BIN=$B/ort-lite
export ORTL_MODELS_DIR=$B/models
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

STEPS=("$@")
((${#STEPS[@]})) || STEPS=(ctest conformance models python asan)
want() { [[ " ${STEPS[*]} " == *" $1 "* ]]; }

SUMMARY=()
FAILED=0
record() {  # name status seconds detail
  SUMMARY+=("$(printf '%-12s %-5s %5ss  %s' "$1" "$2" "$3" "$4")")
  [[ $2 == FAIL ]] && FAILED=1
  return 0
}
banner() { printf '\n======== %s ========\n' "$*"; }
finish() {
  banner "summary ($(date -u +%H:%M:%S) UTC, $((SECONDS / 60))m$((SECONDS % 60))s)"
  printf '%s\n' "${SUMMARY[@]}"
  if ((FAILED)); then
    echo "RESULT: FAILED"
    exit 1
  fi
  echo "RESULT: all passed"
  exit 0
}

# ---- setup and build: nothing else can run without them ------------------------------------
if [[ ${SKIP_SETUP:-0} != 1 ]]; then
  banner setup
  t=$SECONDS
  if bash scripts/setup.sh; then record setup PASS $((SECONDS - t)) ""; else
    record setup FAIL $((SECONDS - t)) "scripts/setup.sh failed"; finish; fi
fi
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  banner build
  t=$SECONDS
  if BUILD_DIR=$BUILD_DIR JOBS=$JOBS bash scripts/build.sh; then record build PASS $((SECONDS - t)) "$BUILD_DIR/ort-lite"; else
    record build FAIL $((SECONDS - t)) "compile errors above"; finish; fi
fi
if [[ ! -x $ORTL_BIN ]]; then
  record build FAIL 0 "no binary at $ORTL_BIN"
  finish
fi

# The onnx backend node tests, generated once per onnx version into $B/onnx-node (used by the
# conformance step and by the node-test runners inside some ctest binaries).
node=$B/onnx-node
gen_node_tests() {
  local key
  key="$(python3 -c 'import onnx; print(onnx.__version__)') $(md5sum tests/conformance/gen_node_tests.py | cut -d' ' -f1)"
  if [[ ! -f $node/.stamp || $(cat "$node/.stamp") != "$key" ]]; then
    rm -rf "$node"
    python3 tests/conformance/gen_node_tests.py "$node" && echo "$key" >"$node/.stamp"
  else
    echo "node tests cached in $BUILD_DIR/onnx-node ($(find "$node" -mindepth 1 -maxdepth 1 -type d | wc -l) cases)"
  fi
}

# ---- ctest ---------------------------------------------------------------------------------
if want ctest; then
  banner ctest
  t=$SECONDS
  gen_node_tests
  ctest --test-dir "$B" --output-on-failure -j "$JOBS" --timeout 600 2>&1 | tee "$B/ctest.log" | grep -Ev '^ +Start +[0-9]+:|^[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed'
  rc=${PIPESTATUS[0]}
  detail=$(grep -E 'tests passed|No tests were found' "$B/ctest.log" | tail -1)
  failed_tests=$(sed -n '/The following tests FAILED/,$p' "$B/ctest.log" | sed -nE 's/^\s*[0-9]+ - (\S+).*/\1/p' | paste -sd, -)
  [[ -n $failed_tests ]] && detail="$detail: ${failed_tests:0:150}"
  if ((rc == 0)); then record ctest PASS $((SECONDS - t)) "$detail"; else record ctest FAIL $((SECONDS - t)) "${detail:-ctest exit $rc} (log: $BUILD_DIR/ctest.log)"; fi
fi

# ---- conformance ---------------------------------------------------------------------------
if want conformance; then
  banner conformance
  t=$SECONDS
  gen_node_tests
  if [[ ! -f $node/.stamp ]]; then
    record conformance FAIL $((SECONDS - t)) "gen_node_tests.py failed"
  else
    echo "$ORTL_BIN test $BUILD_DIR/onnx-node  > $BUILD_DIR/conformance.log"
    timeout --kill-after=10 "${CONFORMANCE_TIMEOUT:-900}" "$ORTL_BIN" test "$node" >"$B/conformance.log" 2>"$B/conformance.stderr"
    rc=$?
    tail -n 1 "$B/conformance.log"
    python3 tests/conformance/compare_pass.py "$B/conformance.log"
    cmp_rc=$?
    # Per-family pass counts and every non-passing case with its reason (docs/conformance.md is
    # this file, committed from a full run).
    python3 tests/conformance/report.py "$B/conformance.log" "$node" "$B/conformance.md" || true
    counts=$(tail -n 1 "$B/conformance.log")
    if ((rc == 124 || rc == 137)); then
      record conformance FAIL $((SECONDS - t)) "ort-lite test timed out after ${CONFORMANCE_TIMEOUT:-900}s (log: $BUILD_DIR/conformance.log)"
    elif ((rc > 1)); then
      # 0: all passed, 1: some failed (expected while ops are missing); anything else is a crash.
      tail -n 5 "$B/conformance.stderr"
      record conformance FAIL $((SECONDS - t)) "ort-lite test exited $rc (crash?) after: $(grep -E '^(PASS|FAIL|SKIP) ' "$B/conformance.log" | tail -n 1 | cut -c1-60)"
    elif ((cmp_rc != 0)); then
      record conformance FAIL $((SECONDS - t)) "expected cases not passing ($counts; log: $BUILD_DIR/conformance.log)"
    else
      record conformance PASS $((SECONDS - t)) "$counts; all $(grep -cvE '^[[:space:]]*(#|$)' tests/conformance/expected_pass.txt) expected pass"
    fi
  fi
fi

# ---- pytest: models and CLI ----------------------------------------------------------------
pytest_step() {  # name folder
  local name=$1 dir=$2 t=$SECONDS rc
  # shellcheck disable=SC2086
  python3 -m pytest -q -rfE --color=no --junitxml="$B/pytest-$name.xml" ${PYTEST_ARGS:-} "$dir" 2>&1 | tee "$B/pytest-$name.log"
  rc=${PIPESTATUS[0]}
  local detail
  detail=$(grep -E '^=*.*([0-9]+ (passed|failed|error|errors|skipped)|no tests ran).* in [0-9.]+s' "$B/pytest-$name.log" | tail -1 | tr -d '=' | sed 's/^ *//')
  if ((rc == 0)); then record "$name" PASS $((SECONDS - t)) "$detail"; else record "$name" FAIL $((SECONDS - t)) "${detail:-pytest exit $rc} (log: $BUILD_DIR/pytest-$name.log)"; fi
}

if want models; then
  banner "models (vs onnxruntime)"
  t=$SECONDS
  if python3 tests/models/gen_models.py "$ORTL_MODELS_DIR"; then
    pytest_step models tests/models
  else
    record models FAIL $((SECONDS - t)) "tests/models/gen_models.py failed"
  fi
fi

if want python; then
  banner "python (CLI contract)"
  pytest_step python tests/python
fi

if want asan; then
  banner "asan (runtime, pass and NCHWc tests under AddressSanitizer + UBSan)"
  t=$SECONDS
  A=$ROOT/${BUILD_DIR}-asan
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  if cmake -S . -B "$A" -DCMAKE_BUILD_TYPE=Debug -DORTL_SANITIZE=ON -DORTL_BUILD_BENCH=OFF -DORTL_BUILD_PYTHON=OFF \
      "${launcher[@]}" >"$A.configure.log" 2>&1 &&
    cmake --build "$A" --target test_runtime test_passes test_nchwc -j "$JOBS" >"$A.build.log" 2>&1; then
    rc=0 passed=()
    : >"$B/asan.log"
    for t_bin in test_runtime test_passes test_nchwc; do
      if "$A/tests/$t_bin" --gtest_brief=1 >>"$B/asan.log" 2>&1; then passed+=("$t_bin"); else rc=1; fi
    done
    tail -n 5 "$B/asan.log"
    detail="${#passed[@]} of 3 binaries passed (test_runtime, test_passes, test_nchwc)"
    if ((rc == 0)); then record asan PASS $((SECONDS - t)) "$detail"; else record asan FAIL $((SECONDS - t)) "$detail (log: $BUILD_DIR/asan.log)"; fi
  else
    tail -n 20 "$A.build.log"
    record asan FAIL $((SECONDS - t)) "sanitizer build failed (log: ${BUILD_DIR}-asan.build.log)"
  fi
fi

finish
