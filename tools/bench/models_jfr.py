#!/usr/bin/python3
"""Where a model forward's time goes at 2+ threads, from a Java Flight Recorder recording of tools/bench/ModelsForward.java:

    java --add-modules jdk.incubator.vector -Dconvinit.threads=2 -XX:StartFlightRecording=filename=r.jfr,settings=profile \\
         -cp convinit-core/target/classes:convinit-models/target/classes tools/bench/ModelsForward.java resnet18 8 224 6 20
    /usr/bin/python3 tools/bench/models_jfr.py r.jfr

Counts the execution samples (model construction, input sampling and the source launcher's compile left out) by layer kind and by where they ran:
on a pool worker, on the calling thread inside a parallel loop (Parallel.runWorkers on its stack), or on the calling
thread outside one (a serial section, during which the pool idles); then the serial sections' top lines. JFR samples
only threads that run Java code, so a parked (idle) worker has no samples: at 2 threads, pool samples well below the
caller's parallel-section samples mean idle workers.
"""
import collections
import json
import subprocess
import sys

SETUP = ("Models.create", "normal_", "Init.", "Generator", "launcher.Main.compile")
LAYERS = [("FloatDepthwise", "conv depthwise"), ("FloatWinograd", "conv winograd"), ("FloatConv", "conv"), ("ConvGeometry", "conv"), ("ConvKernels", "conv"),
          ("FastBatchNorm", "batchnorm"), ("FastPooling", "maxpool"), ("AdaptivePooling", "avgpool"),
          ("FastActivations", "activation"), ("Residual", "residual add"), ("TensorMath", "tensor arithmetic"),
          ("FastLinear", "linear")]


def frame(x):
    return x["method"]["type"]["name"].replace("/", ".").replace("org.convinit.", "") + "." + x["method"]["name"]


def main():
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "256", "--events", "jdk.ExecutionSample", sys.argv[1]],
                         capture_output=True, text=True, check=True).stdout
    counts = collections.Counter()
    serial = collections.Counter()
    for e in json.loads(out)["recording"]["events"]:
        v = e["values"]
        st = v["stackTrace"]["frames"] if v["stackTrace"] else []
        names = [frame(f) for f in st]
        th = v["sampledThread"]["javaName"] or "?"
        th = "pool" if "ForkJoinPool" in th else ("main" if th == "main" else "other")
        if th == "other" or any(s in n for n in names for s in SETUP):
            continue
        layer = next((lay for key, lay in LAYERS if any(key in n for n in names)), "other")
        if th == "pool":
            region = "pool"
        elif any("Parallel.runWorkers" in n for n in names):
            region = "caller parallel"
        else:
            region = "caller serial"
            serial[names[0] + ":" + str(st[0].get("lineNumber")) if names else "?"] += 1
        counts[(layer, region)] += 1
    total = sum(counts.values())
    layers = sorted({lay for lay, _ in counts}, key=lambda lay: -sum(c for (x, _), c in counts.items() if x == lay))
    print(f"{total} samples (construction and input left out)")
    print(f"{'layer':20s} {'share':>6s} {'pool':>6s} {'caller parallel':>15s} {'caller serial':>13s}")
    for lay in layers:
        t = sum(c for (x, _), c in counts.items() if x == lay)
        print(f"{lay:20s} {100 * t / total:5.1f}% {counts[(lay, 'pool')]:6d} {counts[(lay, 'caller parallel')]:15d} "
              f"{counts[(lay, 'caller serial')]:13d}")
    print("serial sections, top lines:")
    for k, c in serial.most_common(12):
        print(f"  {c:5d} {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
