#!/usr/bin/env bash
# The resume test of issue 15: `train` in a child JVM (2 epochs of 1,000 Fashion-MNIST images, Adam, dropout,
# a checkpoint every 4 batches) is SIGKILLed at a random moment in epoch 1, resumed, SIGKILLed in epoch 2 and
# resumed to the end, ROUNDS times (default 5); every round must end with the uninterrupted run's weights file
# byte for byte and its metrics. CI runs one round (TrainResumeKillTest).
# Usage: tools/reliability/resume-test.sh [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-5}"
cd "$root"
mvn -B -o -q -Dstyle.color=never -pl convinit-cli -am test -Dtest=TrainResumeKillTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dconvinit.resumeTest.rounds="$rounds"
