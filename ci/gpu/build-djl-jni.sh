#!/usr/bin/env bash
# Builds DJL's PyTorch JNI bridge (libdjl_torch.so, DJL 0.35.1's own C++ source, Apache-2.0) against the libtorch
# of the machine it runs on, and puts it where DJL looks first for a bridge matching PYTORCH_VERSION and
# PYTORCH_FLAVOR: $DJL_CACHE_DIR/pytorch/<version>-<flavor>-linux-x86_64/0.35.1-libdjl_torch.so.
#
# Why: pytorch-jni 2.7.1-0.35.1 ships a bridge compiled against libtorch 2.7.1; a GPU machine's pip torch is newer
# (2.11 with CUDA 13 when last seen), whose C++ ABI differs, and a CUDA libtorch 2.7.1 (about 2 GB) cannot travel
# in the 64 MiB the device machine accepts. The bridge's source is 200 KB, and the torch wheel carries its headers.
# The bridge is built without USE_CUDA: that switch only adds emptyCache and a separate inference stream, neither
# used by lincde; CUDA kernels reach the dispatcher because DJL loads libtorch_cuda for a "cu*" flavor.
#
# Usage: build-djl-jni.sh SRC TORCH_DIR CACHE_DIR VERSION FLAVOR
#   SRC        the kit's djl-jni folder (native/*.cc, include/ with the javac -h header, djl/utils.h, jni.h)
#   TORCH_DIR  the torch package folder (with include/ and lib/)
#   CACHE_DIR  DJL's cache folder (DJL_CACHE_DIR)
# Env: JOBS (default nproc), CXX (default g++, else c++), TORCH_CXX11_ABI (0 or 1; default: read from libc10). Prints the bridge's path on success.
set -euo pipefail
SRC="$1"; T="$2"; CACHE="$3"; VERSION="$4"; FLAVOR="$5"
CXX="${CXX:-$(command -v g++ || command -v c++ || echo g++)}"; JOBS="${JOBS:-$(nproc)}"
[ -f "$T/lib/libtorch.so" ] || { echo "build-djl-jni: no libtorch.so in $T/lib" >&2; exit 2; }
[ -d "$T/include/torch/csrc/api/include" ] || { echo "build-djl-jni: no C++ headers in $T/include" >&2; exit 2; }
# the wheel's C++ ABI: TORCH_CXX11_ABI (torch._C._GLIBCXX_USE_CXX11_ABI), else whether c10's exported symbols
# use std::__cxx11::basic_string, else 1 (every pip wheel since torch 2.7)
if [ -n "${TORCH_CXX11_ABI:-}" ]; then ABI="$TORCH_CXX11_ABI"
elif command -v nm >/dev/null; then
  if nm -DC "$T/lib/libc10.so" | grep -q "__cxx11::basic_string"; then ABI=1; else ABI=0; fi
else ABI=1; fi
BUILD="$(mktemp -d)"
trap 'rm -rf "$BUILD"' EXIT
FLAGS=(-O2 -fPIC -std=c++17 -DNDEBUG -D_GLIBCXX_USE_CXX11_ABI=$ABI -w
  -I"$SRC/include" -I"$SRC/include/linux" -I"$T/include" -I"$T/include/torch/csrc/api/include")
export CXX BUILD
printf '%s\n' "${FLAGS[@]}" > "$BUILD/flags"
ls "$SRC"/native/*.cc | xargs -P "$JOBS" -I{} bash -c \
  'f="{}"; mapfile -t fl < "$BUILD/flags"; "$CXX" "${fl[@]}" -c "$f" -o "$BUILD/$(basename "${f%.cc}").o"'
DEST="$CACHE/pytorch/$VERSION-$FLAVOR-linux-x86_64"
mkdir -p "$DEST"
"$CXX" -shared -o "$BUILD/libdjl_torch.so" "$BUILD"/*.o -L"$T/lib" -ltorch -ltorch_cpu -lc10 -Wl,-rpath,"$T/lib"
mv "$BUILD/libdjl_torch.so" "$DEST/0.35.1-libdjl_torch.so"
echo "$DEST/0.35.1-libdjl_torch.so"
