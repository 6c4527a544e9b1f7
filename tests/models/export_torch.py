"""Exports the whole-model test nets with PyTorch (torch.onnx.export, random seeded weights).

Runs under Debian's /usr/bin/python3 with python3-torch 1.13 / python3-torchvision 0.14; needs
neither onnx nor onnxruntime. gen_models.py calls it and checks the results with onnx.

usage: /usr/bin/python3 export_torch.py OUT_DIR NAME...
"""
import os
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

IMG = (1, 3, 64, 64)


def randomize_batchnorm(model, gen):
    # torchvision initialises BN to the identity (mean 0, var 1, weight 1, bias 0), which the
    # exporter folds into the preceding Conv invisibly; random statistics make the folding,
    # or a BatchNormalization kernel, actually matter.
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            n = m.num_features
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(n, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(n, generator=gen) + 0.5)
                m.weight.copy_(torch.rand(n, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(n, generator=gen) * 0.1)
    return model


def default_linear_init(model):
    # torchvision's classifier inits (normal std 0.01 in mobilenet_v3) give logits of ~0.02,
    # where atol 1e-4 is a loose test; PyTorch's default init gives logits of order 1.
    for m in model.modules():
        if isinstance(m, nn.Linear):
            m.reset_parameters()
    return model


class UNetSmall(nn.Module):
    """Two-level UNet: conv blocks, MaxPool, a ConvTranspose and a bilinear Upsample on the way
    up, Concat skip connections, BatchNormalization after the ConvTranspose (not folded)."""

    @staticmethod
    def block(cin, cout):
        return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                             nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU(inplace=True))

    def __init__(self, cin=3, cout=2, w=16):
        super().__init__()
        self.enc1 = self.block(cin, w)
        self.enc2 = self.block(w, 2 * w)
        self.mid = self.block(2 * w, 4 * w)
        self.up2 = nn.ConvTranspose2d(4 * w, 2 * w, 2, stride=2)
        self.up2_bn = nn.BatchNorm2d(2 * w)
        self.dec2 = self.block(4 * w, 2 * w)
        self.up1_conv = nn.Conv2d(2 * w, w, 1)
        self.dec1 = self.block(2 * w, w)
        self.head = nn.Conv2d(w, cout, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(F.max_pool2d(e1, 2))
        m = self.mid(F.max_pool2d(e2, 2))
        d2 = self.dec2(torch.cat([self.up2_bn(self.up2(m)), e2], dim=1))
        u1 = F.interpolate(self.up1_conv(d2), scale_factor=2.0, mode="bilinear", align_corners=False)
        d1 = self.dec1(torch.cat([u1, e1], dim=1))
        return torch.sigmoid(self.head(d1))


class SRCNNTorch(nn.Module):
    """SRCNN with F.interpolate(bicubic): what the PyTorch exporter emits for a fixed 2x scale."""

    def __init__(self, c=3):
        super().__init__()
        self.c1 = nn.Conv2d(c, 32, 9, padding=4)
        self.c2 = nn.Conv2d(32, 16, 1)
        self.c3 = nn.Conv2d(16, c, 5, padding=2)

    def forward(self, x):
        up = F.interpolate(x, scale_factor=2.0, mode="bicubic", align_corners=False)
        return self.c3(F.relu(self.c2(F.relu(self.c1(up))))) + up


class BertSmall(nn.Module):
    """A 2-layer BERT-like encoder: token + position (Range over the dynamic length) + segment
    embeddings (Gather), LayerNorm, multi-head attention as MatMul / Softmax with an additive
    mask, exact GELU (Erf), and a tanh pooler over the first token."""

    def __init__(self, vocab=1000, hidden=64, heads=4, layers=2, ffn=128, max_len=128):
        super().__init__()
        self.heads = heads
        self.tok = nn.Embedding(vocab, hidden)
        self.pos = nn.Embedding(max_len, hidden)
        self.seg = nn.Embedding(2, hidden)
        self.emb_ln = nn.LayerNorm(hidden, eps=1e-12)
        self.layers = nn.ModuleList()
        for _ in range(layers):
            self.layers.append(nn.ModuleDict(dict(
                qkv=nn.Linear(hidden, 3 * hidden), proj=nn.Linear(hidden, hidden), ln1=nn.LayerNorm(hidden, eps=1e-12),
                ff1=nn.Linear(hidden, ffn), ff2=nn.Linear(ffn, hidden), ln2=nn.LayerNorm(hidden, eps=1e-12))))
        self.pool = nn.Linear(hidden, hidden)

    def forward(self, input_ids, attention_mask):
        b, s = input_ids.shape
        pos = torch.arange(s, device=input_ids.device).unsqueeze(0)
        x = self.emb_ln(self.tok(input_ids) + self.pos(pos) + self.seg(torch.zeros_like(input_ids)))
        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        h = self.heads
        for L in self.layers:
            q, k, v = L["qkv"](x).chunk(3, dim=-1)
            split = lambda t: t.reshape(b, s, h, -1).transpose(1, 2)  # noqa: E731
            q, k, v = split(q), split(k), split(v)
            att = torch.softmax(q @ k.transpose(-1, -2) / (q.shape[-1] ** 0.5) + bias, dim=-1)
            ctx = (att @ v).transpose(1, 2).reshape(b, s, -1)
            x = L["ln1"](x + L["proj"](ctx))
            x = L["ln2"](x + L["ff2"](F.gelu(L["ff1"](x))))
        return x, torch.tanh(self.pool(x[:, 0]))


def tv(fn, **kw):
    return lambda: fn(weights=None, **kw)


# name -> (constructor, dummy inputs, input names, output names, dynamic axes, opset)
IMG_IO = (["input"], ["output"])
MODELS = {
    "resnet18": (tv(torchvision.models.resnet18), [IMG], *IMG_IO, {"input": {0: "N"}, "output": {0: "N"}}, 13),
    "resnet50": (tv(torchvision.models.resnet50), [(1, 3, 224, 224)], *IMG_IO, None, 13),
    "mobilenet_v2": (tv(torchvision.models.mobilenet_v2), [IMG], *IMG_IO, None, 13),
    "mobilenet_v3_small": (tv(torchvision.models.mobilenet_v3_small), [IMG], *IMG_IO, None, 17),
    "shufflenet_v2_x0_5": (tv(torchvision.models.shufflenet_v2_x0_5), [IMG], *IMG_IO, None, 13),
    "efficientnet_b0": (tv(torchvision.models.efficientnet_b0), [IMG], *IMG_IO, None, 17),
    "squeezenet1_0": (tv(torchvision.models.squeezenet1_0), [IMG], *IMG_IO, None, 13),
    "unet": (UNetSmall, [IMG], *IMG_IO, None, 13),
    "srcnn_torch": (SRCNNTorch, [(1, 3, 32, 32)], *IMG_IO, None, 13),
    "bert": (BertSmall, [("ids", (1, 16)), ("mask", (1, 16))], ["input_ids", "attention_mask"],
             ["last_hidden_state", "pooled"],
             {"input_ids": {1: "S"}, "attention_mask": {1: "S"}, "last_hidden_state": {1: "S"}}, 17),
}


def dummy(spec, gen):
    if isinstance(spec[0], str):
        kind, shape = spec
        if kind == "ids":
            return torch.randint(0, 1000, shape, generator=gen)
        return torch.ones(shape, dtype=torch.int64)
    return torch.rand(spec, generator=gen)


def export(name, out_dir):
    ctor, shapes, in_names, out_names, dyn, opset = MODELS[name]
    gen = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    model = default_linear_init(randomize_batchnorm(ctor(), gen)).eval()
    args = tuple(dummy(s, gen) for s in shapes)
    path = os.path.join(out_dir, name + ".onnx")
    tmp = path + ".tmp"
    with torch.no_grad():
        torch.onnx.export(model, args, tmp, opset_version=opset, input_names=in_names,
                          output_names=out_names, dynamic_axes=dyn, do_constant_folding=True)
    os.replace(tmp, path)
    print(f"  exported {name} (opset {opset}, {os.path.getsize(path) / 1e6:.1f} MB)", flush=True)


def main():
    out_dir, names = sys.argv[1], sys.argv[2:] or [n for n in MODELS if n != "resnet50"]
    os.makedirs(out_dir, exist_ok=True)
    warnings.simplefilter("ignore")
    torch.set_num_threads(2)
    for n in names:
        export(n, out_dir)


if __name__ == "__main__":
    main()
