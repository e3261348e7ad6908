#!/usr/bin/env bash
# Stops the one-node Slurm cluster that ci/slurm-up.sh started (slurmd, slurmctld, munged).
set -uo pipefail
DIR="${LINCDE_SLURM_DIR:-/tmp/lincde-slurm}"
for pidfile in "$DIR/slurmd.pid" "$DIR/slurmctld.pid"; do
  [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
done
pkill -x slurmd 2>/dev/null; pkill -x slurmctld 2>/dev/null; pkill -x munged 2>/dev/null
echo "slurm-down: stopped"
