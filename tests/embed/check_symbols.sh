#!/usr/bin/env bash
# Checks the dynamic symbol table of libort_lite.so: every exported symbol is public API (a C
# function ortl_*, or something in namespace ort_lite, its typeinfo or vtable), and every C
# function declared in ort_lite.h is there.
#   usage: check_symbols.sh LIBORT_LITE_SO ORT_LITE_H
set -euo pipefail
lib=$1 header=$2
syms=$(nm -D --defined-only "$lib" | awk 'NF >= 3 { print $3 }' | sed 's/@.*//' | c++filt | sort -u)
[[ -n $syms ]] || { echo "no exported symbols in $lib"; exit 1; }
public='^(ortl_[a-z0-9_]+|ort_lite::.*|typeinfo for ort_lite::.*|typeinfo name for ort_lite::.*|vtable for ort_lite::.*)$'
bad=$(grep -Ev "$public" <<<"$syms" || true)
if [[ -n $bad ]]; then
  echo "symbols exported outside the public API:"
  echo "$bad"
  exit 1
fi
missing=0
for f in $(grep -oE '\bortl_[a-z0-9_]+\(' "$header" | tr -d '(' | sort -u); do
  grep -qx "$f" <<<"$syms" || { echo "C API function not exported: $f"; missing=1; }
done
for f in 'ort_lite::version()' 'ort_lite::Session::run(' 'typeinfo for ort_lite::Exception' 'ort_lite::Tensor::Tensor('; do
  grep -qF "$f" <<<"$syms" || { echo "C++ API symbol not exported: $f"; missing=1; }
done
((missing == 0)) || exit 1
echo "$(wc -l <<<"$syms") exported symbols, all public API: $(grep -c '^ortl_' <<<"$syms") C, $(grep -vc '^ortl_' <<<"$syms") C++"
