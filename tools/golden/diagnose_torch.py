#!/usr/bin/python3
"""The oracle for `convinit diagnose`: the same numbers, measured in PyTorch 1.13.1 with forward hooks and full
backward hooks on the same weights and the same batch.

usage: diagnose_torch.py MODEL_EXPR WEIGHTS.pth IMAGES.npy LABELS.npy   -> JSON on stdout

MODEL_EXPR is a torch.nn constructor expression (Sequential(Conv2d(1, 8, 3), ReLU(), ...)), evaluated with torch.nn's
names in scope; the weights are loaded strictly; the model runs in training mode; the loss is F.cross_entropy (mean).
Every number follows docs/study-json.md; statistics of float32 tensors are torch's (mean, std unbiased, min, max),
fractions and the 40-bin histogram are computed in float64 with numpy (bin = floor((x - min) / (max - min) * 40)).
"""
import hashlib
import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

BINS = 40


def histogram(y):
    x = y.detach().double().numpy().ravel()
    x = x[np.isfinite(x)]
    if x.size == 0:
        return {"min": 0.0, "max": 0.0, "counts": [0] * BINS, "near_edge": [0] * BINS}
    lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    b = np.clip(np.floor((x - lo) / (hi - lo) * BINS).astype(np.int64), 0, BINS - 1)
    # per bin, the values within 1e-5 of the range from one of its inner edges: those may fall on either side when
    # the other implementation's values (or min/max) differ by float rounding
    edges = lo + (hi - lo) * np.arange(1, BINS) / BINS
    near = np.zeros(BINS, dtype=np.int64)
    for k, e in enumerate(edges):
        n = int(np.count_nonzero(np.abs(x - e) <= 1e-5 * (hi - lo)))
        near[k] += n
        near[k + 1] += n
    return {"min": lo, "max": hi, "counts": np.bincount(b, minlength=BINS).tolist(), "near_edge": near.tolist()}


def saturated(kind, y):
    x = y.detach().double()
    if kind == "Tanh":
        return float((x.abs() > 0.99).double().mean())
    if kind == "Sigmoid":
        return float(((x < 0.01) | (x > 0.99)).double().mean())
    return 0.0


def fan_in(w):
    return w.shape[1] * (int(np.prod(w.shape[2:])) if w.dim() > 2 else 1)


def finite(v):
    return v if v is not None and math.isfinite(v) else None


def main():
    expr, weights, images, labels = sys.argv[1:5]
    scope = dict(vars(torch.nn))
    scope["nn"] = torch.nn
    model = eval(expr, scope)
    model.load_state_dict(torch.load(weights), strict=True)
    model.train()
    x = torch.from_numpy(np.load(images))
    t = torch.from_numpy(np.load(labels)).long()
    leaves = [(n, m) for n, m in model.named_modules() if len(list(m.children())) == 0]
    outputs, grads = {}, {}
    hooks = []
    for n, m in leaves:
        hooks.append(m.register_forward_hook(lambda mod, inp, out, n=n: outputs.__setitem__(n, out.detach().clone())))
        hooks.append(m.register_full_backward_hook(lambda mod, gi, go, n=n: grads.__setitem__(n, go[0].detach().clone())))
    loss = F.cross_entropy(model(x), t)
    loss.backward()
    for h in hooks:
        h.remove()
    layers = []
    c, first_std, prev_std, product = 1.0, None, None, 1.0
    for n, m in leaves:
        kind = type(m).__name__
        y = outputs[n]
        std = y.std().item()
        d = {"name": n, "type": kind, "output_mean": y.mean().item(), "output_std": std,
             "output_min": y.min().item(), "output_max": y.max().item(),
             "zero_fraction": float((y == 0).double().mean()), "saturated_fraction": saturated(kind, y),
             "histogram": histogram(y),
             "grad_output_std": finite(grads[n].std().item()) if n in grads else None,
             "weight_grad_norm": None, "update_ratio": None, "fan_in": None,
             "predicted_gain": None, "measured_gain": None, "predicted_std": None}
        w = getattr(m, "weight", None)
        if isinstance(w, torch.nn.Parameter) and w.grad is not None:
            gn = w.grad.double().norm().item()
            d["weight_grad_norm"] = gn
            d["update_ratio"] = 0.01 * gn / w.detach().double().norm().item()
        if isinstance(m, torch.nn.ReLU):
            c = 0.5
        elif isinstance(m, torch.nn.LeakyReLU):
            c = (1 + m.negative_slope ** 2) / 2
        if isinstance(m, (torch.nn.modules.conv._ConvNd, torch.nn.Linear)):
            wd = m.weight.detach().double()
            gain = c * fan_in(wd) * float((wd * wd).mean())
            d["fan_in"] = fan_in(wd)
            d["predicted_gain"] = gain
            if first_std is None:
                first_std = std
                d["predicted_std"] = std
            else:
                d["measured_gain"] = (std / prev_std) ** 2
                product *= gain
                d["predicted_std"] = first_std * math.sqrt(product)
            prev_std = std
            c = 1.0
        layers.append(d)
    sha = hashlib.sha256(np.load(images).astype("<f4").tobytes()).hexdigest()
    print(json.dumps({"loss": loss.item(), "batch_sha256": sha, "layers": layers}))


if __name__ == "__main__":
    main()
