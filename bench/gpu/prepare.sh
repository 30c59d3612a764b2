#!/usr/bin/env bash
# Runs HERE, on a machine with a JDK 17, Maven and nvcc: packs everything the GPU machine needs
# into .device/bundle.tar.xz (git-ignored), because that machine has no JVM, no Maven and no network.
# With CEBM_RESUME=RUN_FOLDER it also packs that run as .device/resume.tar.xz, which on-device.sh
# resumes on the GPU instead of starting a new run.
#
#   bench/gpu/prepare.sh
#
# then, on the GPU machine, with .device/ copied beside the working tree:  bash bench/gpu/on-device.sh
#
# The bundle (cebm-gpu/ inside the archive):
#   jre/           a Java runtime made by jlink from this JDK: the modules the code uses (java.desktop
#                  for the PNGs that training writes, jdk.incubator.vector for the CPU kernels, ...)
#   syslibs/       copies of the native libraries that the runtime's AWT libraries link (freetype,
#                  libpng, ...); on-device.sh uses one only where that machine lacks it
#   lib/           every module's jar (kernels-*.jar holds the fatbins, which nvcc compiles here) and
#                  every dependency's, test scope included, JUnit's own excepted
#   bench.jar      the JMH benchmarks (bench-*.jar): they run as `java -cp 'lib/*:bench.jar' org.openjdk.jmh.Main`
#   tests/MODULE/  each module's test classes, for the GPU-tagged tests
#   junit-platform-console-standalone.jar   runs them
#   bin/cebm       the command line, as `java -cp 'lib/*' cebm.cli.Main`
#   torch_cebm.py  the PyTorch peer (from ../shared/peers, or $CEBM_PEERS)
#   COMMIT, SOURCES   the commit and the source fingerprint (fingerprint.sh) it was built from
#
# The shaded cebm.jar and benchmarks.jar are not packed: each repeats every dependency (18 and
# 21 MB), and lib/ holds the same classes once. Nor is JCuda's PTX-compiler library (24 MB inside
# jcuda-natives; the backend loads only the driver's). The GPU machine takes at most 64 MiB,
# the working tree included: the script fails if the bundle leaves too little room for it.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
stage="$root/target/device-bundle/cebm-gpu"
peers="${CEBM_PEERS:-$root/../shared/peers}"
junit_console="org.junit.platform:junit-platform-console-standalone:1.10.3"
dependency_plugin="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
rm -rf "$root/target/device-bundle" "$root/.device"
mkdir -p "$stage" "$root/.device"

echo "== build (mvn package) and collect the jars"
# One reactor run: the modules' own jars (never installed) are resolved from the reactor.
mvn -B -q -ntp package "$dependency_plugin:copy-dependencies" -DskipTests \
  -DincludeScope=test -DoutputDirectory="$stage/lib" \
  -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian \
  -DexcludeArtifactIds=jmh-generator-annprocess
mvn -B -q -ntp "$dependency_plugin:copy" -Dartifact="$junit_console" -DoutputDirectory="$stage"
mv "$stage"/junit-platform-console-standalone-*.jar "$stage/junit-platform-console-standalone.jar"
cp bench/target/bench-*.jar "$stage/bench.jar"
zip -q -d "$stage"/lib/jcuda-natives-*.jar 'lib/libJNvPTXCompiler*'
fatbins="$(unzip -l "$stage"/lib/kernels-*.jar | grep -c '\.fatbin$' || true)"
if [ "$fatbins" -eq 0 ]; then
  echo "prepare: the kernels jar holds no fatbin (was nvcc found? see kernels/nvcc.sh): the GPU machine could not run them" >&2
  exit 1
fi
for module in tensor autograd kernels cebm; do
  mkdir -p "$stage/tests/$module"
  cp -r "$module/target/test-classes/." "$stage/tests/$module/"
done

echo "== Java runtime (jlink)"
jlink --add-modules java.base,java.desktop,java.logging,java.management,java.sql,java.xml,jdk.incubator.vector,jdk.unsupported,jdk.management \
  --strip-debug --no-man-pages --no-header-files --compress=0 --output "$stage/jre" 2>&1 | { grep -v 'incubator modules' || true; }
mkdir -p "$stage/syslibs"
# What the AWT libraries link besides the C library and the compiler's run time, which every Linux has.
for so in "$stage"/jre/lib/lib{awt,awt_headless,fontmanager,javajpeg,lcms,mlib_image}.so; do
  ldd "$so" | awk '$3 ~ /^\// {print $1, $3}'
done | sort -u | while read -r name path; do
  case "$name" in
    libc.so*|libm.so*|libdl.so*|libpthread.so*|librt.so*|libstdc++.so*|libgcc_s.so*|libz.so*) ;;
    *) [[ "$path" == "$stage"/* ]] || cp -L "$path" "$stage/syslibs/$name" ;;
  esac
done

# A font in the runtime's own font folder, which Java uses where the machine has no fontconfig
# fonts (the training run's plots draw their axes' labels).
font="$(fc-match -f '%{file}' 'DejaVu Sans' 2>/dev/null || true)"
if [ -f "$font" ]; then mkdir -p "$stage/jre/lib/fonts" && cp "$font" "$stage/jre/lib/fonts/"; fi
mkdir -p "$stage/bin"
cat > "$stage/bin/cebm" <<'LAUNCHER'
#!/usr/bin/env bash
# cebm's command line from the bundle: what `java -jar cebm.jar` is elsewhere.
here="$(cd "$(dirname "$0")/.." && pwd)"
exec "$here/jre/bin/java" --add-modules jdk.incubator.vector -XX:ObjectAlignmentInBytes=64 -cp "$here/lib/*" cebm.cli.Main "$@"
LAUNCHER
chmod +x "$stage/bin/cebm"

if [ -f "$peers/torch_cebm.py" ]; then
  cp "$peers/torch_cebm.py" "$stage/"
else
  echo "prepare: no $peers/torch_cebm.py (set CEBM_PEERS): the PyTorch timings will be skipped there" >&2
fi
commit="$(git rev-parse --short HEAD)"
[ -n "$(git status --porcelain --untracked-files=no)" ] && commit="$commit+uncommitted-changes"
echo "$commit" > "$stage/COMMIT"
bench/gpu/fingerprint.sh > "$stage/SOURCES"

echo "== check the runtime here"
"$stage/jre/bin/java" -cp "$stage/lib/*:$stage/bench.jar" cebm.bench.UsableBackends

echo "== pack"
# MNIST for the GPU training run, beside the bundle (already compressed: tar would not shrink it).
data="${CEBM_DATA:-$root/../shared/data}"
if [ -d "$data/mnist" ]; then
  mkdir -p "$root/.device/data/mnist" && cp "$data"/mnist/*.gz "$root/.device/data/mnist/"
else
  echo "prepare: no $data/mnist (set CEBM_DATA): the GPU training run will be skipped there" >&2
fi
# xz over an uncompressed runtime: about 15 MB less than jlink's own compression under gzip, which
# is the room a resumed run's checkpoint needs.
tar -cf - -C "$root/target/device-bundle" cebm-gpu | xz -T0 -9 > "$root/.device/bundle.tar.xz"
if [ -n "${CEBM_RESUME:-}" ]; then
  [ -f "$CEBM_RESUME/checkpoint.safetensors" ] || { echo "prepare: no checkpoint.safetensors in $CEBM_RESUME" >&2; exit 1; }
  tar -cf - -C "$(dirname "$CEBM_RESUME")" --exclude samples "$(basename "$CEBM_RESUME")" | xz -T0 -9 > "$root/.device/resume.tar.xz"
fi
bundle_mb="$(du -s --apparent-size --block-size=1M "$root/.device" | cut -f1)"
tree_mb="$(git ls-files -z --cached --others --exclude-standard | du -c --apparent-size --files0-from=- 2>/dev/null | tail -1 | awk '{print int($1 / 1024)}')"
echo "prepare: .device (bundle, data${CEBM_RESUME:+ and the run to resume}) is $bundle_mb MiB (the working tree that travels with it: $tree_mb MiB; the limit is 64 MiB together)"
echo "prepare: built from $commit, sources $(cat "$stage/SOURCES")"
if [ $((bundle_mb + tree_mb)) -gt 62 ]; then
  echo "prepare: too large: the bundle and the working tree must fit in 64 MiB together" >&2
  exit 1
fi
echo "next: on the GPU machine, with .device/ beside the working tree: bash bench/gpu/on-device.sh"
