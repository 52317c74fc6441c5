#!/usr/bin/python3
"""Writes the Fashion-MNIST subset convinit ships in its jar: the first 10,000 training and the first 2,000
test images (and labels) of Debian's dataset-fashion-mnist, as IDX gzip files with a fixed gzip header
(mtime 0, no name), so the bytes are reproducible, plus SHA256SUMS. Fashion-MNIST is MIT-licensed
(Copyright (c) 2017 Zalando SE); the license travels beside the files.

    /usr/bin/python3 tools/data/make_fashion_subset.py [SRC] [DEST]
"""
import gzip, hashlib, io, os, struct, sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
DEST = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..",
    "convinit-lab", "src", "main", "resources", "org", "convinit", "lab", "data", "fashion-mnist-subset")
COUNTS = {"train": 10000, "t10k": 2000}

def cut(name, n):
    raw = gzip.open(os.path.join(SRC, name)).read()
    magic, count = struct.unpack(">II", raw[:8])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    per = 1
    for d in shape[1:]:
        per *= d
    header = raw[:4] + struct.pack(">I", n) + raw[8:4 + 4 * dims]
    return header + raw[4 + 4 * dims: 4 + 4 * dims + n * per]

os.makedirs(DEST, exist_ok=True)
sums = []
for split, n in COUNTS.items():
    for kind in ("images-idx3", "labels-idx1"):
        name = f"{split}-{kind}-ubyte.gz"
        data = cut(name, n)
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as g:
            g.write(data)
        with open(os.path.join(DEST, name), "wb") as f:
            f.write(buf.getvalue())
        sums.append(f"{hashlib.sha256(buf.getvalue()).hexdigest()}  {name}")
with open(os.path.join(DEST, "SHA256SUMS"), "w") as f:
    f.write("\n".join(sums) + "\n")
print("\n".join(sums))
