#!/usr/bin/env bash
# Regenerates the measurements behind the README's speed table: `lincde bench` at the R1 regular-language size
# (B 256, L 40, width 128, 2 blocks) for every config in ci/bench/configs, one JSON line each into OUT.
#
#   ci/bench/speed-table.sh [OUT] [MODEL...]       e.g. ci/bench/speed-table.sh /tmp/speed.jsonl s6 lstm
#
# Environment: BACKEND (djl), THREADS (2), WARMUP (5), STEPS (10), ROUNDS (1: run the list that many times, in
# order, so a slow phase of a shared machine hits every model alike; report the median per model). A model that
# fails is logged with its exit status and the others go on.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-speed.jsonl}"
shift || true
models=("$@")
if [ ${#models[@]} -eq 0 ]; then
  models=(d bd4 dplr4 wh de lstm transformer rnn s4 s6 mamba1 mamba2 deltanet deltanet2 gateddeltanet deltaproduct
          rwkv6 rwkv7 mlstm slstm xlstm)
fi
for round in $(seq 1 "${ROUNDS:-1}"); do
  for m in "${models[@]}"; do
    cfg="$here/configs/$m.json"
    [ -f "$cfg" ] || { echo "no config $cfg" >&2; exit 2; }
    line="$("$root/lincde" bench --config "$cfg" --batch 256 --length 40 --backend "${BACKEND:-djl}" \
      --threads "${THREADS:-2}" --warmup "${WARMUP:-5}" --steps "${STEPS:-10}" 2>/dev/null | tail -n 1)"
    rc=$?
    if [ $rc -ne 0 ] || [ "${line:0:1}" != "{" ]; then
      echo "$m: failed (exit $rc)" >&2
      continue
    fi
    echo "{\"model\": \"$m\", \"round\": $round, \"bench\": $line}" >> "$out"
    echo "$m round $round: $(echo "$line" | grep -o '"sec_per_step": *[0-9.eE-]*')" >&2
  done
done
