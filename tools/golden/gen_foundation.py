#!/usr/bin/env python3
"""Golden fixtures for the foundation: generator outputs, uniform_ and Conv2d default init.

Run with Debian's torch 1.13.1:  /usr/bin/python3 tools/golden/gen_foundation.py
Writes convinit-core/src/test/resources/golden/foundation.json. Floats are stored as raw bits.
"""
import json
import os
import struct

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "convinit-core", "src", "test", "resources", "golden", "foundation.json")


def f32_bits(t):
    return ["%08x" % struct.unpack("<I", struct.pack("<f", v))[0] for v in t.flatten().tolist()]


def f64_bits(t):
    return ["%016x" % struct.unpack("<Q", struct.pack("<d", v))[0] for v in t.flatten().tolist()]


def main():
    out = {"torch_version": torch.__version__}

    # Per seed: 1000 float32 uniforms (one 32-bit draw each, low 24 bits kept) and the generator
    # state afterwards (left, next, first untempered MT words), which pins the stream exactly.
    gens = []
    for seed in [0, 1, 42, 2**32 + 5, -7, 67280421310721]:
        g = torch.Generator().manual_seed(seed)
        rec = {"seed": seed, "initial_seed": str(g.initial_seed())}
        u = torch.empty(1000).uniform_(generator=g)
        rec["uniform1000_f32"] = f32_bits(u)
        st2 = bytes(g.get_state().tolist())
        rec["left"] = int.from_bytes(st2[8:12], "little", signed=True)
        rec["next"] = int.from_bytes(st2[16:24], "little")
        rec["state_words_0_8"] = ["%08x" % int.from_bytes(st2[24 + 8 * i:24 + 8 * i + 4], "little") for i in range(8)]
        gens.append(rec)
    out["generators"] = gens

    uni = []
    for seed, n, a, b, dtype in [
        (0, 5, 0.0, 1.0, torch.float32), (0, 5, 0.0, 1.0, torch.float64),
        (1, 1000, -0.1, 0.1, torch.float32), (7, 1000, -0.1, 0.1, torch.float64),
        (42, 777, -3.5, 2.25, torch.float32), (42, 333, -3.5, 2.25, torch.float64),
        (3, 16, 1.0, 1.0, torch.float32), (123, 4096, -1e-3, 5e-4, torch.float32),
    ]:
        torch.manual_seed(seed)
        t = torch.empty(n, dtype=dtype).uniform_(a, b)
        uni.append({"seed": seed, "n": n, "a": a, "b": b, "dtype": str(dtype).replace("torch.", ""),
                    "bits": f32_bits(t) if dtype == torch.float32 else f64_bits(t)})
    # non-contiguous: fill a transposed view (storage order)
    torch.manual_seed(5)
    base = torch.zeros(4, 6)
    base.t().uniform_(-1, 1)
    out["uniform_noncontiguous"] = {"seed": 5, "shape": [4, 6], "bits": f32_bits(base)}
    out["uniform"] = uni

    convs = []
    for seed, args, kw in [
        (0, (3, 16, 3), {"padding": 1}),
        (0, (3, 16, 3), {}),
        (1, (4, 8, (1, 3)), {"groups": 2}),
        (42, (6, 6, 3), {"groups": 6, "bias": False}),
        (2**32 + 5, (2, 5, (3, 2)), {"stride": 2}),
        (-7, (16, 32, 5), {"groups": 4, "dilation": 2}),
        (9, (1, 1, 1), {}),
    ]:
        torch.manual_seed(seed)
        m = nn.Conv2d(*args, **kw)
        rec = {"seed": seed, "args": [list(a) if isinstance(a, tuple) else a for a in args], "kwargs": kw,
               "weight_shape": list(m.weight.shape), "weight": f32_bits(m.weight.detach())}
        rec["bias"] = f32_bits(m.bias.detach()) if m.bias is not None else None
        convs.append(rec)
    # float64 module
    torch.manual_seed(3)
    m = nn.Conv2d(2, 4, 3, dtype=torch.float64)
    out["conv2d_f64"] = {"seed": 3, "weight": f64_bits(m.weight.detach()), "bias": f64_bits(m.bias.detach())}
    out["conv2d"] = convs

    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
