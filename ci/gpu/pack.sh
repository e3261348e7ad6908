#!/usr/bin/env bash
# Packs what a GPU machine without a JDK, Maven or network needs to run lincde's GPU checks
# (ci/gpu/run-on-device.sh): a jlinked Java 17 runtime with only the modules the class path uses, the CLI's
# runtime jars WITHOUT the ND4J/OpenBLAS natives and WITHOUT pytorch-native-cpu (the GPU machine's own
# pip-installed torch supplies libtorch through PYTORCH_LIBRARY_PATH), and, when PEER_SLICE_DIR names a checkout
# of the SLiCE authors' repository, their models/ folder for the PyTorch peer timings.
#
# Usage: ci/gpu/pack.sh [KIT_DIR]        (default KIT_DIR: <repo>/.gpukit; add /.gpukit/ to .git/info/exclude)
# Env:   JAVA_HOME_17 (default /usr/lib/jvm/java-17-openjdk-amd64), PEER_SLICE_DIR (optional; a work tree or a
#        bare git directory of Benjamin-Walker/structured-linear-cdes).
# Never runs `mvn install`: the reactor builds into target/ folders only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KIT="${1:-$ROOT/.gpukit}"
JHOME="${JAVA_HOME_17:-/usr/lib/jvm/java-17-openjdk-amd64}"
[ -x "$JHOME/bin/jlink" ] || { echo "pack: no jlink in $JHOME (set JAVA_HOME_17 to a JDK 17)" >&2; exit 2; }

echo "pack: building the CLI and its runtime class path (offline) ..." >&2
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
(cd "$ROOT" && ./mvnw -B -ntp -o -q -DskipTests package dependency:copy-dependencies -pl harness/cli -am \
    -DincludeScope=runtime -DexcludeTransitive=false -DoutputDirectory="$STAGE/all") >&2
cp "$ROOT"/harness/cli/target/lincde-cli-*.jar "$STAGE/all/"
mkdir -p "$STAGE/lib"
for j in "$STAGE"/all/*.jar; do
  n="$(basename "$j")"
  case "$n" in
    # too big and not needed on the GPU machine: ND4J's CPU natives, OpenBLAS, JavaCPP, the CPU libtorch, and
    # the ND4J backend itself (ServiceLoader simply does not find it)
    nd4j-*|openblas-*|javacpp-*|pytorch-native-*|lincde-backend-nd4j-*|*-tests.jar|*-sources.jar) continue ;;
    # test-only libraries that a module's copy-dependencies may pick up
    junit-*|opentest4j-*|apiguardian-*|assertj-*|byte-buddy-*|jspecify-*|auto-service-*) continue ;;
  esac
  cp "$j" "$STAGE/lib/"
done

echo "pack: jlinking a Java 17 runtime ..." >&2
MODS="$("$JHOME/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps \
    --class-path "$STAGE/lib/*" "$STAGE"/lib/*.jar 2>/dev/null)"
# jdk.unsupported: sun.misc.Unsafe (DJL, JLine); jdk.management: process RSS/CPU beans; jdk.zipfs: jar resources
MODS="$MODS,jdk.unsupported,jdk.management,jdk.zipfs"
rm -rf "$KIT.new"
mkdir -p "$KIT.new"
"$JHOME/bin/jlink" --add-modules "$MODS" --strip-debug --no-header-files --no-man-pages --compress=2 \
    --output "$KIT.new/jre"
mv "$STAGE/lib" "$KIT.new/lib"

if [ -n "${PEER_SLICE_DIR:-}" ]; then
  mkdir -p "$KIT.new/peers/slice"
  if [ -d "$PEER_SLICE_DIR/models" ]; then
    cp -r "$PEER_SLICE_DIR/models" "$KIT.new/peers/slice/"
  else # a bare git directory (the search tool's mirror)
    git --git-dir="$PEER_SLICE_DIR" archive HEAD models | tar -x -C "$KIT.new/peers/slice"
    git --git-dir="$PEER_SLICE_DIR" rev-parse HEAD > "$KIT.new/peers/slice/COMMIT"
  fi
fi
{
  echo "lincde GPU kit, packed $(date -u +%Y-%m-%dT%H:%M:%SZ) from $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "jre modules: $MODS"
  echo "jars: $(cd "$KIT.new/lib" && ls | tr '\n' ' ')"
} > "$KIT.new/MANIFEST.txt"
rm -rf "$KIT"
mv "$KIT.new" "$KIT"
echo "pack: $KIT ($(du -sh "$KIT" | cut -f1)): $(du -sh "$KIT/jre" | cut -f1) runtime, $(ls "$KIT/lib" | wc -l) jars" >&2
