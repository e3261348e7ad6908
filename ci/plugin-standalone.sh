#!/usr/bin/env bash
# Builds examples/structure-plugin as an outside project would: copied out of this tree, against lincde's
# artifacts installed in a private local repository (so nothing in ~/.m2 is touched), with only lincde-spi,
# lincde-conformance and the reference backend on its test class path. Run by PluginStandaloneIT (so by
# `./mvnw verify` and CI) after the reactor has packaged everything; usable by hand too:
#   ci/plugin-standalone.sh [WORK_DIR]
# Dependencies and Maven plugins come from ~/.m2/repository through a file:// mirror: no network.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-$(mktemp -d)}"
mkdir -p "$WORK"
REPO="$WORK/m2"
SETTINGS="$WORK/settings.xml"
cat > "$SETTINGS" <<XML
<settings>
  <mirrors>
    <mirror><id>user-m2</id><mirrorOf>*</mirrorOf><url>file://${HOME}/.m2/repository</url></mirror>
  </mirrors>
</settings>
XML
MVN=("$ROOT/mvnw" -B -ntp -q -s "$SETTINGS" -Dmaven.repo.local="$REPO")

echo "plugin-standalone: installing lincde-bom, lincde-spi, the reference backend and lincde-conformance into $REPO"
# from a copy of the sources, so a build running in this tree (./mvnw verify runs this script) keeps its target/
rm -rf "$WORK/src" && mkdir -p "$WORK/src"
(cd "$ROOT" && tar --exclude=./.git --exclude='*/target' --exclude=./target --exclude=./.lincde --exclude=./results \
  --exclude=./reproduction --exclude=./plugins -cf - .) | (cd "$WORK/src" && tar -xf -)
(cd "$WORK/src" && "${MVN[@]}" install -DskipTests -pl bom,spi,backend-cpu-reference,harness/conformance -am)

echo "plugin-standalone: building a copy of examples/structure-plugin in $WORK/plugin"
rm -rf "$WORK/plugin"
mkdir -p "$WORK/plugin"
(cd "$ROOT/examples/structure-plugin" && tar --exclude=./target -cf - .) | (cd "$WORK/plugin" && tar -xf -)
# an outside project brings its own Maven; this one borrows the wrapper
cp "$ROOT/mvnw" "$WORK/plugin/" && cp -r "$ROOT/.mvn" "$WORK/plugin/"
if ! (cd "$WORK/plugin" && "${MVN[@]}" verify > "$WORK/plugin/build.log" 2>&1); then
  tail -60 "$WORK/plugin/build.log"; echo "plugin-standalone: the plugin's build failed (log: $WORK/plugin/build.log)" >&2; exit 1
fi
grep -E '^(reference|total):' "$WORK/plugin/build.log" || true
(cd "$WORK/plugin" && "${MVN[@]}" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list -DincludeScope=test \
  -DoutputFile="$WORK/plugin/test-classpath.txt")
# the only lincde artifacts on the plugin's test class path
grep -o 'org\.lincde[^: ]*:[^: ]*' "$WORK/plugin/test-classpath.txt" | sort -u | tee "$WORK/plugin/lincde-artifacts.txt"
echo "plugin-standalone: OK"
