#!/usr/bin/env bash
# Compiles every CUDA source in $1 into a fatbin in $2 (called by Maven in process-resources);
# $3 keeps the compiler and flags of the last build, which a change of either makes stale.
# The fatbin holds sm_90 machine code (the H200) and compute_75 PTX, which the driver compiles
# for any newer GPU. Without nvcc, nothing is built and the CUDA backend reports that at run time.
set -euo pipefail
src="$1" out="$2" stamp_file="$3"
nvcc="$(command -v nvcc || true)"
[ -z "$nvcc" ] && [ -x "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc" ] && nvcc="${CUDA_HOME:-/usr/local/cuda}/bin/nvcc"
if [ -z "$nvcc" ]; then
  echo "[kernels] nvcc not found: CUDA kernels are not built (the CUDA backend will say so)"
  exit 0
fi
mkdir -p "$out"
flags="-fatbin -std=c++17 -O3 -Xptxas -warn-spills -Werror all-warnings
  -gencode arch=compute_90,code=sm_90 -gencode arch=compute_75,code=compute_75"
# A change of compiler or flags rebuilds every fatbin.
stamp="$nvcc $("$nvcc" --version | tail -1) $flags"
if [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]; then
  rm -f "$out"/*.fatbin
  echo "$stamp" > "$stamp_file"
fi
for cu in "$src"/*.cu; do
  name="$(basename "$cu" .cu)"
  target="$out/$name.fatbin"
  # Rebuild only what changed: a source or any header newer than its fatbin.
  if [ -f "$target" ] && [ -z "$(find "$src" -newer "$target" -name '*.cu*' -print -quit)" ]; then continue; fi
  echo "[kernels] nvcc $name.cu"
  # shellcheck disable=SC2086
  "$nvcc" $flags -I"$src" -o "$target" "$cu"
done
