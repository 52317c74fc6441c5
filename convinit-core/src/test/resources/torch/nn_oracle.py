"""Differential-test oracle: runs torch 1.13.1 on cases written by org.convinit.nn.TorchOracle.

usage: nn_oracle.py CASES.json OUT.json
A case is {"id", "kind": "module"|"functional", "dtype", ...}; tensors travel as
{"shape": [...], "b64": base64 of little-endian float64 (or int64 with "int": true)} so both sides
see exactly the same numbers. The reply holds, per case, the output and (for modules) the state
dict after the forward pass, or the error message.
"""
import base64
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DT = {"float32": torch.float32, "float64": torch.float64}
WITH_DTYPE = {"Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "Linear",
              "BatchNorm1d", "BatchNorm2d", "BatchNorm3d"}


def dec(t, dtype):
    if t is None:
        return None
    raw = base64.b64decode(t["b64"])
    if t.get("int"):
        a = np.frombuffer(raw, dtype="<i8").copy()
        return torch.from_numpy(a).reshape(t["shape"])
    a = np.frombuffer(raw, dtype="<f8").copy()
    return torch.from_numpy(a).reshape(t["shape"]).to(dtype)


def enc(t):
    if t.dtype in (torch.int64, torch.int32):
        a = t.detach().to(torch.int64).contiguous().numpy().astype("<i8")
        return {"shape": list(t.shape), "int": True, "b64": base64.b64encode(a.tobytes()).decode()}
    a = t.detach().to(torch.float64).contiguous().numpy().astype("<f8")
    return {"shape": list(t.shape), "b64": base64.b64encode(a.tobytes()).decode()}


def arg(v):
    return tuple(v) if isinstance(v, list) else v


def build(spec, dtype):
    cls = spec["cls"]
    if cls == "Sequential":
        return nn.Sequential(*[build(s, dtype) for s in spec["args"]])
    args = [arg(a) for a in spec.get("args", [])]
    kw = {k: arg(v) for k, v in spec.get("kwargs", {}).items()}
    if cls in WITH_DTYPE:
        kw["dtype"] = dtype
    return getattr(nn, cls)(*args, **kw)


def ints(v):
    return tuple(v) if isinstance(v, list) else v


def functional(c, dtype):
    x = dec(c["input"], dtype)
    if c.get("transpose_input"):
        x = x.t()
    t = {k: dec(v, dtype) for k, v in c.get("tensors", {}).items()}
    a = c.get("kwargs", {})
    a = {k: ints(v) for k, v in a.items()}
    fn = c["fn"]
    if fn == "dropout":
        torch.manual_seed(c["seed"])
        return F.dropout(x, **a)
    if fn in ("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "linear"):
        return getattr(F, fn)(x, t["weight"], t.get("bias"), **a)
    if fn == "batch_norm":
        return F.batch_norm(x, t.get("running_mean"), t.get("running_var"), t.get("weight"), t.get("bias"), **a)
    if fn == "pad":
        return F.pad(x, **a)
    return getattr(F, fn)(x, **a)


def run(c):
    dtype = DT[c["dtype"]]
    try:
        if c["kind"] == "functional":
            with torch.no_grad():
                y = functional(c, dtype)
            return {"id": c["id"], "output": enc(y)}
        m = build(c["spec"], dtype)
        sd = {k: dec(v, dtype if not v.get("int") else None) for k, v in c["state"].items()}
        m.load_state_dict(sd)
        m.train(c.get("train", False))
        x = dec(c["input"], dtype)
        if c.get("grad_output") is not None:
            # gradients of sum(output * G) with respect to the input and every parameter
            x.requires_grad_(True)
            y = m(x, output_size=c["output_size"]) if c.get("output_size") is not None else m(x)
            (y * dec(c["grad_output"], dtype)).sum().backward()
            grads = {"input": enc(x.grad)}
            for k, p in m.named_parameters():
                grads[k] = enc(p.grad)
            return {"id": c["id"], "output": enc(y), "grads": grads,
                    "state": {k: enc(v) for k, v in m.state_dict().items()}}
        with torch.no_grad():
            if c.get("output_size") is not None:
                y = m(x, output_size=c["output_size"])
            else:
                if c.get("seed") is not None:
                    torch.manual_seed(c["seed"])
                y = m(x)
        return {"id": c["id"], "output": enc(y), "state": {k: enc(v) for k, v in m.state_dict().items()}}
    except Exception as e:  # reported to the Java side, which decides whether it was expected
        return {"id": c["id"], "error": "%s: %s" % (type(e).__name__, str(e).split("\n")[0])}


def main():
    torch.set_num_threads(1)
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    out = [run(c) for c in cases]
    with open(sys.argv[2], "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
