#!/usr/bin/env bash
# Packs what a GPU machine without a JDK, Maven or network needs to run lincde's GPU checks
# (ci/gpu/run-on-device.sh): a jlinked Java 17 runtime with only the modules the class path uses, the CLI's
# runtime jars WITHOUT the ND4J/OpenBLAS natives and WITHOUT pytorch-native-cpu (the GPU machine's own
# pip-installed torch supplies libtorch through PYTORCH_LIBRARY_PATH), and, when PEER_SLICE_DIR names a checkout
# of the SLiCE authors' repository, their models/ folder for the PyTorch peer timings.
#
# Usage: ci/gpu/pack.sh [KIT_DIR]        (default KIT_DIR: <repo>/.gpukit; add /.gpukit/ to .git/info/exclude)
# Env:   JAVA_HOME_17 (default /usr/lib/jvm/java-17-openjdk-amd64), PEER_SLICE_DIR (optional; a work tree or a
#        bare git directory of Benjamin-Walker/structured-linear-cdes), DJL_SRC_DIR (optional; a work tree at
#        v0.35.1 or a bare git directory of deepjavalibrary/djl: the JNI bridge's source, see build-djl-jni.sh).
# Never runs `mvn install`: the reactor builds into target/ folders only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KIT="${1:-$ROOT/.gpukit}"
JHOME="${JAVA_HOME_17:-/usr/lib/jvm/java-17-openjdk-amd64}"
[ -x "$JHOME/bin/jlink" ] || { echo "pack: no jlink in $JHOME (set JAVA_HOME_17 to a JDK 17)" >&2; exit 2; }

echo "pack: building the CLI and its runtime class path (offline) ..." >&2
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
(cd "$ROOT" && ./mvnw -B -ntp -o -q -DskipTests package dependency:build-classpath -pl harness/cli -am \
    -DincludeScope=runtime -Dmdep.outputFile=target/gpukit-runtime.cp) >&2
# The kit's jars: the CLI's runtime class path without the ND4J backend's own libraries, plus what the other
# modules resolved that the CLI's class path lost to ND4J in Maven's version mediation (DJL's JNA 5 instead of
# ND4J's JNA 4); natives are left out: ND4J/OpenBLAS/JavaCPP (not used) and pytorch-native-cpu (the GPU
# machine's torch supplies libtorch).
python3 - "$ROOT" "$STAGE/lib" <<'PY'
import os, re, shutil, sys
root, dest = sys.argv[1], sys.argv[2]
def cp(module):
    f = os.path.join(root, module, "target", "gpukit-runtime.cp")
    return [p for p in open(f).read().strip().split(os.pathsep) if p] if os.path.exists(f) else []
def artifact(path):  # name without version: jna-5.17.0.jar -> jna
    return re.sub(r"-\d[\w.]*(-SNAPSHOT)?(-[a-z0-9_-]+)?\.jar$", "", os.path.basename(path))
others = ["spi", "harness/conformance", "harness/data", "harness/protocols", "backend-cpu-reference", "backend-djl"]
nd4j_only = {os.path.basename(p) for p in cp("backend-nd4j")} - {os.path.basename(p) for m in others for p in cp(m)}
skip = re.compile(r"^(nd4j-|openblas-|javacpp-|pytorch-native-|lincde-backend-nd4j-)|-tests\.jar$")
chosen = {}
for p in cp("harness/cli"):
    if os.path.basename(p) not in nd4j_only and not skip.search(os.path.basename(p)):
        chosen[artifact(p)] = p
for m in others:
    for p in cp(m):
        if not skip.search(os.path.basename(p)) and (artifact(p) not in chosen or
                                                       os.path.basename(chosen[artifact(p)]) in nd4j_only):
            chosen[artifact(p)] = p
cli = [f for f in os.listdir(os.path.join(root, "harness/cli/target")) if re.match(r"lincde-cli-.*\.jar$", f)
       and "sources" not in f and "tests" not in f]
os.makedirs(dest)
for p in list(chosen.values()) + [os.path.join(root, "harness/cli/target", f) for f in cli]:
    if not p.endswith(".jar"):
        sys.exit("pack: not a jar on the class path: " + p)
    shutil.copy(p, dest)
PY

echo "pack: jlinking a Java 17 runtime ..." >&2
# jdeps per jar (one jar's module-info naming an absent optional module, as commons-compress's does, stops a
# run over all of them), the union of what each needs
MODS="java.base"
for j in "$STAGE"/lib/*.jar; do
  m="$("$JHOME/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps --class-path "$STAGE/lib/*" \
      "$j" 2>/dev/null)" || m="$("$JHOME/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps \
      "$j" 2>/dev/null)" || { echo "pack: jdeps could not read $(basename "$j"); its modules come from the fixed list" >&2; m=""; }
  [ -n "$m" ] && MODS="$MODS,$m"
done
MODS="$(echo "$MODS" | tr ', ' '\n\n' | grep -E '^(java|jdk)\.[a-z0-9.]+$' | sort -u | paste -sd, -)"
# java.desktop (7 MB) is left out: only DJL's image/audio factories and JNA's AWT helpers use it, none of which
# lincde loads (the CPU dry run of run-on-device.sh checks that); LINCDE_KIT_DESKTOP=1 keeps it
[ "${LINCDE_KIT_DESKTOP:-0}" = 1 ] || MODS="$(echo "$MODS" | tr ',' '\n' | grep -vx java.desktop | paste -sd, -)"
# jdk.unsupported: sun.misc.Unsafe (DJL, JLine); jdk.management: process RSS/CPU beans; jdk.zipfs: jar resources
MODS="$MODS,java.logging,java.management,java.xml,java.sql,java.naming,jdk.unsupported,jdk.management,jdk.zipfs"
rm -rf "$KIT.new"
mkdir -p "$KIT.new"
"$JHOME/bin/jlink" --add-modules "$MODS" --strip-debug --no-header-files --no-man-pages --compress=2 \
    --output "$KIT.new/jre"
# Debian's libjvm.so keeps its symbol table (4 MB of the kit's 64 MiB transfer limit)
command -v strip >/dev/null && strip --strip-unneeded "$KIT.new/jre/lib/server/libjvm.so" || true
mv "$STAGE/lib" "$KIT.new/lib"

if [ -n "${PEER_SLICE_DIR:-}" ]; then
  mkdir -p "$KIT.new/peers/slice"
  if [ -d "$PEER_SLICE_DIR/models" ]; then
    cp -r "$PEER_SLICE_DIR/models" "$KIT.new/peers/slice/"
  else # a bare git directory (the search tool's mirror)
    git --git-dir="$PEER_SLICE_DIR" archive HEAD models 2>/dev/null | tar -x -C "$KIT.new/peers/slice"
    git --git-dir="$PEER_SLICE_DIR" rev-parse HEAD > "$KIT.new/peers/slice/COMMIT"
  fi
fi
# DJL's PyTorch JNI bridge as source (build-djl-jni.sh compiles it there against the machine's own torch): the
# C++ files of DJL 0.35.1, the JNI header javac -h makes from its PyTorchLibrary.java, djl/utils.h, jni.h
if [ -n "${DJL_SRC_DIR:-}" ]; then
  JS="$(mktemp -d)"
  if [ -d "$DJL_SRC_DIR/engines" ]; then cp -r "$DJL_SRC_DIR/engines" "$DJL_SRC_DIR/api" "$JS/"
  else git --git-dir="$DJL_SRC_DIR" archive v0.35.1 engines/pytorch/pytorch-native/src/main/native \
      engines/pytorch/pytorch-engine/src/main/java api/src/main/native LICENSE | tar -x -C "$JS"; fi
  J="$KIT.new/djl-jni"; mkdir -p "$J/native" "$J/include/linux" "$J/include/djl"
  cp "$JS"/engines/pytorch/pytorch-native/src/main/native/* "$J/native/"
  cp "$JS/api/src/main/native/djl/utils.h" "$J/include/djl/"
  [ -f "$JS/LICENSE" ] && cp "$JS/LICENSE" "$J/LICENSE-DJL"
  "$JHOME/bin/javac" -cp "$KIT.new/lib/*" -d "$JS/classes" -h "$J/include" \
      -sourcepath "$JS/engines/pytorch/pytorch-engine/src/main/java" \
      "$JS/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java" >&2
  cp "$JHOME/include/jni.h" "$J/include/"; cp "$JHOME/include/linux/jni_md.h" "$J/include/linux/"
  rm -rf "$JS"
fi
# the run scripts travel in the kit too, so a checkout without this branch merged can still run them
mkdir -p "$KIT.new/bin"
cp "$ROOT/ci/gpu/run-on-device.sh" "$ROOT/ci/gpu/peers_gpu.py" "$ROOT/ci/gpu/build-djl-jni.sh" "$KIT.new/bin/"
{
  echo "lincde GPU kit, packed $(date -u +%Y-%m-%dT%H:%M:%SZ) from $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "jre modules: $MODS"
  echo "jars: $(cd "$KIT.new/lib" && ls | tr '\n' ' ')"
} > "$KIT.new/MANIFEST.txt"
rm -rf "$KIT"
mv "$KIT.new" "$KIT"
echo "pack: $KIT ($(du -sh "$KIT" | cut -f1)): $(du -sh "$KIT/jre" | cut -f1) runtime, $(ls "$KIT/lib" | wc -l) jars" >&2
