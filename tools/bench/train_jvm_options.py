#!/usr/bin/python3
"""CPU time of one training epoch's steps under different JVM options, per thread kind, alternating the options.

  /usr/bin/python3 tools/bench/train_jvm_options.py [--threads 1] [--rounds 2] [--limit 12000] -- \\
      "-XX:+UseSerialGC" "-XX:+UseParallelGC" ...        (each argument: one set of JVM options)

Runs `convinit train` on issue 10's model (as tools/bench/train_vs_torch.py) with --log-every 1 and reads
/proc/PID/task/*/stat at the first and the last step's line: the CPU seconds of steps 2..last summed over the
JVM's threads by kind (main: the training thread; pool: org.convinit.internal.Parallel's workers and other
Java threads; gc: collector and VM threads; jit: compiler threads), the wall seconds between the two lines, the
JVM's CPU seconds from its start to the last step (warm-up included) and the collections in the whole run. CPU
time per thread kind is what a loaded machine distorts least: wall time there mostly measures the other processes.
GC pauses are stop-the-world, so on a quiet machine the gc seconds add to the epoch's wall time; with a single
training thread the jit seconds run on another core.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAR = os.path.join(ROOT, "convinit-cli", "target", "convinit.jar")
DATA = "/usr/share/datasets/fashion-mnist"
CNN = ("Sequential(Conv2d(1, 32, 3, padding=1), BatchNorm2d(32), ReLU(), MaxPool2d(2), "
       "Conv2d(32, 64, 3, padding=1), BatchNorm2d(64), ReLU(), MaxPool2d(2), Flatten(), Linear(3136, 10))")
TICK = os.sysconf("SC_CLK_TCK")


def kind(name):
    if "GC" in name or name.startswith("G1") or name == "VM Thread":
        return "gc"
    if "Compiler" in name or name.startswith(("C1 ", "C2 ")):
        return "jit"
    return "main" if name in ("java", "main") else "pool"


def cpu_by_kind(pid):
    out = {"main": 0.0, "pool": 0.0, "gc": 0.0, "jit": 0.0}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            raw = open("/proc/%d/task/%s/stat" % (pid, tid)).read()
        except OSError:  # the thread ended
            continue
        f = raw.rsplit(")", 1)[1].split()
        out[kind(raw[raw.index("(") + 1:raw.rindex(")")])] += (int(f[11]) + int(f[12])) / TICK
    return out


def process_cpu(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TICK


def run(java, opts, threads, limit, jar=JAR):
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "gc.log")
        cmd = [java, "-XX:ActiveProcessorCount=%d" % threads, "-Dconvinit.threads=%d" % threads,
               "--add-modules", "jdk.incubator.vector"] + opts.split() + ["-Xlog:gc:file=" + log, "-jar", jar, "train",
               "--model", CNN, "--data", DATA, "--epochs", "1", "--optimizer", "adam", "--lr", "0.001",
               "--limit", str(limit), "--log-every", "1"]
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        steps, first, last = 0, None, None
        for line in p.stdout:
            if line.startswith("step "):
                steps += 1
                now = (time.time(), cpu_by_kind(p.pid), process_cpu(p.pid))
                first = first or now
                last = now
        if p.wait() != 0:
            raise SystemExit("convinit train failed with options " + opts)
        gcs = sum(1 for s in open(log) if "Pause" in s)
        return steps, last[0] - first[0], {k: last[1][k] - first[1][k] for k in last[1]}, last[2], gcs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("options", nargs="+", help="JVM option sets, e.g. \"-XX:+UseParallelGC -Xmn512m\"")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--limit", type=int, default=12000)
    ap.add_argument("--java", default="java")
    ap.add_argument("--jar", action="append", default=None,
                    help="a convinit.jar to run (repeat to alternate jars too; default: this checkout's)")
    a = ap.parse_args()
    jars = a.jar or [JAR]
    print("%-5s %-40s %6s %6s %6s %6s %6s %7s %7s %5s %5s" % ("round", "options", "main", "pool", "gc", "jit", "total", "wall",
                                                              "to-last", "GCs", "load"))
    for r in range(a.rounds):
        for jar, opts in [(j, o) for j in jars for o in a.options]:
            steps, wall, c, upto, gcs = run(a.java, opts, a.threads, a.limit, jar)
            if len(jars) > 1:
                opts = os.path.basename(jar) + " " + opts
            print("%-5d %-40s %6.2f %6.2f %6.2f %6.2f %6.2f %7.2f %7.2f %5d %5.1f" % (r + 1, opts[:40], c["main"], c["pool"], c["gc"],
                  c["jit"], sum(c.values()), wall, upto, gcs, os.getloadavg()[0]), flush=True)
    print("(CPU seconds of steps 2..%d by thread kind, and total; wall seconds between those steps' log lines; to-last:\n"
          " the JVM's CPU seconds from its start to the last step, start-up, data and warm-up included; GCs of the whole run)" % steps)


if __name__ == "__main__":
    sys.exit(main())
