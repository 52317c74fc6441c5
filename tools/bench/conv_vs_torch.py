#!/usr/bin/python3
"""Side-by-side timing of the same float32 convolutions in PyTorch and in convinit, in one run.

Usage (from the repository root; (re)builds convinit-bench/target/benchmarks.jar if it is missing or stale):

    /usr/bin/python3 tools/bench/conv_vs_torch.py [--threads 1,2] [--rounds 2] [--jar PATH] [--java PATH]

For each thread count: torch (torch.set_num_threads(t)) and convinit (org.convinit.bench.ConvCompare
with ConvKernels.setThreads(t), Vector API on) time every shape: warm-up (the JVM side until the JIT
has settled), then `reps` timed batches of about `rep-seconds` each, giving the time per call of the
fastest batch and the median batch. With --rounds R the two sides alternate R times. The machine is
shared with other processes, so the table uses each side's fastest batch over all rounds (the least
disturbed measurement; both sides get the same treatment): shape, ms and GFLOP/s for each, the ratio
torch ms / convinit ms, and the geometric mean of the ratios on the last line. "median ratio" is the
same ratio from the best per-round medians; "noise t/c" is slowest/fastest round median for torch and
convinit, a measure of the disturbance.
"""
import argparse
import math
import os
import statistics
import subprocess
import sys
import time

import benchjar

# name, transposed, N, C, H, W, O, k, stride, pad, groups -- the same list as ConvShape.java
SHAPES = [
    ("C64_56_K3", False, 8, 64, 56, 56, 64, 3, 1, 1, 1),
    ("C3_224_K7S2", False, 8, 3, 224, 224, 64, 7, 2, 3, 1),
    ("C256_14_K3", False, 8, 256, 14, 14, 256, 3, 1, 1, 1),
    ("C1_28_K3", False, 32, 1, 28, 28, 32, 3, 1, 1, 1),
    ("C32_14_K3", False, 32, 32, 14, 14, 64, 3, 1, 1, 1),
    ("DW128_56_K3", False, 8, 128, 56, 56, 128, 3, 1, 1, 128),
    ("T64_28_K4S2", True, 8, 64, 28, 28, 32, 4, 2, 1, 1),
]


def label(s):
    name, tr, n, c, h, w, o, k, st, p, g = s
    return ("T " if tr else "") + f"N{n} C{c} {h}x{w} ->{o} k{k} s{st} p{p}" + (f" g{g}" if g > 1 else "")


def flops(s):
    name, tr, n, c, h, w, o, k, st, p, g = s
    if tr:
        return 2.0 * n * c * h * w * (o // g) * k * k
    oh = (h + 2 * p - k) // st + 1
    ow = (w + 2 * p - k) // st + 1
    return 2.0 * n * o * oh * ow * (c // g) * k * k


def torch_times(threads, warmup, reps, rep_sec):
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    out = {}
    with torch.no_grad():
        for s in SHAPES:
            name, tr, n, c, h, w, o, k, st, p, g = s
            gen = torch.Generator().manual_seed(1)
            x = torch.rand(n, c, h, w, generator=gen) * 2 - 1
            if tr:
                wt = torch.rand(c, o // g, k, k, generator=gen) * 2 - 1
                fn = lambda: F.conv_transpose2d(x, wt, b, stride=st, padding=p, groups=g)
            else:
                wt = torch.rand(o, c // g, k, k, generator=gen) * 2 - 1
                fn = lambda: F.conv2d(x, wt, b, stride=st, padding=p, groups=g)
            b = torch.rand(o, generator=gen) * 2 - 1
            end = time.perf_counter() + warmup
            calls = 0
            t0 = time.perf_counter()
            while time.perf_counter() < end or calls < 3:
                fn()
                calls += 1
            per_call = (time.perf_counter() - t0) / calls
            iters = max(1, int(rep_sec / per_call))
            per = []
            for _ in range(reps):
                a = time.perf_counter()
                for _ in range(iters):
                    fn()
                per.append((time.perf_counter() - a) * 1e3 / iters)
            out[name] = (statistics.median(per), min(per))
    return out


def java_times(java, jar, threads, warmup, reps, rep_sec):
    cmd = [java, "--add-modules", "jdk.incubator.vector", "-cp", jar, "org.convinit.bench.ConvCompare",
           "--threads", str(threads), "--warmup", str(warmup), "--reps", str(reps), "--rep-seconds", str(rep_sec)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    out = {}
    header = ""
    for line in res.stdout.splitlines():
        if line.startswith("RESULT "):
            _, name, t, med, mn, cpu = line.split()
            out[name] = (float(med), float(mn))
        elif line.startswith("#"):
            header = line
    return out, header


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--rep-seconds", type=float, default=0.25)
    ap.add_argument("--jar", default=benchjar.JAR)
    ap.add_argument("--java", default="java")
    a = ap.parse_args()
    benchjar.ensure(a.jar)
    import torch
    print(f"# torch {torch.__version__}, {torch.backends.mkldnn.is_available() and 'oneDNN' or 'no oneDNN'}; "
          f"cpus {os.cpu_count()}; load average {os.getloadavg()[0]:.2f} at start")
    for t in [int(v) for v in a.threads.split(",")]:
        tt, jt, tc, jc = {}, {}, {}, {}
        header = ""
        for r in range(a.rounds):
            for name, (v, c) in torch_times(t, a.warmup, a.reps, a.rep_seconds).items():
                tt.setdefault(name, []).append(v)
                tc.setdefault(name, []).append(c)
            res, header = java_times(a.java, a.jar, t, a.warmup, a.reps, a.rep_seconds)
            for name, (v, c) in res.items():
                jt.setdefault(name, []).append(v)
                jc.setdefault(name, []).append(c)
        print(f"\n## threads={t}  ({header.lstrip('# ')}; {a.rounds} rounds; load average {os.getloadavg()[0]:.2f})")
        print(f"{'shape':34s} {'torch ms':>9s} {'GFLOP/s':>8s} {'convinit ms':>11s} {'GFLOP/s':>8s} {'torch/convinit':>14s} "
              f"{'median ratio':>12s} {'noise t/c':>10s}")
        ratios, mratios = [], []
        for s in SHAPES:
            name = s[0]
            tm, jm = min(tc[name]), min(jc[name])
            f = flops(s)
            ratio = tm / jm
            ratios.append(ratio)
            mratio = min(tt[name]) / min(jt[name])
            mratios.append(mratio)
            noise = f"{max(tt[name]) / min(tt[name]):.1f}/{max(jt[name]) / min(jt[name]):.1f}"
            print(f"{label(s):34s} {tm:9.3f} {f / tm / 1e6:8.1f} {jm:11.3f} {f / jm / 1e6:8.1f} {ratio:14.2f} {mratio:12.2f} "
                  f"{noise:>10s}")
        gm = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        gmm = math.exp(sum(math.log(r) for r in mratios) / len(mratios))
        print(f"{'geometric mean torch/convinit':34s} {'':>9s} {'':>8s} {'':>11s} {'':>8s} {gm:14.2f} {gmm:12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
