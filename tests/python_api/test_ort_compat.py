"""ort_lite's Python API against onnxruntime's: the same script, with only the module swapped,
gives the same metadata and (within tolerance) the same outputs on small models built here with
onnx.helper; plus the API's edges: options, providers, errors, zero-copy, threads."""
import os
import re
import threading
import warnings

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

import ort_lite

ort = pytest.importorskip("onnxruntime")

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RNG = np.random.default_rng(0)


# ---- models -----------------------------------------------------------------------------
def _model(nodes, inputs, outputs, inits=(), opset=17):
    g = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def _w(name, *shape, scale=0.2):
    return numpy_helper.from_array((RNG.standard_normal(shape) * scale).astype(np.float32), name)


def cnn():
    """Conv + Relu + MaxPool + Flatten + Gemm + Softmax: a small image classifier, batch 'N'."""
    nodes = [
        helper.make_node("Conv", ["x", "c1.w", "c1.b"], ["c1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "c2.w", "c2.b"], ["c2"], kernel_shape=[3, 3], strides=[2, 2]),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("Flatten", ["r2"], ["f"], axis=1),
        helper.make_node("Gemm", ["f", "fc.w", "fc.b"], ["logits"], transB=1),
        helper.make_node("Softmax", ["logits"], ["probs"], axis=-1),
    ]
    inits = [_w("c1.w", 8, 3, 3, 3), _w("c1.b", 8), _w("c2.w", 16, 8, 3, 3), _w("c2.b", 16),
             _w("fc.w", 10, 16 * 3 * 3), _w("fc.b", 10)]
    m = _model(nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 16, 16])],
               [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10]),
                helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["N", 10])], inits)
    return m, {"x": RNG.standard_normal((2, 3, 16, 16)).astype(np.float32)}


def attention():
    """MatMul + scale + Softmax + MatMul: one attention head over 'batch' x 'seq' tokens."""
    nodes = [
        helper.make_node("MatMul", ["q", "kt"], ["s"]),
        helper.make_node("Mul", ["s", "scale"], ["ss"]),
        helper.make_node("Softmax", ["ss"], ["a"], axis=-1),
        helper.make_node("MatMul", ["a", "v"], ["out"]),
    ]
    scale = numpy_helper.from_array(np.array(0.125, np.float32), "scale")
    f = TensorProto.FLOAT
    m = _model(nodes, [helper.make_tensor_value_info("q", f, ["batch", "seq", 64]),
                       helper.make_tensor_value_info("kt", f, ["batch", 64, "seq"]),
                       helper.make_tensor_value_info("v", f, ["batch", "seq", 64])],
               [helper.make_tensor_value_info("out", f, ["batch", "seq", 64])], [scale])
    q, k, v = (RNG.standard_normal((2, 7, 64)).astype(np.float32) for _ in range(3))
    return m, {"q": q, "kt": np.ascontiguousarray(k.transpose(0, 2, 1)), "v": v}


def embedding_mlp():
    """Gather (int64 ids) + ReduceMean + Gemm + Tanh, two outputs: mixed dtypes, no symbols."""
    nodes = [
        helper.make_node("Gather", ["table", "ids"], ["e"]),
        helper.make_node("ReduceMean", ["e", "axes"], ["pooled"], keepdims=0),
        helper.make_node("Gemm", ["pooled", "w", "b"], ["h"]),
        helper.make_node("Tanh", ["h"], ["y"]),
    ]
    inits = [_w("table", 50, 16), numpy_helper.from_array(np.array([1], np.int64), "axes"), _w("w", 16, 4),
             _w("b", 4)]
    m = _model(nodes, [helper.make_tensor_value_info("ids", TensorProto.INT64, [3, 5])],
               [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, 4]),
                helper.make_tensor_value_info("pooled", TensorProto.FLOAT, [3, 16])], inits, opset=18)
    return m, {"ids": RNG.integers(0, 50, (3, 5)).astype(np.int64)}


def layernorm_gelu():
    """LayerNormalization + MatMul + Add + Erf-GELU + residual, dims 'B' and a dim with no name."""
    f = TensorProto.FLOAT
    nodes = [
        helper.make_node("LayerNormalization", ["x", "g", "beta"], ["n"], axis=-1, epsilon=1e-5),
        helper.make_node("MatMul", ["n", "w"], ["m"]),
        helper.make_node("Add", ["m", "bias"], ["h"]),
        helper.make_node("Div", ["h", "sqrt2"], ["hd"]),
        helper.make_node("Erf", ["hd"], ["erf"]),
        helper.make_node("Add", ["erf", "one"], ["e1"]),
        helper.make_node("Mul", ["h", "e1"], ["he"]),
        helper.make_node("Mul", ["he", "half"], ["gelu"]),
        helper.make_node("Add", ["gelu", "x"], ["y"]),
    ]
    c = lambda name, v: numpy_helper.from_array(np.array(v, np.float32), name)  # noqa: E731
    inits = [_w("g", 32, scale=1.0), _w("beta", 32), _w("w", 32, 32), _w("bias", 32), c("sqrt2", np.sqrt(2.0)),
             c("one", 1.0), c("half", 0.5)]
    m = _model(nodes, [helper.make_tensor_value_info("x", f, ["B", None, 32])],
               [helper.make_tensor_value_info("y", f, ["B", None, 32])], inits)
    return m, {"x": RNG.standard_normal((2, 5, 32)).astype(np.float32)}


MODELS = {"cnn": cnn, "attention": attention, "embedding_mlp": embedding_mlp, "layernorm_gelu": layernorm_gelu}


@pytest.fixture(scope="module", params=sorted(MODELS))
def case(request, tmp_path_factory):
    model, feed = MODELS[request.param]()
    path = tmp_path_factory.mktemp(request.param) / "model.onnx"
    onnx.save(model, str(path))
    return str(path), model, feed


# ---- the same script, two modules ------------------------------------------------------------
def typical_script(rt, model_path, feed):
    """What a user's script does with onnxruntime; run once per module."""
    opts = rt.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.graph_optimization_level = rt.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = rt.InferenceSession(model_path, sess_options=opts, providers=["CPUExecutionProvider"])
    inputs = [(i.name, i.type, i.shape) for i in sess.get_inputs()]
    outputs = [(o.name, o.type, o.shape) for o in sess.get_outputs()]
    results = sess.run(None, {i.name: feed[i.name] for i in sess.get_inputs()})
    first = sess.run([sess.get_outputs()[0].name], feed)[0]
    return inputs, outputs, results, first


def test_swapping_the_import_gives_the_same_results(case):
    path, _, feed = case
    want = typical_script(ort, path, feed)
    got = typical_script(ort_lite, path, feed)
    assert got[0] == want[0]  # names, 'tensor(float)' types, shapes with symbols
    assert got[1] == want[1]
    assert isinstance(got[2], list) and len(got[2]) == len(want[2])
    for g, w in zip(got[2], want[2]):
        assert isinstance(g, np.ndarray) and g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(got[3], got[2][0])


def test_model_from_bytes_and_disabled_optimizations(case):
    path, model, feed = case
    want = ort.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, feed)
    opts = ort_lite.SessionOptions()
    opts.graph_optimization_level = ort_lite.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort_lite.InferenceSession(model.SerializeToString(), opts)
    for g, w in zip(sess.run(None, feed), want):
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)


def test_output_names_select_and_order():
    model, feed = embedding_mlp()
    sess = ort_lite.InferenceSession(model.SerializeToString())
    y, pooled = sess.run(None, feed)
    p2, y2 = sess.run(["pooled", "y"], feed)
    np.testing.assert_array_equal(p2, pooled)
    np.testing.assert_array_equal(y2, y)
    assert len(sess.run([], feed)) == 2


def test_node_arg_shapes_like_onnxruntime():
    model, _ = layernorm_gelu()
    x = ort_lite.InferenceSession(model.SerializeToString()).get_inputs()[0]
    assert (x.name, x.type, x.shape) == ("x", "tensor(float)", ["B", None, 32])
    assert "NodeArg(name='x'" in repr(x)
    model, _ = embedding_mlp()
    ids = ort_lite.InferenceSession(model.SerializeToString()).get_inputs()[0]
    assert (ids.type, ids.shape) == ("tensor(int64)", [3, 5])


def test_providers_and_module_functions():
    model, feed = attention()
    assert ort_lite.get_available_providers() == ["CPUExecutionProvider"]
    assert ort_lite.get_device() == "CPU"
    sess = ort_lite.InferenceSession(model.SerializeToString(), providers=[("CPUExecutionProvider", {})])
    assert sess.get_providers() == ["CPUExecutionProvider"]
    with pytest.warns(UserWarning, match="CUDAExecutionProvider"):
        sess = ort_lite.InferenceSession(model.SerializeToString(),
                                         providers=["CUDAExecutionProvider", "CPUExecutionProvider"])
    assert sess.get_providers() == ["CPUExecutionProvider"]
    assert len(sess.run(None, feed)) == 1


def test_version_is_the_cmake_project_version():
    with open(os.path.join(REPO, "CMakeLists.txt")) as f:
        want = re.search(r"project\(ort_lite VERSION ([0-9.]+)", f.read()).group(1)
    assert ort_lite.__version__ == want == ort_lite.get_version_string()


# ---- errors -----------------------------------------------------------------------------------
def test_errors_raise_with_the_runtime_message(tmp_path):
    model, feed = cnn()
    sess = ort_lite.InferenceSession(model.SerializeToString())
    with pytest.raises(ort_lite.InvalidArgument, match="unknown input 'y'"):
        sess.run(None, {"y": feed["x"]})
    with pytest.raises(ValueError, match="missing input 'x'"):  # onnxruntime raises ValueError too
        sess.run(None, {})
    with pytest.raises(ort_lite.InvalidArgument, match="must be float, got double"):
        sess.run(None, {"x": feed["x"].astype(np.float64)})
    with pytest.raises(ort_lite.InvalidArgument, match="shape"):
        sess.run(None, {"x": np.zeros((1, 3, 8, 8), np.float32)})
    with pytest.raises(ort_lite.InvalidArgument, match="not an output"):
        sess.run(["nope"], feed)
    assert len(sess.run(None, feed)) == 2  # still usable
    with pytest.raises(ort_lite.NoSuchFile):
        ort_lite.InferenceSession(str(tmp_path / "missing.onnx"))
    with pytest.raises(ort_lite.InvalidGraph):
        ort_lite.InferenceSession(b"\x08\x07\x12\xff\xff\xff\xff\x0f not a model")
    bad = _model([helper.make_node("Relu", ["x"], ["y"])], [helper.make_tensor_value_info("x", 1, [2])],
                 [helper.make_tensor_value_info("y", 1, [2])])
    bad.graph.node[0].op_type = "NoSuchOp"
    with pytest.raises(ort_lite.NotImplemented, match="NoSuchOp"):
        ort_lite.InferenceSession(bad.SerializeToString())
    with pytest.raises(TypeError):
        ort_lite.InferenceSession(42)
    assert issubclass(ort_lite.InvalidArgument, ort_lite.OrtLiteError)


# ---- memory: zero-copy inputs and outputs, odd layouts ------------------------------------------
def test_inputs_are_read_not_written_and_any_layout_works():
    model, feed = attention()
    sess = ort_lite.InferenceSession(model.SerializeToString())
    want = sess.run(None, feed)[0]
    frozen = {k: v.copy() for k, v in feed.items()}
    for v in frozen.values():
        v.flags.writeable = False  # read-only arrays are fine: inputs are never written
    np.testing.assert_array_equal(sess.run(None, frozen)[0], want)
    # A transposed view (not C-contiguous) is copied into a contiguous one first.
    kt = np.ascontiguousarray(feed["kt"].transpose(0, 2, 1)).transpose(0, 2, 1)
    assert not kt.flags.c_contiguous
    np.testing.assert_array_equal(sess.run(None, {**feed, "kt": kt})[0], want)
    # Plain lists are converted as numpy converts them (float64: rejected like onnxruntime does).
    with pytest.raises(ort_lite.InvalidArgument):
        sess.run(None, {**feed, "q": feed["q"].tolist()})


def test_outputs_outlive_the_session_and_are_writable():
    model, feed = cnn()
    sess = ort_lite.InferenceSession(model.SerializeToString())
    logits, probs = sess.run(None, feed)
    del sess
    import gc

    gc.collect()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    probs[0, 0] = 7.0
    assert probs[0, 0] == 7.0 and logits.flags.writeable


def test_concurrent_runs_from_python_threads():
    model, feed = cnn()
    sess = ort_lite.InferenceSession(model.SerializeToString())
    inputs = [RNG.standard_normal((1 + i % 3, 3, 16, 16)).astype(np.float32) for i in range(6)]
    want = [sess.run(None, {"x": x})[1] for x in inputs]
    errors = []

    def worker(t):
        try:
            for it in range(20):
                k = (t + it) % len(inputs)
                np.testing.assert_array_equal(sess.run(None, {"x": inputs[k]})[1], want[k])
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]


def test_other_dtypes_round_trip():
    f = TensorProto
    cases = [(f.DOUBLE, np.float64), (f.INT32, np.int32), (f.INT64, np.int64), (f.BOOL, np.bool_),
             (f.UINT8, np.uint8), (f.FLOAT16, np.float16)]
    for onnx_type, np_type in cases:
        m = _model([helper.make_node("Identity", ["x"], ["y"])], [helper.make_tensor_value_info("x", onnx_type, [2, 3])],
                   [helper.make_tensor_value_info("y", onnx_type, [2, 3])])
        x = (np.arange(6).reshape(2, 3) % 2).astype(np_type)
        (y,) = ort_lite.InferenceSession(m.SerializeToString()).run(None, {"x": x})
        assert y.dtype == np_type and not np.shares_memory(x, y)
        np.testing.assert_array_equal(y, x)


def test_session_options_fields_are_accepted():
    model, feed = attention()
    so = ort_lite.SessionOptions()
    so.intra_op_num_threads = 2
    so.inter_op_num_threads = 1
    so.execution_mode = ort_lite.ExecutionMode.ORT_SEQUENTIAL
    so.log_severity_level = 3
    so.enable_mem_pattern = False
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    sess = ort_lite.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    assert sess.get_session_options() is so
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sess.run(None, feed, ort_lite.RunOptions())[0].shape == (2, 7, 64)
