"""Oracle for convinit-models: torchvision 0.14's models built, hashed and run as the Java side does.

usage: models_oracle.py CASES.json OUT.json
Every case: {"id", "name", "kwargs", "seed", "dtype"}: torch.manual_seed(seed) (with the default dtype set to dtype),
then torchvision.models.<name>(**kwargs); a string norm_layer or block is functools.partial of the class it names:
"GroupNorm(32)" is functools.partial(torch.nn.GroupNorm, 32), "CNBlock(norm_layer=LayerNorm(eps=1e-05))" is
functools.partial(convnext.CNBlock, norm_layer=functools.partial(torch.nn.LayerNorm, eps=1e-05)).
  "kind": "init"    -> {"keys", "shapes", "dtypes", "sha256"}: the state dict, each tensor's little-endian bytes hashed;
                       with "java_sha256", "values" holds the tensors whose hash differs from the Java side's.
  "kind": "forward" -> the model in train/eval mode run on randn(input_shape, generator=Generator().manual_seed(input_seed))
                       right after construction (so dropout draws from the global generator where the init stopped);
                       with "grads": the gradient of sum(y * randn(y.shape, generator seeded input_seed + 1)) by the
                       input, and by each parameter its projection sum(g * sin(0.7 i + 0.3)) and its norm. A float32
                       case also reports torch's own float32 noise: the relative distance of its output (and input
                       gradient) from the same model, input and masks run in float64, and that float64 output
                       ("output_f64", the exact reference the Java side's float32 output is judged against too); "seconds":
                       the case's time here (build and every run).
  "kind": "save"    -> the state dict saved with torch.save to case["path"] (a checkpoint for the Java side); with
                       "legacy_densenet_keys", under DenseNet's old names (denselayer1.norm.1.weight); with
                       "drop_num_batches_tracked", without those keys, and torch's verdict on loading it strictly.
  "kind": "regnet_stages" (with "names") -> {"stages": {"<name> <dtype>": [[width, depth, group width], ...]}}.
  "kind": "load"    -> torch.load(case["path"], weights_only=True) loaded with strict=True into the model built with
                       seed + 1000: {"ok", "equal"}, equal when it now holds exactly the state of the model built with seed.
"""
import base64
import collections
import copy
import functools
import hashlib
import json
import re
import sys
import time

import numpy as np
import torch
import torchvision

DT = {"float32": torch.float32, "float64": torch.float64}


def enc(t):
    a = t.detach().to(torch.float64).contiguous().numpy().astype("<f8")
    return {"shape": list(t.shape), "b64": base64.b64encode(a.tobytes()).decode()}


def digest(t):
    a = t.detach().contiguous().numpy()
    return hashlib.sha256(a.astype(a.dtype.newbyteorder("<")).tobytes()).hexdigest()


def callable_arg(spec):
    """A norm_layer or block given by name, as functools.partial of the class: "GroupNorm(32)" ->
    partial(torch.nn.GroupNorm, 32), "BatchNorm2d" -> torch.nn.BatchNorm2d, "LayerNorm2d(eps=1e-05)" and "CNBlock" from
    torchvision.models.convnext, nested: "CNBlock(norm_layer=LayerNorm(eps=1e-05))" (inner specs quoted or not)."""
    import ast
    import torchvision.models.convnext as convnext

    def resolve(node):
        name = ast.unparse(node).split(".")[-1]
        return getattr(convnext, name) if name in ("CNBlock", "LayerNorm2d") else getattr(torch.nn, name)

    def value(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return callable_arg(node.value)
        if isinstance(node, (ast.Call, ast.Name, ast.Attribute)):
            return conv(node)
        return ast.literal_eval(node)

    def conv(node):
        if not isinstance(node, ast.Call):
            return resolve(node)
        return functools.partial(resolve(node.func), *[ast.literal_eval(a) for a in node.args],
                                 **{k.arg: value(k.value) if k.arg in ("norm_layer", "block") else ast.literal_eval(k.value)
                                    for k in node.keywords})

    return conv(ast.parse(spec.strip(), mode="eval").body)


def build(c):
    torch.set_default_dtype(DT[c.get("dtype", "float32")])
    kwargs = dict(c.get("kwargs", {}))
    for k in ("norm_layer", "block"):
        if isinstance(kwargs.get(k), str):
            kwargs[k] = callable_arg(kwargs[k])
    try:
        torch.manual_seed(c["seed"])
        return getattr(torchvision.models, c["name"])(**kwargs)
    finally:
        torch.set_default_dtype(torch.float32)


def projection(g):
    n = g.numel()
    w = torch.sin(torch.arange(n, dtype=torch.float64) * 0.7 + 0.3)
    return float((g.detach().to(torch.float64).reshape(-1) * w).sum())


def rel(a, b):
    a = a.detach().double()
    b = b.detach().double()
    return float((a - b).abs().max() / b.abs().max())


def forward(m, x, grads, seed, gdtype):
    x = x.clone().requires_grad_(grads)
    y = m(x)
    if grads:
        g = torch.randn(list(y.shape), generator=torch.Generator().manual_seed(seed + 1), dtype=gdtype).to(y.dtype)
        (y * g).sum().backward()
    return y, x.grad


def save_without_num_batches_tracked(c, sd):
    """An old checkpoint: num_batches_tracked deleted; "metadata": "v2" keeps the state dict's _metadata, "v1"
    marks the batch norms as saved before version 2, "none" saves a plain OrderedDict without _metadata. Replies
    with torch's own verdict: whether the file reloaded (weights_only) loads with strict=True."""
    for k in [k for k in sd if k.endswith("num_batches_tracked")]:
        del sd[k]
    meta = c["metadata"]
    if meta == "none":
        sd = collections.OrderedDict(sd)
    elif meta == "v1":
        for v in sd._metadata.values():
            if v.get("version") == 2:
                v["version"] = 1
    torch.save(sd, c["path"])
    m = build(dict(c, seed=c["seed"] + 1000))
    try:
        m.load_state_dict(torch.load(c["path"], weights_only=True), strict=True)
        return {"id": c["id"], "ok": True, "strict": True}
    except RuntimeError as e:
        return {"id": c["id"], "ok": True, "strict": False, "message": str(e).split("\n")[1]}


def regnet_stages(c):
    """BlockParams of each RegNet name (depths, widths, group widths) with float32 and float64 as the default dtype,
    without building the model (the 128GF one has 645M parameters)."""
    import torchvision.models.regnet as regnet
    out = {}
    orig = regnet._regnet
    regnet._regnet = lambda params, weights, progress, **kwargs: params
    try:
        for dt in ("float32", "float64"):
            torch.set_default_dtype(DT[dt])
            for n in c["names"]:
                p = getattr(regnet, n)()
                out[n + " " + dt] = [[w, d, g] for w, d, g in zip(p.widths, p.depths, p.group_widths)]
    finally:
        regnet._regnet = orig
        torch.set_default_dtype(torch.float32)
    return {"id": c["id"], "stages": out}


def run(c):
    t0 = time.perf_counter()
    try:
        kind = c["kind"]
        if kind == "regnet_stages":
            return regnet_stages(c)
        if kind == "load":
            ref = build(c).state_dict()
            m = build(dict(c, seed=c["seed"] + 1000))
            m.load_state_dict(torch.load(c["path"], weights_only=True), strict=True)
            same = all(torch.equal(v, ref[k]) and v.dtype == ref[k].dtype for k, v in m.state_dict().items())
            return {"id": c["id"], "ok": True, "equal": same}
        m = build(c)
        if kind == "init":
            sd = m.state_dict()
            hashes = [digest(v) for v in sd.values()]
            theirs = c.get("java_sha256", hashes)
            # float64: where the Java side's bytes differ, the values themselves, for an ulp comparison
            values = {k: enc(v) for (k, v), h, j in zip(sd.items(), hashes, theirs) if h != j}
            return {"id": c["id"], "keys": list(sd.keys()), "shapes": [list(v.shape) for v in sd.values()],
                    "dtypes": [str(v.dtype) for v in sd.values()], "sha256": hashes, "values": values}
        if kind == "save":
            sd = m.state_dict()
            if c.get("legacy_densenet_keys"):
                # the names of checkpoints saved before DenseNet's layers were attributes: norm1 -> norm.1
                # (the names torchvision's pattern maps back: weight, bias, running_mean, running_var)
                sd = {re.sub(r"(denselayer\d+\.(?:norm|relu|conv))([12])\.(weight|bias|running_mean|running_var)$",
                             r"\1.\2.\3", k): v for k, v in sd.items()}
            if c.get("drop_num_batches_tracked"):
                return save_without_num_batches_tracked(c, sd)
            torch.save(sd, c["path"])
            return {"id": c["id"], "ok": True}
        dtype = DT[c.get("dtype", "float32")]
        x = torch.randn(c["input_shape"], generator=torch.Generator().manual_seed(c["input_seed"]), dtype=dtype)
        m.train(c["train"])
        grads = c.get("grads", False)
        m64 = copy.deepcopy(m).double() if dtype == torch.float32 else None
        rng = torch.get_rng_state()
        y, xg = forward(m, x, grads, c["input_seed"], dtype)
        out = {"id": c["id"], "output": enc(y)}
        if m64 is not None:
            # torch's own float32 rounding: the same weights, input and masks run in float64
            torch.set_rng_state(rng)
            y64, xg64 = forward(m64, x.double(), grads, c["input_seed"], dtype)
            out["output_f32_noise"] = rel(y, y64)
            out["output_f64"] = enc(y64)
            if grads:
                out["input_grad_f32_noise"] = rel(xg, xg64)
        if grads:
            out["input_grad"] = enc(xg)
            out["param_grads"] = {k: [projection(p.grad), float(p.grad.double().norm())] for k, p in m.named_parameters()}
        out["seconds"] = round(time.perf_counter() - t0, 2)  # build, float32 and (for float32) float64 runs
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
