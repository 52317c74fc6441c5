#!/usr/bin/env bash
# Runs every test: installs the test oracle (Debian's PyTorch 1.13.1) and a headless browser (Debian's chromium)
# if they are missing, then runs the Maven build and tests on JDK 17 and, where present, on JDK 25. Differential tests against torch are
# required here (-Dconvinit.requireTorch=true): they fail rather than skip when torch is absent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

need=()
/usr/bin/python3 -c 'import torch, numpy' >/dev/null 2>&1 || need+=(python3-torch python3-numpy)
/usr/bin/python3 -c 'import torchvision' >/dev/null 2>&1 || need+=(python3-torchvision)
[ -d /usr/share/datasets/fashion-mnist ] || need+=(dataset-fashion-mnist)
[ -x /usr/bin/chromium ] || need+=(chromium)   # the study report's browser test
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "test.sh: missing ${need[*]}; run as root or: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

mvn_args=(-B -Dstyle.color=never -Dconvinit.requireTorch=true -Dconvinit.python=/usr/bin/python3)

echo "== JDK 17 =="
jdk17=""
for d in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-arm64 /usr/lib/jvm/temurin-17-jdk-amd64; do
  [ -x "$d/bin/javac" ] && { jdk17="$d"; break; }
done
if [ -n "$jdk17" ]; then
  JAVA_HOME="$jdk17" mvn "${mvn_args[@]}" verify
else
  mvn "${mvn_args[@]}" verify
fi
echo "== launcher =="
tools/launcher/test_launcher.sh
echo "== examples: a separate project on the installed jars, as the README says =="
mvn -B -q -Dstyle.color=never -DskipTests install
mvn -B -q -Dstyle.color=never -f examples/pom.xml verify

jdk25=""
for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
  [ -x "$d/bin/javac" ] && { jdk25="$d"; break; }
done
if [ -n "$jdk25" ]; then
  echo "== JDK 25 ($jdk25) =="
  JAVA_HOME="$jdk25" mvn "${mvn_args[@]}" verify
else
  echo "== JDK 25 not present: skipped =="
fi
