#!/usr/bin/python3
"""Side-by-side timing of the same float32 convolutions in PyTorch and in convinit, in one run.

Usage (from the repository root; (re)builds convinit-bench/target/benchmarks.jar if it is missing or stale):

    /usr/bin/python3 tools/bench/conv_vs_torch.py [--threads 1,2] [--rounds 2] [--jar PATH] [--java PATH]
        [--shapes NAME,...] [--backward] [--check SHAPE] [--torch-keep-heap]

For each thread count: torch (torch.set_num_threads(t)) and convinit (org.convinit.bench.ConvCompare
with ConvKernels.setThreads(t), Vector API on) time every shape: warm-up (the JVM side until the JIT
has settled), then `reps` timed batches of about `rep-seconds` each, giving the time per call of the
fastest batch and the median batch. With --rounds R the two sides alternate R times. The machine is
shared with other processes, so the table uses each side's fastest batch over all rounds (the least
disturbed measurement; both sides get the same treatment): shape, ms and GFLOP/s for each, the ratio
torch ms / convinit ms, and the geometric mean of the ratios on the last line. "median ratio" is the
same ratio from the best per-round medians; "noise t/c" is slowest/fastest round median for torch and
convinit, a measure of the disturbance.

--backward times the input and weight gradients (dX + dW, no bias gradient) instead of the forward:
torch builds y = F.conv2d(x, w, b) (or conv_transpose2d) once with x and w requiring grad and times
torch.autograd.grad(y, (x, w), grad_outputs=g, retain_graph=True), which computes no db since b does
not require grad; convinit builds y through its F.conv2d with no bias (so it computes no db either;
the bias does not change dX or dW) and times y.backward(g, true) plus clearing x.grad and w.grad (its
autograd also copies dX and dW into the leaves' grad, a copy torch's autograd.grad does not make).
GFLOP/s then counts 2 forward flops per call. --check SHAPE (with --backward) times nothing: convinit
writes the shape's x, w, g and its dX, dW; torch computes the gradients of the same x, w, g; the max
abs differences are printed (exit 1 if either exceeds 1e-2).

Torch's page faults: under each table a line gives torch's minor page faults per call where there are more than
10. Its allocator is glibc's malloc, which by default gives a freed block at the top of the heap back to the
OS (trim), so a call whose tensors are large enough touches fresh pages every time: on 2026-12-02's machine the
1→32 28² forward had 1536 faults a call at ~10-19 µs each, 18-21 ms a call instead of 0.25 ms (a cost of that
VM's page faults as much as of torch). --torch-keep-heap sets glibc's trim threshold to 1 GiB and its mmap
threshold to 32 MiB in this process (mallopt) before timing, so freed blocks up to 32 MiB are reused, as in a
process whose heap has grown to its working set; the header says when it is on.
"""
import argparse
import ctypes
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
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
    ("DW144_56_K3S2", False, 8, 144, 56, 56, 144, 3, 2, 1, 144),
    ("DW960_7_K3", False, 8, 960, 7, 7, 960, 3, 1, 1, 960),
    ("DW240_28_K5", False, 8, 240, 28, 28, 240, 5, 1, 2, 240),
    ("DW144_56_K5S2", False, 8, 144, 56, 56, 144, 5, 2, 2, 144),
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


def conv(s, x, wt, b):
    import torch.nn.functional as F
    name, tr, n, c, h, w, o, k, st, p, g = s
    if tr:
        return F.conv_transpose2d(x, wt, b, stride=st, padding=p, groups=g)
    return F.conv2d(x, wt, b, stride=st, padding=p, groups=g)


def torch_call(s, backward):
    """The timed call for shape s: the forward, or with backward dX + dW by autograd.grad."""
    import torch
    name, tr, n, c, h, w, o, k, st, p, g = s
    gen = torch.Generator().manual_seed(1)
    x = torch.rand(n, c, h, w, generator=gen) * 2 - 1
    if tr:
        wt = torch.rand(c, o // g, k, k, generator=gen) * 2 - 1
    else:
        wt = torch.rand(o, c // g, k, k, generator=gen) * 2 - 1
    b = torch.rand(o, generator=gen) * 2 - 1
    if not backward:
        return lambda: conv(s, x, wt, b)
    x.requires_grad_(True)
    wt.requires_grad_(True)
    y = conv(s, x, wt, b)
    gy = torch.rand(y.shape, generator=gen) * 2 - 1
    return lambda: torch.autograd.grad(y, (x, wt), grad_outputs=gy, retain_graph=True)


def minor_faults():
    """This process's minor page faults so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def keep_heap():
    """
    Stops glibc's malloc from giving freed memory back to the OS: trim threshold 1 GiB, and blocks up to 32 MiB (the
    most glibc allows) from the heap instead of mmap (setting the trim threshold turns off glibc's dynamic mmap
    threshold, which would otherwise have risen to the tensors' size). Returns whether both took.
    """
    m_trim_threshold, m_mmap_threshold = -1, -3
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc.mallopt(m_trim_threshold, 1 << 30) == 1 and libc.mallopt(m_mmap_threshold, 32 << 20) == 1
    except OSError:
        return False


def torch_times(shapes, threads, warmup, reps, rep_sec, backward, faults=None):
    """Per shape (median ms, min ms) per call; with a dict `faults`, also the minor page faults per timed call."""
    import torch
    torch.set_num_threads(threads)
    out = {}
    with torch.set_grad_enabled(backward):
        for s in shapes:
            name = s[0]
            fn = torch_call(s, backward)
            end = time.perf_counter() + warmup
            calls = 0
            t0 = time.perf_counter()
            while time.perf_counter() < end or calls < 3:
                fn()
                calls += 1
            per_call = (time.perf_counter() - t0) / calls
            iters = max(1, int(rep_sec / per_call))
            per = []
            f0 = minor_faults()
            for _ in range(reps):
                a = time.perf_counter()
                for _ in range(iters):
                    fn()
                per.append((time.perf_counter() - a) * 1e3 / iters)
            if faults is not None:
                faults[name] = (minor_faults() - f0) / (reps * iters)
            out[name] = (statistics.median(per), min(per))
    return out


def java_cmd(java, jar, shapes, backward):
    cmd = [java, "--add-modules", "jdk.incubator.vector", "-cp", jar, "org.convinit.bench.ConvCompare",
           "--shapes", ",".join(s[0] for s in shapes)]
    return cmd + (["--backward"] if backward else [])


def java_times(java, jar, shapes, threads, warmup, reps, rep_sec, backward):
    cmd = java_cmd(java, jar, shapes, backward) + ["--threads", str(threads), "--warmup", str(warmup), "--reps", str(reps),
                                                   "--rep-seconds", str(rep_sec)]
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


def check(java, jar, s):
    """Max abs difference between convinit's and torch's dX and dW of shape s, on convinit's x, w, g."""
    import torch
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(java_cmd(java, jar, [s], True) + ["--check", d], capture_output=True, text=True, check=True)

        def load(what):
            with open(os.path.join(d, f"{s[0]}.{what}.bin"), "rb") as f:
                return torch.frombuffer(bytearray(f.read()), dtype=torch.float32)
        name, tr, n, c, h, w, o, k, st, p, g = s
        x = load("x").reshape(n, c, h, w).requires_grad_(True)
        wt = load("w").reshape((c, o // g, k, k) if tr else (o, c // g, k, k)).requires_grad_(True)
        y = conv(s, x, wt, None)
        gy = load("g").reshape(y.shape)
        dx, dw = torch.autograd.grad(y, (x, wt), grad_outputs=gy)
        ddx = (load("dx").reshape(dx.shape) - dx).abs().max().item()
        ddw = (load("dw").reshape(dw.shape) - dw).abs().max().item()
        print(f"check {label(s)}: max |dX convinit - torch| = {ddx:.3g} (max |dX| {dx.abs().max().item():.3g}), "
              f"max |dW convinit - torch| = {ddw:.3g} (max |dW| {dw.abs().max().item():.3g})")
        return ddx, ddw


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--rep-seconds", type=float, default=0.25)
    ap.add_argument("--jar", default=benchjar.JAR)
    ap.add_argument("--java", default="java")
    ap.add_argument("--shapes", default=",".join(s[0] for s in SHAPES), help="comma-separated shape names")
    ap.add_argument("--backward", action="store_true", help="time dX + dW instead of the forward")
    ap.add_argument("--check", metavar="SHAPE", help="with --backward: compare one shape's gradients with torch, no timing")
    ap.add_argument("--torch-keep-heap", action="store_true",
                    help="keep glibc's freed heap in this process (no trim), so torch's calls do not page-fault fresh memory")
    a = ap.parse_args()
    by_name = {s[0]: s for s in SHAPES}
    shapes = [by_name[v] for v in a.shapes.split(",")]
    benchjar.ensure(a.jar)
    if a.check:
        ddx, ddw = check(a.java, a.jar, by_name[a.check])
        return 0 if max(ddx, ddw) < 1e-2 else 1
    import torch
    import torchblas
    kept = keep_heap() if a.torch_keep_heap else False
    if a.torch_keep_heap:
        print("# --torch-keep-heap: " + ("glibc trim threshold 1 GiB, mmap threshold 32 MiB in the torch process" if kept else "mallopt failed, heap NOT kept"))
    print(f"# torch {torch.__version__}, {torch.backends.mkldnn.is_available() and 'oneDNN' or 'no oneDNN'}, {torchblas.header()}; "
          f"cpus {os.cpu_count()}; load average {os.getloadavg()[0]:.2f} at start")
    if a.backward:
        print("# backward (dX + dW): torch autograd.grad(y, (x, w), g, retain_graph=True); "
              "convinit y.backward(g, true) + clearing grads; no db on either side")
    for t in [int(v) for v in a.threads.split(",")]:
        tt, jt, tc, jc, tf = {}, {}, {}, {}, {}
        header = ""
        for r in range(a.rounds):
            faults = {}
            for name, (v, c) in torch_times(shapes, t, a.warmup, a.reps, a.rep_seconds, a.backward, faults).items():
                tf[name] = max(tf.get(name, 0.0), faults[name])
                tt.setdefault(name, []).append(v)
                tc.setdefault(name, []).append(c)
            res, header = java_times(a.java, a.jar, shapes, t, a.warmup, a.reps, a.rep_seconds, a.backward)
            for name, (v, c) in res.items():
                jt.setdefault(name, []).append(v)
                jc.setdefault(name, []).append(c)
        print(f"\n## {'backward (dX + dW), ' if a.backward else ''}threads={t}  ({header.lstrip('# ')}; {a.rounds} rounds; load average {os.getloadavg()[0]:.2f})")
        print(f"{'shape':34s} {'torch ms':>9s} {'GFLOP/s':>8s} {'convinit ms':>11s} {'GFLOP/s':>8s} {'torch/convinit':>14s} "
              f"{'median ratio':>12s} {'noise t/c':>10s}")
        ratios, mratios = [], []
        for s in shapes:
            name = s[0]
            tm, jm = min(tc[name]), min(jc[name])
            f = flops(s) * (2 if a.backward else 1)  # dX and dW each cost a forward's multiply-adds
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
        faulty = [f"{name} {tf[name]:.0f}" for name in (s[0] for s in shapes) if tf[name] > 10]
        if faulty:
            print("torch minor page faults per call (glibc trims its heap; see --torch-keep-heap): " + ", ".join(faulty))
    return 0


if __name__ == "__main__":
    sys.exit(main())
