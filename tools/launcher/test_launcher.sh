#!/usr/bin/env bash
# Checks the ./convinit launcher as a user meets it (test.sh runs this after the Maven build):
#  1. the progress bar reaches the terminal live (stderr is passed on as it comes, not line by line), and
#     the JVM's incubator-module notice does not;
#  2. without Maven and without a jar, the launcher names the package to install;
#  3. the JVM runs SerialGC unless CONVINIT_JAVA_OPTS names a collector, which it then runs alone, and its heap
#     is on transparent huge pages when the kernel offers them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test_launcher: FAIL: $*" >&2; exit 1; }

# 1. A short training run on a pseudo-terminal (script), its output chunks timed. The bar shows after half a second
#    and is redrawn at most every 100 ms, so the run must last: this one trains ~5 s here (2 cores, 47 redraws).
#    CI's machine once ran 4,000 images of a one-conv model in well under a second and saw only 4 redraws.
script -q --log-timing="$tmp/timing" --log-out="$tmp/out" -c "'$root/convinit' train --data /usr/share/datasets/fashion-mnist \
  --model 'Sequential(Conv2d(1, 16, 3), ReLU(), Conv2d(16, 16, 3), ReLU(), Flatten(), Linear(9216, 10))' --limit 30000" >/dev/null 2>&1 \
  || fail "convinit train failed: $(tr '\r' '\n' < "$tmp/out" | tail -3)"
grep -q "incubator" "$tmp/out" && fail "the incubator-module notice reached the terminal"
# progress redraws ("\repoch 1 [===   ] 40% ...") arrive as separate writes spread over the run
bars=$(tr '\r' '\n' < "$tmp/out" | grep -c '^epoch 1 \[' || true)
chunks=$(wc -l < "$tmp/timing")
[ "$bars" -ge 5 ] || fail "expected at least 5 progress redraws, saw $bars"
[ "$chunks" -ge 5 ] || fail "expected the progress to arrive in at least 5 writes, saw $chunks"
grep -q "test_accuracy" "$tmp/out" || fail "no epoch summary line"
echo "test_launcher: live progress ok ($bars redraws in $chunks writes, no incubator notice)" >&2

# 2. A launcher copy with no jar beside it and no mvn on PATH.
mkdir -p "$tmp/repo"
cp "$root/convinit" "$tmp/repo/convinit"
mkdir -p "$tmp/bin"   # every command of /usr/bin but mvn
for f in /usr/bin/*; do [ "$(basename "$f")" = mvn ] || ln -s "$f" "$tmp/bin/"; done
set +e
msg=$(PATH="$tmp/bin" /bin/bash "$tmp/repo/convinit" --version 2>&1)
code=$?
set -e
[ "$code" = 1 ] || fail "expected exit 1 without Maven, got $code: $msg"
echo "$msg" | grep -q "apt-get install maven" || fail "the missing-Maven message does not name the package: $msg"
echo "test_launcher: missing Maven named ok" >&2

# 3. The collector.
gc_of() { CONVINIT_JAVA_OPTS="$1 -Xlog:gc:stdout" "$root/convinit" --version 2>&1 | sed -n 's/.*\[gc\] Using //p' | head -1; }
[ "$(gc_of "")" = "Serial" ] || fail "expected SerialGC by default, got '$(gc_of "")'"
[ "$(gc_of "-XX:+UseG1GC")" = "G1" ] || fail "expected the user's G1, got '$(gc_of "-XX:+UseG1GC")'"
[ "$(gc_of "-XX:+UseParallelGC")" = "Parallel" ] || fail "expected the user's ParallelGC, got '$(gc_of "-XX:+UseParallelGC")'"
if grep -qE '\[(madvise|always)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
  CONVINIT_JAVA_OPTS="-Xlog:gc+init:stdout" "$root/convinit" --version 2>&1 | grep -q "Large Page Support: Enabled (Transparent)" \
    || fail "the kernel offers transparent huge pages, but the heap is not on them"
fi
echo "test_launcher: collector ok (Serial by default, the user's when named; huge pages where offered)" >&2
