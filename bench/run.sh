#!/usr/bin/env bash
# Runs the JMH benchmarks and writes bench/results/<date>-<commit>.json and .md.
#   bench/run.sh            the quick subset: FMA peak, the encoder convolutions (and forward + input gradient on one core), the GEMMs alone, one SGLD step,
#                           the log-normalizer
#   bench/run.sh all        everything, including full training iterations (takes several minutes)
#   bench/run.sh REGEX ...  benchmarks matching JMH's regular expressions
# Extra JMH options can follow after --, e.g. bench/run.sh -- -prof gc
# Benchmarks with a backend parameter run on every backend usable here: the CPU, and CUDA where
# cebm.bench.UsableBackends finds a GPU (it says on stderr why not). CEBM_BENCH_BACKENDS=cpu
# (or cuda, or cpu,cuda) chooses by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp package -DskipTests -pl bench -am
patterns=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do patterns+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
if [ ${#patterns[@]} -eq 0 ]; then
  patterns=(FmaPeakBench Conv2dSwishBench.encoder Conv2dSwishOneCoreBench.encoderForwardAndInputGrad MatmulBench SgldStepBench LogNormalizerBench)
elif [ "${patterns[0]}" = "all" ]; then
  patterns=(.)
fi
backends="${CEBM_BENCH_BACKENDS:-$(java -cp bench/target/benchmarks.jar cebm.bench.UsableBackends)}"
stamp="$(date -u +%Y-%m-%d)-$(git rev-parse --short HEAD)"
out="bench/results/$stamp"
# Two forks of five iterations: the machine is shared, and single runs vary by 10-20 %.
java -jar bench/target/benchmarks.jar "${patterns[@]}" -p backend="$backends" -f 2 -i 5 -rf json -rff "$out.json" "$@"
{
  echo "# Benchmarks $stamp"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(java -version 2>&1 | head -1)"
  echo
  java -cp bench/target/benchmarks.jar cebm.bench.ResultsTable "$out.json"
} > "$out.md"
cat "$out.md"
