#!/usr/bin/env bash
# lincde's GPU run: one prepared script for a GPU machine with no JDK, Maven or network (issue "GPU truth").
# Run from the repository root with the kit from ci/gpu/pack.sh in .gpukit/ and $OUT set; every step has its own
# timeout and a failed step never stops the next. Writes at most 8 files to $OUT:
#   probe.txt        GPU name, driver, memory; python3's torch and CUDA; the kit's java -version
#   conformance.txt  DJL conformance on --device gpu (float32 and float64) against the float64 reference
#   bench.json       lincde bench on the GPU: every LNCDE structure and baseline, regular-language and EigenWorms shapes
#   scan.json        recurrent vs associative-scan forward passes (bench --forms) at L = 1024, 4096, 17984
#   peers_regular.json, peers_eigenworms.json
#                    the SLiCE authors' PyTorch models timed on the same GPU and shapes (no Java needed)
#   mem.csv          nvidia-smi memory.used every 200 ms over the whole run
#   log.txt          every step's command, exit code, seconds and stderr tail
# Order: probe, DJL's JNI bridge built against the machine's torch (build-djl-jni.sh), conformance, bench at the
# regular-language size, peers at that size, bench at the EigenWorms shape, forms, peers at EigenWorms; the run
# stops starting steps after TOTAL_SECS (540: a device call may run 600 s), so what matters most comes first.
# --cpu-dry (or LINCDE_GPU_DRY=1): the same steps on the CPU with tiny shapes, for testing the script here.
# Env: OUT (default ./gpu-out), LINCDE_GPU_KIT (.gpukit), LINCDE_TORCH_LIB (a libtorch folder; default python3's
# torch/lib), LINCDE_TORCH_VERSION (default python3's torch.__version__), PYTHON (python3), *_SECS per-step
# timeouts.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"   # ci/gpu, or the kit's copy .gpukit/bin
ROOT="${LINCDE_ROOT:-$PWD}"                              # run from the repository root
cd "$ROOT"
DRY="${LINCDE_GPU_DRY:-0}"; [ "${1:-}" = "--cpu-dry" ] && DRY=1
OUT="${OUT:-$ROOT/gpu-out}"; mkdir -p "$OUT"
KIT="${LINCDE_GPU_KIT:-$ROOT/.gpukit}"
LOG="$OUT/log.txt"; : > "$LOG"
T0=$(date +%s)
log() { echo "[$(( $(date +%s) - T0 ))s] $*" | tee -a "$LOG" >&2; }

PY="${PYTHON:-python3}"
# ---- probe ---------------------------------------------------------------------------------------------------
{
  echo "== date: $(date -u +%FT%TZ)  host: $(uname -srm)  dry: $DRY"
  echo "== nvidia-smi"; timeout 20 nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used,compute_cap \
      --format=csv 2>&1 || echo "no nvidia-smi"
  echo "== torch"; timeout 60 "$PY" -c 'import torch,os; print(torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "-"); print("lib", os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>&1
  echo "== java"; "$KIT/jre/bin/java" -version 2>&1
  echo "== kit"; head -3 "$KIT/MANIFEST.txt" 2>&1
} > "$OUT/probe.txt" 2>&1
cat "$OUT/probe.txt" >&2

# ---- GPU memory sampler --------------------------------------------------------------------------------------
MEMPID=""
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=timestamp,memory.used --format=csv,noheader -lms 200 > "$OUT/mem.csv" 2>/dev/null &
  MEMPID=$!
else
  echo "no nvidia-smi: no GPU memory samples" > "$OUT/mem.csv"
fi
trap '[ -n "$MEMPID" ] && kill "$MEMPID" 2>/dev/null' EXIT

# ---- the JVM and libtorch ------------------------------------------------------------------------------------
TORCH_LIB="${LINCDE_TORCH_LIB:-$("$PY" -c 'import torch,os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null)}"
TORCH_DIR="$(dirname "$TORCH_LIB")"
SITE="$(dirname "$TORCH_DIR")"
# the machine's torch version (2.11.0+cu130 when last seen): DJL's PYTORCH_VERSION and PYTORCH_FLAVOR name the
# bridge that build-djl-jni.sh compiles for it
TORCH_VER="${LINCDE_TORCH_VERSION:-$("$PY" -c 'import torch; print(torch.__version__)' 2>/dev/null)}"
export OPT_OUT_TRACKING=true DJL_OFFLINE=true OMP_WAIT_POLICY=PASSIVE
export PYTORCH_LIBRARY_PATH="$TORCH_LIB" PYTORCH_VERSION="${TORCH_VER%%+*}"
if [ "$DRY" = 1 ]; then DEVICE=cpu; export PYTORCH_FLAVOR=cpu
else DEVICE=gpu; f="${TORCH_VER#*+}"; [ "$f" = "$TORCH_VER" ] && f=cu; export PYTORCH_FLAVOR="$f"; fi
export DJL_CACHE_DIR="$ROOT/.lincde/djl-cache"   # where lincde's DJL backend points DJL (DjlRuntime.cacheDir)
# DJL finds the GPU count through JNA's libcudart.so (unversioned); pip's CUDA runtime ships only libcudart.so.N
SHIM="$(mktemp -d)"
for d in "$SITE"/nvidia/cuda_runtime/lib "$SITE"/nvidia/cu*/lib /usr/local/cuda/lib64; do
  c="$(ls "$d"/libcudart.so.* 2>/dev/null | head -1)"; [ -n "$c" ] && ln -sf "$c" "$SHIM/libcudart.so" && break
done
export LD_LIBRARY_PATH="$SHIM:$TORCH_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# test libraries of the wheel that the bridge must not preload
export PYTORCH_LIBRARY_EXCLUSION="libjitbackend_test.so,libbackend_with_compiler.so,libtorchbind_test.so,libaoti_custom_ops.so,libtorch_python.so,libshm.so"
JAVA=("$KIT/jre/bin/java" -Xmx16g -Djava.awt.headless=true -Dai.djl.offline=true -DOPT_OUT_TRACKING=true
  -Dlincde.root.dir="$ROOT" -cp "$KIT/lib/*" org.lincde.harness.cli.Main)

DEADLINE=$(( T0 + ${TOTAL_SECS:-540} ))
step() { # step NAME SECONDS OUTFILE cmd...: stdout appended to OUTFILE, stderr tail to the log; returns its rc
  local name="$1" secs="$2" out="$3"; shift 3
  # ONLY (an extended regular expression over step names) reruns a subset, e.g. the steps a first run lost
  if [ -n "${ONLY:-}" ] && ! [[ "$name" =~ $ONLY ]]; then return 0; fi
  local s=$(date +%s) err rem; rem=$(( DEADLINE - s ))
  if [ "$rem" -lt 8 ]; then log "$name: skipped, the run's ${TOTAL_SECS:-540} s are spent"; return 0; fi
  [ "$secs" -gt "$rem" ] && secs=$rem
  err="$(mktemp)"
  timeout -k 5 "$secs" "$@" >> "$out" 2> "$err"; local rc=$?
  log "$name: rc=$rc in $(( $(date +%s) - s ))s: $*"
  tail -c 1500 "$err" | sed 's/^/    /' >> "$LOG"
  rm -f "$err"
  return $rc
}

# ---- DJL's JNI bridge, compiled here against this machine's torch (build-djl-jni.sh says why) ------------------
log "torch $TORCH_VER at $TORCH_DIR: PYTORCH_VERSION=$PYTORCH_VERSION PYTORCH_FLAVOR=$PYTORCH_FLAVOR"
if [ -d "$KIT/djl-jni" ]; then
  TORCH_CXX11_ABI="${TORCH_CXX11_ABI:-$("$PY" -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))' 2>/dev/null)}" \
  step "jni build" "${JNI_SECS:-240}" "$LOG" bash "$HERE/build-djl-jni.sh" "$KIT/djl-jni" "$TORCH_DIR" \
      "$DJL_CACHE_DIR" "$PYTORCH_VERSION" "$PYTORCH_FLAVOR" || log "jni build failed: DJL falls back to its own bridge"
else
  log "no $KIT/djl-jni (pack with DJL_SRC_DIR set): DJL uses its 2.7.1 bridge"
fi

# ---- (a) conformance: DJL on the device against the float64 reference ----------------------------------------
if [ "$DRY" = 1 ]; then CONF_ARGS=(--structure diagonal --structure dense); else CONF_ARGS=(); fi
step conformance "${CONF_SECS:-150}" "$OUT/conformance.txt" "${JAVA[@]}" conformance --backend djl --device "$DEVICE" \
    --problems-only "${CONF_ARGS[@]}"

# ---- (b) bench: every LNCDE structure and baseline at the regular-language size and the EigenWorms shape --------
CFG="$(mktemp -d)"
mk() { # mk NAME JSON-fields: an R1-format config (the cycle-nav task, model_dim 128, 2 blocks, batch 256)
  echo "{\"task\": \"cycle_nav\", \"num_blocks\": 2, \"model_dim\": 128, \"batch_size\": 256, \"num_steps\": 1,
    \"print_steps\": 1, \"learning_rate\": 0.002, $2}" > "$CFG/$1.json"; }
mk diagonal '"model_name": "lcde", "diagonal": true'
mk block4 '"model_name": "lcde", "diagonal": true, "block_size": 4'
mk dplr4 '"model_name": "lcde", "diagonal": true, "rank": 4'
mk wh '"model_name": "lcde", "diagonal": true, "fwht": true'
mk dense '"model_name": "lcde", "diagonal": false'
mk sparse '"model_name": "lcde", "diagonal": false, "sparsity": 0.1'
mk lstm '"model_name": "lstm"'
mk transformer '"model_name": "transformer"'
mk mamba '"model_name": "mamba"'
if [ "$DRY" = 1 ]; then REG=(--length 8 --batch 4 --steps 1 --warmup 1); EW=(--length 64 --batch 2 --steps 1 --warmup 0)
else REG=(--length 40 --batch 256 --steps 5 --warmup 2)
  EW=(--length 17984 --batch 32 --steps "${EW_STEPS:-1}" --warmup "${EW_WARMUP:-1}"); fi
# Every step that appends to bench.json is named "bench MODEL SHAPE": GpuMeasurements (paper-tables) pairs the
# log's successful "bench …" steps with bench.json's lines in order.
for m in diagonal block4 dplr4 wh dense sparse lstm transformer mamba; do
  step "bench $m regular" "${BENCH_SECS:-25}" "$OUT/bench.json" "${JAVA[@]}" bench --config "$CFG/$m.json" \
      --backend djl --device "$DEVICE" "${REG[@]}"
done
# the LSTM's step loop beside libtorch's fused LSTM op (cuDNN; on by default on a GPU, docs/models/lstm.md)
step "bench lstm-generic regular" "${BENCH_SECS:-25}" "$OUT/bench.json" "${JAVA[@]}" bench --config "$CFG/lstm.json" \
    --backend djl --device "$DEVICE" "${REG[@]}" --generic
# the backend's GEMM rate on this device (a square n = 4096 float32 GEMM and its two backward products), once
step "bench roofline regular" "${ROOFLINE_SECS:-45}" "$OUT/bench.json" "${JAVA[@]}" bench --config "$CFG/diagonal.json" --backend djl \
    --device "$DEVICE" --length 40 --batch 256 --steps 1 --warmup 1 --roofline \
    --roofline-n "$([ "$DRY" = 1 ] && echo 256 || echo 4096)"

# ---- (e) the authors' PyTorch models on the same GPU and shapes (no Java), regular size first ------------------
peers() { # peers SHAPES BUDGET SECS
  if [ -d "$KIT/peers/slice/models" ]; then
    MODELS="${PEER_MODELS:-lstm,transformer,diagonal,block4,dplr4,wh,dense,sparse}" STEPS="${PEER_STEPS:-2}" \
    DEVICE="$PD" SHAPES="$1" BUDGET_S="$2" PEER_SLICE_DIR="$KIT/peers/slice" PYTHONUNBUFFERED=1 \
        step "peers $1" "$3" "$LOG" "$PY" "$HERE/peers_gpu.py" "$OUT/peers_$(echo "$1" | cut -d: -f1).json"
  else
    log "peers: no $KIT/peers/slice/models (pack with PEER_SLICE_DIR set)"
  fi
}
if [ "$DRY" = 1 ]; then PD=cpu; peers regular:8:16 30 40; else PD=cuda; peers regular:256:40 50 70; fi

# ---- (b, long) the EigenWorms shape: length 17 984 ---------------------------------------------------------------
# 60 s a step: the H200 run of 2026-12-04 gave D 18 s and BD4 24 s for a warm-up and a timed step; DE, LSTM, LRU
# and S5 needed more than 30 s (docs/gpu.md §4)
for m in diagonal block4 dense lstm; do
  step "bench $m eigenworms" "${EW_SECS:-60}" "$OUT/bench.json" "${JAVA[@]}" bench --config "$CFG/$m.json" \
      --backend djl --device "$DEVICE" "${EW[@]}"
done
for m in lru S5 S6 mamba; do # R3's UEA classifiers at the EigenWorms shape (6 channels, 5 classes)
  step "bench r3 $m eigenworms" "${EW_SECS:-60}" "$OUT/bench.json" "${JAVA[@]}" bench --r3-model "$m" \
      --channels 6 --classes 5 --backend djl --device "$DEVICE" "${EW[@]}"
done

# ---- (c) the parallel (associative scan) form against the recurrent one ---------------------------------------
if [ "$DRY" = 1 ]; then LENS="16 64"; else LENS="1024 4096 17984"; fi
for L in $LENS; do
  for m in diagonal block4 dense; do
    step "forms $m L=$L" "${FORMS_SECS:-20}" "$OUT/scan.json" "${JAVA[@]}" bench --config "$CFG/$m.json" --backend djl \
        --device "$DEVICE" --length "$L" --forms --forms-batch 4 --no-train-steps
  done
done
if [ "$DRY" = 1 ]; then peers eigenworms:2:64 30 40; else peers eigenworms:32:17984 "${PEER_EW_BUDGET:-60}" "${PEER_EW_SECS:-80}"; fi

log "done in $(( $(date +%s) - T0 ))s"
