#!/usr/bin/env bash
# Runs the JMH benchmarks and writes bench/results/<date>-<commit>.json and .md.
#   bench/run.sh            the quick subset: FMA peak, the encoder convolutions (and forward + input gradient on one core), the GEMMs alone, one SGLD step,
#                           the log-normalizer
#   bench/run.sh all        everything, including full training iterations (takes several minutes)
#   bench/run.sh REGEX ...  benchmarks matching JMH's regular expressions
#   bench/run.sh peers      one SGLD step and one training iteration (paper MNIST encoder, batch 128,
#                           60 SGLD steps), on the CPU here and in PyTorch through DJL, and a table of
#                           each pair's times and their ratio, PyTorch / this engine (cebm.bench.PeerTable);
#                           builds with -Ppeers (libtorch's CPU build, 112 MB, from Maven Central on the
#                           first build) and writes bench/results/<date>-<commit>-peers.json and .md
# Extra JMH options can follow after --, e.g. bench/run.sh -- -prof gc, or bench/run.sh peers -- -f 1 -wi 2 -i 3
# Benchmarks with a backend parameter run on every backend usable here: the CPU, and CUDA where
# cebm.bench.UsableBackends finds a GPU (it says on stderr why not). CEBM_BENCH_BACKENDS=cpu
# (or cuda, or cpu,cuda) chooses by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
peers=0
if [ "${1:-}" = "peers" ]; then peers=1; shift; fi
classpath=bench/target/benchmarks.jar
if [ "$peers" = 1 ]; then
  mvn -B -q -ntp package -DskipTests -pl bench -am -Ppeers
  # The peer builds into bench/target/peers (see bench/pom.xml). The native library stays a jar of
  # its own; DJL extracts it from the class path.
  classpath="bench/target/peers/benchmarks.jar:$(cat bench/target/peers/peers-native.classpath)"
else
  mvn -B -q -ntp package -DskipTests -pl bench -am
fi
patterns=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do patterns+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
params=()
if [ "$peers" = 1 ]; then
  # Each pattern matches this engine's benchmark and its peer (cebm.bench.Torch...). The peer is
  # libtorch's CPU build, so this engine runs on the CPU too.
  patterns=(SgldStepBench.sgldStep TrainingIterationBench.iteration)
  params=(-p backend=cpu -p arch=paper28 -p preset=paper-mnist -p sgldSteps=60)
elif [ ${#patterns[@]} -eq 0 ]; then
  patterns=(FmaPeakBench Conv2dSwishBench.encoder Conv2dSwishOneCoreBench.encoderForwardAndInputGrad MatmulBench SgldStepBench LogNormalizerBench)
elif [ "${patterns[0]}" = "all" ]; then
  patterns=(.)
fi
[ ${#params[@]} -eq 0 ] && params=(-p backend="${CEBM_BENCH_BACKENDS:-$(java -cp "$classpath" cebm.bench.UsableBackends)}")
stamp="$(date -u +%Y-%m-%d)-$(git rev-parse --short HEAD)"
out="bench/results/$stamp"
[ "$peers" = 1 ] && out="$out-peers"
# Two forks of five iterations: the machine is shared, and single runs vary by 10-20 %. Options
# after -- replace these (JMH refuses an option given twice).
counts=()
[[ " $* " == *" -f "* ]] || counts+=(-f 2)
[[ " $* " == *" -i "* ]] || counts+=(-i 5)
java -cp "$classpath" org.openjdk.jmh.Main "${patterns[@]}" "${params[@]}" "${counts[@]}" -rf json -rff "$out.json" "$@"
{
  echo "# Benchmarks $stamp"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(java -version 2>&1 | head -1)"
  echo
  java -cp "$classpath" cebm.bench.ResultsTable "$out.json"
  if [ "$peers" = 1 ]; then
    echo
    echo "## This engine and PyTorch (DJL), side by side"
    echo
    java -cp "$classpath" cebm.bench.PeerTable "$out.json"
    echo
    echo "Medians over the measurement iterations; PyTorch / this engine above 1: this engine is faster."
  fi
} > "$out.md"
cat "$out.md"
