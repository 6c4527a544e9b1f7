"""onnx.helper-built stand-ins for the PyTorch-exported test models, used when Debian's torch is
not available (or ORTL_MODELS_NO_TORCH=1). Each keeps its namesake's inputs, outputs and op mix
(not its exact topology): the same names and shapes, so test_models.py treats both alike.

Also builds the models that are onnx.helper-made in every case (srcnn_scales: Resize with the
scales as a graph input).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples"))
from make_srcnn import build_srcnn  # noqa: E402


class Builder:
    def __init__(self, seed=0):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.n = [], [], 0

    def _name(self, base):
        self.n += 1
        return f"{base}_{self.n}"

    def const(self, arr, base="c"):
        name = self._name(base)
        self.inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def weight(self, shape, fan_in, gain=2.0):
        return self.const((self.rng.standard_normal(shape) * np.sqrt(gain / fan_in)).astype(np.float32), "w")

    def op(self, op_type, inputs, n_out=1, **attrs):
        outs = [self._name(op_type.lower()) for _ in range(n_out)]
        self.nodes.append(helper.make_node(op_type, list(inputs), outs, name=self._name(op_type), **attrs))
        return outs[0] if n_out == 1 else outs

    # ---- layers --------------------------------------------------------------------------
    def conv(self, x, cin, cout, k, stride=1, group=1, bias=True):
        w = self.weight((cout, cin // group, k, k), cin // group * k * k)
        ins = [x, w] + ([self.const((self.rng.standard_normal(cout) * 0.05).astype(np.float32), "b")] if bias else [])
        p = k // 2
        return self.op("Conv", ins, kernel_shape=[k, k], strides=[stride, stride], pads=[p] * 4, group=group)

    def bn(self, x, c):
        r = self.rng
        scale, bias = (r.random(c) + 0.5).astype(np.float32), (r.standard_normal(c) * 0.1).astype(np.float32)
        mean, var = (r.standard_normal(c) * 0.1).astype(np.float32), (r.random(c) + 0.5).astype(np.float32)
        return self.op("BatchNormalization", [x] + [self.const(a) for a in (scale, bias, mean, var)], epsilon=1e-5)

    def cbr(self, x, cin, cout, k, stride=1, group=1, act="Relu"):
        y = self.bn(self.conv(x, cin, cout, k, stride, group, bias=False), cout)
        if act == "Relu6":
            return self.op("Clip", [y, self.const(np.float32(0)), self.const(np.float32(6))])
        if act == "SiLU":
            return self.op("Mul", [y, self.op("Sigmoid", [y])])
        return self.op(act, [y]) if act else y

    def se(self, x, c, r, gate="Sigmoid"):
        s = self.op("GlobalAveragePool", [x])
        s = self.op("Relu", [self.conv(s, c, max(1, c // r), 1)])
        s = self.conv(s, max(1, c // r), c, 1)
        s = self.op(gate, [s]) if gate == "Sigmoid" else self.op("HardSigmoid", [s], alpha=1 / 6, beta=0.5)
        return self.op("Mul", [x, s])

    def classifier(self, x, c, classes=1000):
        x = self.op("Flatten", [self.op("GlobalAveragePool", [x])], axis=1)
        w = self.const((self.rng.standard_normal((classes, c)) / np.sqrt(c)).astype(np.float32))
        return self.op("Gemm", [x, w, self.const(np.zeros(classes, np.float32))], transB=1)

    def linear(self, x, cin, cout):
        w = self.const((self.rng.standard_normal((cin, cout)) / np.sqrt(cin)).astype(np.float32))
        return self.op("Add", [self.op("MatMul", [x, w]), self.const((self.rng.standard_normal(cout) * 0.02).astype(np.float32))])

    def model(self, name, inputs, outputs, opset, final):
        # final: graph-output name -> internal value name
        for out, val in final.items():
            self.nodes.append(helper.make_node("Identity", [val], [out], name=f"out_{out}"))
        g = helper.make_graph(self.nodes, name, inputs, outputs, initializer=self.inits)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="ort-lite helper_models.py")
        m.ir_version = 8
        onnx.checker.check_model(m)
        return m


def f32(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def i64(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.INT64, shape)


def image_model(name, body, shape=(1, 3, 64, 64), opset=13, batch_dim=None):
    b = Builder()
    ishape = [batch_dim or shape[0], *shape[1:]]
    y, c = body(b, "input")
    out = b.classifier(y, c)
    return b.model(name, [f32("input", ishape)], [f32("output", [batch_dim or shape[0], 1000])], opset, {"output": out})


def resnet(b, x, blocks=(1, 1, 1, 1), bottleneck=False):
    x = b.op("MaxPool", [b.cbr(x, 3, 16, 7, 2)], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    c = 16
    for stage, n in enumerate(blocks):
        cout = 16 * 2 ** stage
        for i in range(n):
            s = 2 if stage and i == 0 else 1
            if bottleneck:
                y = b.cbr(b.cbr(b.cbr(x, c, cout // 2, 1), cout // 2, cout // 2, 3, s), cout // 2, cout, 1, act=None)
            else:
                y = b.cbr(b.cbr(x, c, cout, 3, s), cout, cout, 3, act=None)
            sc = b.cbr(x, c, cout, 1, s, act=None) if (s != 1 or c != cout) else x
            x, c = b.op("Relu", [b.op("Add", [y, sc])]), cout
    return x, c


def inverted_residual(b, x, cin, cout, stride, expand, act, se):
    h = cin * expand
    y = b.cbr(x, cin, h, 1, act=act) if expand != 1 else x
    y = b.cbr(y, h, h, 3, stride, group=h, act=act)
    if se:
        y = b.se(y, h, 4, gate=se)
    y = b.cbr(y, h, cout, 1, act=None)
    return b.op("Add", [x, y]) if stride == 1 and cin == cout else y


def mobilenet(b, x, act, se, cfg):
    x, c = b.cbr(x, 3, 16, 3, 2, act=act), 16
    for cout, stride, expand in cfg:
        x, c = inverted_residual(b, x, c, cout, stride, expand, act, se), cout
    return b.cbr(x, c, 4 * c, 1, act=act), 4 * c


def shufflenet(b, x):
    x = b.op("MaxPool", [b.cbr(x, 3, 24, 3, 2)], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    c = 24
    for cout in (48, 96):
        # down-sampling unit: both branches strided, then concatenated
        l = b.cbr(b.cbr(x, c, c, 3, 2, group=c, act=None), c, cout // 2, 1)
        r = b.cbr(b.cbr(b.cbr(x, c, cout // 2, 1), cout // 2, cout // 2, 3, 2, group=cout // 2, act=None), cout // 2, cout // 2, 1)
        x, c = b.op("Concat", [l, r], axis=1), cout
        # basic unit: split channels, transform one half, concat, channel shuffle
        a, r = b.op("Split", [x, b.const(np.array([c // 2, c // 2], np.int64))], n_out=2, axis=1)
        r = b.cbr(b.cbr(b.cbr(r, c // 2, c // 2, 1), c // 2, c // 2, 3, group=c // 2, act=None), c // 2, c // 2, 1)
        y = b.op("Concat", [a, r], axis=1)
        shp = b.op("Shape", [y])
        hw = b.op("Slice", [shp, b.const(np.array([2], np.int64)), b.const(np.array([4], np.int64))])
        five = b.op("Concat", [b.const(np.array([-1, 2, c // 2], np.int64)), hw], axis=0)
        y = b.op("Transpose", [b.op("Reshape", [y, five])], perm=[0, 2, 1, 3, 4])
        x = b.op("Reshape", [y, b.op("Concat", [b.const(np.array([-1, c], np.int64)), hw], axis=0)])
    return x, c


def squeezenet(b, x):
    x = b.op("Relu", [b.conv(x, 3, 32, 7, 2)])
    pool = dict(kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)
    x, c = b.op("MaxPool", [x], **pool), 32
    for sq, ex in ((8, 32), (16, 64)):
        s = b.op("Relu", [b.conv(x, c, sq, 1)])
        x = b.op("Concat", [b.op("Relu", [b.conv(s, sq, ex, 1)]), b.op("Relu", [b.conv(s, sq, ex, 3)])], axis=1)
        x, c = b.op("MaxPool", [x], **pool), 2 * ex
    return b.op("Relu", [b.conv(x, c, 64, 1)]), 64


def unet():
    b = Builder()
    blk = lambda x, ci, co: b.op("Relu", [b.conv(b.cbr(x, ci, co, 3), co, co, 3)])  # noqa: E731
    pool = dict(kernel_shape=[2, 2], strides=[2, 2])
    e1 = blk("input", 3, 16)
    e2 = blk(b.op("MaxPool", [e1], **pool), 16, 32)
    m = blk(b.op("MaxPool", [e2], **pool), 32, 64)
    up = b.op("ConvTranspose", [m, b.weight((64, 32, 2, 2), 64 * 4 / 4), b.const(np.zeros(32, np.float32))],
              kernel_shape=[2, 2], strides=[2, 2])
    d2 = blk(b.op("Concat", [b.bn(up, 32), e2], axis=1), 64, 32)
    u1 = b.op("Resize", [b.conv(d2, 32, 16, 1), "", b.const(np.array([1, 1, 2, 2], np.float32))],
              mode="linear", coordinate_transformation_mode="half_pixel")
    d1 = blk(b.op("Concat", [u1, e1], axis=1), 32, 16)
    out = b.op("Sigmoid", [b.conv(d1, 16, 2, 1)])
    return b.model("unet", [f32("input", [1, 3, 64, 64])], [f32("output", [1, 2, 64, 64])], 13, {"output": out})


def srcnn_torch():
    b = Builder()
    up = b.op("Resize", ["input", "", b.const(np.array([1, 1, 2, 2], np.float32))], mode="cubic",
              coordinate_transformation_mode="half_pixel", cubic_coeff_a=-0.75)
    y = b.conv(b.op("Relu", [b.conv(b.op("Relu", [b.conv(up, 3, 32, 9)]), 32, 16, 1)]), 16, 3, 5)
    out = b.op("Add", [y, up])
    return b.model("srcnn_torch", [f32("input", [1, 3, 32, 32])], [f32("output", [1, 3, 64, 64])], 13, {"output": out})


def bert(vocab=1000, hidden=64, heads=4, layers=2, ffn=128, max_len=128):
    b = Builder()
    emb = lambda n: b.const((b.rng.standard_normal((n, hidden))).astype(np.float32))  # noqa: E731
    ln_w = lambda: (b.const(np.ones(hidden, np.float32)), b.const(np.zeros(hidden, np.float32)))  # noqa: E731
    ln = lambda x: b.op("LayerNormalization", [x, *ln_w()], axis=-1, epsilon=1e-12)  # noqa: E731
    seq = b.op("Gather", [b.op("Shape", ["input_ids"]), b.const(np.int64(1))], axis=0)
    pos = b.op("Unsqueeze", [b.op("Range", [b.const(np.int64(0)), seq, b.const(np.int64(1))]), b.const(np.array([0], np.int64))])
    x = b.op("Add", [b.op("Gather", [emb(vocab), "input_ids"]), b.op("Gather", [emb(max_len), pos])])
    x = ln(x)
    mask = b.op("Cast", [b.op("Unsqueeze", ["attention_mask", b.const(np.array([1, 2], np.int64))])], to=TensorProto.FLOAT)
    bias = b.op("Mul", [b.op("Sub", [b.const(np.float32(1)), mask]), b.const(np.float32(-10000))])
    dh = hidden // heads
    split_shape = b.const(np.array([1, -1, heads, dh], np.int64))
    for _ in range(layers):
        q, k, v = (b.op("Transpose", [b.op("Reshape", [b.linear(x, hidden, hidden), split_shape])], perm=p)
                   for p in ([0, 2, 1, 3], [0, 2, 3, 1], [0, 2, 1, 3]))
        s = b.op("Div", [b.op("MatMul", [q, k]), b.const(np.float32(np.sqrt(dh)))])
        att = b.op("Softmax", [b.op("Add", [s, bias])], axis=-1)
        ctx = b.op("Reshape", [b.op("Transpose", [b.op("MatMul", [att, v])], perm=[0, 2, 1, 3]),
                               b.const(np.array([1, -1, hidden], np.int64))])
        x = ln(b.op("Add", [x, b.linear(ctx, hidden, hidden)]))
        h = b.linear(x, hidden, ffn)
        erf = b.op("Erf", [b.op("Div", [h, b.const(np.float32(np.sqrt(2)))])])
        gelu = b.op("Mul", [b.op("Mul", [h, b.op("Add", [erf, b.const(np.float32(1))])]), b.const(np.float32(0.5))])
        x = ln(b.op("Add", [x, b.linear(gelu, ffn, hidden)]))
    first = b.op("Squeeze", [b.op("Slice", [x, b.const(np.array([0], np.int64)), b.const(np.array([1], np.int64)),
                                            b.const(np.array([1], np.int64))]), b.const(np.array([1], np.int64))])
    pooled = b.op("Tanh", [b.linear(first, hidden, hidden)])
    return b.model("bert", [i64("input_ids", [1, "S"]), i64("attention_mask", [1, "S"])],
                   [f32("last_hidden_state", [1, "S", hidden]), f32("pooled", [1, hidden])], 17,
                   {"last_hidden_state": x, "pooled": pooled})


MBV2 = [(16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (64, 2, 6)]
MBV3 = [(16, 2, 1), (24, 2, 4), (24, 1, 3), (40, 2, 4), (40, 1, 6)]
EFF = [(16, 1, 1), (24, 2, 6), (40, 2, 6), (40, 1, 6), (80, 2, 6)]

FALLBACKS = {
    "resnet18": lambda: image_model("resnet18", lambda b, x: resnet(b, x), batch_dim="N"),
    "resnet50": lambda: image_model("resnet50", lambda b, x: resnet(b, x, (2, 2, 2, 2), True), (1, 3, 224, 224)),
    "mobilenet_v2": lambda: image_model("mobilenet_v2", lambda b, x: mobilenet(b, x, "Relu6", None, MBV2)),
    "mobilenet_v3_small": lambda: image_model(
        "mobilenet_v3_small", lambda b, x: mobilenet(b, x, "HardSwish", "HardSigmoid", MBV3), opset=17),
    "shufflenet_v2_x0_5": lambda: image_model("shufflenet_v2_x0_5", shufflenet),
    "efficientnet_b0": lambda: image_model("efficientnet_b0", lambda b, x: mobilenet(b, x, "SiLU", "Sigmoid", EFF), opset=17),
    "squeezenet1_0": lambda: image_model("squeezenet1_0", squeezenet),
    "unet": unet,
    "srcnn_torch": srcnn_torch,
    "bert": bert,
}

# Built with onnx.helper whether torch is there or not.
HELPER_ONLY = {
    "srcnn_scales": lambda: build_srcnn(name="srcnn_scales"),
}
