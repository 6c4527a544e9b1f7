#!/usr/bin/env bash
# docs/operators.md is the registry's op table (`ort-lite inspect --ops`) under a fixed header, never
# written by hand. usage: operators_doc.sh ORT_LITE_BIN SOURCE_DIR [--update]
# Without --update, exits 1 when the committed file differs from what the registry says now.
set -euo pipefail
bin=$1 src=$2
want=$(mktemp)
trap 'rm -f "$want"' EXIT
{
  echo "# Supported operators"
  echo
  echo "Generated from the op registry by \`bash tests/conformance/operators_doc.sh build/ort-lite . --update\`"
  echo "(the output of \`ort-lite inspect --ops\`); ctest checks it is current. Do not edit by hand."
  echo "Pass rates against the onnx backend node tests: [conformance.md](conformance.md)."
  echo
  "$bin" inspect --ops
} >"$want"
if [[ ${3:-} == --update ]]; then
  cp "$want" "$src/docs/operators.md"
  echo "wrote $src/docs/operators.md"
elif ! diff -u "$src/docs/operators.md" "$want"; then
  echo "docs/operators.md is stale: run bash tests/conformance/operators_doc.sh build/ort-lite . --update" >&2
  exit 1
fi
