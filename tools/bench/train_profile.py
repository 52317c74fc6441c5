#!/usr/bin/python3
"""Where one training epoch's time goes: runs `convinit train` on issue 10's model under Java Flight Recorder
and summarizes the recording.

  /usr/bin/python3 tools/bench/train_profile.py [--threads 1] [--limit 3000] [--jfr FILE] [--java PATH]
  /usr/bin/python3 tools/bench/train_profile.py --read FILE        (summarize an existing recording)

Prints: train seconds; GC pauses (the collector the JVM chose, count and total pause); allocation by type and
by site (JFR's ObjectAllocationSample weights); the sampled time by phase of the step (forward, backward,
optimizer, data, evaluation) and by layer inside each phase; the top self-time methods; the top inclusive
methods. JFR samples only threads running Java code, about every 10-20 ms: GC pauses and time in the VM are
not in the samples, which is why the GC line is printed separately.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = "/usr/share/datasets/fashion-mnist"
JAR = os.path.join(ROOT, "convinit-cli", "target", "convinit.jar")
CNN = ("Sequential(Conv2d(1, 32, 3, padding=1), BatchNorm2d(32), ReLU(), MaxPool2d(2), "
       "Conv2d(32, 64, 3, padding=1), BatchNorm2d(64), ReLU(), MaxPool2d(2), Flatten(), Linear(3136, 10))")

# phase of a sample: the first of these found anywhere on its stack
PHASES = [("cli.TrainCommand.evaluate", "evaluation"), ("optim.Optimizer.step", "optimizer step"),
          ("optim.Optimizer.zeroGrad", "zero_grad"), ("autograd.Autograd.backward", "backward"),
          ("nn.Sequential.forward", "forward"), ("Losses.crossEntropy", "loss forward"),
          ("data.DataLoader", "data loader"), ("cli.Progress", "progress bar"), ("cli.TrainCommand.call", "loop other")]
# area inside the phase: the first of these (in this order) found on the stack (old and new class names)
AREAS = [("biasGrad", "conv backward: bias grad"), ("inputGrad", "conv backward: grad input"),
         ("ConvKernels.convTranspose", "conv backward: grad input"), ("weightGrad", "conv backward: grad weight"),
         ("ConvBackward", "conv backward: other"), ("ConvAutograd.lambda", "conv backward: other"),
         ("Convolution.lambda", "conv backward: other"), ("FastConv", "conv forward"), ("ConvKernels.conv", "conv forward"),
         ("BatchNorm", "batchnorm"), ("Normalization", "batchnorm"), ("Pooling", "pooling"),
         ("Activations", "activation"), ("VectorLayerKernel.relu", "activation"), ("Elementwise", "activation"),
         ("F.relu", "activation"), ("ReLU", "activation"), ("Linear", "linear"), ("F.lambda$linear", "linear"),
         ("F.linear", "linear"), ("CrossEntropy", "cross-entropy"), ("Softmax", "cross-entropy"), ("Losses", "cross-entropy"),
         ("GradAccumulator", "engine: grad accumulation"), ("autograd.", "engine"), ("optim.", "optimizer"),
         ("data.", "data"), ("tensor.", "tensor ops")]


def jfr_json(path, events):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "512", "--events", events, path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]


def frame(x):
    return x["method"]["type"]["name"].replace("/", ".").replace("org.convinit.", "") + "." + x["method"]["name"]


def seconds(iso):
    return float(iso[2:-1]) if iso.startswith("PT") and iso.endswith("S") else 0.0


def pct(v, n):
    return "%5.1f%%" % (100.0 * v / max(1, n))


def summarize(path, top):
    gc = collections.Counter()
    pause = collections.Counter()
    collector = None
    for e in jfr_json(path, "jdk.GarbageCollection,jdk.GCConfiguration"):
        v = e["values"]
        if e["type"] == "jdk.GCConfiguration":
            collector = "%s + %s" % (v["youngCollector"], v["oldCollector"])
        else:
            gc[v["name"]] += 1
            pause[v["name"]] += seconds(v["sumOfPauses"])
    print("GC: %s; %s; total pause %.2f s" % (collector, ", ".join("%s %d (%.2f s)" % (k, gc[k], pause[k]) for k in gc),
                                              sum(pause.values())))

    by_type = collections.Counter()
    by_site = collections.Counter()
    by_area = collections.Counter()
    for e in jfr_json(path, "jdk.ObjectAllocationSample"):
        v = e["values"]
        by_type[v["objectClass"]["name"]] += v["weight"]
        st = v["stackTrace"]
        if st:
            by_site[" < ".join("%s:%s" % (frame(x), x["lineNumber"]) for x in st["frames"][:3])] += v["weight"]
            frames = [frame(x) for x in st["frames"]]
            p = next((label for key, label in PHASES if any(key in f for f in frames)), "other")
            a = next((label for key, label in AREAS if any(key in f for f in frames)), "other")
            by_area[(p, a)] += v["weight"]
    print("\nallocated (sampled weight) %.2f GB" % (sum(by_type.values()) / 1e9))
    for k, w in by_type.most_common(5):
        print("  %7.2f GB  %s" % (w / 1e9, k))
    print("by phase and area:")
    for (p, a), w in by_area.most_common(top):
        print("  %7.2f GB  %-16s %s" % (w / 1e9, p, a))
    for k, w in by_site.most_common(top):
        print("  %7.2f GB  %s" % (w / 1e9, k))

    phase = collections.Counter()
    area = collections.Counter()
    self_time = collections.Counter()
    inclusive = collections.Counter()
    n = 0
    for e in jfr_json(path, "jdk.ExecutionSample"):
        st = e["values"]["stackTrace"]
        if not st:
            continue
        frames = [frame(x) for x in st["frames"]]
        n += 1
        p = next((label for key, label in PHASES if any(key in f for f in frames)), "other")
        a = next((label for key, label in AREAS if any(key in f for f in frames)), "other")
        phase[p] += 1
        area[(p, a)] += 1
        self_time[frames[0]] += 1
        for f in set(frames):
            inclusive[f] += 1
    print("\n%d execution samples\n\nby phase:" % n)
    for k, v in phase.most_common():
        print("  %s  %s" % (pct(v, n), k))
    print("\nby phase and area:")
    for (p, a), v in area.most_common(top):
        print("  %s  %-16s %s" % (pct(v, n), p, a))
    print("\nself time:")
    for k, v in self_time.most_common(top):
        print("  %s  %s" % (pct(v, n), k))
    print("\ninclusive (convinit frames):")
    mine = [(k, v) for k, v in inclusive.most_common() if not k.startswith(("java.", "jdk.", "picocli.", "cli.Main"))]
    for k, v in mine[:top]:
        print("  %s  %s" % (pct(v, n), k))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--limit", type=int, default=3000)
    ap.add_argument("--jfr", default=None, help="where to keep the recording (default: a temporary file)")
    ap.add_argument("--java", default="java")
    ap.add_argument("--jar", default=JAR, help="the convinit.jar to run (default: this checkout's)")
    ap.add_argument("--jvm-opt", action="append", default=[], help="an extra JVM option, e.g. -Dconvinit.gradBuffers=false")
    ap.add_argument("--read", default=None, help="summarize this recording instead of running")
    ap.add_argument("--top", type=int, default=30)
    a = ap.parse_args()
    if a.read:
        summarize(a.read, a.top)
        return 0
    subprocess.run([os.path.join(ROOT, "convinit"), "--version"], check=True, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as d:
        jfr = a.jfr or os.path.join(d, "train.jfr")
        metrics = os.path.join(d, "m.json")
        t = a.threads
        cmd = [a.java, "-XX:ActiveProcessorCount=%d" % t, "-Dconvinit.threads=%d" % t, "--add-modules", "jdk.incubator.vector"] + a.jvm_opt + [
               "-XX:FlightRecorderOptions:stackdepth=512", "-XX:StartFlightRecording=filename=%s,settings=profile" % jfr,
               "-jar", a.jar, "train", "--model", CNN, "--data", DATA, "--epochs", "1", "--optimizer", "adam",
               "--lr", "0.001", "--limit", str(a.limit), "--metrics", metrics]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(metrics) as f:
            e = json.load(f)["epochs"][0]
        print("threads %d, %d images: train %.2f s, with evaluation %.2f s (load average %.2f)"
              % (t, a.limit, e["train_seconds"], e["seconds"], os.getloadavg()[0]))
        summarize(jfr, a.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
