#!/usr/bin/python3
"""Side-by-side timing of reading every tensor of a ~400 MB .pth checkpoint: torch.load vs convinit.

Usage (from the repository root; (re)builds convinit-bench/target/benchmarks.jar if it is missing or stale):

    /usr/bin/python3 tools/bench/read_vs_torch.py [--file PATH] [--rounds 5] [--warm 4] [--java PATH]
        [--variants "default=;thp=-XX:+UseTransparentHugePages"]

The checkpoint (default /tmp/convinit-bench/read400.pth) is made by torch.save the first time: 100 float32
tensors of 1M elements (4 MB each, 419 MB in all), a torch >= 1.6 zip file. The file is read once with
`cat` first so that both sides read from the page cache.

Each round starts one fresh python process (torch.load, torch.set_num_threads(1)) and one fresh JVM per
convinit variant (org.convinit.bench.ReadCompare, Checkpoints.readTensors), alternating. A variant is a
name and the JVM options it runs with (by default only the JVM's own defaults; transparent huge pages for
the heap were tried here and rejected: 0.25 s to 2.3 s for the same read, median worse than without). Inside each process the first read
is "cold" (the process has never touched that much memory) and the next --warm reads are "warm" (the
previous result is dropped first, so the allocator can reuse memory it already holds). Reported: the
median and range of cold reads and of warm reads for each side, and the ratios torch / convinit.

Also reported, as the floor any reader that materializes the data in new memory must pay on this machine:
the time for a fresh process to write 419 MB of newly allocated memory with 1 and with 2 threads (torch's
fill_ on torch.empty, which page-faults every 4 KB page). On a virtual machine whose first touch of a
page is expensive this floor, not parsing or copying, decides the cold figures.
"""
import argparse
import os
import statistics
import subprocess
import sys

import benchjar

N_TENSORS = 100
NUMEL = 1 << 20

TORCH_SIDE = r"""
import sys, time, torch
torch.set_num_threads(1)
path, warm = sys.argv[1], int(sys.argv[2])
for i in range(warm + 1):
    t = time.perf_counter()
    d = torch.load(path)
    print(("cold" if i == 0 else "warm"), time.perf_counter() - t, flush=True)
    del d
"""

FLOOR_SIDE = r"""
import sys, time, torch
torch.set_num_threads(int(sys.argv[2]))
t = time.perf_counter()
x = torch.empty(int(sys.argv[1]), dtype=torch.float32)
x.fill_(1.0)
print(time.perf_counter() - t)
"""


def make_file(path):
    import torch
    os.makedirs(os.path.dirname(path), exist_ok=True)
    g = torch.Generator().manual_seed(0)
    sd = {f"layer{i}.weight": torch.randn(NUMEL, generator=g) for i in range(N_TENSORS)}
    torch.save(sd, path + ".tmp")
    os.replace(path + ".tmp", path)


def parse(out):
    cold, warm = [], []
    for line in out.splitlines():
        k, _, v = line.partition(" ")
        if k == "cold":
            cold.append(float(v))
        elif k == "warm":
            warm.append(float(v))
    return cold, warm


def summary(xs):
    return f"{statistics.median(xs):7.3f} s  [{min(xs):.3f} .. {max(xs):.3f}]"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--file", default="/tmp/convinit-bench/read400.pth")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--warm", type=int, default=4)
    ap.add_argument("--jar", default=benchjar.JAR)
    ap.add_argument("--java", default="java")
    ap.add_argument("--variants", default="default=",
                    help="';'-separated NAME=JVM-OPTIONS for the convinit side")
    a = ap.parse_args()
    benchjar.ensure(a.jar)
    if not os.path.exists(a.file):
        make_file(a.file)
    size = os.path.getsize(a.file)
    subprocess.run(["cat", a.file], stdout=subprocess.DEVNULL, check=True)
    import torch
    variants = [v.split("=", 1) for v in a.variants.split(";")]
    print(f"# torch {torch.__version__}; java {a.java}; cpus {os.cpu_count()}; {a.file}: {size / 1e6:.0f} MB; "
          f"{a.rounds} rounds; load average {os.getloadavg()[0]:.2f} at start")
    tc, tw, f1, f2 = [], [], [], []
    jc = {name: [] for name, _ in variants}
    jw = {name: [] for name, _ in variants}
    numel = N_TENSORS * NUMEL
    for _ in range(a.rounds):
        out = subprocess.run([sys.executable, "-c", TORCH_SIDE, a.file, str(a.warm)],
                             capture_output=True, text=True, check=True).stdout
        c, w = parse(out)
        tc += c
        tw += w
        for name, flags in variants:
            cmd = [a.java] + flags.split() + ["-cp", a.jar, "org.convinit.bench.ReadCompare", a.file, str(a.warm)]
            c, w = parse(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
            jc[name] += c
            jw[name] += w
        for threads, acc in ((1, f1), (2, f2)):
            out = subprocess.run([sys.executable, "-c", FLOOR_SIDE, str(numel), str(threads)],
                                 capture_output=True, text=True, check=True).stdout
            acc.append(float(out.strip()))
    print(f"{'':44s} {'median':>9s}  [range]")
    print(f"{'torch.load, cold (new process)':44s} {summary(tc)}")
    for name, flags in variants:
        print(f"{'convinit readTensors, cold, ' + name:44s} {summary(jc[name])}   JVM options [{flags}]")
    print(f"{'torch.load, warm':44s} {summary(tw)}")
    for name, _ in variants:
        print(f"{'convinit readTensors, warm, ' + name:44s} {summary(jw[name])}")
    print(f"{'floor: touch new memory, 1 thread':44s} {summary(f1)}")
    print(f"{'floor: touch new memory, 2 threads':44s} {summary(f2)}")
    for name, _ in variants:
        print(f"ratio torch/convinit ({name}), medians: cold {statistics.median(tc) / statistics.median(jc[name]):.2f}, "
              f"warm {statistics.median(tw) / statistics.median(jw[name]):.2f}; cold GB/s convinit "
              f"{size / statistics.median(jc[name]) / 1e9:.2f}, torch {size / statistics.median(tc) / 1e9:.2f}")
    print(f"# load average {os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
