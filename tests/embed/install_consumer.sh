#!/usr/bin/env bash
# Installs the build into a fresh prefix (`cmake --install --component dev`), then builds
# tests/consumer, an out-of-tree project using find_package(ort_lite), against it twice (the
# shared ort_lite::ort_lite and the static ort_lite::ort_lite_static) and runs it; then compiles
# examples/c/example.c with nothing but `pkg-config ort_lite` and runs that.
#   usage: install_consumer.sh CMAKE BUILD_DIR SOURCE_DIR WORK_DIR MODEL CC CXX [LINK_FLAGS]
# LINK_FLAGS: e.g. -fsanitize=address,undefined when the library was built with sanitizers.
set -euo pipefail
cmake=$1 build=$2 src=$3 work=$4 model=$5 cc=$6 cxx=$7 flags=${8:-}
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
"$cmake" --install "$build" --prefix "$prefix" --component dev >"$work/install.log"
for f in include/ort_lite/ort_lite.h include/ort_lite/ort_lite.hpp; do
  [[ -f $prefix/$f ]] || { echo "not installed: $f"; exit 1; }
done
ls "$prefix"/lib*/libort_lite.so "$prefix"/lib*/libort_lite.a "$prefix"/lib*/cmake/ort_lite/ort_liteConfig.cmake \
   "$prefix"/lib*/pkgconfig/ort_lite.pc >/dev/null

for kind in shared static; do
  static=OFF
  [[ $kind == static ]] && static=ON
  "$cmake" -S "$src/tests/consumer" -B "$work/build-$kind" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" -DCONSUMER_STATIC=$static \
    -DCMAKE_EXE_LINKER_FLAGS="$flags" >"$work/configure-$kind.log" ||
    { cat "$work/configure-$kind.log"; exit 1; }
  "$cmake" --build "$work/build-$kind" >"$work/build-$kind.log" 2>&1 || { cat "$work/build-$kind.log"; exit 1; }
  echo "== consumer ($kind)"
  "$work/build-$kind/consumer" "$model"
done

echo "== C example through pkg-config"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig:$(echo "$prefix"/lib/*/pkgconfig | tr ' ' ':')
libdir=$(pkg-config --variable=libdir ort_lite)
# shellcheck disable=SC2046
"$cc" -std=c99 $flags "$src/examples/c/example.c" $(pkg-config --cflags ort_lite) -o "$work/example_pc" \
  $(pkg-config --libs ort_lite) -Wl,-rpath,"$libdir"
"$work/example_pc" "$model" N=1 H=8 W=8
