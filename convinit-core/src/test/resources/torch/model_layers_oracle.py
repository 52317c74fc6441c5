"""Oracle for the graph pieces of torchvision's models (ModelLayersDifferentialTest).

usage: model_layers_oracle.py CASES.json OUT.json
A case is {"id", "op", "dtype", "inputs": [tensor...], "kwargs", "seed", "grad_output"}; tensors as in nn_oracle.py.
Replies {"id", "output", "grads": [per input]} (grads when grad_output is given), "indices" (flattened) for the
pools with return_indices=True.
"""
import base64
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision

DT = {"float32": torch.float32, "float64": torch.float64}


def dec(t, dtype):
    a = np.frombuffer(base64.b64decode(t["b64"]), dtype="<f8").copy()
    return torch.from_numpy(a).reshape(t["shape"]).to(dtype)


def enc(t):
    a = t.detach().to(torch.float64).contiguous().numpy().astype("<f8")
    return {"shape": list(t.shape), "b64": base64.b64encode(a.tobytes()).decode()}


def apply(op, xs, kw, train):
    if op == "cat":
        return torch.cat(xs, kw["dim"])
    if op == "channel_shuffle":
        return torchvision.models.shufflenetv2.channel_shuffle(xs[0], kw["groups"])
    if op == "stochastic_depth":
        return torchvision.ops.stochastic_depth(xs[0], kw["p"], kw["mode"], train)
    if op == "adaptive_avg_pool":
        return getattr(nn.functional, "adaptive_avg_pool%dd" % kw["dims"])(xs[0], size(kw["size"]))
    if op == "adaptive_max_pool":
        return getattr(nn.functional, "adaptive_max_pool%dd" % kw["dims"])(xs[0], size(kw["size"]), return_indices=True)
    if op == "max_pool":
        return getattr(nn.functional, "max_pool%dd" % kw["dims"])(xs[0], kw["kernel"], kw["stride"], kw["padding"],
                                                                    kw["dilation"], kw["ceil_mode"], return_indices=True)
    return getattr(nn, op)()(xs[0])


def size(v):
    return tuple(v) if isinstance(v, list) else v


def run(c):
    dtype = DT[c["dtype"]]
    try:
        xs = [dec(t, dtype) for t in c["inputs"]]
        grad = c.get("grad_output") is not None
        for x in xs:
            x.requires_grad_(grad)
        if c.get("seed") is not None:
            torch.manual_seed(c["seed"])
        y = apply(c["op"], xs, c.get("kwargs", {}), c.get("train", False))
        indices = None
        if isinstance(y, tuple):
            y, indices = y
        out = {"id": c["id"], "output": enc(y)}
        if indices is not None:
            out["indices"] = indices.reshape(-1).tolist()
        if grad:
            (y * dec(c["grad_output"], dtype)).sum().backward()
            out["grads"] = [enc(x.grad) for x in xs]
        return out
    except Exception as e:
        return {"id": c["id"], "error": "%s: %s" % (type(e).__name__, str(e).split("\n")[0])}


def main():
    torch.set_num_threads(1)
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    with open(sys.argv[2], "w") as f:
        json.dump([run(c) for c in cases], f)


if __name__ == "__main__":
    main()
