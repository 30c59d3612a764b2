#!/usr/bin/env bash
# Builds the emulated CUDA device into $3 (called by Maven before the tests; see
# docs/cuda-kernels.md, "The emulated device"):
#   libcuda.so.1        a stand-in for the CUDA driver (the sources in $2), found by JCuda through
#                       LD_LIBRARY_PATH in the tests
#   <family>.so         each CUDA source of $1 compiled as host C++ with cuda_emulated.h
#   <family>.module     the module image that names it, which KernelModule loads in the tests
# Without a C++ compiler nothing is built, not-built.txt says why, and the GPU tests skip.
set -euo pipefail
src="$1" emulator="$2" out="$3"
cxx="${CXX:-$(command -v g++ || command -v c++ || true)}"
mkdir -p "$out"
if [ -z "$cxx" ]; then
  rm -f "$out"/*.so "$out"/*.module "$out"/libcuda.so.1
  echo "no C++ compiler to build the emulated CUDA device" > "$out/not-built.txt"
  echo "[kernels] no C++ compiler (g++ or c++): the emulated CUDA device is not built; the GPU tests skip"
  exit 0
fi
rm -f "$out/not-built.txt"
# -U_FORTIFY_SOURCE (for device.cpp): its longjmp refuses to jump between fiber stacks.
# -ffp-contract=off: no multiply-add is fused unless the kernel says fmaf, as __fmul_rn and
# __fadd_rn promise. -g: a debugger steps through the kernels' source lines.
flags="-std=c++17 ${EMULATOR_OPT:--O2} -march=native -g -fPIC -ffp-contract=off -Wall -Wno-unknown-pragmas -Wno-unused-function -Wno-sign-compare"
# A change of compiler or flags rebuilds everything.
stamp="$cxx $("$cxx" -dumpfullversion 2>/dev/null || true) $flags"
if [ "$(cat "$out/flags" 2>/dev/null)" != "$stamp" ]; then
  rm -f "$out"/*.so "$out"/libcuda.so.1
  echo "$stamp" > "$out/flags"
fi

# Whether $1 is missing or older than any file matching $3 under $2.
stale() { [ ! -f "$1" ] || [ -n "$(find "$2" -newer "$1" -name "$3" -print -quit)" ]; }

driver="$out/libcuda.so.1"
if stale "$driver" "$emulator" '*.[ch]*'; then
  echo "[kernels] building the emulated CUDA device (libcuda.so.1)"
  # shellcheck disable=SC2086
  "$cxx" $flags -shared -fvisibility=hidden -fvisibility-inlines-hidden -Wl,-soname,libcuda.so.1 -o "$driver" \
    -U_FORTIFY_SOURCE "$emulator"/device.cpp "$emulator"/memory.cpp "$emulator"/driver_*.cpp "$emulator"/unsupported.cpp -ldl -lpthread
fi

for cu in "$src"/*.cu; do
  family="$(basename "$cu" .cu)"
  library="$out/$family.so"
  echo "cebm emulated kernels: $library" > "$out/$family.module"
  if ! stale "$library" "$src" '*.cu*' && ! stale "$library" "$emulator" '*.h'; then continue; fi
  echo "[kernels] host-compiling $family.cu for the emulated device"
  # The kernels' table (kernel_table.h): every extern "C" __global__ function of the source.
  kernels="$(tr '\n' ' ' < "$cu" | grep -oP 'extern\s+"C"\s+__global__\s+void\s+(__launch_bounds__\s*\([^)]*\)\s*)?\K\w+' \
    | sed 's/.*/KERNEL(&)/' | paste -sd, -)"
  printf '#include "%s"\n#include "kernel_table.h"\nEMULATED_KERNELS(%s)\n' "$cu" "$kernels" > "$out/$family.cpp"
  # shellcheck disable=SC2086
  "$cxx" $flags -shared -include "$emulator/cuda_emulated.h" -I"$src" -I"$emulator" -o "$library" "$out/$family.cpp" \
    -L"$out" -l:libcuda.so.1 -Wl,-rpath,'$ORIGIN'
done
