"""What make_fixtures.py (r1-state-dicts) and make_training_fixtures.py (r1-training-steps) share.

R1 is github.com/Benjamin-Walker/structured-linear-cdes (76dd0dd); its models/slcde.py is imported unmodified.
Two shims let it run on a CPU without the CUDA-only fast_hadamard_transform package:
  * fast_hadamard_transform.fast_hadamard_transform_interface.hadamard_transform(x, scale) is the
    package's own reference definition, F.linear(x, H) * scale with H the Sylvester Hadamard matrix
    (built here with R1's hadamard_matrix);
  * LinearCDE.__init__ moves an unused copy of H to "cuda" (self.hadamard; forward never reads it);
    Tensor.to is made to ignore a CUDA device while the models are built.
Also here: the structures both fixture sets cover, three training steps of R1's recipe, and a safetensors writer.
"""

import json
import struct
import sys
import types

import torch
import torch.nn.functional as F

# every structure, as R1's config flags
STRUCTURES = {
    "diagonal": dict(diagonal=True),
    "block-diagonal": dict(diagonal=True, block_size=4),
    "dplr": dict(diagonal=True, rank=2),
    "walsh-hadamard": dict(diagonal=True, fwht=True),
    "dense": dict(diagonal=False),
    "sparse": dict(diagonal=False, sparsity=0.5),
}


def import_slcde(r1_root):
    """R1's models/slcde.py from the checkout r1_root, with the fast_hadamard_transform shim installed."""
    sys.path.insert(0, r1_root)
    shim = types.ModuleType("fast_hadamard_transform.fast_hadamard_transform_interface")
    sys.modules["fast_hadamard_transform"] = types.ModuleType("fast_hadamard_transform")
    sys.modules["fast_hadamard_transform.fast_hadamard_transform_interface"] = shim

    def hadamard_transform(x, scale=1.0):
        h = sys.modules["models.slcde"].hadamard_matrix(x.shape[-1]).to(x.dtype)
        return F.linear(x, h) * scale

    shim.hadamard_transform = hadamard_transform
    import models.slcde as slcde  # noqa: E402  (the authors' file)
    return slcde


def stacked_lcde(slcde, flags, **sizes):
    """R1's StackedLCDE for the structure flags and sizes, built on the CPU (the CUDA shim)."""
    original_to = torch.Tensor.to

    def cpu_only_to(self, *args, **kwargs):
        if args and isinstance(args[0], torch.device) and args[0].type == "cuda":
            return self
        return original_to(self, *args, **kwargs)

    torch.Tensor.to = cpu_only_to
    try:
        return slcde.StackedLCDE(
            **sizes, block_size=flags.get("block_size", 1), sparsity=flags.get("sparsity", 1.0),
            diagonal=flags.get("diagonal", False), fwht=flags.get("fwht", False), rank=flags.get("rank", 0))
    finally:
        torch.Tensor.to = original_to


def train_three_steps(model, vocab, labels, lr, lam):
    """Three steps of R1's recipe (train.py): AdamW with weight decay 0 on the embedding and 1e-2 elsewhere,
    CE over every position + lam * sum of ||vf_A|| over blocks, mask_grads, on random (4, 10) token batches.
    R1's norm term reads block.LCDE.vf_A; for the dense and sparse fields that is an nn.Linear, where R1 at
    HEAD fails ([QUIRK]), so the weight of the Linear is used, as lincde does. Returns the batches and losses."""
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
    return batches, losses


# torch dtype -> (safetensors dtype, struct format of one element)
_FLOATS = {torch.float32: ("F32", "f"), torch.float64: ("F64", "d")}


def write_safetensors(path, state):
    """The safetensors layout (what safetensors.torch.save_file writes), for F32, F64 and BOOL tensors."""
    header, chunks, offset = {}, [], 0
    for key, tensor in state.items():
        tensor = tensor.detach().contiguous().cpu()
        if tensor.dtype in _FLOATS:
            dtype, fmt = _FLOATS[tensor.dtype]
            data = struct.pack("<%d%s" % (tensor.numel(), fmt), *tensor.flatten().tolist())
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
