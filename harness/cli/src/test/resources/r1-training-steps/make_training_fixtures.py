"""Writes the R1 training-step fixtures of lincde's R1TrainingStepFixturesTest (see README.md here).

Usage: python3 make_training_fixtures.py R1_CHECKOUT OUT_DIR

Same shims as make_fixtures.py. For every structure it builds R1's StackedLCDE in float64 (h = 8, one
block, 7 tokens, 5 classes, init_std 0.5, dropout 0 so that a step is deterministic), saves its initial
state dict, takes three steps of R1's recipe (train.py at 76dd0dd: AdamW with weight decay 0 on the
embedding and 1e-2 elsewhere, lr 0.01, CE over every position + 1e-3 * sum of ||vf_A|| over blocks,
mask_grads) on fixed token batches, and writes
  NAME.init.safetensors     the state dict before training (F64, BOOL masks)
  NAME.trained.safetensors  the state dict after the three steps
  NAME.train.json           the config, the batches (inputs, labels) and the loss of each step.
R1's norm term reads block.LCDE.vf_A; for the dense and sparse fields that is an nn.Linear, where R1 at
HEAD fails ([QUIRK]), so the weight of the Linear is used, as lincde does.
"""

import json
import os
import struct
import sys
import types

import torch
import torch.nn.functional as F


def main(r1_root, out_dir):
    sys.path.insert(0, r1_root)
    shim = types.ModuleType("fast_hadamard_transform.fast_hadamard_transform_interface")
    sys.modules["fast_hadamard_transform"] = types.ModuleType("fast_hadamard_transform")
    sys.modules["fast_hadamard_transform.fast_hadamard_transform_interface"] = shim
    shim.hadamard_transform = lambda x, scale=1.0: F.linear(
        x, sys.modules["models.slcde"].hadamard_matrix(x.shape[-1]).to(x.dtype)) * scale
    import models.slcde as slcde  # noqa: E402  (the authors' file)

    os.makedirs(out_dir, exist_ok=True)
    structures = {
        "diagonal": dict(diagonal=True),
        "block-diagonal": dict(diagonal=True, block_size=4),
        "dplr": dict(diagonal=True, rank=2),
        "walsh-hadamard": dict(diagonal=True, fwht=True),
        "dense": dict(diagonal=False),
        "sparse": dict(diagonal=False, sparsity=0.5),
    }
    for index, (name, flags) in enumerate(structures.items()):
        write_fixture(slcde, out_dir, name, flags, 200 + index)


def write_fixture(slcde, out_dir, name, flags, seed):
    h, vocab, labels, lr, lam = 8, 7, 5, 0.01, 1e-3
    config = {"task": "cycle_nav", "model_name": "lcde", "num_blocks": 1, "model_dim": h, "batch_size": 4,
              "num_steps": 3, "print_steps": 1, "learning_rate": lr, "init_std": 0.5, "dropout_rate": 0.0,
              "vf_A_norm_lambda": lam, "seed": seed}
    config.update(flags)
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(seed)
    original_to = torch.Tensor.to
    torch.Tensor.to = lambda self, *a, **k: self if a and isinstance(a[0], torch.device) and a[0].type == "cuda" \
        else original_to(self, *a, **k)
    try:
        model = slcde.StackedLCDE(
            num_blocks=1, model_dim=h, data_dim=vocab, label_dim=labels, init_std=0.5,
            block_size=flags.get("block_size", 1), sparsity=flags.get("sparsity", 1.0), dropout_rate=0.0,
            diagonal=flags.get("diagonal", False), fwht=flags.get("fwht", False), rank=flags.get("rank", 0))
    finally:
        torch.Tensor.to = original_to
    write_safetensors(os.path.join(out_dir, name + ".init.safetensors"), model.state_dict())
    embedding = [p for n, p in model.named_parameters() if "embedding" in n]
    others = [p for n, p in model.named_parameters() if "embedding" not in n]
    opt = torch.optim.AdamW([{"params": embedding, "weight_decay": 0.0},
                             {"params": others, "weight_decay": 1e-2}], lr=lr)
    model.train()
    batches, losses = [], []
    for _ in range(3):
        x = torch.randint(0, vocab, (4, 10))
        y = torch.randint(0, labels, (4, 10))
        opt.zero_grad()
        out = model(x)
        norm = 0
        for block in model.blocks:
            vf = block.LCDE.vf_A
            norm += torch.sum((vf.weight if isinstance(vf, torch.nn.Linear) else vf) ** 2) ** 0.5
        loss = F.cross_entropy(out.reshape(-1, labels), y.reshape(-1)) + lam * norm
        loss.backward()
        model.mask_grads()
        opt.step()
        batches.append({"input": x.tolist(), "labels": y.tolist()})
        losses.append(loss.item())
    write_safetensors(os.path.join(out_dir, name + ".trained.safetensors"), model.state_dict())
    with open(os.path.join(out_dir, name + ".train.json"), "w") as f:
        json.dump({"config": config, "batches": batches, "losses": losses}, f)
        f.write("\n")


def write_safetensors(path, state):
    header, chunks, offset = {}, [], 0
    for key, tensor in state.items():
        tensor = tensor.detach().contiguous().cpu()
        if tensor.dtype == torch.float64:
            dtype, data = "F64", struct.pack("<%dd" % tensor.numel(), *tensor.flatten().tolist())
        elif tensor.dtype == torch.bool:
            dtype, data = "BOOL", bytes(int(v) for v in tensor.flatten().tolist())
        else:
            raise ValueError(f"{key}: unsupported dtype {tensor.dtype}")
        header[key] = {"dtype": dtype, "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for c in chunks:
            f.write(c)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
