"""Writes the R1 state-dict fixtures of lincde's R1StateDictFixturesTest (see README.md here).

Usage: python3 make_fixtures.py R1_CHECKOUT OUT_DIR

R1_CHECKOUT is a checkout of github.com/Benjamin-Walker/structured-linear-cdes (76dd0dd); this script
imports its models/slcde.py unmodified. Two shims let it run on a CPU without the CUDA-only
fast_hadamard_transform package:
  * fast_hadamard_transform.fast_hadamard_transform_interface.hadamard_transform(x, scale) is the
    package's own reference definition, F.linear(x, H) * scale with H the Sylvester Hadamard matrix
    (built here with R1's hadamard_matrix);
  * LinearCDE.__init__ moves an unused copy of H to "cuda" (self.hadamard; forward never reads it);
    Tensor.to is made to ignore a CUDA device while the models are built.
For every structure (diagonal, block-diagonal, DPLR, Walsh-Hadamard, dense, sparse), with and without
GLU, it builds R1's StackedLCDE (h = 16, 2 blocks, 7 tokens, 5 classes), takes three training steps
with R1's optimiser recipe (AdamW groups, mask_grads) so no weight is at its initial value, and writes
  NAME.safetensors   model.state_dict() exactly (F32 weights, BOOL masks), safetensors format
  NAME.json          the R1 config, the input tokens, and the logits of model.eval() in float32 and,
                     with every weight cast to float64 and torch's default dtype float64, in float64.
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
    package = types.ModuleType("fast_hadamard_transform")
    sys.modules["fast_hadamard_transform"] = package
    sys.modules["fast_hadamard_transform.fast_hadamard_transform_interface"] = shim

    def hadamard_transform(x, scale=1.0):
        h = sys.modules["models.slcde"].hadamard_matrix(x.shape[-1]).to(x.dtype)
        return F.linear(x, h) * scale

    shim.hadamard_transform = hadamard_transform
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
        for glu in (False, True):
            write_fixture(slcde, out_dir, f"{name}{'-glu' if glu else ''}", flags, glu, 100 + 2 * index + glu)


def write_fixture(slcde, out_dir, name, flags, glu, seed):
    h, blocks, vocab, labels = 16, 2, 7, 5
    config = {"task": "cycle_nav", "model_name": "lcde", "num_blocks": blocks, "model_dim": h,
              "batch_size": 4, "num_steps": 3, "print_steps": 1, "learning_rate": 0.01,
              "init_std": 0.5, "use_glu": glu, "dropout_rate": 0.1, "seed": seed}
    config.update(flags)
    torch.set_default_dtype(torch.float32)
    torch.manual_seed(seed)
    original_to = torch.Tensor.to

    def cpu_only_to(self, *args, **kwargs):
        if args and isinstance(args[0], torch.device) and args[0].type == "cuda":
            return self
        return original_to(self, *args, **kwargs)

    torch.Tensor.to = cpu_only_to
    try:
        model = slcde.StackedLCDE(
            num_blocks=blocks, model_dim=h, data_dim=vocab, label_dim=labels,
            init_std=config["init_std"], block_size=flags.get("block_size", 1),
            sparsity=flags.get("sparsity", 1.0), dropout_rate=config["dropout_rate"], use_glu=glu,
            diagonal=flags.get("diagonal", False), fwht=flags.get("fwht", False), rank=flags.get("rank", 0))
    finally:
        torch.Tensor.to = original_to

    # three training steps with R1's recipe (train.py): AdamW groups, CE + 1e-3 * sum ||vf_A||, mask_grads
    embedding = [p for n, p in model.named_parameters() if "embedding" in n]
    others = [p for n, p in model.named_parameters() if "embedding" not in n]
    opt = torch.optim.AdamW([{"params": embedding, "weight_decay": 0.0},
                             {"params": others, "weight_decay": 1e-2}], lr=config["learning_rate"])
    model.train()
    for _ in range(3):
        x = torch.randint(0, vocab, (4, 10))
        y = torch.randint(0, labels, (4, 10))
        opt.zero_grad()
        out = model(x)
        norm = 0
        for block in model.blocks:
            vf = block.LCDE.vf_A
            norm += torch.sum((vf.weight if isinstance(vf, torch.nn.Linear) else vf) ** 2) ** 0.5
        loss = F.cross_entropy(out.reshape(-1, labels), y.reshape(-1)) + 1e-3 * norm
        loss.backward()
        model.mask_grads()
        opt.step()

    model.eval()
    tokens = torch.randint(0, vocab, (3, 12))
    state = model.state_dict()
    with torch.no_grad():
        logits32 = model(tokens)
        torch.set_default_dtype(torch.float64)
        model64 = model.double()
        logits64 = model64(tokens)
        torch.set_default_dtype(torch.float32)
    write_safetensors(os.path.join(out_dir, name + ".safetensors"), state)
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        json.dump({"config": config, "input": tokens.tolist(),
                   "logits_float32": logits32.tolist(), "logits_float64": logits64.tolist()}, f)
        f.write("\n")


def write_safetensors(path, state):
    """The safetensors layout (what safetensors.torch.save_file writes), for F32 and BOOL tensors."""
    header, chunks, offset = {}, [], 0
    for key, tensor in state.items():
        tensor = tensor.detach().contiguous().cpu()
        if tensor.dtype == torch.float32:
            dtype, data = "F32", struct.pack("<%df" % tensor.numel(), *tensor.flatten().tolist())
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
