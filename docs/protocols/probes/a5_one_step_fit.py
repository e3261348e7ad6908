"""Can one transition I + A(u) per token carry A5 exactly? (docs/protocols/fidelity.md, "WH-LNCDE on A5")

For each structure family, searches an embedding E (h x 5, orthonormal columns) and, for each of the 60
elements g of A5, a free member A_g of the family such that (I + A_g) E = E P_g, P_g the 5x5 permutation
matrix of g (the representation a one-layer model must carry). Reports the smallest relative residual
sqrt(sum_g |(I + A_g)E - E P_g|^2 / sum_g |E (P_g - I)|^2) over random restarts (0: exact; 1: no better than
A_g = 0). Families at h = 16: diagonal, Walsh-Hadamard H diag(a), block-diagonal (b = 8), DPLR (rank 4).
Usage: python3 a5_one_step_fit.py [ITERATIONS] [RESTARTS]
"""

import itertools
import sys

import torch

torch.set_num_threads(1)
ITER = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
RESTARTS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
H_DIM = 16

perms = [p for p in itertools.permutations(range(5))
         if sum(p[i] > p[j] for i in range(5) for j in range(i + 1, 5)) % 2 == 0]
P = torch.zeros(60, 5, 5, dtype=torch.float64)
for g, p in enumerate(perms):
    for i in range(5):
        P[g, p[i], i] = 1.0


def sylvester(n):
    h = torch.ones(1, 1, dtype=torch.float64)
    while h.shape[0] < n:
        h = torch.cat([torch.cat([h, h], 1), torch.cat([h, -h], 1)], 0)
    return h / n ** 0.5


HAD = sylvester(H_DIM)


def family(name):
    """(number of free parameters per element, map params (60, k) -> A (60, h, h))."""
    h = H_DIM
    if name == "diagonal":
        return h, lambda a: torch.diag_embed(a)
    if name == "walsh-hadamard":
        return h, lambda a: HAD @ torch.diag_embed(a)
    if name == "block-diagonal-8":
        def bd(a):
            blocks = a.view(60, h // 8, 8, 8)
            return torch.stack([torch.block_diag(*blocks[g]) for g in range(60)])
        return h * 8, bd
    if name == "dplr-4":
        def dplr(a):
            d, u, v = a[:, :h], a[:, h:h + 4 * h].view(60, h, 4), a[:, h + 4 * h:].view(60, h, 4)
            return torch.diag_embed(d) + u @ v.transpose(1, 2)
        return h + 8 * h, dplr
    raise ValueError(name)


def fit(name, seed):
    torch.manual_seed(seed)
    k, to_a = family(name)
    raw_e = torch.randn(H_DIM, 5, dtype=torch.float64, requires_grad=True)
    params = (0.1 * torch.randn(60, k, dtype=torch.float64)).requires_grad_()
    opt = torch.optim.Adam([raw_e, params], lr=0.02)
    target_norm = None
    for _ in range(ITER):
        e, _ = torch.linalg.qr(raw_e)
        a = to_a(params)
        lhs = e.unsqueeze(0) + a @ e
        rhs = e.unsqueeze(0) @ P
        loss = ((lhs - rhs) ** 2).sum()
        target_norm = ((rhs - e.unsqueeze(0)) ** 2).sum()
        opt.zero_grad()
        (loss / target_norm.detach()).backward()
        opt.step()
    return float((loss / target_norm).sqrt())


for name in ["diagonal", "walsh-hadamard", "block-diagonal-8", "dplr-4"]:
    best = min(fit(name, s) for s in range(RESTARTS))
    print(f"{name:18s} best relative residual over {RESTARTS} restarts, {ITER} Adam steps: {best:.3e}", flush=True)
