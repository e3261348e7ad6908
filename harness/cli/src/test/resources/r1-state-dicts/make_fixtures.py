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
The shims, the structures, the training steps and the safetensors writer are ../r1_fixture_common.py's,
shared with ../r1-training-steps/make_training_fixtures.py.
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from r1_fixture_common import STRUCTURES, import_slcde, stacked_lcde, train_three_steps, write_safetensors  # noqa: E402


def main(r1_root, out_dir):
    slcde = import_slcde(r1_root)
    os.makedirs(out_dir, exist_ok=True)
    for index, (name, flags) in enumerate(STRUCTURES.items()):
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
    model = stacked_lcde(slcde, flags, num_blocks=blocks, model_dim=h, data_dim=vocab, label_dim=labels,
                         init_std=config["init_std"], dropout_rate=config["dropout_rate"], use_glu=glu)

    # three training steps with R1's recipe (train.py): AdamW groups, CE + 1e-3 * sum ||vf_A||, mask_grads
    train_three_steps(model, vocab, labels, config["learning_rate"], 1e-3)

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


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
