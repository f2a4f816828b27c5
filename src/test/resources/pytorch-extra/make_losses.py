"""PyTorch reference cases for lstm4j's extra losses and Embedding (PyTorchExtraParityTest).

Run with /usr/bin/python3 (PyTorch 1.13, CPU) from any directory:

    /usr/bin/python3 src/test/resources/pytorch-extra/make_losses.py

Each case is one safetensors file in this folder, laid out as ../shared/fixtures/README.md
describes: input.*, param.* (PyTorch state_dict names: the losses' `weight` / `pos_weight`
buffers, Embedding's `weight`), output.*, upstream.*, grad.*, and __metadata__ with case, kind,
module and config. Inputs and parameters are drawn in float32; outputs and gradients are then
computed in float64 and stored rounded to float32 (the exact answer to the float32 inputs), as
the shared fixtures' op-level cases are. Class-index targets and embedding indices are stored as
I64, as PyTorch holds them.

The scalar differentiated is L = sum over k of sum(output.k * upstream.k).

The safetensors package is not installed here, so files are written from the documented format
with struct + json (8-byte little-endian header length, JSON header padded with spaces to a
multiple of 8, little-endian row-major data).
"""
import json
import struct
import zlib
from pathlib import Path

import torch
from torch import nn

HERE = Path(__file__).resolve().parent
SEED = 4_2024


def write_case(name, kind, module_text, config, tensors):
    """tensors: ordered dict of full key -> torch tensor (float -> F32, integer -> I64)."""
    header = {}
    chunks = []
    offset = 0
    for key, t in tensors.items():
        t = t.detach().contiguous()
        if t.dtype in (torch.int64, torch.int32):
            data = t.to(torch.int64).numpy().astype("<i8").tobytes()
            dtype = "I64"
        else:
            data = t.to(torch.float32).numpy().astype("<f4").tobytes()
            dtype = "F32"
        shape = list(t.shape)
        header[key] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    header["__metadata__"] = {
        "case": name,
        "kind": kind,
        "module": module_text,
        "config": json.dumps(config),
        "torch": torch.__version__,
    }
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    path = HERE / (name + ".safetensors")
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)
    size = path.stat().st_size
    assert size < 20_000, f"{path} is {size} bytes"


def run_case(name, kind, module_text, config, module, inputs, differentiable, params=None):
    """Runs `module(*inputs.values())` in float64 and writes the case.

    inputs: dict short name -> float32 (or int64) tensor, passed positionally in order.
    differentiable: names of inputs whose gradient is recorded.
    params: dict state_dict name -> float32 tensor already loaded into the module.
    """
    params = params or {}
    module = module.double()
    args = []
    for k, v in inputs.items():
        if v.is_floating_point():
            v = v.double().requires_grad_(k in differentiable)
        args.append(v)
    for p in module.parameters():
        p.requires_grad_(True)
    out = module(*args)
    gen = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    upstream = torch.rand(out.shape, generator=gen, dtype=torch.float32) * 2 - 1
    loss = (out * upstream.double()).sum()
    loss.backward()
    tensors = {}
    for k, v in inputs.items():
        tensors["input." + k] = v
    for k, v in params.items():
        tensors["param." + k] = v
    out_key = "y" if kind == "embedding" else "loss"
    tensors["output." + out_key] = out
    tensors["upstream." + out_key] = upstream
    for k, a in zip(inputs.keys(), args):
        if k in differentiable:
            tensors["grad." + k] = a.grad
    for k, p in module.named_parameters():
        tensors["grad." + k] = p.grad
    write_case(name, kind, module_text, config, tensors)


def away_from(x, centre_points, gap):
    """Pushes values of x that fall within `gap` of any centre point to centre + gap (keeps kinks away)."""
    x = x.clone()
    for c in centre_points:
        near = (x - c).abs() < gap
        x[near] = c + gap * torch.sign(x[near] - c + 1e-12)
    return x


def regression_cases():
    g = torch.Generator().manual_seed(SEED)

    def pair(*shape, spread=2.0, kinks=(0.0,)):
        target = torch.randn(*shape, generator=g)
        diff = torch.randn(*shape, generator=g) * spread
        # keep |pred - target| away from 0 and from the quadratic/linear boundaries
        for k in kinks:
            diff = away_from(diff, [k, -k] if k else [0.0], 0.05)
        return (target + diff).float(), target.float()

    for reduction, shape in (("mean", (4, 3)), ("sum", (5,)), ("none", (2, 3, 2))):
        pred, target = pair(*shape)
        run_case("l1_loss_" + reduction, "l1_loss", f"nn.L1Loss(reduction='{reduction}')",
                 {"reduction": reduction}, nn.L1Loss(reduction=reduction),
                 {"pred": pred, "target": target}, {"pred", "target"})

    for reduction, delta, shape in (("mean", 1.0, (4, 3)), ("sum", 0.5, (6,)), ("none", 2.0, (3, 4))):
        pred, target = pair(*shape, spread=1.5 * delta, kinks=(0.0, delta))
        run_case(f"huber_loss_{reduction}_delta{delta}", "huber_loss",
                 f"nn.HuberLoss(reduction='{reduction}', delta={delta})",
                 {"reduction": reduction, "delta": delta}, nn.HuberLoss(reduction=reduction, delta=delta),
                 {"pred": pred, "target": target}, {"pred", "target"})

    for reduction, beta, shape in (("mean", 1.0, (4, 3)), ("none", 0.5, (2, 5)), ("sum", 0.0, (7,))):
        pred, target = pair(*shape, spread=1.5 * max(beta, 1.0), kinks=(0.0, beta))
        run_case(f"smooth_l1_loss_{reduction}_beta{beta}", "smooth_l1_loss",
                 f"nn.SmoothL1Loss(reduction='{reduction}', beta={beta})",
                 {"reduction": reduction, "beta": beta}, nn.SmoothL1Loss(reduction=reduction, beta=beta),
                 {"pred": pred, "target": target}, {"pred", "target"})


def cross_entropy_cases():
    g = torch.Generator().manual_seed(SEED + 1)

    def case(name, input_shape, reduction="mean", weight=False, ignore_index=-100, label_smoothing=0.0,
             ignored_positions=(), scale=2.0):
        c = input_shape[1] if len(input_shape) > 1 else input_shape[0]
        pred = (torch.randn(*input_shape, generator=g) * scale).float()
        target_shape = (input_shape[0],) + tuple(input_shape[2:]) if len(input_shape) > 1 else ()
        target = torch.randint(0, c, target_shape, generator=g)
        flat = target.view(-1)
        for p in ignored_positions:
            flat[p] = ignore_index
        config = {"num_classes": c, "reduction": reduction, "ignore_index": ignore_index,
                  "label_smoothing": label_smoothing, "weight": weight}
        params = {}
        kwargs = dict(reduction=reduction, ignore_index=ignore_index, label_smoothing=label_smoothing)
        text = f"nn.CrossEntropyLoss(reduction='{reduction}', ignore_index={ignore_index}, " \
               f"label_smoothing={label_smoothing}"
        if weight:
            w = (torch.rand(c, generator=g) * 1.5 + 0.25).float()
            kwargs["weight"] = w
            params["weight"] = w
            text += ", weight=w"
        module = nn.CrossEntropyLoss(**kwargs)
        run_case(name, "cross_entropy_loss", text + ")", config, module,
                 {"pred": pred, "target": target}, {"pred"}, params)

    case("cross_entropy_mean", (5, 4))
    case("cross_entropy_sum_weight", (6, 3), reduction="sum", weight=True)
    case("cross_entropy_none_ignore", (5, 4), reduction="none", ignored_positions=(1, 3))
    case("cross_entropy_mean_weight_ignore", (6, 5), weight=True, ignored_positions=(0, 4))
    case("cross_entropy_mean_smoothing", (5, 4), label_smoothing=0.2)
    case("cross_entropy_mean_weight_ignore_smoothing", (7, 5), weight=True, ignored_positions=(2, 5),
         label_smoothing=0.15)
    case("cross_entropy_sum_weight_ignore_smoothing", (6, 4), reduction="sum", weight=True,
         ignored_positions=(1,), label_smoothing=0.3)
    case("cross_entropy_none_weight_ignore_smoothing", (6, 4), reduction="none", weight=True,
         ignored_positions=(3,), label_smoothing=0.1)
    case("cross_entropy_spatial_smoothing", (2, 3, 2, 3), label_smoothing=0.1, ignored_positions=(4,))
    case("cross_entropy_spatial_none_weight", (2, 4, 3), reduction="none", weight=True)
    case("cross_entropy_unbatched", (5,), label_smoothing=0.05)
    case("cross_entropy_ignore_valid_class", (8, 3), ignore_index=1, weight=True)
    case("cross_entropy_large_logits", (4, 3), scale=60.0, label_smoothing=0.1)


def bce_cases():
    g = torch.Generator().manual_seed(SEED + 2)

    def case(name, shape, reduction="mean", pos_weight_shape=None, weight_shape=None, scale=2.0):
        pred = (torch.randn(*shape, generator=g) * scale).float()
        target = torch.rand(*shape, generator=g).float()
        config = {"reduction": reduction, "pos_weight": pos_weight_shape, "weight": weight_shape}
        kwargs = dict(reduction=reduction)
        params = {}
        text = f"nn.BCEWithLogitsLoss(reduction='{reduction}'"
        if weight_shape is not None:
            w = (torch.rand(*weight_shape, generator=g) * 2).float()
            kwargs["weight"] = w
            params["weight"] = w
            text += ", weight=w"
        if pos_weight_shape is not None:
            pw = (torch.rand(*pos_weight_shape, generator=g) * 3 + 0.1).float()
            kwargs["pos_weight"] = pw
            params["pos_weight"] = pw
            text += ", pos_weight=pw"
        run_case(name, "bce_with_logits_loss", text + ")", config, nn.BCEWithLogitsLoss(**kwargs),
                 {"pred": pred, "target": target}, {"pred", "target"}, params)

    case("bce_with_logits_mean", (4, 3))
    case("bce_with_logits_sum_pos_weight", (5, 3), reduction="sum", pos_weight_shape=[3])
    case("bce_with_logits_none_weight_pos_weight", (3, 4), reduction="none", pos_weight_shape=[4],
         weight_shape=[3, 1])
    case("bce_with_logits_mean_large_logits", (2, 5), scale=40.0, pos_weight_shape=[5])


def embedding_cases():
    g = torch.Generator().manual_seed(SEED + 3)

    def case(name, num, dim, indices, padding_idx=None):
        module = nn.Embedding(num, dim, padding_idx=padding_idx)
        weight = torch.randn(num, dim, generator=g).float()
        if module.padding_idx is not None:
            weight[module.padding_idx] = 0
        with torch.no_grad():
            module.weight.copy_(weight)
        config = {"num_embeddings": num, "embedding_dim": dim, "padding_idx": padding_idx}
        text = f"nn.Embedding({num}, {dim}, padding_idx={padding_idx})"
        run_case(name, "embedding", text, config, module, {"indices": indices}, set(), {"weight": weight})

    case("embedding_2d_indices", 7, 3, torch.tensor([[0, 2, 2], [6, 1, 2]]))
    case("embedding_padding", 6, 4, torch.tensor([[1, 0, 3, 0], [5, 5, 0, 2]]), padding_idx=0)
    case("embedding_negative_padding", 5, 2, torch.tensor([4, 1, 4, 3, 1]), padding_idx=-1)
    case("embedding_scalar_index", 4, 3, torch.tensor(2))


def main():
    torch.set_default_dtype(torch.float32)
    regression_cases()
    cross_entropy_cases()
    bce_cases()
    embedding_cases()


if __name__ == "__main__":
    main()
