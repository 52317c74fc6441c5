"""Which BLAS the torch of this process runs on, for the benchmarks' headers.

Debian's python3-torch calls the BLAS behind libblas.so.3 (update-alternatives). Installed with
--no-install-recommends (as test.sh does: the tests only need torch's answers) that is the reference BLAS,
unoptimized: a 1024x1024 float32 matmul ran at 6 GFLOP/s on one AVX-512 core (2026-12-02) and the transposed
convolution of conv_vs_torch.py took 66.8 ms instead of 5.6 ms on OpenBLAS (its epoch of issue 10: 20.7 s against
19.4 s, barely moved). A side-by-side timing against that torch measures the missing BLAS where torch calls it:
install OpenBLAS first (apt-get install libopenblas0-pthread).
"""
import torch


def describe():
    """'openblas' / 'mkl' / 'reference BLAS (...)': the BLAS library mapped into this process after one matmul."""
    torch.ones(8, 8) @ torch.ones(8, 8)
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) > 5 else ""
            name = path.rsplit("/", 1)[-1]
            if "blas" in name or "mkl" in name:
                libs.add(path)
    names = " ".join(sorted(libs))
    if "openblas" in names:
        return "openblas"
    if "mkl" in names:
        return "mkl"
    if names:
        return "REFERENCE BLAS (" + names + "): torch is unoptimized here, install libopenblas0-pthread before timing"
    return "BLAS built in"


def header():
    """The text for a benchmark's '# torch ...' line."""
    return "BLAS " + describe()
