"""The benchmark jar the side-by-side scripts in tools/bench run: where it is and (re)building it."""
import os
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAR = os.path.join(ROOT, "convinit-bench", "target", "benchmarks.jar")
# every module whose classes the shaded benchmarks.jar holds
MODULES = ("convinit-core", "convinit-io", "convinit-bench")


def stale(jar=JAR):
    """Whether the benchmark jar is missing or older than a source file it is built from."""
    if not os.path.exists(jar):
        return True
    built = os.path.getmtime(jar)
    for module in MODULES:
        for d, _, files in os.walk(os.path.join(ROOT, module, "src", "main")):
            if any(os.path.getmtime(os.path.join(d, f)) > built for f in files):
                return True
    return False


def ensure(jar):
    """Builds convinit-bench/target/benchmarks.jar when `jar` is that jar and it is stale; other paths are used as given."""
    if os.path.abspath(jar) == JAR and stale(jar):
        subprocess.run(["mvn", "-q", "-pl", "convinit-bench", "-am", "package", "-DskipTests"], cwd=ROOT, check=True)
