#!/usr/bin/env python3
"""Checkpoint corpus made by the real torch 1.13.1 (and numpy) for convinit-io's readers.

Run with Debian's torch:  /usr/bin/python3 tools/golden/gen_checkpoints.py
  writes small fixtures + expected.json into convinit-io/src/test/resources/golden/checkpoints/
/usr/bin/python3 tools/golden/gen_checkpoints.py resnet18 DIR
  writes DIR/resnet18.pth (torchvision resnet18, seed 0, ~45 MB) and DIR/resnet18.json (used at test
  time, not committed)
/usr/bin/python3 tools/golden/gen_checkpoints.py describe FILE      (torch.load(FILE, weights_only=True) as JSON)
/usr/bin/python3 tools/golden/gen_checkpoints.py describe-npz FILE  (np.load(FILE) as JSON)

expected.json maps each file to its tensors, flattened with '.'-joined names (list/tuple items by
index) in traversal order: dtype, shape, stride, storage offset, requires_grad, whether it is an
nn.Parameter, a storage group id (tensors with equal ids share one storage) and the sha256 of the
tensor's elements as contiguous little-endian bytes. Non-tensor leaves are recorded with a type tag.
"""
import collections
import hashlib
import io
import json
import os
import sys
import zipfile

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "convinit-io", "src", "test", "resources", "golden", "checkpoints")

DT = {torch.float32: "float32", torch.float64: "float64", torch.float16: "float16", torch.bfloat16: "bfloat16",
      torch.int8: "int8", torch.uint8: "uint8", torch.int16: "int16", torch.int32: "int32", torch.int64: "int64",
      torch.bool: "bool", torch.complex64: "complex64"}


def raw_bytes(t):
    c = t.detach().contiguous()
    if c.dtype == torch.bfloat16:
        c = c.view(torch.int16)
    return c.numpy().tobytes()


def describe(obj):
    """Flattened leaves of a checkpoint: [(name, record)] in traversal order."""
    out = []
    groups = {}

    def walk(prefix, v):
        if isinstance(v, torch.Tensor):
            ptr = v.storage().data_ptr()
            gid = groups.setdefault(ptr, len(groups)) if v.numel() > 0 else -1 - len(out)
            out.append({"name": prefix, "kind": "tensor", "dtype": DT[v.dtype], "shape": list(v.shape),
                        "stride": list(v.stride()), "offset": v.storage_offset(), "requires_grad": v.requires_grad,
                        "parameter": isinstance(v, nn.Parameter), "storage": gid,
                        "storage_numel": v.storage().size(),
                        "sha256": hashlib.sha256(raw_bytes(v)).hexdigest()})
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(str(k) if prefix == "" else prefix + "." + str(k), x)
        elif isinstance(v, (list, tuple)):
            for i, x in enumerate(v):
                walk(str(i) if prefix == "" else prefix + "." + str(i), x)
        elif v is None:
            out.append({"name": prefix, "kind": "none"})
        elif isinstance(v, bool):
            out.append({"name": prefix, "kind": "bool", "value": v})
        elif isinstance(v, int):
            out.append({"name": prefix, "kind": "int", "value": str(v)})
        elif isinstance(v, float):
            out.append({"name": prefix, "kind": "float", "value": v.hex()})
        elif isinstance(v, str):
            out.append({"name": prefix, "kind": "str", "value": v})
        else:
            raise TypeError(type(v))

    walk("", obj)
    return out


def small_model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.Conv2d(4, 2, 1, bias=False))


def dtypes():
    g = torch.Generator().manual_seed(1)
    base = torch.randn(2, 3, 4, generator=g)
    d = collections.OrderedDict()
    d["f32"] = base.clone()
    d["f64"] = torch.randn(5, generator=g, dtype=torch.float64)
    d["f16"] = (base * 3).half()
    d["bf16"] = (base * 3).bfloat16()
    d["i64"] = torch.tensor([0, -1, 2**40, -(2**62), 7])
    d["i32"] = torch.tensor([1, -2, 2**31 - 1, -(2**31)], dtype=torch.int32)
    d["i16"] = torch.tensor([[1, -2], [32767, -32768]], dtype=torch.int16)
    d["i8"] = torch.tensor([1, -2, 127, -128], dtype=torch.int8)
    d["u8"] = torch.arange(0, 256, 17).to(torch.uint8)
    d["bool"] = torch.tensor([[True, False, True]])
    d["f32_special"] = torch.tensor([float("nan"), float("inf"), -float("inf"), -0.0, 1e-45])
    return d


def views():
    base = torch.arange(24, dtype=torch.float32)
    m = base.view(4, 6)
    d = collections.OrderedDict()
    d["base"] = base
    d["matrix"] = m
    d["slice"] = base[6:12]
    d["transposed"] = m.t()
    d["strided"] = m[:, 1::2]
    d["column"] = m[:, 5]
    other = torch.arange(10, dtype=torch.int64)
    d["other_tail"] = other[7:]
    d["other_step"] = other[::3]
    d["expanded"] = torch.tensor([1.5, 2.5]).expand(3, 2)
    return d


def special():
    d = collections.OrderedDict()
    d["scalar"] = torch.tensor(3.25)
    d["scalar_i64"] = torch.tensor(7)
    d["empty"] = torch.empty(0, 3)
    d["empty_i64"] = torch.zeros(2, 0, dtype=torch.int64)
    d["param"] = nn.Parameter(torch.tensor([1.0, 2.0]))
    d["param_frozen"] = nn.Parameter(torch.tensor([[3.0]]), requires_grad=False)
    d["grad_tensor"] = torch.tensor([0.5, -0.5], requires_grad=True)
    bn = nn.BatchNorm2d(2)
    d["num_batches_tracked"] = bn.num_batches_tracked
    return d


def nested():
    model = small_model()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(torch.randn(1, 3, 5, 5, generator=torch.Generator().manual_seed(2))).sum().backward()
    opt.step()
    return {"epoch": 3, "state_dict": model.state_dict(), "optimizer": opt.state_dict(),
            "meta": {"name": "small", "big": 2**70, "neg": -5, "large": 12345678901234, "none": None,
                     "flag": False, "pair": (1, "two"), "list": [torch.ones(2), [torch.zeros(1)]]}}


def write_zip_copy(src, dst, compression):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))


def main_fixtures():
    os.makedirs(OUT, exist_ok=True)
    expected = {"torch_version": torch.__version__}

    def save(name, obj, **kw):
        path = os.path.join(OUT, name)
        torch.save(obj, path, **kw)
        expected[name] = describe(torch.load(path))

    save("dtypes.pth", dtypes())
    save("views.pth", views())
    save("special.pth", special())
    save("nested.pth", nested())
    save("state_dict.pth", small_model().state_dict())
    save("state_dict_proto4.pth", small_model().state_dict(), pickle_protocol=4)
    save("my.model-v1.pth", views())              # archive prefix 'my.model-v1/'
    save("legacy_dtypes.pth", dtypes(), _use_new_zipfile_serialization=False)
    save("legacy_views.pth", views(), _use_new_zipfile_serialization=False)
    save("legacy_nested.pth", nested(), _use_new_zipfile_serialization=False)
    save("complex.pth", {"c": torch.tensor([1 + 2j, 3 - 4j], dtype=torch.complex64)})

    buf = io.BytesIO()
    torch.save(views(), buf)                      # file object: prefix 'archive/'
    with open(os.path.join(OUT, "buffer_prefix.pth"), "wb") as f:
        f.write(buf.getvalue())
    expected["buffer_prefix.pth"] = describe(torch.load(os.path.join(OUT, "buffer_prefix.pth")))

    write_zip_copy(os.path.join(OUT, "state_dict.pth"), os.path.join(OUT, "deflated.pth"), zipfile.ZIP_DEFLATED)
    expected["deflated.pth"] = describe(torch.load(os.path.join(OUT, "deflated.pth")))

    torch.save(small_model(), os.path.join(OUT, "whole_module.pth"))  # a pickled nn.Module: must be refused

    ts = torch.jit.script(nn.Conv2d(1, 1, 1))
    torch.jit.save(ts, os.path.join(OUT, "torchscript.pt"))

    # numpy
    rng = np.random.default_rng(5)
    arrays = collections.OrderedDict()
    arrays["f4"] = rng.standard_normal((3, 4)).astype("<f4")
    arrays["f8"] = rng.standard_normal(5)
    arrays["f2"] = rng.standard_normal((2, 2)).astype("<f2")
    arrays["i8"] = np.array([1, -2, 2**40], dtype="<i8")
    arrays["i4"] = np.array([[1], [-7]], dtype="<i4")
    arrays["i2"] = np.array([300, -300], dtype="<i2")
    arrays["i1"] = np.array([-1, 1], dtype="i1")
    arrays["u1"] = np.array([0, 255], dtype="u1")
    arrays["b1"] = np.array([True, False])
    arrays["scalar"] = np.array(2.5, dtype="<f4")
    arrays["empty"] = np.zeros((0, 2), dtype="<f4")
    arrays["fortran"] = np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3))
    arrays["big_endian"] = np.array([1, 2, 3], dtype=">i4")
    for k, a in arrays.items():
        np.save(os.path.join(OUT, "np_%s.npy" % k), a)
    np.savez(os.path.join(OUT, "arrays.npz"), **arrays)
    np.savez_compressed(os.path.join(OUT, "arrays_compressed.npz"), **arrays)
    np.save(os.path.join(OUT, "np_object.npy"), np.array([{"a": 1}], dtype=object), allow_pickle=True)
    npexp = {}
    for k, a in arrays.items():
        c = np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<"))
        npexp[k] = {"dtype": str(a.dtype.newbyteorder("=")) if a.dtype.kind != "b" else "bool",
                    "shape": list(a.shape), "sha256": hashlib.sha256(c.tobytes()).hexdigest()}
    expected["numpy"] = npexp

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=False)
        f.write("\n")


def main_resnet(out_dir):
    import torchvision
    torch.manual_seed(0)
    sd = torchvision.models.resnet18().state_dict()
    path = os.path.join(out_dir, "resnet18.pth")
    torch.save(sd, path)
    with open(os.path.join(out_dir, "resnet18.json"), "w") as f:
        json.dump(describe(torch.load(path)), f)


def main_describe(path):
    """Prints what torch.load(path, weights_only=True) returns, in expected.json's layout."""
    print(json.dumps(describe(torch.load(path, weights_only=True))))


def main_describe_npz(path):
    """Prints what np.load(path) returns: name -> dtype, shape, sha256 of C-order little-endian bytes."""
    out = collections.OrderedDict()
    with np.load(path) as z:
        for k in z.files:
            a = z[k]
            out[k] = {"dtype": str(a.dtype), "shape": list(a.shape),
                      "sha256": hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()}
    print(json.dumps(out))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "resnet18":
        main_resnet(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "describe":
        main_describe(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "describe-npz":
        main_describe_npz(sys.argv[2])
    else:
        main_fixtures()
