#!/usr/bin/env bash
# Cells per minute: the same study run by `convinit study --parallel N` and by the Spark driver in local[N] mode on this
# machine, alternated (A B A B ...), each in a fresh JVM with the same flags (spark-submit's JavaModuleOptions + the Vector
# API). Reads each run's own clock: the JSON's reproducibility.wall_seconds (from the first cell to the last, after the
# data is loaded and checked), and the whole process's wall time (JVM and, for Spark, the SparkContext's start).
# Usage: tools/spark/measure.sh [ROUNDS] [study options...]   (needs `mvn -pl convinit-spark -am package -DskipTests` first)
# Example: tools/spark/measure.sh 2 --seeds 2 --epochs 1 --limit 2000
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-2}"; shift || true
[ $# -gt 0 ] || set -- --seeds 2 --epochs 1 --limit 2000
par="${PARALLEL:-2}"
jar="$root/convinit-spark/target/convinit-spark.jar"
[ -f "$jar" ] || { echo "measure: build $jar first: mvn -pl convinit-spark -am package -DskipTests" >&2; exit 1; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
# Spark and its libraries as spark-submit would put them beside the jar (Maven's copy of the provided dependency)
(cd "$root" && mvn -B -q -o -Dstyle.color=never dependency:build-classpath -pl convinit-spark -Dmdep.includeScope=provided \
  -Dmdep.outputFile="$tmp/cp.txt" >/dev/null)
spark_cp="$(tr ':' '\n' < "$tmp/cp.txt" | grep -v '/org/convinit/' | paste -sd:)"
opts="$(sed -n '/<spark.jvm.options>/,/<\/spark.jvm.options>/p' "$root/convinit-spark/pom.xml" | sed 's/<[^>]*>//g' | tr '\n' ' ')"
wall() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['reproducibility']['wall_seconds'], len(d['cells']))" "$1"; }
for r in $(seq 1 "$rounds"); do
  for engine in local spark; do
    t0=$(date +%s.%N)
    if [ "$engine" = local ]; then
      # shellcheck disable=SC2086
      java $opts -cp "$jar" org.convinit.cli.Main study "$@" --parallel "$par" --json "$tmp/$engine.json" --out "$tmp/$engine.html" \
        >/dev/null 2>"$tmp/$engine.err"
    else
      # shellcheck disable=SC2086
      java $opts -Dspark.master="local[$par]" -Dspark.ui.enabled=false -cp "$jar:$spark_cp" org.convinit.spark.SparkStudy "$@" \
        --json "$tmp/$engine.json" --out "$tmp/$engine.html" >/dev/null 2>"$tmp/$engine.err"
    fi
    t1=$(date +%s.%N)
    read -r cells_s cells < <(wall "$tmp/$engine.json")
    python3 -c "import sys; c,w,t=int(sys.argv[2]),float(sys.argv[3]),float(sys.argv[4]); print(f'round {sys.argv[1]} {sys.argv[5]:5s}: {c} cells in {w:6.1f} s = {60*c/w:5.1f} cells/min ({w/c:5.2f} s per cell, {int(sys.argv[6])*w/c:5.2f} core-s); process {t:6.1f} s')" \
      "$r" "$cells" "$cells_s" "$(echo "$t1 - $t0" | bc)" "$engine" "$par"
  done
done
