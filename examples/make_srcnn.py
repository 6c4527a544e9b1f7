"""Builds the bundled example: an SRCNN-like super-resolution net (random, seeded weights).

    input  [N, 3, H, W] float   the low-resolution image
    scales [4] float            Resize scales, given at run time, e.g. [1, 1, 2, 2]
    output [N, 3, H*s, W*s]     Resize(cubic, pytorch_half_pixel) -> Conv9x9 -> Relu
                                -> Conv1x1 -> Relu -> Conv5x5, plus the upscaled image

The scales are a graph input rather than an initializer, so a runtime cannot fold the Resize
into a fixed shape at load time: shapes downstream are known only when the run starts.

usage: python3 examples/make_srcnn.py [OUT_DIR]   (default: examples/)
writes srcnn.onnx, srcnn_input.npy (1x3x32x32) and srcnn_scales.npy ([1, 1, 2, 2]).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def build_srcnn(opset=17, channels=3, f1=48, f2=24, seed=0, name="srcnn"):
    rng = np.random.default_rng(seed)

    def conv_weights(cout, cin, k):
        # He-normal so activations stay O(1) through the stack with random weights.
        w = (rng.standard_normal((cout, cin, k, k)) * np.sqrt(2.0 / (cin * k * k))).astype(np.float32)
        b = (rng.standard_normal(cout) * 0.05).astype(np.float32)
        return w, b

    inits = []
    nodes = [
        helper.make_node("Resize", ["input", "", "scales"], ["up"], name="upscale",
                         mode="cubic", coordinate_transformation_mode="pytorch_half_pixel",
                         cubic_coeff_a=-0.75, exclude_outside=0),
    ]
    prev = "up"
    layers = [(f1, channels, 9, True), (f2, f1, 1, True), (channels, f2, 5, False)]
    for i, (cout, cin, k, relu) in enumerate(layers, 1):
        w, b = conv_weights(cout, cin, k)
        inits += [numpy_helper.from_array(w, f"conv{i}.weight"),
                  numpy_helper.from_array(b, f"conv{i}.bias")]
        out = f"conv{i}"
        p = k // 2
        nodes.append(helper.make_node("Conv", [prev, f"conv{i}.weight", f"conv{i}.bias"], [out],
                                      name=f"conv{i}", kernel_shape=[k, k], pads=[p, p, p, p]))
        if relu:
            nodes.append(helper.make_node("Relu", [out], [out + "_relu"], name=f"relu{i}"))
            out += "_relu"
        prev = out
    nodes.append(helper.make_node("Add", [prev, "up"], ["output"], name="residual"))

    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", channels, "H", "W"]),
         helper.make_tensor_value_info("scales", TensorProto.FLOAT, [4])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["N", channels, "OH", "OW"])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="ort-lite examples/make_srcnn.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out, exist_ok=True)
    model = build_srcnn()
    onnx.save(model, os.path.join(out, "srcnn.onnx"))
    rng = np.random.default_rng(1)
    np.save(os.path.join(out, "srcnn_input.npy"), rng.random((1, 3, 32, 32), dtype=np.float32))
    np.save(os.path.join(out, "srcnn_scales.npy"), np.array([1, 1, 2, 2], dtype=np.float32))
    print(f"wrote srcnn.onnx ({os.path.getsize(os.path.join(out, 'srcnn.onnx'))} bytes), "
          f"srcnn_input.npy, srcnn_scales.npy to {out}")


if __name__ == "__main__":
    main()
