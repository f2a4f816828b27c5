"""Writes the PyTorch side of LstmTest's loading test (run with /usr/bin/python3, PyTorch 1.13, CPU).

lstm_state_dict.safetensors  : the state_dict of
    nn.LSTM(3, 5, num_layers=2, bias=True, batch_first=True, bidirectional=True, proj_size=2)
    under PyTorch's own keys, as safetensors.torch.save_file(model.state_dict(), path) would write it
lstm_state_dict_expected.safetensors : a fixed input x (batch 2, seq 4), initial states h0, c0 and
    PyTorch's float32 output, h_n and c_n for them (metadata: config)

The safetensors package is not installed here, so the files are written from the documented format
with struct + json: 8-byte little-endian header length, a JSON header padded with spaces to a
multiple of 8, then the little-endian row-major data.
"""
import json
import struct
from pathlib import Path

import torch
from torch import nn

HERE = Path(__file__).resolve().parent
CONFIG = dict(input_size=3, hidden_size=5, num_layers=2, bias=True, batch_first=True,
              bidirectional=True, proj_size=2)


def save_file(tensors, path, metadata=None):
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    chunks = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().contiguous().to(torch.float32)
        data = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


def main():
    torch.manual_seed(20240611)
    model = nn.LSTM(**CONFIG)
    model.eval()
    x = torch.randn(2, 4, 3)
    h0 = torch.randn(4, 2, 2)
    c0 = torch.randn(4, 2, 5)
    with torch.no_grad():
        output, (h_n, c_n) = model(x, (h0, c0))
    save_file(model.state_dict(), HERE / "lstm_state_dict.safetensors", {"format": "pt"})
    save_file({"x": x, "h0": h0, "c0": c0, "output": output, "h_n": h_n, "c_n": c_n},
              HERE / "lstm_state_dict_expected.safetensors",
              {"config": json.dumps(CONFIG), "torch": torch.__version__})


if __name__ == "__main__":
    main()
