"""Exports the whole-model test nets with PyTorch (torch.onnx.export, random seeded weights).

Runs under Debian's /usr/bin/python3 with python3-torch 1.13 / python3-torchvision 0.14; needs
neither onnx nor onnxruntime. gen_models.py calls it and checks the results with onnx.

usage: /usr/bin/python3 export_torch.py OUT_DIR NAME...
       /usr/bin/python3 export_torch.py --targets [OUT_DIR] [NAME...]   (default OUT_DIR build/targets)

--targets writes the speed-target set of issue #4 (TARGETS below: ResNet-50, MobileNetV2,
EfficientNet-B0 at 224x224, SRCNN 256x256 upscaled 3x, a YOLO-style detector at 640x640,
BERT-base at sequence 128). BERT-base is ~440 MB: keep these out of the repository.
bench/compare_ort.py --targets runs them.
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


class SRCNNx3(nn.Module):
    """SRCNN as in the seed notes (9-1-5 convs, 64/32 filters) behind a fixed bicubic Resize:
    256x256 -> 768x768, i.e. Resize(cubic) then the three convs at the upscaled size."""

    def __init__(self, c=3, f1=64, f2=32, scale=3.0):
        super().__init__()
        self.scale = scale
        self.c1 = nn.Conv2d(c, f1, 9, padding=4)
        self.c2 = nn.Conv2d(f1, f2, 1)
        self.c3 = nn.Conv2d(f2, c, 5, padding=2)

    def forward(self, x):
        up = F.interpolate(x, scale_factor=self.scale, mode="bicubic", align_corners=False)
        return self.c3(F.relu(self.c2(F.relu(self.c1(up)))))


class ConvBnSiLU(nn.Sequential):
    def __init__(self, cin, cout, k=1, s=1):
        super().__init__(nn.Conv2d(cin, cout, k, s, k // 2, bias=False), nn.BatchNorm2d(cout), nn.SiLU())


class Bottleneck(nn.Module):
    def __init__(self, c, shortcut=True):
        super().__init__()
        self.cv1, self.cv2, self.add = ConvBnSiLU(c, c, 3), ConvBnSiLU(c, c, 3), shortcut

    def forward(self, x):
        y = self.cv2(self.cv1(x))
        return x + y if self.add else y


class C2f(nn.Module):
    """YOLOv8's CSP block: 1x1 conv, Split in two, n bottlenecks chained on the second half,
    Concat of every intermediate, 1x1 conv."""

    def __init__(self, cin, cout, n=1, shortcut=True):
        super().__init__()
        self.c = cout // 2
        self.cv1 = ConvBnSiLU(cin, 2 * self.c)
        self.cv2 = ConvBnSiLU((2 + n) * self.c, cout)
        self.m = nn.ModuleList(Bottleneck(self.c, shortcut) for _ in range(n))

    def forward(self, x):
        y = list(self.cv1(x).chunk(2, 1))
        for m in self.m:
            y.append(m(y[-1]))
        return self.cv2(torch.cat(y, 1))


class SPPF(nn.Module):
    def __init__(self, cin, cout, k=5):
        super().__init__()
        c = cin // 2
        self.cv1, self.cv2 = ConvBnSiLU(cin, c), ConvBnSiLU(4 * c, cout)
        self.pool = nn.MaxPool2d(k, 1, k // 2)

    def forward(self, x):
        x = self.cv1(x)
        y1 = self.pool(x)
        y2 = self.pool(y1)
        return self.cv2(torch.cat([x, y1, y2, self.pool(y2)], 1))


class YoloSmall(nn.Module):
    """A YOLOv8-like detector (widths 24..384, between v8n and v8s; 5.2 M parameters): Conv-BN-SiLU stem and
    stride-2 convs, C2f blocks, SPPF (MaxPool), a PAN neck with nearest Upsample + Concat, and a
    YOLOv5-style head: per scale a 1x1 conv to 3 anchors x (5 + 80) channels, Reshape /
    Transpose / Sigmoid, all scales concatenated to [N, 25200, 85] at 640x640."""

    def __init__(self, w=(24, 48, 96, 192, 384), n=(1, 2, 2, 1), nc=80, na=3):
        super().__init__()
        self.na, self.no = na, nc + 5
        self.stem = ConvBnSiLU(3, w[0], 3, 2)                                          # P1/2
        self.b1 = nn.Sequential(ConvBnSiLU(w[0], w[1], 3, 2), C2f(w[1], w[1], n[0]))  # P2/4
        self.b2 = nn.Sequential(ConvBnSiLU(w[1], w[2], 3, 2), C2f(w[2], w[2], n[1]))  # P3/8
        self.b3 = nn.Sequential(ConvBnSiLU(w[2], w[3], 3, 2), C2f(w[3], w[3], n[2]))  # P4/16
        self.b4 = nn.Sequential(ConvBnSiLU(w[3], w[4], 3, 2), C2f(w[4], w[4], n[3]), SPPF(w[4], w[4]))  # P5/32
        self.up = nn.Upsample(scale_factor=2.0, mode="nearest")
        self.td4 = C2f(w[4] + w[3], w[3], 1, False)
        self.td3 = C2f(w[3] + w[2], w[2], 1, False)
        self.down3 = ConvBnSiLU(w[2], w[2], 3, 2)
        self.bu4 = C2f(w[2] + w[3], w[3], 1, False)
        self.down4 = ConvBnSiLU(w[3], w[3], 3, 2)
        self.bu5 = C2f(w[3] + w[4], w[4], 1, False)
        self.heads = nn.ModuleList(nn.Conv2d(c, na * self.no, 1) for c in (w[2], w[3], w[4]))
        # PyTorch's default conv init shrinks activations ~2x a layer (outputs would all sit at
        # sigmoid(0) = 0.5); normal(std gain / sqrt(fan_in)) with gain 1.3 keeps the body at
        # O(0.1-1) (1.4 already blows up through the residuals), the heads' larger gain gives
        # logits of O(1), so the sigmoids neither saturate nor sit flat.
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, nonlinearity="linear")
                with torch.no_grad():
                    m.weight.mul_(1.3)
        for m in self.heads:
            with torch.no_grad():
                m.weight.mul_(8.0)

    def forward(self, x):
        p3 = self.b2(self.b1(self.stem(x)))
        p4 = self.b3(p3)
        p5 = self.b4(p4)
        t4 = self.td4(torch.cat([self.up(p5), p4], 1))
        n3 = self.td3(torch.cat([self.up(t4), p3], 1))
        n4 = self.bu4(torch.cat([self.down3(n3), t4], 1))
        n5 = self.bu5(torch.cat([self.down4(n4), p5], 1))
        outs = []
        for f, head in zip((n3, n4, n5), self.heads):
            y = head(f)
            b, _, h, w = y.shape
            y = y.view(b, self.na, self.no, h, w).permute(0, 1, 3, 4, 2).reshape(b, -1, self.no)
            outs.append(torch.sigmoid(y))
        return torch.cat(outs, 1)


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

# The speed targets of issue #4 (export_torch.py --targets): fp32, batch 1, the sizes it names.
BERT_DYN = {"input_ids": {0: "B", 1: "S"}, "attention_mask": {0: "B", 1: "S"},
            "last_hidden_state": {0: "B", 1: "S"}, "pooled": {0: "B"}}
TARGETS = {
    "resnet50": MODELS["resnet50"],
    "mobilenet_v2_224": (tv(torchvision.models.mobilenet_v2), [(1, 3, 224, 224)], *IMG_IO, None, 13),
    "efficientnet_b0_224": (tv(torchvision.models.efficientnet_b0), [(1, 3, 224, 224)], *IMG_IO, None, 17),
    "srcnn_x3_256": (SRCNNx3, [(1, 3, 256, 256)], *IMG_IO, None, 13),
    "yolo_640": (YoloSmall, [(1, 3, 640, 640)], *IMG_IO, None, 13),
    "bert_base_128": (lambda: BertSmall(vocab=30522, hidden=768, heads=12, layers=12, ffn=3072, max_len=512),
                      [("ids", (1, 128)), ("mask", (1, 128))], ["input_ids", "attention_mask"],
                      ["last_hidden_state", "pooled"], BERT_DYN, 17),
}


def dummy(spec, gen):
    if isinstance(spec[0], str):
        kind, shape = spec
        if kind == "ids":
            return torch.randint(0, 1000, shape, generator=gen)
        return torch.ones(shape, dtype=torch.int64)
    return torch.rand(spec, generator=gen)


def export(name, out_dir, table=MODELS):
    ctor, shapes, in_names, out_names, dyn, opset = table[name]
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
    table = MODELS
    if sys.argv[1:2] == ["--targets"]:
        table, rest = TARGETS, sys.argv[2:]
        repo = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
        if rest and rest[0] not in TARGETS:
            out_dir, names = rest[0], rest[1:]
        else:
            out_dir, names = os.path.join(repo, "build", "targets"), rest
        names = names or list(TARGETS)
    else:
        out_dir, names = sys.argv[1], sys.argv[2:] or [n for n in MODELS if n != "resnet50"]
    unknown = [n for n in names if n not in table]
    if unknown:
        sys.exit(f"unknown model(s) {unknown}; known: {sorted(table)}")
    os.makedirs(out_dir, exist_ok=True)
    warnings.simplefilter("ignore")
    torch.set_num_threads(2)
    for n in names:
        export(n, out_dir, table)


if __name__ == "__main__":
    main()
