#!/usr/bin/env bash
# Builds examples/c/example.c with AddressSanitizer (+ LeakSanitizer, on by default on Linux)
# against libort_lite.so and runs it: the sanitizer runtime intercepts every allocation in the
# process, so leaks of handles, values or library memory, double frees and overruns through
# the C API all fail the test. Only the example is rebuilt, so this takes seconds.
#   usage: c_example_asan.sh CC LIBORT_LITE_SO SOURCE_DIR WORK_DIR MODEL [SYMBOL=VALUE...]
set -euo pipefail
cc=$1 lib=$2 src=$3 work=$4 model=$5
shift 5
mkdir -p "$work"
"$cc" -std=c99 -g -O1 -fsanitize=address -fno-omit-frame-pointer -I"$src/include" \
  "$src/examples/c/example.c" -o "$work/example_asan" "$lib" -Wl,-rpath,"$(dirname "$lib")"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=23
export LSAN_OPTIONS=exitcode=23
"$work/example_asan" "$model" "$@"
