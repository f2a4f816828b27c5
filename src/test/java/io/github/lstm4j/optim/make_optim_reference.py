"""Reference numbers for the io.github.lstm4j.optim unit tests, printed by PyTorch 1.13 (CPU).

Run:  python3 make_optim_reference.py
Each block prints Java-ready literals; the tests quote them with a comment naming this script.
Learning rates are printed with repr() so the Java doubles are the exact same values.
"""
import torch
from torch.optim import SGD, Adam
from torch.optim.lr_scheduler import StepLR, ExponentialLR, CosineAnnealingLR, ReduceLROnPlateau

print("# torch", torch.__version__)


def lrs(sched_factory, epochs, base_lrs=(0.1,)):
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in base_lrs]
    opt = SGD([{"params": [p], "lr": lr} for p, lr in zip(params, base_lrs)], lr=base_lrs[0])
    sched = sched_factory(opt)
    out = [list(sched.get_last_lr())]
    for _ in range(epochs):
        opt.step()
        sched.step()
        out.append(list(sched.get_last_lr()))
    return out


def java(rows):
    return "{" + ", ".join("{" + ", ".join(repr(float(v)) for v in r) + "}" for r in rows) + "}"


print("STEP_LR (step_size=3, gamma=0.5; base 0.1 and 0.02; epochs 0..10) =",
      java(lrs(lambda o: StepLR(o, step_size=3, gamma=0.5), 10, (0.1, 0.02))))
print("EXPONENTIAL_LR (gamma=0.9; base 0.1; epochs 0..6) =",
      java(lrs(lambda o: ExponentialLR(o, gamma=0.9), 6)))
print("COSINE_LR (T_max=4, eta_min=0.01; base 0.1; epochs 0..12) =",
      java(lrs(lambda o: CosineAnnealingLR(o, T_max=4, eta_min=0.01), 12)))


def plateau(metrics, **kw):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = SGD([p], lr=1.0)
    s = ReduceLROnPlateau(opt, **kw)
    out = []
    for m in metrics:
        opt.step()
        s.step(m)
        out.append(opt.param_groups[0]["lr"])
    return out


M1 = [1.0, 0.95, 0.93, 0.99, 0.5, 0.49, 0.48, 0.47, 0.47, 0.46, 0.2, 0.3, 0.3, 0.3]
print("PLATEAU_MIN_REL metrics", M1, "(factor=0.5, patience=2, cooldown=1, threshold=0.1) =",
      plateau(M1, mode="min", factor=0.5, patience=2, cooldown=1, threshold=0.1))
M2 = [0.1, 0.2, 0.25, 0.26, 0.27, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
print("PLATEAU_MAX_ABS metrics", M2, "(factor=0.1, patience=1, threshold=0.05, abs, min_lr=0.005) =",
      plateau(M2, mode="max", factor=0.1, patience=1, threshold=0.05, threshold_mode="abs", min_lr=0.005))
M3 = [1.0] * 8
print("PLATEAU_COOLDOWN metrics", M3, "(factor=0.5, patience=0, cooldown=2) =",
      plateau(M3, factor=0.5, patience=0, cooldown=2))

# clip_grad_norm_ with p = 1, 3, 2 and inf on two gradients
for p, max_norm in ((1.0, 2.0), (3.0, 1.0), (2.0, 10.0), (float("inf"), 0.5)):
    a = torch.zeros(2, 2, requires_grad=True)
    b = torch.zeros(3, requires_grad=True)
    a.grad = torch.tensor([[3.0, -4.0], [1.0, 0.5]])
    b.grad = torch.tensor([-2.0, 0.0, 1.5])
    total = torch.nn.utils.clip_grad_norm_([a, b], max_norm, norm_type=p)
    print("CLIP p=%s max_norm=%s total=%r a.grad=%s b.grad=%s" % (
        p, max_norm, total.item(), [repr(v) for v in a.grad.flatten().tolist()], [repr(v) for v in b.grad.tolist()]))

# Adam with two parameter groups (lr 0.1 and 0.01, the second with amsgrad), fixed exact gradients at step t
w = torch.nn.Parameter(torch.tensor([1.0, -2.0, 0.5]))
u = torch.nn.Parameter(torch.tensor([0.25, 3.0]))
opt = Adam([{"params": [w]}, {"params": [u], "lr": 0.01, "amsgrad": True}], lr=0.1, betas=(0.8, 0.9), eps=1e-6)
for t in range(4):
    w.grad = torch.tensor([t - 1.5, 2.0 - 0.25 * t, 0.5 + t])
    u.grad = torch.tensor([-1.0 + 0.75 * t, 3.0 - t])
    opt.step()
print("ADAM_GROUPS after 4 steps: w =", [repr(v) for v in w.tolist()], "u =", [repr(v) for v in u.tolist()])
