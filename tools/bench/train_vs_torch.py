#!/usr/bin/env python3
"""One training epoch of the same small CNN on Fashion-MNIST, timed in torch 1.13.1 and in convinit,
at the given thread counts, in one run. Prints seconds per epoch and the ratio torch / convinit.

  /usr/bin/python3 tools/bench/train_vs_torch.py [--threads 1,2] [--limit N]
"""
import argparse
import json
import os
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
CNN = ("Sequential(Conv2d(1, 32, 3, padding=1), ReLU(), MaxPool2d(2), Conv2d(32, 64, 3, padding=1), ReLU(), "
       "MaxPool2d(2), Flatten(), Linear(3136, 10))")


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
    opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=64, shuffle=True)
    t0 = time.time()
    for xb, yb in loader:
        opt.zero_grad()
        F.cross_entropy(m(xb), yb).backward()
        opt.step()
    return time.time() - t0


def convinit_epoch(threads, limit):
    jar = os.path.join(ROOT, "convinit-cli", "target", "convinit.jar")
    with tempfile.TemporaryDirectory() as d:
        metrics = os.path.join(d, "m.json")
        cmd = ["java", "-XX:ActiveProcessorCount=%d" % threads, "--add-modules", "jdk.incubator.vector", "-jar", jar, "train", "--model", CNN, "--data", DATA,
               "--epochs", "1", "--metrics", metrics, "--limit", str(limit)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return json.load(open(metrics))["epochs"][0]["train_seconds"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--limit", type=int, default=60000)
    a = ap.parse_args()
    # the launcher rebuilds the jar when sources changed
    subprocess.run([os.path.join(ROOT, "convinit"), "--version"], check=True, stdout=subprocess.DEVNULL)
    print("%-8s %12s %12s %8s" % ("threads", "torch s", "convinit s", "ratio"))
    for t in [int(v) for v in a.threads.split(",")]:
        ts = torch_epoch(t, a.limit)
        cs = convinit_epoch(t, a.limit)
        print("%-8d %12.2f %12.2f %8.3f" % (t, ts, cs, ts / cs))
    print("(training loop only, batch 64, SGD momentum 0.9, %d images)" % a.limit)


if __name__ == "__main__":
    sys.exit(main())
