#!/usr/bin/env python3
"""Golden fixtures for optimizers, learning-rate schedulers and the data loader's shuffling.

Run with Debian's torch 1.13.1:  /usr/bin/python3 tools/golden/gen_optim.py
Writes convinit-core/src/test/resources/golden/optim.json (optimizer trajectories and scheduler
learning rates) and optim_dataloader.json (randperm and DataLoader batch orders).
float32 values are stored as 8-digit hex bit patterns, float64 values as 16-digit ones.

Optimizer runs: four parameters of different shapes start from uniform_(-1, 1) drawn from a
generator seeded PARAM_SEED; at every step each parameter gets a fresh gradient
uniform_(-scale, scale) from a generator seeded GRAD_SEED, in parameter order, except parameter 1,
whose grad is set to None on every third step (torch then skips it: no state update, no draw).
All optimizers run torch's default single-tensor path (foreach=None means False in 1.13).
"""
import json
import os
import struct

import torch
from torch.utils.data import DataLoader, TensorDataset

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "..", "..", "convinit-core", "src", "test", "resources", "golden")

PARAM_SEED = 20240601
GRAD_SEED = 777
SHAPES = [[3, 4, 5], [7], [17, 2], [2, 3, 3, 3]]
SCALES = [1.0, 1e-3, 5.0, 0.1]
STEPS = 100
CHECKPOINTS = [1, 2, 3, 5, 10, 25, 50, 75, 99, 100]


def f32_bits(t):
    return ["%08x" % struct.unpack("<I", struct.pack("<f", v))[0] for v in t.detach().flatten().tolist()]


def f64_bits(values):
    return ["%016x" % struct.unpack("<Q", struct.pack("<d", v))[0] for v in values]


def initial_params():
    g = torch.Generator().manual_seed(PARAM_SEED)
    return [torch.empty(s).uniform_(-1, 1, generator=g) for s in SHAPES]


# name, optimizer class, groups (list of (param indices, options)), scheduler stepped after every optimizer
# step: ("StepLR", step_size, gamma), ("CosineAnnealingLR", T_max, eta_min) or None
CONFIGS = [
    ("sgd_plain", "SGD", [([0, 1, 2, 3], dict(lr=0.1))], None),
    ("sgd_momentum", "SGD", [([0, 1, 2, 3], dict(lr=0.05, momentum=0.9))], None),
    ("sgd_nesterov", "SGD", [([0, 1, 2, 3], dict(lr=0.05, momentum=0.9, nesterov=True))], None),
    ("sgd_weight_decay", "SGD", [([0, 1, 2, 3], dict(lr=0.1, weight_decay=0.01))], None),
    ("sgd_dampening", "SGD", [([0, 1, 2, 3], dict(lr=0.02, momentum=0.8, dampening=0.3, weight_decay=1e-3))], None),
    ("sgd_nesterov_wd_maximize", "SGD",
     [([0, 1, 2, 3], dict(lr=0.01, momentum=0.7, nesterov=True, weight_decay=5e-4, maximize=True))], None),
    ("sgd_groups_steplr", "SGD",
     [([0, 2], dict(lr=0.1, momentum=0.9)), ([1, 3], dict(lr=0.03, momentum=0.5, weight_decay=0.1))], ("StepLR", 30, 0.5)),
    ("adam_default", "Adam", [([0, 1, 2, 3], dict())], None),
    ("adam_custom", "Adam", [([0, 1, 2, 3], dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6))], None),
    ("adam_amsgrad", "Adam", [([0, 1, 2, 3], dict(lr=0.005, amsgrad=True))], None),
    ("adam_weight_decay", "Adam", [([0, 1, 2, 3], dict(lr=0.002, weight_decay=0.1))], None),
    ("adam_amsgrad_wd_maximize", "Adam",
     [([0, 1, 2, 3], dict(lr=0.003, weight_decay=0.01, amsgrad=True, maximize=True))], None),
    ("adam_groups_steplr", "Adam",
     [([0, 1], dict(lr=0.01)), ([2, 3], dict(lr=0.001, betas=(0.5, 0.9), weight_decay=0.05))], ("StepLR", 25, 0.3)),
    ("adamw_default", "AdamW", [([0, 1, 2, 3], dict())], None),
    ("adamw_custom", "AdamW", [([0, 1, 2, 3], dict(lr=0.01, weight_decay=0.1, betas=(0.85, 0.995), eps=1e-7))], None),
    ("adamw_amsgrad_maximize", "AdamW", [([0, 1, 2, 3], dict(lr=0.004, amsgrad=True, maximize=True))], None),
    ("sgd_nesterov_cosine", "SGD", [([0, 1, 2, 3], dict(lr=0.1, momentum=0.9, nesterov=True))], ("CosineAnnealingLR", 40, 0.001)),
    ("adamw_cosine", "AdamW", [([0, 1], dict(lr=0.01)), ([2, 3], dict(lr=0.003, weight_decay=0.0))], ("CosineAnnealingLR", 30, 0.0)),
]


def run_config(name, cls_name, groups, sched):
    params = [p.clone().requires_grad_(True) for p in initial_params()]
    cls = getattr(torch.optim, cls_name)
    opt = cls([dict(params=[params[i] for i in idx], **kw) for idx, kw in groups])
    scheduler = None
    if sched and sched[0] == "StepLR":
        scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=sched[1], gamma=sched[2])
    elif sched:
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=sched[1], eta_min=sched[2])
    gg = torch.Generator().manual_seed(GRAD_SEED)
    checkpoints = []
    for step in range(1, STEPS + 1):
        for i, (p, s, scale) in enumerate(zip(params, SHAPES, SCALES)):
            if i == 1 and step % 3 == 0:
                p.grad = None
            else:
                p.grad = torch.empty(s).uniform_(-scale, scale, generator=gg)
        opt.step()
        if scheduler:
            scheduler.step()
        if step in CHECKPOINTS:
            checkpoints.append({"step": step, "params": [f32_bits(p) for p in params]})
    state = []
    for p in params:
        st = opt.state[p]
        rec = {}
        for k, v in st.items():
            if v is None:
                continue
            rec[k] = f32_bits(v.reshape(-1))
        state.append(rec)
    return {"name": name, "optimizer": cls_name,
            "groups": [{"params": idx, "options": {k: (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()}}
                       for idx, kw in groups],
            "scheduler": ({"kind": sched[0], "step_size": sched[1], "gamma": sched[2]} if sched[0] == "StepLR"
                          else {"kind": sched[0], "T_max": sched[1], "eta_min": sched[2]}) if sched else None,
            "checkpoints": checkpoints, "final_state": state}


def scheduler_runs():
    runs = []
    cases = [
        ("StepLR", dict(step_size=7, gamma=0.1), 0.1),
        ("StepLR", dict(step_size=3, gamma=0.5), 0.05),
        ("StepLR", dict(step_size=1, gamma=0.9), 1.0),
        ("CosineAnnealingLR", dict(T_max=10), 0.1),
        ("CosineAnnealingLR", dict(T_max=7, eta_min=0.001), 0.1),
        ("CosineAnnealingLR", dict(T_max=30, eta_min=1e-5), 0.05),
        ("CosineAnnealingLR", dict(T_max=1), 0.3),
        ("CosineAnnealingLR", dict(T_max=3, eta_min=0.02), 0.01),
    ]
    for kind, kw, lr in cases:
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=lr)
        sch = getattr(torch.optim.lr_scheduler, kind)(opt, **kw)
        lrs = []
        for _ in range(40):
            lrs.append(sch.get_last_lr()[0])
            opt.step()
            sch.step()
        runs.append({"scheduler": kind, "args": kw, "lr": lr, "lrs": f64_bits(lrs)})
    return runs


def dataloader_fixture():
    out = {}
    perms = []
    for n, seed in [(1, 0), (2, 0), (5, 1), (10, 42), (100, 7), (1000, 3), (60000, 0), (60000, 12345)]:
        g = torch.Generator().manual_seed(seed)
        perm = torch.randperm(n, generator=g).tolist()
        after = int(torch.empty((), dtype=torch.int64).random_(generator=g).item())
        rec = {"n": n, "seed": seed, "next_int64": str(after)}
        if n <= 1000:
            rec["perm"] = perm
        else:
            rec["head"] = perm[:50]
            rec["tail"] = perm[-50:]
            rec["weighted_sum_mod_2_61"] = str(sum(i * v for i, v in enumerate(perm)) % (2 ** 61 - 1))
        perms.append(rec)
    out["randperm"] = perms

    loaders = []
    for n, bs, drop_last, seed, use_gen in [(10, 3, False, 0, True), (10, 3, True, 5, True), (23, 4, False, 99, True),
                                             (16, 4, True, 1, True), (10, 3, False, 42, False), (7, 2, True, 3, False)]:
        ds = TensorDataset(torch.arange(n))
        if use_gen:
            g = torch.Generator().manual_seed(seed)
            loader = DataLoader(ds, batch_size=bs, shuffle=True, drop_last=drop_last, generator=g)
        else:
            torch.manual_seed(seed)
            g = None
            loader = DataLoader(ds, batch_size=bs, shuffle=True, drop_last=drop_last)
        epochs = []
        for _ in range(3):
            epochs.append([b[0].tolist() for b in loader])
        after = int(torch.empty((), dtype=torch.int64).random_(generator=g).item())
        loaders.append({"n": n, "batch_size": bs, "drop_last": drop_last, "seed": seed, "generator": use_gen,
                        "epochs": epochs, "next_int64": str(after)})
    # shuffle=False still draws the loader's base seed from the (default) generator per epoch
    torch.manual_seed(8)
    loader = DataLoader(TensorDataset(torch.arange(5)), batch_size=2, shuffle=False)
    epochs = [[b[0].tolist() for b in loader] for _ in range(2)]
    after = int(torch.empty((), dtype=torch.int64).random_().item())
    loaders.append({"n": 5, "batch_size": 2, "drop_last": False, "seed": 8, "generator": False, "shuffle": False,
                    "epochs": epochs, "next_int64": str(after)})
    out["loaders"] = loaders
    return out


def main():
    torch.set_num_threads(1)
    out = {"torch_version": torch.__version__, "param_seed": PARAM_SEED, "grad_seed": GRAD_SEED,
           "shapes": SHAPES, "scales": SCALES, "steps": STEPS,
           "initial_params": [f32_bits(p) for p in initial_params()],
           "runs": [run_config(*c) for c in CONFIGS],
           "schedulers": scheduler_runs()}
    with open(os.path.join(OUT_DIR, "optim.json"), "w") as f:
        json.dump(out, f, indent=0)
        f.write("\n")
    with open(os.path.join(OUT_DIR, "optim_dataloader.json"), "w") as f:
        json.dump(dataloader_fixture(), f, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
