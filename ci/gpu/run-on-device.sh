#!/usr/bin/env bash
# lincde's GPU run: one prepared script for a GPU machine with no JDK, Maven or network (issue "GPU truth").
# Run from the repository root with the kit from ci/gpu/pack.sh in .gpukit/ and $OUT set; every step has its own
# timeout and a failed step never stops the next. Writes at most 8 files to $OUT:
#   probe.txt        GPU name, driver, memory; python3's torch and CUDA; the kit's java -version
#   conformance.txt  DJL conformance on --device gpu (float32 and float64) against the float64 reference
#   bench.json       lincde bench on the GPU: every LNCDE structure and baseline, regular-language and EigenWorms shapes
#   scan.json        recurrent vs associative-scan forward passes (bench --forms) at L = 1024, 4096, 17984
#   peers.json       the SLiCE authors' PyTorch models timed on the GPU at the same shapes (no Java needed)
#   mem.csv          nvidia-smi memory.used every 200 ms over the whole run
#   log.txt          every step's command, exit code, seconds and stderr tail
# Order: probe, peers, conformance, bench, forms; the whole run stops starting steps after TOTAL_SECS (380).
# --cpu-dry (or LINCDE_GPU_DRY=1): the same steps on the CPU with tiny shapes, for testing the script here.
# Env: OUT (default ./gpu-out), LINCDE_GPU_KIT (.gpukit), LINCDE_TORCH_LIB (a libtorch folder; default python3's
# torch/lib), PYTHON (python3), *_SECS per-step timeouts.
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
SITE="$(dirname "$(dirname "$TORCH_LIB")")"
export OPT_OUT_TRACKING=true DJL_OFFLINE=true OMP_WAIT_POLICY=PASSIVE
export PYTORCH_LIBRARY_PATH="$TORCH_LIB" PYTORCH_VERSION=2.7.1
# lincde's libdjl_torch.so is the 2.7.1 bridge; the machine's libtorch is whatever pip installed (2.11 there)
if [ "$DRY" = 1 ]; then DEVICE=cpu; export PYTORCH_FLAVOR=cpu; else DEVICE=gpu; export PYTORCH_FLAVOR=cu128; fi
# DJL finds the GPU count through JNA's libcudart.so (unversioned); pip's CUDA runtime ships only libcudart.so.N
SHIM="$(mktemp -d)"
for d in "$SITE"/nvidia/cuda_runtime/lib "$SITE"/nvidia/cu*/lib; do
  c="$(ls "$d"/libcudart.so.* 2>/dev/null | head -1)"; [ -n "$c" ] && ln -sf "$c" "$SHIM/libcudart.so" && break
done
export LD_LIBRARY_PATH="$SHIM:$TORCH_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# the 2.7.1 bridge must not preload test libraries of a newer wheel
export PYTORCH_LIBRARY_EXCLUSION="libjitbackend_test.so,libbackend_with_compiler.so,libtorchbind_test.so,libaoti_custom_ops.so,libtorch_python.so,libshm.so"
JAVA=("$KIT/jre/bin/java" -Xmx16g -Djava.awt.headless=true -Dai.djl.offline=true -DOPT_OUT_TRACKING=true
  -Dlincde.root.dir="$ROOT" -cp "$KIT/lib/*" org.lincde.harness.cli.Main)

DEADLINE=$(( T0 + ${TOTAL_SECS:-380} ))
step() { # step NAME SECONDS OUTFILE cmd...: stdout appended to OUTFILE, stderr tail to the log
  local name="$1" secs="$2" out="$3"; shift 3
  local s=$(date +%s) err rem; rem=$(( DEADLINE - s ))
  if [ "$rem" -lt 8 ]; then log "$name: skipped, the run's ${TOTAL_SECS:-380} s are spent"; return 0; fi
  [ "$secs" -gt "$rem" ] && secs=$rem
  err="$(mktemp)"
  timeout -k 5 "$secs" "$@" >> "$out" 2> "$err"; local rc=$?
  log "$name: rc=$rc in $(( $(date +%s) - s ))s: $*"
  tail -c 1500 "$err" | sed 's/^/    /' >> "$LOG"
  rm -f "$err"
  return 0
}

# ---- (e, first: it needs no Java and is the fallback) the authors' PyTorch peers on the GPU (no Java) ------------------------------------------------------
if [ -d "$KIT/peers/slice/models" ]; then
  if [ "$DRY" = 1 ]; then PSH="regular:8:16,eigenworms:2:64"; PD=cpu; else PSH="regular:256:40,eigenworms:32:17984"; PD=cuda; fi
  MODELS="${PEER_MODELS:-lstm,transformer,diagonal,block4,dplr4,wh,dense,sparse}" STEPS="${PEER_STEPS:-2}" \
  DEVICE="$PD" SHAPES="$PSH" BUDGET_S="${PEER_BUDGET:-100}" PEER_SLICE_DIR="$KIT/peers/slice" PYTHONUNBUFFERED=1 \
      step peers "${PEER_SECS:-130}" "$LOG" "$PY" "$HERE/peers_gpu.py" "$OUT/peers.json"
else
  log "peers: no $KIT/peers/slice/models (pack with PEER_SLICE_DIR set)"
fi
# ---- (a) conformance: DJL on the device against the float64 reference ----------------------------------------
if [ "$DRY" = 1 ]; then CONF_ARGS=(--structure diagonal --structure dense); else CONF_ARGS=(); fi
step conformance "${CONF_SECS:-120}" "$OUT/conformance.txt" "${JAVA[@]}" conformance --backend djl --device "$DEVICE" \
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
else REG=(--length 40 --batch 256 --steps 5 --warmup 2); EW=(--length 17984 --batch 32 --steps 1 --warmup 1); fi
for m in diagonal block4 dplr4 wh dense sparse lstm transformer mamba; do
  step "bench $m regular" "${BENCH_SECS:-25}" "$OUT/bench.json" "${JAVA[@]}" bench --config "$CFG/$m.json" \
      --backend djl --device "$DEVICE" "${REG[@]}"
done
for m in diagonal block4 dense lstm; do
  step "bench $m eigenworms" "${EW_SECS:-25}" "$OUT/bench.json" "${JAVA[@]}" bench --config "$CFG/$m.json" \
      --backend djl --device "$DEVICE" "${EW[@]}"
done
for m in lru S5 S6 mamba; do # R3's UEA classifiers at the EigenWorms shape (6 channels, 5 classes)
  step "bench r3 $m eigenworms" "${EW_SECS:-25}" "$OUT/bench.json" "${JAVA[@]}" bench --r3-model "$m" \
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

log "done in $(( $(date +%s) - T0 ))s"
