#!/usr/bin/env python3
"""Golden fixtures for torch.nn.init, the normal_ kernels, randperm, generator state and the
LayerNorm / GroupNorm / Embedding layers, from torch 1.13.1.

Run with Debian's torch:  /usr/bin/python3 tools/golden/gen_init.py
Writes convinit-core/src/test/resources/golden/init.json. Floats are stored as raw bits (hex):
float32 8 digits, float64 16 digits, float16/bfloat16 4 digits.
"""
import json
import math
import os
import struct
import warnings

import torch
import torch.nn as nn
import torch.nn.init as init

torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "convinit-core", "src", "test", "resources", "golden",
                   "init.json")


def bits(t):
    t = t.detach().contiguous().flatten()
    if t.dtype == torch.float32:
        return ["%08x" % (v & 0xFFFFFFFF) for v in t.view(torch.int32).tolist()]
    if t.dtype == torch.float64:
        return ["%016x" % (v & 0xFFFFFFFFFFFFFFFF) for v in t.view(torch.int64).tolist()]
    if t.dtype in (torch.float16, torch.bfloat16):
        return ["%04x" % (v & 0xFFFF) for v in t.view(torch.int16).tolist()]
    raise ValueError(t.dtype)


def dbits(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


DT = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16, "bfloat16": torch.bfloat16}


def normal_cases():
    out = []
    for dtype in ["float32", "float64", "float16", "bfloat16"]:
        for seed, n, mean, std in [(0, 1, 0.0, 1.0), (1, 15, 0.5, 2.0), (2, 16, 0.0, 1.0), (3, 17, -1.25, 0.272),
                                   (0, 20, 0.0, 1.0), (4, 32, 0.5, 0.02), (5, 100, 0.0, 1.0), (6, 1003, 3.0, 0.5),
                                   (7, 4099, 0.0, 1.0)]:
            if dtype != "float32" and n > 1100:
                continue
            torch.manual_seed(seed)
            t = torch.empty(n, dtype=DT[dtype]).normal_(mean, std)
            out.append({"seed": seed, "n": n, "mean": mean, "std": std, "dtype": dtype, "bits": bits(t)})
    # a large float64 fill: pins the libm ulp bound of normal_fill<double>
    torch.manual_seed(13)
    t = torch.empty(20003, dtype=torch.float64).normal_(0.0, 1.0)
    out.append({"seed": 13, "n": 20003, "mean": 0.0, "std": 1.0, "dtype": "float64", "bits": bits(t)})
    # a large float32 fill (several MT twists, blocks and the tail)
    torch.manual_seed(11)
    t = torch.empty(30011).normal_(0.5, 0.02)
    out.append({"seed": 11, "n": 30011, "mean": 0.5, "std": 0.02, "dtype": "float32", "bits": bits(t)})
    return out


def normal_sequence():
    # scalar path with its cache, the fill path in between (does not touch the cache)
    out = []
    for dtype in ["float32", "float64"]:
        torch.manual_seed(9)
        vals = []
        sizes = [1, 2, 3, 15, 5, 1, 16, 7, 33, 1]
        for n in sizes:
            vals += bits(torch.empty(n, dtype=DT[dtype]).normal_(0.25, 1.5))
        out.append({"seed": 9, "sizes": sizes, "mean": 0.25, "std": 1.5, "dtype": dtype, "bits": vals})
    # non-contiguous tensor of 40 elements: scalar path in storage order
    torch.manual_seed(12)
    base = torch.zeros(5, 8)
    base.t().normal_(0, 1)
    out.append({"seed": 12, "noncontiguous_shape": [5, 8], "mean": 0.0, "std": 1.0, "dtype": "float32",
                "bits": bits(base)})
    return out


def run_init(fn, seed, shape, dtype, kwargs):
    torch.manual_seed(seed)
    t = torch.empty(*shape, dtype=DT[dtype])
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        getattr(init, fn)(t, **kwargs)
    rec = {"fn": fn, "seed": seed, "shape": list(shape), "dtype": dtype, "kwargs": kwargs, "bits": bits(t),
           "warnings": [str(x.message) for x in w]}
    # the next raw draw pins how many draws the function consumed
    rec["next_uniform"] = bits(torch.empty(1).uniform_())[0]
    return rec


SEEDS = [0, 1, 42, 2 ** 32 + 5, -7]
CONV = [(16, 3, 3, 3), (6, 4, 5), (8, 2, 3, 3, 3), (32, 4, 3, 3), (16, 8, 3, 3), (4, 16, 1, 1)]
# (32, 4, 3, 3): Conv2d(16, 32, 3, groups=4); (16, 8, 3, 3): ConvTranspose2d(16, 16, 3, groups=2)
MATS = [(8, 3), (3, 100), (100, 3), (7, 11), (1, 20)]


def init_cases():
    cases = []
    i = 0

    def add(fn, shape, kwargs, dtype="float32"):
        nonlocal i
        seed = SEEDS[i % len(SEEDS)]
        i += 1
        cases.append(run_init(fn, seed, shape, dtype, kwargs))

    for shape in [(17,), (5,)] + CONV[:3] + MATS[:2]:
        add("uniform_", shape, {})
        add("uniform_", shape, {"a": -0.1, "b": 0.3})
        add("normal_", shape, {})
        add("normal_", shape, {"mean": 0.5, "std": 0.02})
        add("trunc_normal_", shape, {})
        add("trunc_normal_", shape, {"std": 0.02})
        add("trunc_normal_", shape, {"mean": 0.3, "std": 0.7, "a": -0.5, "b": 1.0})
        add("constant_", shape, {"val": 0.3})
        add("ones_", shape, {})
        add("zeros_", shape, {})
    for shape in CONV + MATS:
        add("xavier_uniform_", shape, {})
        add("xavier_uniform_", shape, {"gain": init.calculate_gain("relu")})
        add("xavier_normal_", shape, {})
        add("xavier_normal_", shape, {"gain": 5.0 / 3})
        add("kaiming_uniform_", shape, {})
        add("kaiming_uniform_", shape, {"a": math.sqrt(5)})
        add("kaiming_uniform_", shape, {"mode": "fan_out", "nonlinearity": "relu"})
        add("kaiming_normal_", shape, {})
        add("kaiming_normal_", shape, {"mode": "fan_out", "nonlinearity": "relu"})
        add("kaiming_normal_", shape, {"a": 0.2, "mode": "fan_in", "nonlinearity": "leaky_relu"})
        add("kaiming_normal_", shape, {"nonlinearity": "tanh"})
    for shape in MATS:
        add("eye_", shape, {})
        add("sparse_", shape, {"sparsity": 0.1})
        add("sparse_", shape, {"sparsity": 0.5, "std": 0.2})
    for shape, groups in [((16, 3, 3, 3), 1), ((6, 4, 5), 2), ((8, 2, 3, 3, 3), 4), ((4, 6, 3, 3), 1),
                          ((12, 2, 5, 4), 3)]:
        add("dirac_", shape, {"groups": groups})
    # float64 and an explicit large conv weight
    add("kaiming_uniform_", (64, 32, 3, 3), {"a": math.sqrt(5)})
    add("kaiming_normal_", (64, 32, 3, 3), {"mode": "fan_out", "nonlinearity": "relu"})
    add("uniform_", (5, 7), {"a": -1.0, "b": 2.0}, "float64")
    add("kaiming_uniform_", (8, 4, 3), {}, "float64")
    add("xavier_uniform_", (8, 4, 3), {}, "float64")
    # float64 through libm (normal_fill<double>, erfinv<double>): compared within an ulp bound
    add("trunc_normal_", (1000,), {}, "float64")
    add("trunc_normal_", (40, 25), {"mean": 0.3, "std": 0.7, "a": -0.5, "b": 1.0}, "float64")
    add("kaiming_normal_", (64, 32, 3), {"mode": "fan_out", "nonlinearity": "relu"}, "float64")
    add("xavier_normal_", (30, 7), {}, "float64")
    add("normal_", (7,), {"mean": 1.0, "std": 2.0}, "float64")
    # float16 / bfloat16 (torch 1.13 has no float16 erfinv_ and no half-precision QR on CPU)
    for dt in ["float16", "bfloat16"]:
        add("kaiming_normal_", (64, 3, 3, 3), {}, dt)
        add("kaiming_uniform_", (16, 8, 3), {"a": math.sqrt(5)}, dt)
        add("xavier_uniform_", (64, 33), {}, dt)
        add("normal_", (7,), {"mean": 0.5, "std": 2.0}, dt)
        add("uniform_", (300,), {"a": -0.3, "b": 0.2}, dt)
        add("sparse_", (20, 6), {"sparsity": 0.4}, dt)
    add("trunc_normal_", (2000,), {"mean": 0.1, "std": 0.5, "a": -0.6, "b": 0.9}, "bfloat16")
    add("trunc_normal_", (300,), {"std": 0.02}, "bfloat16")
    # zero-element tensors
    add("kaiming_uniform_", (0, 3), {})
    add("kaiming_normal_", (4, 0, 3), {})
    add("xavier_uniform_", (0, 3), {})
    return cases


def orthogonal_cases():
    out = []
    for seed, shape, gain in [(0, (8, 3), 1.0), (1, (3, 8), 1.0), (2, (16, 3, 3, 3), 1.0), (3, (64, 64), 1.0),
                              (4, (10, 10), 2.0), (5, (4, 16, 1, 1), 1.0), (42, (128, 64), 1.0),
                              (6, (5, 3), 0.5), (7, (2, 2), 1.0)]:
        torch.manual_seed(seed)
        t = torch.empty(*shape)
        init.orthogonal_(t, gain=gain)
        out.append({"seed": seed, "shape": list(shape), "gain": gain, "bits": bits(t),
                    "next_uniform": bits(torch.empty(1).uniform_())[0]})
    return out


def randperm_cases():
    out = []
    for seed, n in [(0, 1), (0, 2), (1, 10), (2, 100), (3, 1000), (42, 7)]:
        torch.manual_seed(seed)
        p = torch.randperm(n)
        out.append({"seed": seed, "n": n, "perm": p.tolist()})
    return out


def gains():
    out = []
    for nl, p in [("linear", None), ("conv1d", None), ("conv2d", None), ("conv3d", None),
                  ("conv_transpose1d", None), ("conv_transpose2d", None), ("conv_transpose3d", None),
                  ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", None),
                  ("leaky_relu", math.sqrt(5)), ("leaky_relu", 0.2), ("leaky_relu", 0.1), ("leaky_relu", 0.0),
                  ("leaky_relu", 1.0), ("leaky_relu", 3), ("selu", None)]:
        g = init.calculate_gain(nl, p)
        out.append({"nonlinearity": nl, "param": p, "gain": dbits(g)})
    return out


def state_cases():
    out = {}
    g = torch.Generator().manual_seed(123)
    torch.empty(7).normal_(generator=g)  # 7 scalar samples: leaves a cached sample
    torch.empty(1000).uniform_(generator=g)
    st = bytes(g.get_state().tolist())
    after = torch.empty(3).normal_(generator=g)  # first from the cache
    after_u = torch.empty(700).uniform_(generator=g)
    out["cached"] = {"state": st.hex(), "normal3": bits(after), "uniform700": bits(after_u)}
    g = torch.Generator().manual_seed(-7)
    torch.empty(624 * 3 + 5).uniform_(generator=g)
    st = bytes(g.get_state().tolist())
    out["plain"] = {"state": st.hex(), "normal3": bits(torch.empty(3).normal_(generator=g)),
                    "uniform700": bits(torch.empty(700).uniform_(generator=g))}
    # fresh seeding: left = 1, next = 0
    out["fresh"] = {"seed": 5, "state": bytes(torch.Generator().manual_seed(5).get_state().tolist()).hex()}
    # legacy 5048-byte layout: the cache is rebuilt as normal_rho * sin(2*pi*normal_x)
    g = torch.Generator().manual_seed(77)
    torch.empty(10).uniform_(generator=g)
    b = bytearray(bytes(g.get_state().tolist())[:5048])
    struct.pack_into("<d", b, 5016, 0.3)
    struct.pack_into("<d", b, 5032, 1.7)
    struct.pack_into("<i", b, 5040, 1)
    g2 = torch.Generator()
    g2.set_state(torch.tensor(list(b), dtype=torch.uint8))
    out["legacy"] = {"state": bytes(b).hex(), "normal3": bits(torch.empty(3, dtype=torch.float64).normal_(generator=g2))}
    return out


def layers():
    out = []
    torch.manual_seed(3)
    e1 = nn.Embedding(5, 3)            # 15 values: scalar path, leaves a cached sample
    e2 = nn.Embedding(20, 8, padding_idx=2)   # 160 values: AVX2 fill
    e3 = nn.Embedding(4, 2, padding_idx=-1)   # 8 values: scalar path, starts with the cached sample
    ln = nn.LayerNorm([4, 5])
    gn = nn.GroupNorm(2, 6)
    for name, m in [("Embedding(5, 3)", e1), ("Embedding(20, 8, padding_idx=2)", e2),
                    ("Embedding(4, 2, padding_idx=-1)", e3), ("LayerNorm([4, 5])", ln), ("GroupNorm(2, 6)", gn)]:
        out.append({"module": name, "state": {k: bits(v) for k, v in m.state_dict().items()},
                    "shapes": {k: list(v.shape) for k, v in m.state_dict().items()}})
    # a whole Sequential: construction order across conv, embedding (fill and scalar paths) and norms
    torch.manual_seed(17)
    seq = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Embedding(10, 4), nn.GroupNorm(2, 4), nn.Embedding(3, 2, padding_idx=0),
                        nn.LayerNorm(2), nn.Conv2d(4, 2, 1))
    out.append({"module": "sequential", "state": {k: bits(v) for k, v in seq.state_dict().items()},
                "shapes": {k: list(v.shape) for k, v in seq.state_dict().items()}})
    # forward checks
    torch.manual_seed(4)
    x = torch.randn(2, 3, 4, 5)
    ln2 = nn.LayerNorm([4, 5], eps=1e-5)
    with torch.no_grad():
        ln2.weight.uniform_(-1, 1)
        ln2.bias.uniform_(-1, 1)
    gn2 = nn.GroupNorm(3, 3, eps=1e-3)
    with torch.no_grad():
        gn2.weight.uniform_(-1, 1)
        gn2.bias.uniform_(-1, 1)
    fwd = {"x": bits(x), "x_shape": list(x.shape),
           "ln_weight": bits(ln2.weight), "ln_bias": bits(ln2.bias), "ln_out": bits(ln2(x)),
           "gn_weight": bits(gn2.weight), "gn_bias": bits(gn2.bias), "gn_out": bits(gn2(x))}
    emb = nn.Embedding(10, 4, padding_idx=0)
    idx = torch.tensor([[1, 0, 9], [3, 3, 2]])
    fwd["emb_weight"] = bits(emb.weight)
    fwd["emb_idx"] = idx.flatten().tolist()
    fwd["emb_out"] = bits(emb(idx))
    return out, fwd


def erfinv_samples():
    torch.manual_seed(21)
    y = torch.empty(10000).uniform_(-1, 1)
    y[:6] = torch.tensor([0.0, 0.7, -0.7, 0.70000005, -0.99999994, 0.99999994])
    return {"y": bits(y), "erfinv": bits(torch.erfinv(y))}


def main():
    out = {"torch_version": torch.__version__,
           "gains": gains(),
           "normal": normal_cases(),
           "normal_sequence": normal_sequence(),
           "init": init_cases(),
           "orthogonal": orthogonal_cases(),
           "randperm": randperm_cases(),
           "state": state_cases(),
           "erfinv": erfinv_samples()}
    out["layers"], out["layer_forward"] = layers()
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
