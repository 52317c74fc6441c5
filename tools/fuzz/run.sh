#!/usr/bin/env bash
# Fuzzes one reader target of convinit-io for 1,000,000 executions with Jazzer (coverage-guided),
# starting from the committed inputs in
# convinit-io/src/test/resources/org/convinit/io/fuzz/ReaderFuzzTestInputs/TARGET/.
# Usage: tools/fuzz/run.sh TARGET     (anyFormat, pth, safetensors, npy, npz)
# libFuzzer's last status line ("#N DONE cov: C ft: F corp: ...") gives executions and coverage.
# A finding stops the run and is saved under ReaderFuzzTestInputs/TARGET/ (Jazzer's crash-* file):
# fix the bug, keep the input there (CI replays every file of that folder), and commit both.
# The working corpus grows in .cifuzz-corpus/ (not committed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="${1:?usage: tools/fuzz/run.sh TARGET (anyFormat, pth, safetensors, npy, npz)}"
cd "$root"
JAZZER_FUZZ=1 mvn -B -o -Dstyle.color=never -pl convinit-core,convinit-io -am test \
  -Dtest="ReaderFuzzTest#$target" -Dsurefire.failIfNoSpecifiedTests=false \
  -Djazzer.instrumentation_includes='org.convinit.**' 2>&1 \
  | grep -E '^#[0-9]+[[:space:]]+(INITED|DONE|pulse)|==[0-9]+==|Exception|Tests run:|BUILD|crash' | tail -40
