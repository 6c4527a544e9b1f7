"""Writes the onnx package's backend node test cases (model.onnx + test_data_set_*/*.pb) into a
folder, in the layout of onnx/backend/test/data/node. Wheels no longer ship that folder, so the
cases are generated from onnx.backend.test.case.node, the same code that produces it upstream.

usage: python3 gen_node_tests.py OUT_DIR
"""
import os
import sys
import warnings

import numpy as np
import onnx
from onnx import numpy_helper
from onnx.backend.test.case import node


def write_value(path, value, vinfo):
    t = vinfo.type
    if t.HasField("sequence_type"):
        proto = numpy_helper.from_list(value, vinfo.name)
    elif t.HasField("optional_type"):
        proto = numpy_helper.from_optional(value, vinfo.name)
    elif t.HasField("map_type"):
        proto = numpy_helper.from_dict(value, vinfo.name)
    elif isinstance(value, onnx.TensorProto):
        proto = value
    else:
        proto = numpy_helper.from_array(np.asarray(value), vinfo.name)
    with open(path, "wb") as f:
        f.write(proto.SerializeToString())


def main():
    out = sys.argv[1]
    warnings.simplefilter("ignore")
    np.seterr(all="ignore")
    cases = node.collect_testcases(None)
    for case in cases:
        d = os.path.join(out, case.name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "model.onnx"), "wb") as f:
            f.write(case.model.SerializeToString())
        for i, (inputs, outputs) in enumerate(case.data_sets):
            ds = os.path.join(d, f"test_data_set_{i}")
            os.makedirs(ds, exist_ok=True)
            for j, v in enumerate(inputs):
                write_value(os.path.join(ds, f"input_{j}.pb"), v, case.model.graph.input[j])
            for j, v in enumerate(outputs):
                write_value(os.path.join(ds, f"output_{j}.pb"), v, case.model.graph.output[j])
    print(f"{len(cases)} node test cases (onnx {onnx.__version__}) written to {out}")


if __name__ == "__main__":
    main()
