#!/usr/bin/python3
"""Side-by-side timing of uniform_ and normal_ on one large float32 tensor in PyTorch and in convinit.

Usage (from the repository root; (re)builds convinit-bench/target/benchmarks.jar if it is missing or stale):

    /usr/bin/python3 tools/bench/init_vs_torch.py [--n 67108864] [--threads 1] [--rounds 2] [--java PATH]
                                                  [--java-opt=-Dconvinit.kernels=scalar]

Pin it to one core to keep the two sides comparable on a shared machine, e.g.
`taskset -c 1 /usr/bin/python3 tools/bench/init_vs_torch.py` (the JVM inherits the affinity).

torch (torch.set_num_threads(t)) fills a float32 tensor of --n elements with uniform_(0, 1) and
normal_(0, 1): warm-up, then --reps timed calls; convinit does the same through the public API
(org.convinit.bench.InitCompare, Vector API module on unless --java-opt says otherwise). With --rounds R
the two sides alternate R times and each side's fastest call over all rounds is kept. The table gives
ms and M values/s for each side and the ratio convinit/torch in values/s (> 1: convinit faster). Both
sides then fill the tensor once from manual_seed(--seed) and hash its float32 bytes: "bits" says
whether the two tensors are identical bit for bit.
"""
import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import time

import benchjar

OPS = ("uniform_", "normal_")


def torch_times(n, threads, warmup, reps, seed):
    import torch
    torch.set_num_threads(threads)
    t = torch.empty(n, dtype=torch.float32)
    fills = {"uniform_": lambda: t.uniform_(0, 1), "normal_": lambda: t.normal_(0, 1)}
    out = {}
    for op in OPS:
        fn = fills[op]
        end = time.perf_counter() + warmup
        calls = 0
        while time.perf_counter() < end or calls < 3:
            fn()
            calls += 1
        per = []
        for _ in range(reps):
            a = time.perf_counter()
            fn()
            per.append((time.perf_counter() - a) * 1e3)
        out[op] = (min(per), statistics.median(per))
    hashes = {}
    for op in OPS:
        torch.manual_seed(seed)
        fills[op]()
        hashes[op] = hashlib.sha256(t.numpy().tobytes()).hexdigest()
    return out, hashes


def java_times(java, java_opts, jar, n, warmup, reps, seed):
    cmd = [java, "--add-modules", "jdk.incubator.vector", *java_opts, "-Xmx2g", "-cp", jar,
           "org.convinit.bench.InitCompare", "--n", str(n), "--warmup", str(warmup), "--reps", str(reps),
           "--seed", str(seed)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    out, hashes, header = {}, {}, ""
    for line in res.stdout.splitlines():
        f = line.split()
        if line.startswith("RESULT "):
            out[f[1]] = (float(f[3]), float(f[4]))
        elif line.startswith("HASH "):
            hashes[f[1]] = f[4]
        elif line.startswith("#"):
            header = line.lstrip("# ")
    return out, hashes, header


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=64 << 20)
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (convinit's fills are single-threaded)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jar", default=benchjar.JAR)
    ap.add_argument("--java", default="java")
    ap.add_argument("--java-opt", action="append", default=[], help="extra JVM option, repeatable")
    a = ap.parse_args()
    benchjar.ensure(a.jar)
    import torch
    affinity = sorted(os.sched_getaffinity(0))
    print(f"# torch {torch.__version__}, threads {a.threads}; cpus {os.cpu_count()}, affinity {affinity}; "
          f"load average {os.getloadavg()[0]:.2f} at start; n = {a.n}")
    tt, jt = {}, {}
    th = jh = None
    header = ""
    for _ in range(a.rounds):
        res, th = torch_times(a.n, a.threads, a.warmup, a.reps, a.seed)
        for op, v in res.items():
            tt.setdefault(op, []).append(v)
        res, jh, header = java_times(a.java, a.java_opt, a.jar, a.n, a.warmup, a.reps, a.seed)
        for op, v in res.items():
            jt.setdefault(op, []).append(v)
    print(f"# {header}; {a.rounds} rounds; load average {os.getloadavg()[0]:.2f} at end")
    print(f"{'op':9s} {'torch ms':>9s} {'M/s':>7s} {'convinit ms':>11s} {'M/s':>7s} {'convinit/torch':>14s} "
          f"{'median ratio':>12s} {'bits':>9s}")
    for op in OPS:
        tm = min(v[0] for v in tt[op])
        jm = min(v[0] for v in jt[op])
        tmed = min(v[1] for v in tt[op])
        jmed = min(v[1] for v in jt[op])
        bits = "identical" if th[op] == jh[op] else "DIFFER"
        print(f"{op:9s} {tm:9.1f} {a.n / tm / 1e3:7.1f} {jm:11.1f} {a.n / jm / 1e3:7.1f} {tm / jm:14.2f} "
              f"{tmed / jmed:12.2f} {bits:>9s}")
    return 0 if all(th[op] == jh[op] for op in OPS) else 1


if __name__ == "__main__":
    sys.exit(main())
