#!/usr/bin/env python3
"""Golden fixtures for tensor layouts: what torch's view ops do to size, stride and storage offset.

Run with Debian's torch 1.13.1:  /usr/bin/python3 tools/golden/gen_layout.py
Writes convinit-core/src/test/resources/golden/layout.json: one case per (layout, op, args) with either
the resulting layout (size, stride, storage_offset, is_contiguous) or torch's error (type and message).
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "convinit-core", "src", "test", "resources", "golden", "layout.json")

# Start layouts: (size, stride, offset), reached with as_strided over a large enough storage.
LAYOUTS = [
    ([], [], 0),
    ([], [], 5),
    ([6], [1], 0),
    ([6], [2], 1),
    ([1], [7], 3),
    ([0], [1], 0),
    ([2, 3], [3, 1], 0),
    ([2, 3], [1, 2], 0),          # a transposed [3, 2]
    ([3, 1, 4], [4, 4, 1], 2),
    ([3, 1, 4], [4, 99, 1], 2),   # a size-1 dim with an odd stride
    ([2, 3, 4], [12, 4, 1], 0),
    ([2, 3, 4], [1, 2, 6], 0),    # column-major
    ([2, 3, 4], [24, 8, 2], 1),   # every other element
    ([4, 1, 3, 2], [6, 6, 2, 1], 0),
    ([2, 0, 3], [3, 3, 1], 0),
    ([3, 4], [0, 1], 0),          # expanded
    ([2, 3, 4, 5], [60, 1, 15, 3], 0),  # channels-last
]

OPS = [
    ("view", [[-1]]), ("view", [[6]]), ("view", [[3, 2]]), ("view", [[2, -1]]), ("view", [[1, -1, 1]]),
    ("view", [[4, 6]]), ("view", [[6, 4]]), ("view", [[2, 12]]), ("view", [[3, 8]]), ("view", [[24]]),
    ("view", [[2, 3, 2, 2]]), ("view", [[-1, -1]]), ("view", [[5, -1]]), ("view", [[0, -1]]), ("view", [[7]]),
    ("view", [[1]]), ("view", [[]]), ("view", [[4, 3, 2]]), ("view", [[2, 3, 20]]), ("view", [[6, 20]]),
    ("view", [[2, 0]]), ("view", [[0]]), ("view", [[3, 0, 2]]),
    ("reshape", [[-1]]), ("reshape", [[4, 6]]), ("reshape", [[3, 2]]), ("reshape", [[6, 20]]), ("reshape", [[2, 3, 20]]),
    ("permute", [[0]]), ("permute", [[1, 0]]), ("permute", [[2, 0, 1]]), ("permute", [[-1, 0, 1]]), ("permute", [[0, 0, 1]]),
    ("permute", [[0, 1]]), ("permute", [[0, 2, 3, 1]]), ("permute", [[]]),
    ("transpose", [0, 1]), ("transpose", [0, -1]), ("transpose", [1, 2]), ("transpose", [0, 0]), ("transpose", [0, 3]),
    ("t", []),
    ("select", [0, 0]), ("select", [0, -1]), ("select", [1, 2]), ("select", [-1, 1]), ("select", [0, 5]),
    ("select", [1, 0]), ("select", [3, 0]),
    ("narrow", [0, 0, 1]), ("narrow", [0, 1, 2]), ("narrow", [-1, 1, 2]), ("narrow", [0, -2, 2]), ("narrow", [1, 0, 0]),
    ("narrow", [0, 2, 5]), ("narrow", [2, 0, 4]),
    ("slice", [0, 0, 100, 1]), ("slice", [0, 1, 5, 2]), ("slice", [-1, -3, 100, 2]), ("slice", [1, 2, 1, 1]),
    ("slice", [0, -100, -1, 3]), ("slice", [2, 1, 4, 2]),
    ("squeeze", []), ("squeeze_dim", [0]), ("squeeze_dim", [1]), ("squeeze_dim", [-1]), ("squeeze_dim", [4]),
    ("unsqueeze", [0]), ("unsqueeze", [-1]), ("unsqueeze", [1]), ("unsqueeze", [2]), ("unsqueeze", [5]), ("unsqueeze", [-6]),
    ("expand", [[6]]), ("expand", [[2, 6]]), ("expand", [[-1]]), ("expand", [[5, 2, 3]]), ("expand", [[3, 4, 4]]),
    ("expand", [[2, -1, -1]]), ("expand", [[-1, 2, 3]]), ("expand", [[3, 5, 4]]), ("expand", [[2, 3, 4]]),
    ("expand", [[4, 3, 4]]), ("expand", [[]]), ("expand", [[7, 3, 4]]), ("expand", [[2, 2, 0, 3]]),
]


def apply(t, op, args):
    if op == "view":
        return t.view(args[0])
    if op == "reshape":
        return t.reshape(args[0])
    if op == "permute":
        return t.permute(args[0])
    if op == "transpose":
        return t.transpose(*args)
    if op == "t":
        return t.t()
    if op == "select":
        return t.select(*args)
    if op == "narrow":
        return t.narrow(*args)
    if op == "slice":
        dim, start, end, step = args
        index = [slice(None)] * t.dim()
        index[dim] = slice(start, end, step)
        return t[tuple(index)]
    if op == "squeeze":
        return t.squeeze()
    if op == "squeeze_dim":
        return t.squeeze(args[0])
    if op == "unsqueeze":
        return t.unsqueeze(args[0])
    if op == "expand":
        return t.expand(args[0])
    raise ValueError(op)


def layout(t):
    return {"size": list(t.size()), "stride": list(t.stride()), "offset": t.storage_offset(),
            "contiguous": t.is_contiguous()}


def main():
    cases = []
    errors = {}
    storage = torch.zeros(400)
    for size, stride, offset in LAYOUTS:
        base = storage.as_strided(size, stride, offset)
        for op, args in OPS:
            if op == "slice" and (not size or args[0] >= len(size) or args[0] < -len(size)):
                continue  # Python indexing of a missing dim is not a slice op
            case = {"from": {"size": size, "stride": stride, "offset": offset, "contiguous": base.is_contiguous()},
                    "op": op, "args": args}
            try:
                out = apply(base, op, args)
                case["to"] = layout(out)
                if op == "reshape":
                    case["copied"] = out.storage().data_ptr() != base.storage().data_ptr()
            except (RuntimeError, IndexError, ValueError) as e:
                message = str(e).split("\n")[0]
                family = (op, len(size), message[:25])
                errors[family] = errors.get(family, 0) + 1
                if errors[family] > 2:
                    continue  # keep the fixture small: two cases per kind of error and rank
                case["error"] = {"type": type(e).__name__, "message": message}
            cases.append(case)
    with open(OUT, "w") as f:
        f.write('{"torch_version": "%s", "cases": [\n' % torch.__version__)
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    print(len(cases), "cases;", sum("error" in c for c in cases), "errors ->", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
