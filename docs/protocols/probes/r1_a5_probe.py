"""Short A5 probe with the SLiCE authors' own code (docs/protocols/fidelity.md, "WH-LNCDE on A5").

Usage: python3 r1_a5_probe.py R1_CHECKOUT STRUCTURE LR STEPS [SCHEDULE_STEPS] [HIDDEN]
  STRUCTURE: wh | bd8 | wh-notanh (R1's WH with tanh removed from vf_A, for the A/B comparison) | dplr4
Trains R1's StackedLCDE (models/slcde.py, unmodified but for the CPU shims of make_fixtures.py) with R1's own
train_model (train.py at 76dd0dd: AdamW groups, warm-up + cosine over SCHEDULE_STEPS, CE + 1e-3 * ||vf_A||,
the length-2 auxiliary batch) on A5 length 8: 50 000 distinct random sequences, 80/20 split (lincde's quick
protocol sizes), one layer, width HIDDEN (128), batch 256, dropout 0.1, seed 1234. R1 prints the validation
accuracy every 500 steps; the probe stops after STEPS updates.
"""

import itertools
import os
import sys
import tempfile
import types

import torch
import torch.nn.functional as F


class Stop(Exception):
    pass


def main():
    r1, structure, lr, steps = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    schedule = int(sys.argv[5]) if len(sys.argv) > 5 else 20000
    hidden = int(sys.argv[6]) if len(sys.argv) > 6 else 128
    sys.path.insert(0, r1)
    fht = types.ModuleType("fast_hadamard_transform.fast_hadamard_transform_interface")
    sys.modules["fast_hadamard_transform"] = types.ModuleType("fast_hadamard_transform")
    sys.modules["fast_hadamard_transform.fast_hadamard_transform_interface"] = fht
    fht.hadamard_transform = lambda x, scale=1.0: F.linear(
        x, sys.modules["models.slcde"].hadamard_matrix(x.shape[-1]).to(x.dtype)) * scale
    loaders = types.ModuleType("data_dir.dataloaders")  # train.py imports it; the probe builds its own data
    loaders.create_a5_dataloaders = loaders.create_fl_dataloaders = None
    sys.modules["data_dir"] = types.ModuleType("data_dir")
    sys.modules["data_dir.dataloaders"] = loaders
    import models.slcde as slcde
    import train as r1train

    torch.set_num_threads(2)
    r1train.set_seed(1234)
    perms = [p for p in itertools.permutations(range(5))
             if sum(p[i] > p[j] for i in range(5) for j in range(i + 1, 5)) % 2 == 0]
    index = {p: i for i, p in enumerate(perms)}
    mul = torch.tensor([[index[tuple(a[b[k]] for k in range(5))] for b in perms] for a in perms])

    def labels(x):
        out = torch.empty_like(x)
        acc = x[:, 0]
        out[:, 0] = acc
        for t in range(1, x.shape[1]):
            acc = mul[acc, x[:, t]]
            out[:, t] = acc
        return out

    g = torch.Generator().manual_seed(0)
    x = torch.unique(torch.randint(0, 60, (60000, 8), generator=g), dim=0)
    x = x[torch.randperm(x.shape[0], generator=g)][:50000]
    y = labels(x)
    n_train = 40000
    xt, yt, xv, yv = x[:n_train], y[:n_train], x[n_train:], y[n_train:]
    pairs = torch.tensor(list(itertools.product(range(60), range(60))))
    pair_labels = labels(pairs)

    def train_batches():
        step = 0
        while True:
            perm = torch.randperm(n_train)
            pperm = torch.randperm(pairs.shape[0])
            for k in range(n_train // 256):
                if step >= steps:
                    raise Stop()
                rows = perm[k * 256:(k + 1) * 256]
                prow = pperm[(k * 25) % 3575:(k * 25) % 3575 + 25]
                yield ((xt[rows], pairs[prow]), (yt[rows], pair_labels[prow]),
                       (torch.ones(256, 8, dtype=torch.bool), torch.ones(25, 2, dtype=torch.bool)))
                step += 1

    val = [(xv[i:i + 256], yv[i:i + 256], torch.ones(min(256, xv.shape[0] - i), 8, dtype=torch.bool))
           for i in range(0, xv.shape[0], 256)]
    flags = {"wh": dict(diagonal=True, fwht=True), "wh-notanh": dict(diagonal=True, fwht=True),
             "bd8": dict(diagonal=True, block_size=8), "dplr4": dict(diagonal=True, rank=4)}[structure]
    original_to = torch.Tensor.to
    torch.Tensor.to = lambda self, *a, **k: self if a and isinstance(a[0], torch.device) and a[0].type == "cuda" \
        else original_to(self, *a, **k)  # the unused self.hadamard copy stays on the CPU
    model = slcde.StackedLCDE(num_blocks=1, model_dim=hidden, data_dim=60, label_dim=60, init_std=1.0,
                              block_size=flags.get("block_size", 1), dropout_rate=0.1, diagonal=True,
                              fwht=flags.get("fwht", False), rank=flags.get("rank", 0))
    torch.Tensor.to = original_to
    if structure == "wh-notanh":
        slcde.torch_tanh = torch.tanh
        original = torch.tanh
        # tanh(vf_A) -> vf_A inside LinearCDE.forward only (the clip's tanh keeps working: it sees no Parameter)
        torch.tanh = lambda t: t if isinstance(t, torch.nn.Parameter) else original(t)
    os.chdir(tempfile.mkdtemp())
    os.makedirs("results")
    os.makedirs("checkpoints")
    try:
        r1train.train_model({"structure": structure}, 60, 60, "A5", "lcde", hidden, flags.get("block_size", 1),
                            model, {"train": train_batches(), "val": val}, schedule, 500, lr, torch.device("cpu"),
                            early_stop_threshold=0.9, vf_A_norm_lambda=0.001)
    except Stop:
        print(f"stopped after {steps} updates")


if __name__ == "__main__":
    main()
