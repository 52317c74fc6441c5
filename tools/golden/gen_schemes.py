#!/usr/bin/env python3
"""Golden fixtures for the init schemes beyond torch.nn.init that are defined on torch's RNG:
timm's trunc_normal_tf_ and variance_scaling_ (and so JAX's lecun/glorot/he presets, drawn with timm's
samplers), from torch 1.13.1.

timm is not installed here: the functions below re-implement timm/layers/weight_init.py
(huggingface/pytorch-image-models) operation for operation -- the same torch calls with the same
Python double arithmetic -- so their bits are timm's bits.

Run with Debian's torch:  /usr/bin/python3 tools/golden/gen_schemes.py
Writes convinit-core/src/test/resources/golden/schemes.json (float bits as hex, as gen_init.py).
"""
import json
import math
import os
import warnings

import torch
from torch.nn.init import _calculate_fan_in_and_fan_out

torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "convinit-core", "src", "test", "resources", "golden",
                   "schemes.json")


def bits(t):
    t = t.detach().contiguous().flatten()
    if t.dtype == torch.float32:
        return ["%08x" % (v & 0xFFFFFFFF) for v in t.view(torch.int32).tolist()]
    return ["%016x" % (v & 0xFFFFFFFFFFFFFFFF) for v in t.view(torch.int64).tolist()]


# ---- timm/layers/weight_init.py, re-implemented (same ops, same order) ----

def _trunc_normal_(tensor, mean, std, a, b):
    def norm_cdf(x):
        return (1. + math.erf(x / math.sqrt(2.))) / 2.
    if (mean < a - 2 * std) or (mean > b + 2 * std):
        warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_.")
    lo = norm_cdf((a - mean) / std)
    up = norm_cdf((b - mean) / std)
    tensor.uniform_(2 * lo - 1, 2 * up - 1)
    tensor.erfinv_()
    tensor.mul_(std * math.sqrt(2.))
    tensor.add_(mean)
    tensor.clamp_(min=a, max=b)
    return tensor


def trunc_normal_tf_(tensor, mean=0., std=1., a=-2., b=2.):
    with torch.no_grad():
        _trunc_normal_(tensor, 0, 1.0, a, b)
        tensor.mul_(std).add_(mean)
    return tensor


def variance_scaling_(tensor, scale=1.0, mode='fan_in', distribution='truncated_normal'):
    # timm's default distribution is 'normal'; convinit follows Keras ('truncated_normal'): every case passes it
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    if mode == 'fan_in':
        denom = fan_in
    elif mode == 'fan_out':
        denom = fan_out
    elif mode == 'fan_avg':
        denom = (fan_in + fan_out) / 2
    variance = scale / denom
    if distribution == "truncated_normal":
        trunc_normal_tf_(tensor, std=math.sqrt(variance) / .87962566103423978)
    elif distribution == "normal":
        with torch.no_grad():
            tensor.normal_(std=math.sqrt(variance))
    elif distribution == "uniform":
        bound = math.sqrt(3 * variance)
        with torch.no_grad():
            tensor.uniform_(-bound, bound)
    else:
        raise ValueError(distribution)
    return tensor


PRESETS = {  # JAX's presets as variance_scaling arguments
    "lecun_normal_": (1.0, "fan_in", "truncated_normal"),
    "lecun_uniform_": (1.0, "fan_in", "uniform"),
    "glorot_normal_": (1.0, "fan_avg", "truncated_normal"),
    "glorot_uniform_": (1.0, "fan_avg", "uniform"),
    "he_normal_": (2.0, "fan_in", "truncated_normal"),
    "he_uniform_": (2.0, "fan_in", "uniform"),
}

SHAPES = [[16, 3, 3, 3], [40, 20], [7, 5, 2, 3, 3], [3, 8, 4, 4], [5, 1, 3], [12, 12]]


def cases():
    out = []
    seed = 100
    for shape in SHAPES:
        for dtype in ["float32", "float64"] if math.prod(shape) <= 432 else ["float32"]:
            for mode in ["fan_in", "fan_out", "fan_avg"]:
                for dist in ["truncated_normal", "normal", "uniform"]:
                    seed += 1
                    if dtype == "float64" and dist == "normal" and math.prod(shape) >= 16:
                        continue  # float64 normal_fill uses glibc's log/sin/cos: covered by InitGoldenTest's ulp bound
                    scale = [1.0, 2.0, 0.1][seed % 3]
                    kw = {"scale": scale, "mode": mode, "distribution": dist}
                    torch.manual_seed(seed)
                    t = torch.empty(*shape, dtype=getattr(torch, dtype))
                    variance_scaling_(t, **kw)
                    out.append({"fn": "variance_scaling_", "kwargs": kw, "shape": shape, "dtype": dtype,
                                "seed": seed, "bits": bits(t)})
        for name, (scale, mode, dist) in PRESETS.items():
            seed += 1
            torch.manual_seed(seed)
            t = torch.empty(*shape)
            variance_scaling_(t, scale, mode, dist)
            out.append({"fn": name, "kwargs": {}, "shape": shape, "dtype": "float32", "seed": seed, "bits": bits(t)})
    for kw in [{}, {"std": 0.02}, {"mean": 0.5, "std": 3.0, "a": -1.0, "b": 3.0}, {"mean": -1.0, "std": 0.1, "a": -3.0, "b": 0.5}]:
        for shape, dtype in [([1024], "float32"), ([33, 7], "float32"), ([257], "float64")]:
            seed += 1
            torch.manual_seed(seed)
            t = torch.empty(*shape, dtype=getattr(torch, dtype))
            trunc_normal_tf_(t, **kw)
            out.append({"fn": "trunc_normal_tf_", "kwargs": kw, "shape": shape, "dtype": dtype, "seed": seed,
                        "bits": bits(t)})
    return out


def main():
    doc = {"torch": torch.__version__, "cases": cases()}
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    print("wrote", OUT, len(doc["cases"]), "cases")


if __name__ == "__main__":
    main()
