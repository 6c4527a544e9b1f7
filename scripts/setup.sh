#!/usr/bin/env bash
# Installs what ort-lite needs on Debian 12, and nothing that is already there:
#   - apt: compilers, CMake, ccache, protobuf, Eigen, oneDNN, GoogleTest, Google Benchmark, CLI11,
#     nlohmann-json, pybind11, the JPEG / PNG headers and libwebp (ImageDecoder loads these codecs
#     at run time), and Debian's torch/torchvision (1.13, under /usr/bin/python3; used only to
#     export the test models);
#   - pip, into the `python3` first on PATH: onnx, onnxruntime (pinned), numpy, pytest.
# Idempotent: a second run prints two "ok" lines and changes nothing. Runs as root, or through sudo.
set -euo pipefail

APT_PACKAGES=(
  build-essential cmake ccache libprotobuf-dev protobuf-compiler libeigen3-dev libdnnl-dev
  libgtest-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev pybind11-dev
  libjpeg-dev libpng-dev libwebp7
  python3-torch python3-torchvision
)
PIP_PINS=(onnx==1.23.2 onnxruntime==1.32.0 numpy pytest)

log() { echo "[setup] $*"; }
die() { echo "[setup] error: $*" >&2; exit 1; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

installed() {  # dpkg package name -> 0 when installed
  [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

# ---- apt -----------------------------------------------------------------------------------
command -v dpkg-query >/dev/null 2>&1 || die "not a Debian system (no dpkg-query)"
wanted=("${APT_PACKAGES[@]}")
# A fresh Debian's python3 has no pip; a pyenv/venv python3 brings its own.
if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
  if [[ $(command -v python3 || echo /usr/bin/python3) == /usr/bin/python3 ]]; then
    wanted+=(python3 python3-pip)
  fi
fi
missing=()
for p in "${wanted[@]}"; do
  installed "$p" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  for p in "${missing[@]}"; do
    installed "$p" || die "apt package $p did not install"
  done
else
  log "apt: ok (${#wanted[@]} packages present)"
fi

# ---- pip -----------------------------------------------------------------------------------
PY=$(command -v python3) || die "no python3 on PATH"
python3 -m pip --version >/dev/null 2>&1 || die "$PY has no pip (install python3-pip or ensurepip)"

# Which pins are unmet? (a package without a version pin only has to be importable by pip)
need=$(python3 - "${PIP_PINS[@]}" <<'EOF'
import sys
from importlib import metadata
missing = []
for spec in sys.argv[1:]:
    name, _, want = spec.partition("==")
    try:
        have = metadata.version(name)
    except metadata.PackageNotFoundError:
        missing.append(spec)
        continue
    if want and have != want:
        missing.append(spec)
print(" ".join(missing))
EOF
)
if [[ -n $need ]]; then
  pip_args=(install --quiet --disable-pip-version-check)
  # PEP 668: a distribution's python3 marks its stdlib folder as externally managed (pip
  # ignores the marker inside a virtual environment, and so do we).
  managed=$(python3 -c 'import os, sys, sysconfig
print(int(sys.prefix == sys.base_prefix and os.path.isfile(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED"))))')
  if [[ $managed == 1 ]]; then
    pip_args+=(--break-system-packages)
  fi
  # Root installing into a user's python (pyenv, venv) needs no sudo; the system python does.
  target=$(python3 -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
  log "pip: installing $need into $PY"
  if [[ -w $(dirname "$target") || -w $target ]]; then
    # shellcheck disable=SC2086
    python3 -m pip "${pip_args[@]}" $need
  else
    # shellcheck disable=SC2086
    as_root "$PY" -m pip "${pip_args[@]}" $need
  fi
  python3 -c 'import onnx, onnxruntime, numpy, pytest' || die "pip packages still not importable by $PY"
else
  log "pip: ok (onnx, onnxruntime, numpy, pytest present in $PY)"
fi
