"""Runs the bundled SRCNN example with ort_lite's Python API, the way an onnxruntime script does.

    python3 examples/python/example.py [MODEL INPUT.npy SCALES.npy]

Swap the import below for `import onnxruntime as ort` and the script runs unchanged.
Run by the tests (tests/embed.cmake), so it cannot rot.
"""
import os
import sys

import numpy as np

import ort_lite as ort  # was: import onnxruntime as ort

here = os.path.dirname(os.path.abspath(__file__))
model, image, scales = sys.argv[1:4] if len(sys.argv) > 3 else (
    os.path.join(here, "..", "srcnn.onnx"), os.path.join(here, "..", "srcnn_input.npy"),
    os.path.join(here, "..", "srcnn_scales.npy"))

opts = ort.SessionOptions()
opts.intra_op_num_threads = 2
sess = ort.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])
for i in sess.get_inputs():
    print("input ", i.name, i.type, i.shape)  # input  input tensor(float) ['N', 3, 'H', 'W']
for o in sess.get_outputs():
    print("output", o.name, o.type, o.shape)

feed = {"input": np.load(image), "scales": np.load(scales)}
(out,) = sess.run(None, feed)  # None: every output, in the model's order
print(f"{sess.get_outputs()[0].name}: {out.dtype} {out.shape}, mean {out.mean():.4f}")

try:
    sess.run(None, {"input": feed["input"].astype(np.float64), "scales": feed["scales"]})
except ort.InvalidArgument as e:  # errors carry the runtime's message
    print("error:", e)
