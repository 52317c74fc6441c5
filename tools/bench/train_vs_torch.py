#!/usr/bin/python3
"""One training epoch of the same small CNN on Fashion-MNIST, timed in torch 1.13.1 and in convinit,
at the given thread counts, in one run. Prints seconds per epoch and the ratio torch / convinit.

  /usr/bin/python3 tools/bench/train_vs_torch.py [--threads 1,2] [--rounds 3] [--limit 12000] [--java PATH]
      [--torch-keep-heap]

The model is issue 10's: Conv2d(1,32,3,p=1)-BN-ReLU-MaxPool-Conv2d(32,64,3,p=1)-BN-ReLU-MaxPool-Flatten-
Linear(3136,10), Adam(lr=1e-3), batch 64, shuffled, cross-entropy; the first --limit training images.
Both sides time only the training loop of one epoch (zero_grad, forward, loss, backward, step, loss.item()),
not start-up, data loading or evaluation. For each thread count the two sides alternate --rounds times
(torch first); every round is printed, then the median of each side and the ratio torch / convinit of the
medians (> 1: convinit is faster).

Threads: torch.set_num_threads(t); convinit runs in a fresh JVM with -XX:ActiveProcessorCount=t (the JVM's
own view, which also sizes its GC and compiler threads and the common pool) and -Dconvinit.threads=t (the
size of org.convinit.internal.Parallel's pool).

The convinit side runs as users run it: through the ./convinit launcher (which rebuilds the jar when sources
changed), so with the launcher's JVM options; the two options above are passed in CONVINIT_JAVA_OPTS, and
--java sets JAVA_HOME. The machine may be shared with other processes: the load average is printed per round.

--torch-keep-heap keeps glibc's freed heap in the torch process (conv_vs_torch.keep_heap: trim threshold 1 GiB,
mmap threshold 32 MiB). By default glibc gives freed memory back to the OS and torch touches fresh pages all
epoch long: on 2026-12-02's VM (page faults ~10-19 us) the 1-thread epoch took 21.3 s with 967,568 faults, and
5.9-7.1 s with the heap kept (tools/bench/profiles/2026-12-02-c1-28-alloc.md). Each round prints torch's minor
page faults.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch.nn import *  # noqa: F401,F403  (the model expression uses torch's names)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = "/usr/share/datasets/fashion-mnist"
LAUNCHER = os.path.join(ROOT, "convinit")
CNN = ("Sequential(Conv2d(1, 32, 3, padding=1), BatchNorm2d(32), ReLU(), MaxPool2d(2), "
       "Conv2d(32, 64, 3, padding=1), BatchNorm2d(64), ReLU(), MaxPool2d(2), Flatten(), Linear(3136, 10))")
LR = 0.001
BATCH = 64


def idx(path):
    import gzip
    b = gzip.open(path).read()
    nd = b[3]
    dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], "big") for i in range(nd)]
    return np.frombuffer(b, dtype=np.uint8, offset=4 + 4 * nd).reshape(dims)


def torch_epoch(threads, limit):
    torch.set_num_threads(threads)
    x = torch.tensor(idx(DATA + "/train-images-idx3-ubyte.gz")[:limit], dtype=torch.float32).div(255).unsqueeze(1)
    y = torch.tensor(idx(DATA + "/train-labels-idx1-ubyte.gz")[:limit], dtype=torch.int64)
    torch.manual_seed(0)
    m = eval(CNN)
    m.train()
    opt = torch.optim.Adam(m.parameters(), lr=LR)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=BATCH, shuffle=True)
    t0 = time.time()
    for xb, yb in loader:
        opt.zero_grad()
        loss = F.cross_entropy(m(xb), yb)
        loss.backward()
        opt.step()
        loss.item()
    return time.time() - t0


def launcher_env(java, threads):
    """The environment for ./convinit: this thread count's JVM options, and the JDK of --java."""
    env = dict(os.environ)
    env["CONVINIT_JAVA_OPTS"] = "-XX:ActiveProcessorCount=%d -Dconvinit.threads=%d" % (threads, threads)
    if java != "java":
        env["JAVA_HOME"] = os.path.dirname(os.path.dirname(os.path.realpath(java)))
    return env


def convinit_epoch(java, threads, limit):
    with tempfile.TemporaryDirectory() as d:
        metrics = os.path.join(d, "m.json")
        cmd = [LAUNCHER, "train", "--model", CNN, "--data", DATA,
               "--epochs", "1", "--batch-size", str(BATCH), "--optimizer", "adam", "--lr", str(LR),
               "--metrics", metrics, "--limit", str(limit)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=launcher_env(java, threads))
        with open(metrics) as f:
            return json.load(f)["epochs"][0]["train_seconds"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=12000)
    ap.add_argument("--java", default="java")
    ap.add_argument("--torch-keep-heap", action="store_true", help="keep glibc's freed heap in the torch process (no page faults)")
    a = ap.parse_args()
    # the launcher rebuilds the jar when sources changed (once here, not inside a timed round)
    subprocess.run([LAUNCHER, "--version"], check=True, stdout=subprocess.DEVNULL, env=launcher_env(a.java, 1))
    import torchblas
    if a.torch_keep_heap:
        import conv_vs_torch
        kept = conv_vs_torch.keep_heap()
        print("# --torch-keep-heap: " + ("glibc trim threshold 1 GiB, mmap threshold 32 MiB" if kept else "mallopt failed, heap NOT kept"))
    print("# torch %s, %s" % (torch.__version__, torchblas.header()))
    print("model %s\nAdam(lr=%g), batch %d, %d images, %d rounds per thread count" % (CNN, LR, BATCH, a.limit, a.rounds))
    summary = []
    for t in [int(v) for v in a.threads.split(",")]:
        print("\n## threads=%d" % t)
        print("%-6s %10s %12s %8s %6s %14s" % ("round", "torch s", "convinit s", "ratio", "load", "torch faults"))
        ts, cs = [], []
        for r in range(a.rounds):
            f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            ts.append(torch_epoch(t, a.limit))
            faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0
            cs.append(convinit_epoch(a.java, t, a.limit))
            print("%-6d %10.2f %12.2f %8.3f %6.2f %14d" % (r + 1, ts[-1], cs[-1], ts[-1] / cs[-1], os.getloadavg()[0], faults), flush=True)
        tm, cm = statistics.median(ts), statistics.median(cs)
        print("%-6s %10.2f %12.2f %8.3f" % ("median", tm, cm, tm / cm))
        summary.append((t, tm, cm))
    print("\n%-8s %12s %12s %8s" % ("threads", "torch s", "convinit s", "ratio"))
    for t, tm, cm in summary:
        print("%-8d %12.2f %12.2f %8.3f" % (t, tm, cm, tm / cm))
    print("(medians; training loop only; ratio = torch / convinit, > 1 means convinit is faster)")


if __name__ == "__main__":
    sys.exit(main())
