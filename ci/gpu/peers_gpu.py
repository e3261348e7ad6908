"""The SLiCE authors' PyTorch models (R1: StackedLCDE, LSTM, causal Transformer) timed per training step
(forward + backward + AdamW) on a GPU, at the shapes ci/gpu/run-on-device.sh times lincde at. Needs no Java:
it is the GPU run's fallback when the DJL bridge cannot load, and the peer column beside lincde's numbers.

The authors' models/ folder is read from PEER_SLICE_DIR (ci/gpu/pack.sh copies it into .gpukit/peers/slice;
it is never committed). fast_hadamard_transform is a CUDA wheel that the GPU machine lacks, so a stand-in that
multiplies by the normalised Hadamard matrix (what the wheel computes) serves the WH variant.

Usage: PEER_SLICE_DIR=<dir> python3 ci/gpu/peers_gpu.py OUT.json
Env: DEVICE (cuda, else cpu), SHAPES (comma list of NAME:B:L, default "regular:256:40,eigenworms:32:17984"),
     D (128), LAYERS (2), STEPS (3), WARMUP (1), BUDGET_S (total seconds; later cells are skipped past it),
     MODELS (comma list; default every LCDE variant, lstm, transformer).
Writes a JSON list, one object per (shape, model): sec_per_step (median), peak_gpu_mb, or error/skipped.
"""
import json
import os
import statistics
import sys
import time
import types

import torch

root = os.environ["PEER_SLICE_DIR"]
sys.path.insert(0, root)
DEVICE = os.environ.get("DEVICE", "cuda" if torch.cuda.is_available() else "cpu")
dev = torch.device(DEVICE)

shim = types.ModuleType("fast_hadamard_transform")
iface = types.ModuleType("fast_hadamard_transform.fast_hadamard_transform_interface")
_had = {}


def _hadamard_transform(x, scale=1.0):
    n = x.shape[-1]
    key = (n, x.device, x.dtype)
    if key not in _had:
        h = torch.ones(1, 1)
        while h.shape[0] < n:
            h = torch.cat([torch.cat([h, h], 1), torch.cat([h, -h], 1)], 0)
        _had[key] = h.to(device=x.device, dtype=x.dtype)
    return (x @ _had[key].T) * scale


iface.hadamard_transform = _hadamard_transform
shim.fast_hadamard_transform_interface = iface
sys.modules["fast_hadamard_transform"] = shim
sys.modules["fast_hadamard_transform.fast_hadamard_transform_interface"] = iface

if dev.type != "cuda":
    # the authors' WH layer moves its Hadamard matrix to cuda; keep it where the model is
    _orig_to = torch.Tensor.to

    def _cpu_to(self, *a, **k):
        if a and isinstance(a[0], torch.device) and a[0].type == "cuda":
            return self
        return _orig_to(self, *a, **k)

    torch.Tensor.to = _cpu_to

from models.slcde import StackedLCDE  # noqa: E402
from models.lstm import LSTM  # noqa: E402
from models.transformer import CausalTransformer  # noqa: E402

D = int(os.environ.get("D", 128))
LAYERS = int(os.environ.get("LAYERS", 2))
STEPS = int(os.environ.get("STEPS", 3))
WARMUP = int(os.environ.get("WARMUP", 1))
BUDGET = float(os.environ.get("BUDGET_S", "1e9"))
VOCAB, LABELS = 9, 9
LCDE = {
    "diagonal": dict(diagonal=True, block_size=1),
    "block4": dict(diagonal=True, block_size=4),
    "dplr4": dict(diagonal=True, block_size=1, rank=4),
    "wh": dict(diagonal=True, fwht=True),
    "dense": dict(diagonal=False),
    "sparse": dict(diagonal=False, sparsity=0.1),
}
BUILD = {k: (lambda v=v: StackedLCDE(LAYERS, D, VOCAB, LABELS, init_std=0.5, **v)) for k, v in LCDE.items()}
BUILD["lstm"] = lambda: LSTM(LAYERS, VOCAB, D, LABELS, 0.01)
BUILD["transformer"] = lambda: CausalTransformer(LAYERS, VOCAB, D, LABELS, 0.01)
models = [m for m in os.environ.get("MODELS", ",".join(BUILD)).split(",") if m]
shapes = []
for s in os.environ.get("SHAPES", "regular:256:40,eigenworms:32:17984").split(","):
    name, b, l = s.split(":")
    shapes.append((name, int(b), int(l)))


def sync():
    if dev.type == "cuda":
        torch.cuda.synchronize()


def bench(name, B, L):
    torch.manual_seed(0)
    model = BUILD[name]().to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
    x = torch.randint(1, VOCAB, (B, L), device=dev)
    y = torch.randint(0, LABELS, (B, L), device=dev)
    if dev.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    times = []
    for i in range(STEPS + WARMUP):
        sync()
        t0 = time.perf_counter()
        opt.zero_grad()
        out = model(x)
        loss = torch.nn.functional.cross_entropy(out.reshape(-1, LABELS), y.reshape(-1))
        loss.backward()
        if hasattr(model, "mask_grads"):
            model.mask_grads()
        opt.step()
        sync()
        if i >= WARMUP:
            times.append(time.perf_counter() - t0)
    r = dict(sec_per_step=round(statistics.median(times), 5), sec_per_step_min=round(min(times), 5),
             timed_steps=len(times))
    if dev.type == "cuda":
        r["peak_gpu_mb"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    return r


start = time.perf_counter()
rows = []
out_path = sys.argv[1] if len(sys.argv) > 1 else "/dev/stdout"
for shape, B, L in shapes:
    for name in models:
        row = dict(peer="official-pytorch-r1", model=name, shape=shape, B=B, L=L, D=D, layers=LAYERS,
                   device=str(dev), torch=torch.__version__)
        if dev.type == "cuda":
            row["gpu"] = torch.cuda.get_device_name(0)
        if time.perf_counter() - start > BUDGET:
            row["skipped"] = "time budget of %.0f s spent" % BUDGET
        else:
            t0 = time.perf_counter()
            try:
                row.update(bench(name, B, L))
            except Exception as e:  # an OOM or a missing kernel is a result too
                row["error"] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0][:300])
            row["wall_s"] = round(time.perf_counter() - t0, 2)
            if dev.type == "cuda":
                torch.cuda.empty_cache()
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
        with open(out_path, "w") as f:  # rewritten after every cell: a timeout keeps what was measured
            json.dump(rows, f, indent=1)
