"""Writes the R1 training-step fixtures of lincde's R1TrainingStepFixturesTest (see README.md here).

Usage: python3 make_training_fixtures.py R1_CHECKOUT OUT_DIR

Same shims as make_fixtures.py (both in ../r1_fixture_common.py, with the structures, the training steps and
the safetensors writer). For every structure it builds R1's StackedLCDE in float64 (h = 8, one
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
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from r1_fixture_common import STRUCTURES, import_slcde, stacked_lcde, train_three_steps, write_safetensors  # noqa: E402


def main(r1_root, out_dir):
    slcde = import_slcde(r1_root)
    os.makedirs(out_dir, exist_ok=True)
    for index, (name, flags) in enumerate(STRUCTURES.items()):
        write_fixture(slcde, out_dir, name, flags, 200 + index)


def write_fixture(slcde, out_dir, name, flags, seed):
    h, vocab, labels, lr, lam = 8, 7, 5, 0.01, 1e-3
    config = {"task": "cycle_nav", "model_name": "lcde", "num_blocks": 1, "model_dim": h, "batch_size": 4,
              "num_steps": 3, "print_steps": 1, "learning_rate": lr, "init_std": 0.5, "dropout_rate": 0.0,
              "vf_A_norm_lambda": lam, "seed": seed}
    config.update(flags)
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(seed)
    model = stacked_lcde(slcde, flags, num_blocks=1, model_dim=h, data_dim=vocab, label_dim=labels, init_std=0.5,
                         dropout_rate=0.0)
    write_safetensors(os.path.join(out_dir, name + ".init.safetensors"), model.state_dict())
    batches, losses = train_three_steps(model, vocab, labels, lr, lam)
    write_safetensors(os.path.join(out_dir, name + ".trained.safetensors"), model.state_dict())
    with open(os.path.join(out_dir, name + ".train.json"), "w") as f:
        json.dump({"config": config, "batches": batches, "losses": losses}, f)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
