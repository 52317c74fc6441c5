#!/usr/bin/env bash
# The full kill test of issue 15: a child JVM saving a 50 MB checkpoint is SIGKILLed at KILLS random
# moments (default 100); after each kill the target must be the complete old or the complete new file,
# and the next save must remove the temporary file the kill left. CI runs the same test with 25 kills.
# Usage: tools/reliability/kill-test.sh [KILLS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kills="${1:-100}"
cd "$root"
# the test prints one summary line ("kill test: ...") and fails on any kill that left a broken target
mvn -B -o -q -Dstyle.color=never -pl convinit-core,convinit-io -am test -Dtest=KillTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dconvinit.killTest.kills="$kills"
