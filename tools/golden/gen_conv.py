#!/usr/bin/env python3
"""Golden fixtures for the convolution family and the CNN layers around it.

Run with Debian's torch 1.13.1:  /usr/bin/python3 tools/golden/gen_conv.py
Writes convinit-core/src/test/resources/golden/conv_shapes.json (weight, bias and output shapes for
a table of configurations, including the ones users get wrong) and conv_init.json (state dicts after
torch.manual_seed(s) and construction, floats as raw bits).
"""
import json
import os
import struct
import warnings

import torch
import torch.nn as nn

HERE = os.path.dirname(__file__)
OUT_DIR = os.path.join(HERE, "..", "..", "convinit-core", "src", "test", "resources", "golden")


def f32_bits(t):
    return ["%08x" % struct.unpack("<I", struct.pack("<f", v))[0] for v in t.flatten().tolist()]


def f64_bits(t):
    return ["%016x" % struct.unpack("<Q", struct.pack("<d", v))[0] for v in t.flatten().tolist()]


def arg(v):
    return tuple(v) if isinstance(v, list) else v


WITH_DTYPE = {"Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "Linear",
              "BatchNorm1d", "BatchNorm2d", "BatchNorm3d"}


def build(spec, dtype=torch.float32):
    cls = spec["cls"]
    if cls == "Sequential":
        return nn.Sequential(*[build(s, dtype) for s in spec["args"]])
    kw = {k: arg(v) for k, v in spec.get("kwargs", {}).items()}
    if cls in WITH_DTYPE:
        kw["dtype"] = dtype
    return getattr(nn, cls)(*[arg(a) for a in spec.get("args", [])], **kw)


def S(cls, *args, **kwargs):
    return {"cls": cls, "args": list(args), "kwargs": kwargs}


# (spec, input shape): weight/bias/output shapes. The ones users get wrong are marked.
SHAPES = [
    (S("Conv1d", 4, 8, 3), [2, 4, 10]),
    (S("Conv1d", 4, 8, 3), [4, 10]),                                                    # unbatched
    (S("Conv1d", 3, 6, 2, padding="same"), [1, 3, 7]),                                  # same, even kernel
    (S("Conv1d", 3, 6, 4, padding="same", dilation=3), [1, 3, 11]),                     # same, even kernel, dilation
    (S("Conv1d", 4, 4, 5, stride=3, padding=2, groups=4, bias=False), [2, 4, 16]),      # depthwise
    (S("Conv1d", 2, 4, 3, padding=2, padding_mode="circular"), [1, 2, 5]),
    (S("Conv2d", 3, 16, 3, padding=1), [2, 3, 8, 8]),
    (S("Conv2d", 3, 16, [1, 3], stride=[2, 1], padding=[0, 1]), [1, 3, 7, 6]),
    (S("Conv2d", 4, 8, 4, padding="same", dilation=[2, 3]), [1, 4, 9, 10]),            # same, even kernel, dilation
    (S("Conv2d", 4, 8, [2, 3], padding="same", padding_mode="reflect"), [1, 4, 5, 6]),   # same, asymmetric, reflect
    (S("Conv2d", 6, 12, 3, groups=6), [1, 6, 5, 5]),                                    # depthwise multiplier 2
    (S("Conv2d", 6, 4, 3, groups=2, padding="valid"), [6, 5, 7]),                       # unbatched, valid
    (S("Conv2d", 2, 2, 3, stride=2, padding=1, padding_mode="replicate"), [1, 2, 8, 7]),
    (S("Conv2d", 3, 4, 3, stride=3, dilation=2), [1, 3, 11, 12]),
    (S("Conv3d", 2, 4, 3, padding=1), [1, 2, 4, 5, 6]),
    (S("Conv3d", 4, 4, [1, 2, 3], stride=[1, 2, 1], groups=2, bias=False), [2, 4, 3, 5, 7]),
    (S("Conv3d", 2, 2, 2, padding="same"), [2, 3, 4, 5]),                               # unbatched, same, even
    (S("Conv3d", 2, 3, 3, padding=[1, 0, 1], padding_mode="circular"), [1, 2, 3, 4, 5]),
    (S("ConvTranspose1d", 4, 6, 3), [2, 4, 5]),
    (S("ConvTranspose1d", 4, 6, 3, stride=2, output_padding=1), [2, 4, 5]),             # output_padding
    (S("ConvTranspose1d", 4, 6, 3, dilation=2, output_padding=1), [4, 5]),              # output_padding < dilation
    (S("ConvTranspose2d", 6, 4, 3, groups=2), [1, 6, 5, 5]),                            # transposed groups: weight [6, 2, 3, 3]
    (S("ConvTranspose2d", 16, 8, 4, stride=2, padding=1), [2, 16, 7, 7]),               # the x2 upsampler
    (S("ConvTranspose2d", 4, 4, 3, stride=2, padding=1, output_padding=1), [1, 4, 5, 6]),
    (S("ConvTranspose2d", 3, 9, [2, 3], stride=[3, 2], padding=[0, 1], groups=3, bias=False), [3, 4, 4]),
    (S("ConvTranspose3d", 3, 6, 3, groups=3), [1, 3, 2, 3, 4]),
    (S("ConvTranspose3d", 2, 2, [1, 2, 3], stride=2, output_padding=[1, 0, 1], dilation=[1, 1, 2]), [1, 2, 2, 2, 2]),
    (S("MaxPool1d", 3, stride=2, padding=1, ceil_mode=True), [2, 3, 10]),
    (S("MaxPool2d", 2), [1, 3, 7, 7]),
    (S("MaxPool2d", 3, stride=2, ceil_mode=True), [1, 3, 8, 8]),                        # ceil drops a window
    (S("MaxPool2d", [2, 3], stride=[1, 2], padding=[1, 1], dilation=2), [3, 9, 9]),
    (S("MaxPool3d", 2, stride=1, padding=1), [1, 2, 3, 3, 3]),
    (S("AvgPool1d", 4, stride=3, padding=2, ceil_mode=True), [2, 3, 11]),
    (S("AvgPool2d", 3, stride=2, padding=1), [1, 3, 8, 8]),
    (S("AvgPool2d", 3, stride=2, ceil_mode=True, count_include_pad=False), [2, 7, 7]),
    (S("AvgPool3d", 2, stride=[1, 2, 2], divisor_override=3), [1, 2, 3, 4, 5]),
    (S("AdaptiveAvgPool2d", 3), [1, 2, 7, 5]),
    (S("AdaptiveAvgPool2d", [4, None]), [2, 5, 6]),
    (S("Linear", 5, 3), [2, 4, 5]),
    (S("Linear", 5, 3, bias=False), [5]),
    (S("Flatten"), [2, 3, 4, 5]),
    (S("Flatten", start_dim=0, end_dim=-2), [2, 3, 4]),
    (S("BatchNorm1d", 3), [4, 3]),
    (S("BatchNorm1d", 3), [4, 3, 5]),
    (S("BatchNorm3d", 2), [2, 2, 2, 2, 2]),
]

# (seed, spec, dtype): state dict after torch.manual_seed(seed); spec
INIT = [
    (0, S("Conv1d", 4, 6, 3), "float32"),
    (1, S("Conv1d", 6, 9, 5, groups=3, bias=False), "float32"),
    (42, S("Conv1d", 2, 3, 4, padding="same", padding_mode="reflect"), "float64"),
    (42, S("Conv3d", 2, 4, [2, 3, 3]), "float32"),
    (-7, S("Conv3d", 4, 4, 3, groups=2, stride=2), "float32"),
    (0, S("ConvTranspose1d", 4, 6, 3), "float32"),
    (3, S("ConvTranspose1d", 6, 4, 4, groups=2, bias=False), "float32"),
    (5, S("ConvTranspose2d", 4, 6, 3, groups=2), "float32"),
    (2**32 + 5, S("ConvTranspose2d", 16, 8, 4, stride=2, padding=1, bias=False), "float32"),
    (9, S("ConvTranspose2d", 3, 6, [2, 3], groups=3), "float64"),
    (7, S("ConvTranspose3d", 3, 6, 3, groups=3), "float32"),
    (8, S("ConvTranspose3d", 2, 2, [1, 2, 3], bias=False), "float32"),
    (0, S("Linear", 4, 3), "float32"),
    (1, S("Linear", 100, 30), "float32"),
    (2, S("Linear", 5, 7, bias=False), "float32"),
    (3, S("Linear", 6, 4), "float64"),
    (4, S("Sequential", S("Linear", 0, 3), S("Linear", 2, 2)), "float32"),   # an empty weight draws nothing, its bias draws
    (0, S("BatchNorm2d", 5), "float32"),
    (0, S("BatchNorm1d", 3, affine=False, track_running_stats=False), "float64"),
]
SEQ = S("Sequential", S("Conv2d", 3, 8, 3, padding=1), S("BatchNorm2d", 8), S("ReLU"),
        S("Conv2d", 8, 4, 3, stride=2, bias=False), S("Flatten"), S("Linear", 64, 10))
for s in (0, 123, 2**40 + 1):
    INIT.append((s, SEQ, "float32"))
INIT.append((77, SEQ, "float64"))


def state(m):
    out = []
    for k, v in m.state_dict().items():
        rec = {"key": k, "dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape)}
        if v.dtype == torch.float32:
            rec["bits"] = f32_bits(v)
        elif v.dtype == torch.float64:
            rec["bits"] = f64_bits(v)
        else:
            rec["values"] = v.flatten().tolist()
        out.append(rec)
    return out


def main():
    shapes = []
    for spec, shape in SHAPES:
        m = build(spec)
        x = torch.zeros(shape)
        y = m.eval()(x)
        shapes.append({"spec": spec, "input": shape, "output": list(y.shape),
                       "weight": list(m.weight.shape) if getattr(m, "weight", None) is not None else None,
                       "bias": list(m.bias.shape) if getattr(m, "bias", None) is not None else None,
                       "repr": repr(m)})
    inits = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for seed, spec, dtype in INIT:
            torch.manual_seed(seed)
            m = build(spec, getattr(torch, dtype))
            inits.append({"seed": seed, "spec": spec, "dtype": dtype, "repr": repr(m), "state": state(m)})
    for name, data in (("conv_shapes.json", shapes), ("conv_init.json", inits)):
        path = os.path.join(OUT_DIR, name)
        with open(path, "w") as f:
            json.dump({"torch_version": torch.__version__, "cases": data}, f, indent=1)
        print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
