#!/usr/bin/env bash
# Runs a sweep as a Slurm job array, one task per shard, then merges the shards.
#
#   sbatch --array=1-8 Templates/slurm/batch-array.sh Templates/sweeps/foam-sweep.yaml /scratch/foam
#   sbatch --dependency=afterany:<array job id> --wrap \
#       "cephalo-forge batch merge /scratch/foam/shard-* --out /scratch/foam/merged"
#
# Each task writes /scratch/foam/shard-<i>; the shards cover the sweep exactly once and a
# rerun of a task skips the variants it already finished.
#SBATCH --job-name=cephalo-forge-sweep
#SBATCH --cpus-per-task=8
#SBATCH --mem=16G
#SBATCH --time=04:00:00
#SBATCH --output=cephalo-forge-%A_%a.log
set -euo pipefail

sweep="${1:?usage: sbatch --array=1-N batch-array.sh SWEEP OUT}"
out="${2:?usage: sbatch --array=1-N batch-array.sh SWEEP OUT}"
index="${SLURM_ARRAY_TASK_ID:?run this with sbatch --array=1-N}"
count="${SLURM_ARRAY_TASK_COUNT:?run this with sbatch --array=1-N}"
forge="${CEPHALO_FORGE:-cephalo-forge}"

"$forge" batch "$sweep" --out "$out/shard-$index" --shard "$index/$count" \
    --jobs 1 --memory-gb "$(( ${SLURM_MEM_PER_NODE:-16384} / 1024 ))"
