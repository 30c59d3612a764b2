#!/usr/bin/env bash
# Runs THERE, on the GPU machine (no JVM, no Maven, no network), from the root of a copy of the
# working tree with .device/ beside it, after bench/gpu/prepare.sh here; $OUT names the folder
# whose files come back from that machine:
#
#   bash bench/gpu/on-device.sh        (allow it 600 s)
#
# One call has to bring back everything a failed first run needs, so no phase stops the others
# and every phase has its own time limit inside the whole budget ($CEBM_GPU_BUDGET seconds):
#   1. bundle: unpacks .device/bundle.tar.xz to /tmp/cebm-gpu and checks that it was built from this tree;
#   2. GPU: nvidia-smi and the CUDA probe (`cebm info`);
#   3. tests: every GPU test class in a JVM of its own (a crash or a hang costs that class only),
#      with CUDA_LAUNCH_BLOCKING=1 so that an asynchronous fault is reported by the launch that
#      caused it, kernels with -Dcebm.cuda.poison=true as Maven runs them;
#   4. benchmarks (JMH, one run per benchmark, so a cut-off run keeps what finished): the whole
#      encoder, log-normalizer, GEMM, SGLD step, a training iteration with and without the CUDA
#      graph; marked "unverified" when a test failed;
#   5. the PyTorch peer (torch_cebm.py time), eager, fp32 with TF32 off and TF32 on;
#   6. compute-sanitizer --tool memcheck over a few kernel test classes;
#   7. training: `cebm train --preset code-mnist --device cuda` on the bundle's MNIST (or resumes
#      .device/resume.tar.xz), checkpointing every $CEBM_GPU_CHECKPOINT_EVERY steps;
#   8. the peer under torch.compile, then each convolution layer's benchmarks, in the time left.
#
# Files in $OUT (at most 8 come back): results.md (summary first), on-device.log
# (everything printed, as it is printed), jmh.json (every benchmark that finished, rewritten after
# each), torch.jsonl, tests.tgz (JUnit XML and each class's log), train.tgz.part-00 and -01 (the
# run folder, in pieces of 15 MiB),
# crash/ (JVM crash logs, written there by the JVM).
# Exit status: 0 everything passed; 1 a test failed; 2 no usable GPU; 3 no bundle, or one built
# from other sources.
#
# Settings: CEBM_GPU_BUDGET (seconds in all, default 500), CEBM_GPU_PHASES (which phases, default
# "tests bench peer memcheck train compile layers"), CEBM_GPU_TRAIN_SECONDS (default 150),
# CEBM_GPU_CHECKPOINT_EVERY (default 100), CEBM_GPU_ALLOW_STALE=1 (run a bundle built from other
# sources), CEBM_GPU_BACKEND=cpu (try the benchmark steps without a GPU: the dry run is
# `OUT=/tmp/out CEBM_GPU_BACKEND=cpu bash bench/gpu/on-device.sh`).
set -uo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
start=$SECONDS
budget="${CEBM_GPU_BUDGET:-500}"
phases=" ${CEBM_GPU_PHASES:-tests bench peer memcheck train compile layers} "
backend="${CEBM_GPU_BACKEND:-cuda}"
: "${OUT:?set OUT to the folder for the results, the one whose files come back}"
mkdir -p "$OUT/crash"
exec > >(tee "$OUT/on-device.log") 2>&1
log_pid=$!
# Lets tee write the end of the log before $OUT is collected.
trap 'exec >&- 2>&-; wait "$log_pid"' EXIT

bundle=/tmp/cebm-gpu
java="$bundle/jre/bin/java"
# Every JVM of this script writes its crash log into $OUT, which comes back.
jvm_flags=(--add-modules jdk.incubator.vector -XX:ObjectAlignmentInBytes=64 "-XX:ErrorFile=$OUT/crash/hs_err_pid%p.log")
left() { echo $((budget - (SECONDS - start))); }
section() { echo; echo "==== $* ($((SECONDS - start)) s)"; }
wanted() { [[ "$phases" == *" $1 "* ]]; }
# The smaller of a phase's own limit and the time left minus a reserve for the phases after it.
limit() { local own="$1" reserve="$2" l; l=$(( $(left) - reserve )); [ "$l" -lt "$own" ] && echo "$l" || echo "$own"; }

commit=unknown sources=unknown gpu="" driver="" probe="(not run)"
test_table="(not run)" failed_classes="" bench_md="" peer_md="" memcheck_md="(not run)" train_md="(not run)"

# Writes results.md from what has been collected so far: the summary first, then each part.
write_results() {
  local verdict="$1"
  {
    echo "# CUDA results $(date -u +%Y-%m-%d) $commit"
    echo
    echo "## Summary"
    echo
    echo "- Verdict: $verdict"
    echo "- GPU: ${gpu:-none}; driver ${driver:-none}"
    echo "- Commit: $commit (the bundle's; sources $sources)"
    echo "- Machine: $(nproc) cores; $("$java" -version 2>&1 | sed -n 2p)"
    echo "- Failed test classes: ${failed_classes:-none}"
    echo "- Time: $((SECONDS - start)) s of a $budget s budget"
    echo
    echo "## GPU tests (JUnit, one JVM per class, CUDA_LAUNCH_BLOCKING=1)"
    echo
    echo "$test_table"
    echo
    echo "## compute-sanitizer memcheck"
    echo
    echo "$memcheck_md"
    if [ -n "$bench_md" ]; then
      echo
      echo "## CUDA benchmarks (JMH, 1 s iterations)"
      [ -n "$failed_classes" ] && printf '\nUNVERIFIED: these ran although GPU tests failed (%s).\n' "$failed_classes"
      echo
      echo "$bench_md"
    fi
    if [ -n "$peer_md" ]; then
      echo
      echo "## PyTorch peer (torch_cebm.py time: batch 128, 60 SGLD steps)"
      echo
      echo "$peer_md"
    fi
    echo
    echo "## Training (cebm train --device cuda)"
    echo
    echo "$train_md"
    echo
    echo "## Probe (cebm info)"
    echo
    echo '```'
    echo "$probe"
    echo '```'
  } > "$results.tmp" && mv "$results.tmp" "$results"
}
results="$OUT/results.md"

section "bundle"
if [ ! -f .device/bundle.tar.xz ]; then
  echo "no .device/bundle.tar.xz: run bench/gpu/prepare.sh on the build machine, and copy .device beside the tree"
  exit 3
fi
# tar needs the xz program for this; Python's tarfile reads xz by itself.
rm -rf "$bundle" && { tar -xJf .device/bundle.tar.xz -C /tmp 2>/dev/null \
  || python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' .device/bundle.tar.xz /tmp; } || exit 3
commit="$(cat "$bundle/COMMIT")"
sources="$(cat "$bundle/SOURCES")"
echo "bundle: built from $commit, sources $sources"
if [ "$(bench/gpu/fingerprint.sh)" != "$sources" ] && [ "${CEBM_GPU_ALLOW_STALE:-0}" != 1 ]; then
  echo "the bundle was built from other sources than this tree: run bench/gpu/prepare.sh again (or set CEBM_GPU_ALLOW_STALE=1)"
  exit 3
fi
# The runtime's AWT libraries link a few libraries (freetype, libpng, ...) that a minimal image may
# lack: the bundle's copies stand in for the missing ones only.
# Until none is missing: a library found this way can itself link others that are missing.
mkdir -p "$bundle/missing-libs"
export LD_LIBRARY_PATH="$bundle/missing-libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
for round in 1 2 3 4 5; do
  added=0
  for name in $(ldd "$bundle"/jre/lib/*.so "$bundle"/missing-libs/*.so* 2>/dev/null | awk '/not found/ {print $1}' | sort -u); do
    if [ -f "$bundle/syslibs/$name" ] && [ ! -e "$bundle/missing-libs/$name" ]; then
      ln -s "$bundle/syslibs/$name" "$bundle/missing-libs/$name" && echo "using the bundle's $name" && added=1
    fi
  done
  [ "$added" = 0 ] && break
done
ldd "$bundle"/jre/lib/*.so 2>/dev/null | grep 'not found' | sort -u | sed 's/^/still missing: /'
# Java finds fonts through fontconfig, and the GPU machine has none: the plots' labels use the
# bundle's font (without any, Java fails with "Fontconfig head is null").
mkdir -p /tmp/cebm-fontconfig
cat > "$bundle/fonts.conf" <<FONTS
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$bundle/jre/lib/fonts</dir><cachedir>/tmp/cebm-fontconfig</cachedir></fontconfig>
FONTS
export FONTCONFIG_FILE="$bundle/fonts.conf"
classpath="$(printf '%s:' "$bundle"/lib/*.jar)"
write_results "started"

section "GPU"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi
  gpu="$(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | head -1)"
  driver="$(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -1)"
else
  echo "nvidia-smi: not found (no NVIDIA driver on this machine)"
fi

section "probe"
probe="$(timeout 60 "$bundle/bin/cebm" info 2>&1 | grep -v 'WARNING: Using incubator modules')"
echo "$probe"
backends="$(timeout 60 "$java" -cp "$classpath$bundle/bench.jar" cebm.bench.UsableBackends 2>"$bundle/why-not")"
why_not="$(sed 's/^skipping //' "$bundle/why-not")"
usable=1
[[ ",$backends," == *,$backend,* ]] || usable=0
write_results "probe done"

# --- tests ------------------------------------------------------------------------------------
# MODULE CLASS: one GPU test class in its own JVM, its output printed as it comes and kept.
run_test_class() {
  local module="$1" class="$2" seconds="$3" properties=() status
  [ "$module" = kernels ] && properties=(-Dcebm.cuda.poison=true)
  mkdir -p "$bundle/tests-out/$module"
  echo "-- $module $class (at most $seconds s)"
  # Each module's tests run in its folder, as Maven runs them.
  (cd "$module" && CUDA_LAUNCH_BLOCKING=1 timeout -k 5 "$seconds" "$java" "${jvm_flags[@]}" -Xmx4g "${properties[@]}" \
    -jar "$bundle/junit-platform-console-standalone.jar" execute \
    --disable-banner --disable-ansi-colors --details=tree \
    --class-path "$bundle/tests/$module:$classpath" --select-class "$class" \
    --include-tag gpu --reports-dir "$bundle/tests-out/$module/$class") 2>&1 | tee "$bundle/tests-out/$module/$class.log"
  status=${PIPESTATUS[0]}
  local log="$bundle/tests-out/$module/$class.log"
  num() { awk -v what="tests $1" 'index($0, what) {print $2; exit}' "$log"; }
  local outcome=passed
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then outcome="TIMED OUT after $seconds s"
  elif [ "$status" -ne 0 ]; then outcome="FAILED (exit $status)"
  elif [ "$(num successful)" = 0 ]; then outcome="skipped"
  fi
  [ "$outcome" != passed ] && [ "$outcome" != skipped ] && failed_classes+=" ${class##*.}"
  local why=""
  [ "$outcome" = skipped ] && why="$(grep -o 'no GPU to run on: [^]]*\|Assumption failed: [^]]*' "$log" | head -1)"
  test_table+=$'\n'"| $module | ${class##*.} | $(num found) | $(num successful) | $(num skipped) | $(num aborted) | $(num failed) | $outcome $why |"
}
if wanted tests; then
  section "GPU tests"
  test_table="| module | class | found | successful | skipped | aborted | failed | outcome |"$'\n'"|---|---|---|---|---|---|---|---|"
  phase_end=$(( SECONDS + $(limit 200 200) ))
  # Every class tagged gpu, found in the sources that travelled with the bundle.
  for source in $(grep -rl -E '^@GpuTest|^@Tag\("gpu"\)' --include='*Test.java' */src/test/java | grep -v '/GpuTest.java$' | sort); do
    module="${source%%/*}"
    class="$(echo "${source#*/src/test/java/}" | sed 's/\.java$//; s#/#.#g')"
    seconds=$(( phase_end - SECONDS )); [ "$seconds" -gt 90 ] && seconds=90
    if [ "$seconds" -lt 10 ]; then
      test_table+=$'\n'"| $module | ${class##*.} | | | | | | NOT RUN (test phase time spent) |"
      failed_classes+=" ${class##*.}(not run)"
      continue
    fi
    run_test_class "$module" "$class" "$seconds"
    write_results "tests running"
  done
  tar -czf "$OUT/tests.tgz" -C "$bundle" tests-out 2>/dev/null
  [ "$usable" = 0 ] && test_table+=$'\n\n'"No usable GPU: ${why_not:-the CUDA backend is not usable here}"
fi

# --- benchmarks -------------------------------------------------------------------------------
mkdir -p "$bundle/jmh-parts"
# Merges every finished benchmark's JSON into $OUT/jmh.json and prints the Markdown table.
merge_jmh() {
  python3 - "$bundle/jmh-parts" "$OUT/jmh.json" <<'PY'
import json, os, sys
parts, out = sys.argv[1], sys.argv[2]
runs = []
for name in sorted(os.listdir(parts)):
    try:
        part = json.load(open(os.path.join(parts, name)))
    except Exception:
        continue  # a run cut off before JMH wrote its file
    for r in part:
        r.setdefault("params", {})["cudaGraphs"] = "off" if name.startswith("nograph") else "on"
    runs += part
json.dump(runs, open(out + ".tmp", "w"), indent=1)
os.replace(out + ".tmp", out)
PY
}
# NAME SECONDS REGEX JMH_ARGS...: each benchmark matching REGEX as a JMH run of its own.
benchmarks() {
  local name="$1" seconds="$2" regex="$3"; shift 3
  local phase_end=$(( SECONDS + seconds )) bench i=0 status
  for bench in $("$java" "${jvm_flags[@]}" -cp "$classpath$bundle/bench.jar" org.openjdk.jmh.Main -l "$regex" | grep '^cebm\.'); do
    i=$((i + 1))
    local t=$(( phase_end - SECONDS ))
    if [ "$t" -lt 20 ]; then echo "not run (time spent): $bench"; bench_md+=$'\n'"Not run (time spent): $bench"; continue; fi
    echo "-- JMH $bench (at most $t s)"
    # JAVA_TOOL_OPTIONS reaches the forked JVM without replacing the benchmarks' own -jvmArgsAppend.
    JAVA_TOOL_OPTIONS="-XX:ErrorFile=$OUT/crash/hs_err_pid%p.log ${extra_jvm_options:-}" \
      timeout -k 5 "$t" "$java" "${jvm_flags[@]}" -cp "$classpath$bundle/bench.jar" org.openjdk.jmh.Main "^$bench\$" \
      -p backend="$backend" -p arch=paper28,paper32 -p preset=paper-mnist -p sgldSteps=60 \
      -f 1 -w 1s -r 1s -to 60s -foe false -rf json -rff "$bundle/jmh-parts/$name-$i.json" "$@"
    status=$?
    [ "$status" -ne 0 ] && bench_md+=$'\n'"JMH exit $status (124: time limit) for $bench"
    merge_jmh
  done
}
bench_table() {
  [ -s "$OUT/jmh.json" ] && "$java" -cp "$classpath$bundle/bench.jar" cebm.bench.ResultsTable "$OUT/jmh.json"
}
if wanted bench && [ "$usable" = 1 ]; then
  section "CUDA benchmarks: encoder, log-normalizer, GEMM, SGLD step, training iteration"
  benchmarks main "$(limit 150 200)" 'Conv2dSwishBench.encoder|LogNormalizerBench|MatmulBench|SgldStepBench|TrainingIterationBench' -wi 2 -i 3
  section "CUDA benchmarks: training iteration without the CUDA graph"
  extra_jvm_options=-Dcebm.cuda.graphs=false benchmarks nograph "$(limit 30 170)" 'TrainingIterationBench' -wi 2 -i 3
  bench_md="$(bench_table)$bench_md"
  write_results "benchmarks done"
fi

# --- PyTorch peer -----------------------------------------------------------------------------
has_peer=0
if [ ! -f "$bundle/torch_cebm.py" ]; then
  peer_md="Not run: the bundle has no torch_cebm.py."
elif ! python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  peer_md="Not run: no python3 with a CUDA build of torch here."
else
  has_peer=1
fi
# MODE DTYPE SECONDS ARCH...: times the peer, one JSON line per run into $OUT/torch.jsonl.
peer() {
  local mode="$1" dtype="$2" seconds="$3" arch; shift 3
  for arch in "$@"; do
    echo "-- torch $arch $mode $dtype (at most $seconds s)"
    PYTHONUNBUFFERED=1 timeout "$seconds" python3 "$bundle/torch_cebm.py" time --arch "$arch" --mode "$mode" --dtype "$dtype" \
      | tee -a "$OUT/torch.jsonl" || echo "torch $arch $mode $dtype: did not finish (exit $?)"
  done
}
# The peer's times beside this engine's training iteration (TrainingIterationBench, 60 SGLD steps, graph on).
peer_table() {
  python3 - "$OUT/torch.jsonl" "$OUT/jmh.json" <<'PY'
import json, os, sys
peer_file, jmh_file = sys.argv[1], sys.argv[2]
ours = {}
if os.path.exists(jmh_file):
    for r in json.load(open(jmh_file)):
        if r["benchmark"].endswith("TrainingIterationBench.iteration") and r["params"].get("cudaGraphs") == "on":
            ours[r["params"]["preset"]] = 1000 / r["primaryMetric"]["score"]
print("| arch | mode | dtype | PyTorch median ms | min | max | torch | this engine (cuda, graph) ms | PyTorch / this engine |")
print("|---|---|---|---|---|---|---|---|---|")
runs = [json.loads(l) for l in open(peer_file) if l.startswith("{")] if os.path.exists(peer_file) else []
for p in runs:
    mine = ours.get({"mnist": "paper-mnist", "cifar": "paper-cifar"}.get(p["arch"], ""))
    print("| %s | %s | %s | %.2f | %.2f | %.2f | %s | %s | %s |" % (p["arch"], p["mode"], p.get("dtype", "fp32"),
          p["ms_median"], p["ms_min"], p["ms_max"], p["torch"],
          "%.2f" % mine if mine else "", "%.2f" % (p["ms_median"] / mine) if mine else ""))
PY
}
if wanted peer && [ "$has_peer" = 1 ]; then
  section "PyTorch peer, eager"
  peer eager fp32 "$(limit 60 150)" mnist
  peer eager tf32 "$(limit 40 140)" mnist
  peer_md="$(peer_table)"
  write_results "peer done"
fi

# --- memcheck ---------------------------------------------------------------------------------
if wanted memcheck && [ "$usable" = 1 ]; then
  section "compute-sanitizer memcheck"
  seconds="$(limit 75 120)"
  sanitizer="$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null | head -1)"
  if [ -z "$sanitizer" ]; then
    memcheck_md="Not run: no compute-sanitizer on this machine."
  elif [ "$seconds" -lt 20 ]; then
    memcheck_md="Not run: the time budget was spent."
  else
    (cd kernels && CUDA_LAUNCH_BLOCKING=1 timeout -k 5 "$seconds" "$sanitizer" --tool memcheck --target-processes all --error-exitcode 99 \
      "$java" "${jvm_flags[@]}" -Xmx4g -Dcebm.cuda.poison=true -jar "$bundle/junit-platform-console-standalone.jar" execute \
      --disable-banner --disable-ansi-colors --details=summary --class-path "$bundle/tests/kernels:$classpath" \
      --select-class cebm.kernels.ElementwiseKernelsTest --select-class cebm.kernels.Conv2dKernelsTest \
      --select-class cebm.kernels.LogNormalizerKernelsTest --select-class cebm.kernels.SgldKernelsTest \
      --include-tag gpu) 2>&1 | tee "$bundle/memcheck.log"
    status=${PIPESTATUS[0]}
    memcheck_md="Classes: Elementwise, Conv2d, LogNormalizer, Sgld kernel tests; exit $status (0 clean, 99 errors found, 124 time limit of $seconds s)."$'\n\n''```'$'\n'"$(grep -E '=========|tests (successful|failed)' "$bundle/memcheck.log" | head -40)"$'\n''```'
  fi
  write_results "memcheck done"
fi

# --- training ---------------------------------------------------------------------------------
if wanted train && [ "$usable" = 1 ]; then
  section "training on the GPU"
  seconds="$(limit "${CEBM_GPU_TRAIN_SECONDS:-150}" 40)"
  run_dir="$bundle/train-run"
  if [ -f .device/resume.tar.xz ]; then
    mkdir -p "$run_dir" && { tar -xJf .device/resume.tar.xz -C "$run_dir" --strip-components=1 2>/dev/null \
      || python3 -c 'import sys, tarfile, shutil, pathlib
t = tarfile.open(sys.argv[1]); t.extractall("/tmp/resume-unpacked")
top = next(pathlib.Path("/tmp/resume-unpacked").iterdir())
for f in top.iterdir(): shutil.move(str(f), sys.argv[2])' .device/resume.tar.xz "$run_dir"; }
    train_args=(--resume "$run_dir" --data-dir "$root/.device/data" --checkpoint-every "${CEBM_GPU_CHECKPOINT_EVERY:-100}"
      --probe-every 500)
    echo "resuming $(cat "$run_dir/config.json" | head -c 200)"
  else
    train_args=(--preset code-mnist --data-dir "$root/.device/data" --out "$run_dir"
      --checkpoint-every "${CEBM_GPU_CHECKPOINT_EVERY:-100}" --sample-every 500 --log-every 50)
  fi
  if [ "$seconds" -lt 30 ]; then
    train_md="Not run: the time budget was spent."
  else
    JAVA_TOOL_OPTIONS="-XX:ErrorFile=$OUT/crash/hs_err_pid%p.log" timeout -k 10 "$seconds" "$bundle/bin/cebm" train "${train_args[@]}" --device "$backend" 2>&1
    status=$?
    # The checkpoint (parameters, Adam state, replay buffer) can pass 16 MiB, the most one file brings back.
    tar -czf - -C "$bundle" train-run | split -b 15m -d - "$OUT/train.tgz.part-"
    last="$(tail -1 "$run_dir/metrics.csv" 2>/dev/null)"
    train_md="Exit $status after at most $seconds s (124: stopped at the time limit; the checkpoint holds the last multiple of the checkpoint interval). Last metrics line: \`$last\` (columns: $(head -1 "$run_dir/metrics.csv" 2>/dev/null)). Run folder in train.tgz.part-* (\`cat train.tgz.part-* | tar -xz\`)."
  fi
  write_results "training done"
fi

# --- what is left: torch.compile and each layer ----------------------------------------------
if wanted compile && [ "$has_peer" = 1 ] && [ "$(left)" -gt 80 ]; then
  section "PyTorch peer, torch.compile"
  peer compile fp32 "$(limit 120 30)" mnist
  peer_md="$(peer_table)"
fi
if wanted layers && [ "$usable" = 1 ] && [ "$(left)" -gt 40 ]; then
  section "CUDA benchmarks: each convolution layer"
  benchmarks layers "$(limit 120 15)" 'Conv2dSwishBench.(forward|inputGrad|weightGrad)$' -wi 1 -i 3
  bench_md="$(bench_table)"
fi
peer_md="${peer_md:-}"

section "verdict"
tar -czf "$OUT/tests.tgz" -C "$bundle" tests-out 2>/dev/null
rmdir "$OUT/crash" 2>/dev/null
if [ "$usable" = 0 ]; then verdict="NO USABLE GPU: ${why_not:-the CUDA backend is not usable here}"; status=2
elif [ -n "$failed_classes" ]; then verdict="GPU TESTS FAILED:$failed_classes (benchmarks unverified)"; status=1
else verdict="all GPU tests passed"; status=0
fi
write_results "$verdict"
echo "$verdict"
echo "(results.md and the logs are in \$OUT; $((SECONDS - start)) s in all)"
exit "$status"
