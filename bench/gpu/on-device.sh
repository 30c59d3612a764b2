#!/usr/bin/env bash
# Runs THERE, on the GPU machine (no JVM, no Maven, no network), from the repository root, with
# $OUT set by the device tool, after bench/gpu/prepare.sh here:
#
#   run(command="bash bench/gpu/on-device.sh", carry=[".device"], timeout_s=600)
#
# In order, stopping at the first step that fails:
#   1. unpacks .device/bundle.tgz to /tmp/cebm-gpu and checks that it was built from this tree;
#   2. prints nvidia-smi and the CUDA probe (`cebm info`);
#   3. runs every module's GPU-tagged JUnit tests (kernels with -Dcebm.cuda.poison=true, as Maven does);
#      stops if one fails, and stops with a clear message if there is no usable GPU (the tests then
#      skip with the probe's reason: that is the dry run, `OUT=/tmp/out bash bench/gpu/on-device.sh`);
#   4. runs the CUDA benchmarks (JMH, -f 1 and 1 s iterations; paper28 and paper32) and times the
#      PyTorch peer (torch_cebm.py time: mnist and cifar, fp32), if python3 with a CUDA torch is
#      there, most important first: the whole-encoder, log-normalizer, SGLD-step and training
#      benchmarks (-wi 2 -i 3), the peer in eager mode, the per-layer convolutions (-wi 1 -i 3),
#      the peer under torch.compile;
#   5. writes results.md: the summary to commit under bench/results/.
# The whole run keeps to about 9 minutes ($CEBM_GPU_BUDGET seconds, default 540): what does not
# fit in the time left is cut short or not run, and results.md says so.
#
# Files in $OUT (the tool brings back at most 8): results.md, on-device.log (everything printed),
# jmh-cuda.json and jmh-cuda-layers.json, junit-MODULE.xml (modules that ran tests), torch.jsonl.
# Exit status: 0 done; 1 a GPU test failed; 2 no usable GPU; 3 no bundle, or one built from other sources.
#
# Settings: CEBM_GPU_BENCH and CEBM_GPU_BENCH_LAYERS (JMH's regexes for the two benchmark runs),
# CEBM_GPU_BUDGET (seconds),
# CEBM_GPU_ALLOW_STALE=1 (run a bundle built from other sources), CEBM_GPU_BACKEND=cpu (try the
# benchmark steps without a GPU).
set -uo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
budget="${CEBM_GPU_BUDGET:-540}"
: "${OUT:?set OUT to the folder for the results (the device tool sets it)}"
mkdir -p "$OUT"
exec > >(tee "$OUT/on-device.log") 2>&1
log_pid=$!
# Lets tee write the end of the log before the tool collects $OUT.
trap 'exec >&- 2>&-; wait "$log_pid"' EXIT

bundle=/tmp/cebm-gpu
java="$bundle/jre/bin/java"
results="$OUT/results.md"
left() { echo $((budget - (SECONDS - start))); }
section() { echo; echo "==== $* ($((SECONDS - start)) s)"; }
# Writes results.md from the parts collected so far, prints the verdict, and exits with $1.
finish() {
  local status="$1" verdict="$2"
  {
    echo "# CUDA results $(date -u +%Y-%m-%d) $commit"
    echo
    echo "- GPU: ${gpu:-none}; driver ${driver:-none}"
    echo "- Machine: $(nproc) cores; $("$java" -version 2>&1 | sed -n 2p)"
    echo "- Commit: $commit (the bundle's; sources $sources)"
    echo "- Verdict: $verdict"
    echo
    echo "## Probe (cebm info)"
    echo
    echo '```'
    echo "$probe"
    echo '```'
    echo
    echo "## GPU tests (JUnit, --include-tag gpu)"
    echo
    echo "$tests"
    [ -n "$bench" ] && printf '\n## CUDA benchmarks (JMH: -f 1 -wi 2 -i 3, 1 s iterations)\n\n%s\n' "$bench"
    [ -n "$peer" ] && printf '\n## PyTorch peer (torch_cebm.py time: batch 128, 60 SGLD steps, fp32)\n\n%s\n' "$peer"
  } > "$results"
  section "verdict"
  echo "$verdict"
  echo "(results.md and the logs are in \$OUT; $((SECONDS - start)) s in all)"
  exit "$status"
}
# CEBM_GPU_BACKEND=cpu runs the benchmark steps on the CPU: only to try this script without a GPU.
backend="${CEBM_GPU_BACKEND:-cuda}"
commit=unknown sources=unknown gpu="" driver="" probe="(not run)" tests="(not run)" bench="" peer=""

section "bundle"
if [ ! -f .device/bundle.tgz ]; then
  echo "no .device/bundle.tgz: run bench/gpu/prepare.sh on the build machine, and name .device in carry"
  exit 3
fi
rm -rf "$bundle" && tar -xzf .device/bundle.tgz -C /tmp || exit 3
commit="$(cat "$bundle/COMMIT")"
sources="$(cat "$bundle/SOURCES")"
command -v git >/dev/null && here="$(git rev-parse --short HEAD 2>/dev/null)" && echo "this tree: git $here"
echo "bundle: built from $commit, sources $sources"
if [ "$(bench/gpu/fingerprint.sh)" != "$sources" ] && [ "${CEBM_GPU_ALLOW_STALE:-0}" != 1 ]; then
  echo "the bundle was built from other sources than this tree: run bench/gpu/prepare.sh again (or set CEBM_GPU_ALLOW_STALE=1)"
  exit 3
fi
# The runtime's AWT libraries link a few libraries (freetype, libpng, ...) that a minimal image may
# lack: the bundle's copies stand in for the missing ones only.
mkdir -p "$bundle/missing-libs"
for name in $(ldd "$bundle"/jre/lib/*.so 2>/dev/null | awk '/not found/ {print $1}' | sort -u); do
  [ -f "$bundle/syslibs/$name" ] && ln -sf "$bundle/syslibs/$name" "$bundle/missing-libs/$name" && echo "using the bundle's $name"
done
export LD_LIBRARY_PATH="$bundle/missing-libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

section "GPU"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi
  gpu="$(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | head -1)"
  driver="$(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -1)"
else
  echo "nvidia-smi: not found (no NVIDIA driver on this machine)"
fi

section "probe"
probe="$("$bundle/bin/cebm" info 2>&1 | grep -v 'WARNING: Using incubator modules')"
echo "$probe"
backends="$("$java" -cp "$bundle/lib/*:$bundle/bench.jar" cebm.bench.UsableBackends 2>"$bundle/why-not")"
why_not="$(sed 's/^skipping //' "$bundle/why-not")"

section "GPU tests"
classpath="$(printf '%s:' "$bundle"/lib/*.jar)"
tests="| module | found | successful | skipped | failed | aborted |"$'\n'"|---|---|---|---|---|---|"
failed_modules=""
count() { awk -v what="tests $1" 'index($0, what) {print $2; exit}' "$bundle/junit-$module.txt"; } # from the console's summary
for module in tensor autograd kernels cebm; do
  echo "-- $module"
  properties=()
  [ "$module" = kernels ] && properties=(-Dcebm.cuda.poison=true)
  reports="$bundle/reports/$module"
  # Each module's tests run in its folder, as Maven runs them.
  (cd "$module" && "$java" --add-modules jdk.incubator.vector -XX:ObjectAlignmentInBytes=64 -Xmx4g "${properties[@]}" \
    -jar "$bundle/junit-platform-console-standalone.jar" execute \
    --disable-banner --disable-ansi-colors --details=tree \
    --class-path "$bundle/tests/$module:$classpath" --scan-class-path "$bundle/tests/$module" \
    --include-tag gpu --reports-dir "$reports") > "$bundle/junit-$module.txt" 2>&1
  status=$?
  cat "$bundle/junit-$module.txt"
  tests+=$'\n'"| $module | $(count found) | $(count successful) | $(count skipped) | $(count failed) | $(count aborted) |"
  if [ "$status" -ne 0 ]; then failed_modules+=" $module"; fi
  if [ "$status" -ne 0 ] || [ "$(count found)" != 0 ]; then
    cp "$reports/TEST-junit-jupiter.xml" "$OUT/junit-$module.xml" 2>/dev/null
  fi
done
skip_reason="$(grep -ho 'no GPU to run on: [^]]*' "$bundle"/junit-*.txt | head -1)"
[ -n "$skip_reason" ] && tests+=$'\n\n'"Skipped: $skip_reason"
if [ -n "$failed_modules" ]; then
  tests+=$'\n\n'"Failures: see junit-MODULE.xml and on-device.log."
  finish 1 "GPU TESTS FAILED in:$failed_modules; the benchmarks were not run"
fi
if [[ ",$backends," != *,$backend,* ]]; then
  finish 2 "NO USABLE GPU: ${why_not:-the CUDA backend is not usable here}; the GPU tests were skipped and the benchmarks not run"
fi

# Most important first: the whole-encoder, SGLD and training benchmarks, the PyTorch peer in eager
# mode, then the per-layer convolutions, then the peer under torch.compile, each in the time left.
benchmarks() { # NAME TIME_LIMIT JMH_ARGS...: runs JMH into $OUT/jmh-NAME.json and prints its table
  local name="$1" limit="$2"; shift 2
  echo "JMH $name: at most $limit s" >&2
  if [ "$limit" -lt 30 ]; then echo "Not run: the time budget was spent."; return; fi
  timeout "$limit" "$java" -cp "$bundle/lib/*:$bundle/bench.jar" org.openjdk.jmh.Main "$@" \
    -p backend="$backend" -p arch=paper28,paper32 -p preset=paper-mnist,paper-cifar -p sgldSteps=60 \
    -f 1 -w 1s -r 1s -to 60s -foe false -rf json -rff "$OUT/jmh-$name.json" >&2
  local status=$?
  if [ -s "$OUT/jmh-$name.json" ]; then
    "$java" -cp "$bundle/lib/*:$bundle/bench.jar" cebm.bench.ResultsTable "$OUT/jmh-$name.json"
    [ "$status" -ne 0 ] && printf '\nJMH exited with status %s: some benchmarks failed (see on-device.log).\n' "$status"
  else
    echo "JMH did not finish (status $status; 124: stopped at the time budget): what it printed is in on-device.log."
  fi
}
peer_left_out=""
peer() { # MODE LIMIT: times the PyTorch peer on both architectures, appending to $OUT/torch.jsonl
  local mode="$1" limit arch
  for arch in mnist cifar; do
    limit="$2"
    [ "$(left)" -lt $((limit + 10)) ] && limit=$(( $(left) - 10 ))
    if [ "$limit" -lt 30 ]; then peer_left_out+=" $arch/$mode"; continue; fi
    echo "-- $arch $mode (at most $limit s)"
    PYTHONUNBUFFERED=1 timeout "$limit" python3 "$bundle/torch_cebm.py" time --arch "$arch" --mode "$mode" --dtype fp32 \
      | tee -a "$OUT/torch.jsonl" || peer_left_out+=" $arch/$mode"
  done
}
has_peer=0
if [ ! -f "$bundle/torch_cebm.py" ]; then
  peer_why="Not run: the bundle has no torch_cebm.py."
elif ! python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  peer_why="Not run: no python3 with a CUDA build of torch here."
else
  has_peer=1
fi

section "CUDA benchmarks: encoder, log-normalizer, SGLD step, training iteration"
main_patterns="${CEBM_GPU_BENCH:-Conv2dSwishBench.encoder|LogNormalizerBench|MatmulBench|SgldStepBench|TrainingIterationBench}"
bench="$(benchmarks cuda $(( $(left) - 240 )) "$main_patterns" -wi 2 -i 3)"
echo "$bench"
section "PyTorch peer, eager"
[ "$has_peer" = 1 ] && peer eager 60
section "CUDA benchmarks: each convolution layer"
layer_patterns="${CEBM_GPU_BENCH_LAYERS:-Conv2dSwishBench.(forward|inputGrad|weightGrad)$}"
layers="$(benchmarks cuda-layers $(( $(left) - 120 )) "$layer_patterns" -wi 1 -i 3)"
echo "$layers"
bench+=$'\n\n'"### Each convolution layer (-wi 1)"$'\n\n'"$layers"
section "PyTorch peer, torch.compile"
[ "$has_peer" = 1 ] && peer compile 150

if [ "$has_peer" = 1 ]; then
  # The peer's times beside ours for the same iteration (TrainingIterationBench, 60 SGLD steps).
  peer="$(python3 - "$OUT/torch.jsonl" "$OUT/jmh-cuda.json" <<'PY'
import json, os, sys
peer_file, jmh_file = sys.argv[1], sys.argv[2]
ours = {}
if os.path.exists(jmh_file):
    for r in json.load(open(jmh_file)):
        if r["benchmark"].endswith("TrainingIterationBench.iteration") and r["params"].get("sgldSteps") == "60":
            arch = {"paper-mnist": "mnist", "paper-cifar": "cifar"}[r["params"]["preset"]]
            ours[arch] = 1000 / r["primaryMetric"]["score"]
print("| arch | mode | PyTorch median ms | min | max | torch | this engine (cuda) ms |")
print("|---|---|---|---|---|---|---|")
runs = [json.loads(l) for l in open(peer_file) if l.startswith("{")] if os.path.exists(peer_file) else []
for p in runs:
    mine = "%.1f" % ours[p["arch"]] if p["arch"] in ours else ""
    print("| %s | %s | %.1f | %.1f | %.1f | %s | %s |" % (p["arch"], p["mode"], p["ms_median"], p["ms_min"], p["ms_max"], p["torch"], mine))
PY
)"
  [ -n "$peer_left_out" ] && peer+=$'\n\n'"Not finished (time budget or an error, see on-device.log):$peer_left_out"
else
  peer="$peer_why"
fi

case "$bench" in
  *"did not finish"*|*"JMH exited"*|*"Not run"*) finish 0 "GPU tests passed; some benchmarks failed or did not finish (see below)" ;;
  *) finish 0 "GPU tests passed; benchmarks and peer timings below" ;;
esac
