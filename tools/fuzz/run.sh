#!/usr/bin/env bash
# Fuzzes one target for RUNS executions (default 1,000,000) with Jazzer's standalone driver (coverage-guided,
# libFuzzer), starting from the target's committed inputs. See tools/fuzz/README.md for the targets and figures.
#
# Usage: tools/fuzz/run.sh TARGET [RUNS]
#   TARGET: idx (convinit-core), anyFormat, pth, safetensors, npy, npz (convinit-io), model, initCall (convinit-cli)
#   env FUZZ_WORK=DIR   working directory (default /tmp/convinit-fuzz/TARGET): the growing corpus (not committed),
#                       a snapshot of the class path (so rebuilding the worktree does not disturb a run), the log
#   env FUZZ_MODE=junit runs the @FuzzTest through Maven/JUnit instead (JAZZER_FUZZ=1 mvn test), for comparison
#   env FUZZ_JAVA_OPTS  extra JVM options
#   env FUZZ_NO_BUILD=1 uses the classes already compiled (after a
#                       mvn -pl convinit-cli -am test-compile dependency:build-classpath -Dmdep.includeScope=test
#                       -Dmdep.outputFile=target/fuzz-classpath.txt), saving a Maven start per target
#   env FUZZ_MAX_TIME=S stops after S seconds even if RUNS are not reached (libFuzzer's -max_total_time)
#   env FUZZ_MAX_LEN=N  longest input libFuzzer makes (default 4096; a longer committed input is cut when loaded)
#   env FUZZ_KEEP_GOING=N  go on after findings until N distinct ones (default 1: the first finding stops the run)
#
# libFuzzer's last lines ("#N DONE cov: C ft: F corp: U/B", stat::...) give executions, coverage and corpus size.
# A finding's input is saved as crash-* in the target's committed-inputs folder (CI replays every file there): fix
# the bug, keep the input (renamed to say what it found), commit both.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="${1:?usage: tools/fuzz/run.sh TARGET [RUNS]  (idx, anyFormat, pth, safetensors, npy, npz, model, initCall)}"
runs="${2:-1000000}"
case "$target" in
  idx) module=convinit-core; class=org.convinit.data.IdxFuzzTest ;;
  anyFormat|pth|safetensors|npy|npz) module=convinit-io; class=org.convinit.io.fuzz.ReaderFuzzTest ;;
  model|initCall) module=convinit-cli; class=org.convinit.cli.ParserFuzzTest ;;
  *) echo "unknown target '$target'; expected idx, anyFormat, pth, safetensors, npy, npz, model or initCall" >&2; exit 2 ;;
esac
inputs="$root/$module/src/test/resources/$(echo "${class%.*}" | tr . /)/${class##*.}Inputs/$target"
cd "$root"

if [ "${FUZZ_MODE:-}" = junit ]; then
  exec env JAZZER_FUZZ=1 mvn -B -o -Dstyle.color=never -pl "$module" -am test \
    -Dtest="${class##*.}#$target" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.instrumentation_includes='org.convinit.**'
fi

work="${FUZZ_WORK:-/tmp/convinit-fuzz/$target}"
mkdir -p "$work/corpus"
if [ "${FUZZ_NO_BUILD:-}" != 1 ] || [ ! -s "$module/target/fuzz-classpath.txt" ]; then
  mvn -B -q -o -Dstyle.color=never -pl "$module" -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz-classpath.txt >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
fi

# Snapshot the worktree's class directories: a rebuild during the run must not change the classes under test.
rm -rf "$work/classes" && mkdir -p "$work/classes"
cp_entries=()
i=0
IFS=: read -r -a deps < "$module/target/fuzz-classpath.txt" || true  # no final newline
for e in "$module/target/test-classes" "$module/target/classes" "${deps[@]}"; do
  case "$e" in
    */convinit-*/target/classes|*/convinit-*/target/test-classes) # a reactor module: this tree's copy
      abs="$root/$(basename "$(dirname "$(dirname "$e")")")/target/$(basename "$e")" ;;
    /*) abs="$e" ;;
    *) abs="$root/$e" ;;
  esac
  if [ -d "$abs" ] && [[ "$abs" == "$root"/* ]]; then
    i=$((i + 1)); cp -r "$abs" "$work/classes/$i"; cp_entries+=("$work/classes/$i")
  else
    cp_entries+=("$abs")
  fi
done
classpath="$(IFS=:; echo "${cp_entries[*]}")"

# shellcheck disable=SC2086
exec java -Xmx2g --add-modules jdk.incubator.vector ${FUZZ_JAVA_OPTS:-} \
  -cp "$classpath" -Dconvinit.fuzz.target="$class#$target" \
  com.code_intelligence.jazzer.Jazzer \
  --target_class=org.convinit.testing.fuzz.Standalone \
  --instrumentation_includes='org.convinit.**' --instrumentation_excludes='org.convinit.testing.**' \
  --reproducer_path="$work" --keep_going="${FUZZ_KEEP_GOING:-1}" \
  -runs="$runs" -max_len="${FUZZ_MAX_LEN:-4096}" -max_total_time="${FUZZ_MAX_TIME:-0}" -timeout=30 -print_final_stats=1 -artifact_prefix="$inputs/" \
  "$work/corpus" "$inputs"
