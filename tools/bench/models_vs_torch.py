#!/usr/bin/python3
"""Side-by-side forward timing of torchvision models in PyTorch and in convinit (eval mode, no grad, float32).

Usage (from the repository root; compiles convinit-core and convinit-models with Maven first unless --no-build):

    /usr/bin/python3 tools/bench/models_vs_torch.py [--models resnet18,mobilenet_v2] [--batch 8] [--size 224]
                                                    [--threads 1,2] [--rounds 2] [--reps 5] [--java PATH]
                                                    [--torch-keep-heap]

Both sides build the model from manual_seed(0) (the same weights bit for bit), run it on a batch of randn images
(warm-up, then --reps timed calls) at each thread count (torch.set_num_threads / -Dconvinit.threads), alternating
torch and convinit --rounds times and keeping each side's fastest call. The table gives ms per forward and the ratio
torch time / convinit time (>= 1: convinit as fast or faster). On a shared or loaded machine the numbers are rough:
the load average is printed at start and end.

--torch-keep-heap keeps glibc's freed heap in the torch process (conv_vs_torch.keep_heap): by default glibc gives
freed memory back to the OS, and on a VM with costly page faults torch then pays for fresh pages at every call
(tools/bench/profiles/2026-12-02-c1-28-alloc.md).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLASSES = [os.path.join(ROOT, m, "target", "classes") for m in ("convinit-core", "convinit-models")]


def torch_time(name, batch, size, threads, warmup, reps):
    import torch
    import torchvision
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    m = getattr(torchvision.models, name)().eval()
    x = torch.randn(batch, 3, size, size, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        end = time.perf_counter() + warmup
        calls = 0
        while time.perf_counter() < end or calls < 2:
            m(x)
            calls += 1
        per = []
        for _ in range(reps):
            a = time.perf_counter()
            y = m(x)
            per.append((time.perf_counter() - a) * 1e3)
    return min(per), statistics.median(per), float(y.double().sum())


def java_time(java, name, batch, size, threads, warmup, reps):
    src = os.path.join(ROOT, "tools", "bench", "ModelsForward.java")
    cmd = [java, "--add-modules", "jdk.incubator.vector", f"-Dconvinit.threads={threads}", "-Xmx4g",
           "-cp", os.pathsep.join(CLASSES), src, name, str(batch), str(size), str(warmup), str(reps)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    for line in res.stdout.splitlines():
        if line.startswith("RESULT "):
            f = line.split()
            return float(f[2]), float(f[3]), float(f[4])
    raise RuntimeError("no RESULT line from java:\n" + res.stdout + res.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", default="resnet18,mobilenet_v2")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--java", default="java")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--torch-keep-heap", action="store_true", help="keep glibc's freed heap in the torch process (no page faults)")
    a = ap.parse_args()
    if not a.no_build:
        subprocess.run(["mvn", "-q", "-o", "-pl", "convinit-models", "-am", "compile"], cwd=ROOT, check=True)
    import torch
    import torchblas
    if a.torch_keep_heap:
        import conv_vs_torch
        print("# --torch-keep-heap: " + ("glibc trim threshold 1 GiB, mmap threshold 32 MiB" if conv_vs_torch.keep_heap() else "mallopt failed, heap NOT kept"))
    print(f"# torch {torch.__version__}, {torchblas.header()}; cpus {os.cpu_count()}, affinity {sorted(os.sched_getaffinity(0))}; "
          f"load average {os.getloadavg()[0]:.2f} at start; batch {a.batch}x3x{a.size}x{a.size} float32, eval, no grad")
    print(f"{'model':14s} {'threads':>7s} {'torch ms':>9s} {'convinit ms':>11s} {'torch/convinit':>14s} {'median ratio':>12s} "
          f"{'logit sums (torch, convinit)':>30s}")
    for name in a.models.split(","):
        for threads in [int(t) for t in a.threads.split(",")]:
            tt, jt = [], []
            for _ in range(a.rounds):
                tt.append(torch_time(name, a.batch, a.size, threads, a.warmup, a.reps))
                jt.append(java_time(a.java, name, a.batch, a.size, threads, a.warmup, a.reps))
            tm, tmed = min(t[0] for t in tt), min(t[1] for t in tt)
            jm, jmed = min(j[0] for j in jt), min(j[1] for j in jt)
            print(f"{name:14s} {threads:7d} {tm:9.1f} {jm:11.1f} {tm / jm:14.2f} {tmed / jmed:12.2f} "
                  f"{tt[0][2]:14.6e} {jt[0][2]:14.6e}", flush=True)
    print(f"# load average {os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
