"""Contract tests of the ort-lite command line (DESIGN.md, "Contracts other tools rely on"):
what `run`, `test` and `inspect` print and return, and that every bad input ends in an error
message and a non-zero exit, never a crash, a signal or a hang.

Models are built with onnx.helper; the broken ones skip onnx.checker on purpose.
"""
import os
import re

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLE = os.path.join(REPO, "examples", "srcnn.onnx")
EXAMPLE_IN = os.path.join(REPO, "examples", "srcnn_input.npy")
EXAMPLE_SCALES = os.path.join(REPO, "examples", "srcnn_scales.npy")
NUM = r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|nan|inf)"


# ---- helpers -------------------------------------------------------------------------------
def make_model(nodes, inputs, outputs, inits=(), opset=17, check=True):
    g = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    if check:
        onnx.checker.check_model(m)
    return m


def save(model, path):
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    return str(path)


def f32(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def i64(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.INT64, shape)


def relu_model(shape=(2, 3)):
    return make_model([helper.make_node("Relu", ["x"], ["y"], name="relu")], [f32("x", list(shape))], [f32("y", list(shape))])


def write_case(root, name, model, inputs, outputs):
    d = root / name
    ds = d / "test_data_set_0"
    ds.mkdir(parents=True)
    save(model, d / "model.onnx")
    for i, a in enumerate(inputs):
        (ds / f"input_{i}.pb").write_bytes(numpy_helper.from_array(a).SerializeToString())
    for i, a in enumerate(outputs):
        (ds / f"output_{i}.pb").write_bytes(numpy_helper.from_array(a).SerializeToString())
    return d


def show(r):
    return f"exit {r.returncode}\n--- stdout ---\n{r.stdout[-2000:]}\n--- stderr ---\n{r.stderr[-2000:]}"


def output_stats(stdout, name):
    """(dtype word, shape ints, min, max, mean) from the line `run` prints for output `name`;
    accepts `name: float [1,3] min 0 max 1 mean .5` and similar spellings."""
    for line in stdout.splitlines():
        if not re.match(rf"^\s*{re.escape(name)}\b", line):
            continue
        stats = {}
        for key in ("min", "max", "mean"):
            m = re.search(rf"\b{key}\b\s*[:=]?\s*({NUM})", line, re.I)
            if m:
                stats[key] = float(m.group(1))
        if len(stats) == 3:
            shape_m = re.search(r"[\[(]([\d,\sx]*)[\])]", line) or re.search(r"\b(\d+(?:x\d+)+)\b", line)
            shape = [int(v) for v in re.findall(r"\d+", shape_m.group(1))] if shape_m else None
            dtype = re.search(r"\b(float16|float32|float64|float|double|int64|int32|int8|uint8|bool|bfloat16)\b", line)
            return (dtype.group(1) if dtype else None), shape, stats["min"], stats["max"], stats["mean"]
    raise AssertionError(f"no line with name, shape and min/max/mean for output {name!r} in:\n{stdout}")


def assert_error(r, *mentions, unsupported_ok=False):
    """A clean failure: non-zero exit (not a signal), a message on stderr, naming one of
    `mentions` (regexes, case-insensitive). An "unsupported op" error does not count unless
    `unsupported_ok`: it would hide the check the test is about."""
    assert r.returncode >= 0, f"killed by signal {-r.returncode}\n" + show(r)
    assert r.returncode != 0, "expected a non-zero exit\n" + show(r)
    assert r.returncode < 128, "exit status looks like a crash\n" + show(r)
    text = r.stderr + r.stdout
    assert r.stderr.strip(), "expected an error message on stderr\n" + show(r)
    for bad in ("segmentation fault", "core dumped", "terminate called", "AddressSanitizer", "std::bad_alloc"):
        assert bad.lower() not in text.lower(), f"looks like a crash ({bad!r})\n" + show(r)
    if not unsupported_ok and re.search(r"unsupported op|not implemented", text, re.I):
        pytest.fail("this check needs an op ort-lite does not support yet, so it proves nothing:\n" + show(r))
    if mentions:
        assert any(re.search(m, text, re.I) for m in mentions), f"message should mention one of {mentions}\n" + show(r)


def lit(s):
    return re.escape(str(s))


# ---- run -----------------------------------------------------------------------------------
def test_run_prints_outputs(ortl):
    r = ortl("run", EXAMPLE, "--input", f"input={EXAMPLE_IN}", "--input", f"scales={EXAMPLE_SCALES}")
    assert r.returncode == 0, show(r)
    dtype, shape, lo, hi, mean = output_stats(r.stdout, "output")
    assert dtype in ("float", "float32"), r.stdout
    assert shape == [1, 3, 64, 64], r.stdout
    sess = ort.InferenceSession(EXAMPLE, providers=["CPUExecutionProvider"])
    ref = sess.run(None, {"input": np.load(EXAMPLE_IN), "scales": np.load(EXAMPLE_SCALES)})[0]
    np.testing.assert_allclose([lo, hi, mean], [ref.min(), ref.max(), ref.mean()], rtol=1e-3, atol=1e-3,
                               err_msg="printed min/max/mean disagree with onnxruntime\n" + r.stdout)
    assert re.search(rf"{NUM}\s*(ms|us|µs|s)\b", r.stdout), "no run time printed\n" + r.stdout


def test_run_output_dir(ortl, tmp_path):
    out = tmp_path / "out"
    r = ortl("run", EXAMPLE, "--input", f"input={EXAMPLE_IN}", "--input", f"scales={EXAMPLE_SCALES}",
             "--output-dir", out)
    assert r.returncode == 0, show(r)
    npy = np.load(out / "output.npy")
    pb = numpy_helper.to_array(onnx.load_tensor(str(out / "output_0.pb")))
    assert npy.shape == (1, 3, 64, 64) and npy.dtype == np.float32
    np.testing.assert_array_equal(npy, pb, err_msg="output.npy and output_0.pb disagree")


def test_run_pb_input_equals_npy(ortl, tmp_path):
    x = np.load(EXAMPLE_IN)
    xpb = tmp_path / "input.pb"
    xpb.write_bytes(numpy_helper.from_array(x, "input").SerializeToString())
    spb = tmp_path / "scales.pb"
    spb.write_bytes(numpy_helper.from_array(np.load(EXAMPLE_SCALES), "scales").SerializeToString())
    a = ortl("run", EXAMPLE, "--input", f"input={xpb}", "--input", f"scales={spb}", "--output-dir", tmp_path / "a")
    b = ortl("run", EXAMPLE, "--input", f"input={EXAMPLE_IN}", "--input", f"scales={EXAMPLE_SCALES}",
             "--output-dir", tmp_path / "b")
    assert a.returncode == 0, show(a)
    assert b.returncode == 0, show(b)
    np.testing.assert_array_equal(np.load(tmp_path / "a" / "output.npy"), np.load(tmp_path / "b" / "output.npy"))


def test_run_random_inputs_and_shape(ortl, tmp_path):
    # Inputs not given are random; dynamic dims come from --shape.
    r = ortl("run", EXAMPLE, "--input", f"scales={EXAMPLE_SCALES}", "--shape", "input=1,3,16,20", "--threads", "1")
    assert r.returncode == 0, show(r)
    assert output_stats(r.stdout, "output")[1] == [1, 3, 32, 40], r.stdout
    # A model with static shapes runs with no input given at all, twice the same (seeded).
    m = save(relu_model((2, 3)), tmp_path / "relu.onnx")
    r1, r2 = ortl("run", m), ortl("run", m)
    assert r1.returncode == 0, show(r1)
    assert output_stats(r1.stdout, "y")[1] == [2, 3], r1.stdout
    assert output_stats(r1.stdout, "y")[2:] == output_stats(r2.stdout, "y")[2:], "random inputs are not seeded"


def test_run_multiple_outputs_and_int_dtype(ortl, tmp_path):
    m = make_model([helper.make_node("Shape", ["x"], ["s"], name="shape"),
                    helper.make_node("Neg", ["x"], ["n"], name="neg")],
                   [f32("x", [2, 5])], [i64("s", [2]), f32("n", [2, 5])])
    r = ortl("run", save(m, tmp_path / "m.onnx"), "--output-dir", tmp_path / "o")
    assert r.returncode == 0, show(r)
    assert output_stats(r.stdout, "s")[0] == "int64", r.stdout
    np.testing.assert_array_equal(np.load(tmp_path / "o" / "s.npy"), [2, 5])
    assert (tmp_path / "o" / "output_0.pb").exists() and (tmp_path / "o" / "output_1.pb").exists()


# ---- test ----------------------------------------------------------------------------------
@pytest.fixture
def cases(tmp_path):
    root = tmp_path / "cases"
    x = np.array([[-1.0, 2.0, -3.0], [4.0, -5.0, 6.0]], np.float32)
    write_case(root, "case_pass", relu_model(), [x], [np.maximum(x, 0)])
    write_case(root, "case_fail", relu_model(), [x], [np.maximum(x, 0) + 1])
    custom = make_model([helper.make_node("FancyOp", ["x"], ["y"], name="fancy", domain="com.example")],
                        [f32("x", [2, 3])], [f32("y", [2, 3])], check=False)
    custom.opset_import.append(helper.make_opsetid("com.example", 1))
    write_case(root, "case_skip", custom, [x], [x])
    write_case(root, "nested/case_close", relu_model(), [x], [np.maximum(x, 0) * (1 + 1e-5)])
    return root


def parse_test(stdout):
    lines = [ln for ln in stdout.splitlines() if ln.strip()]
    res = {}
    for ln in lines:
        m = re.match(r"^(PASS|FAIL|SKIP) (\S+?)(?::\s*(.*))?$", ln)
        if m:
            res[m.group(2).rstrip("/").split("/")[-1]] = (m.group(1), m.group(3) or "")
    return res, lines[-1] if lines else ""


def test_test_lines_summary_and_status(ortl, cases):
    r = ortl("test", cases)
    res, last = parse_test(r.stdout)
    assert res.get("case_pass", ("?",))[0] == "PASS", show(r)
    assert res.get("case_fail", ("?",))[0] == "FAIL" and res["case_fail"][1], show(r)
    assert res.get("case_skip", ("?",))[0] == "SKIP", show(r)
    assert "FancyOp" in res["case_skip"][1], "SKIP reason should name the unsupported op\n" + show(r)
    assert res.get("case_close", ("?",))[0] == "PASS", "1e-5 relative error is within the default rtol 1e-3\n" + show(r)
    assert last == "2 passed, 1 failed, 1 skipped", show(r)
    assert r.returncode == 1, show(r)


def test_test_all_pass_exit_zero_and_filter(ortl, cases):
    r = ortl("test", "--filter", "case_pass|case_close", cases)
    assert parse_test(r.stdout)[1] == "2 passed, 0 failed, 0 skipped", show(r)
    assert r.returncode == 0, show(r)
    r = ortl("test", cases / "case_pass")  # a PATH may be one case
    assert parse_test(r.stdout)[1] == "1 passed, 0 failed, 0 skipped", show(r)


def test_test_tolerances(ortl, cases):
    r = ortl("test", "--rtol", "1e-7", "--atol", "0", cases / "nested" / "case_close")
    assert parse_test(r.stdout)[1] == "0 passed, 1 failed, 0 skipped", show(r)
    r = ortl("test", "--rtol", "2", cases / "case_fail")
    assert parse_test(r.stdout)[1] == "1 passed, 0 failed, 0 skipped", show(r)


def test_test_survives_broken_case(ortl, cases):
    (cases / "case_broken").mkdir()
    (cases / "case_broken" / "model.onnx").write_bytes(b"\x08\x07\x12\xff\xff\xff\x0f garbage")
    r = ortl("test", cases)
    res, last = parse_test(r.stdout)
    assert res.get("case_broken", ("?",))[0] == "FAIL", show(r)
    assert last == "2 passed, 2 failed, 1 skipped", show(r)
    assert r.returncode == 1, show(r)


# ---- inspect -------------------------------------------------------------------------------
def test_inspect(ortl):
    r = ortl("inspect", EXAMPLE)
    assert r.returncode == 0, show(r)
    for word in ("input", "scales", "output", "Resize", "Conv"):
        assert word in r.stdout, f"inspect should mention {word}\n" + show(r)


# ---- bad inputs: an error, never a crash ---------------------------------------------------
def test_usage_errors(ortl, tmp_path):
    assert_error(ortl("no-such-subcommand"))
    assert_error(ortl("run"))
    assert_error(ortl("run", tmp_path / "missing.onnx"), lit("missing.onnx"))
    assert_error(ortl("test", tmp_path / "nothing-here"), lit("nothing-here"))


@pytest.mark.parametrize("how", ["truncated", "corrupted", "garbage", "empty"])
def test_bad_model_file(ortl, tmp_path, how):
    data = open(EXAMPLE, "rb").read()
    rng = np.random.default_rng(7)
    if how == "truncated":
        data = data[: len(data) // 2]
    elif how == "corrupted":
        head = bytearray(data)
        head[:256] = bytes(rng.integers(0, 256, 256, dtype=np.uint8))
        data = bytes(head)
    elif how == "garbage":
        data = bytes(rng.integers(0, 256, 4096, dtype=np.uint8))
    else:
        data = b""
    path = tmp_path / f"{how}.onnx"
    path.write_bytes(data)
    # (An empty file parses as an empty ModelProto: no graph, no opset, still not a model.)
    r = ortl("run", path, "--input", f"input={EXAMPLE_IN}", "--input", f"scales={EXAMPLE_SCALES}")
    assert_error(r, lit(f"{how}.onnx"))
    assert_error(ortl("inspect", path), lit(f"{how}.onnx"))


def test_initializer_data_too_short(ortl, tmp_path):
    w = numpy_helper.from_array(np.ones((4, 4), np.float32), "short_weight")
    w.raw_data = w.raw_data[:20]  # 5 floats for a 4x4 tensor
    m = make_model([helper.make_node("MatMul", ["x", "short_weight"], ["y"], name="mm")], [f32("x", [1, 4])],
                   [f32("y", [1, 4])], [w], check=False)
    assert_error(ortl("run", save(m, tmp_path / "short.onnx")), "short_weight", lit("short.onnx"))


def test_absurd_initializer_dims(ortl, tmp_path):
    w = TensorProto(name="big_weight", data_type=TensorProto.FLOAT, dims=[1 << 40, 1 << 40], raw_data=b"\0" * 16)
    m = make_model([helper.make_node("Add", ["x", "big_weight"], ["y"], name="add")], [f32("x", [1, 1])],
                   [f32("y", None)], [w], check=False)
    assert_error(ortl("run", save(m, tmp_path / "absurd_init.onnx")), "big_weight", lit("absurd_init.onnx"))


def test_unknown_op(ortl, tmp_path):
    m = make_model([helper.make_node("NoSuchOp", ["x"], ["y"], name="mystery")], [f32("x", [2])], [f32("y", [2])],
                   check=False)
    assert_error(ortl("run", save(m, tmp_path / "unknown.onnx")), "NoSuchOp", unsupported_ok=True)


def test_dangling_node_input(ortl, tmp_path):
    m = make_model([helper.make_node("Add", ["x", "nowhere"], ["y"], name="add")], [f32("x", [2])], [f32("y", [2])],
                   check=False)
    assert_error(ortl("run", save(m, tmp_path / "dangling.onnx")), "nowhere")


def test_cyclic_graph(ortl, tmp_path):
    m = make_model([helper.make_node("Add", ["x", "b"], ["a"], name="add_a"),
                    helper.make_node("Relu", ["a"], ["b"], name="relu_b")],
                   [f32("x", [2])], [f32("b", [2])], check=False)
    assert_error(ortl("run", save(m, tmp_path / "cycle.onnx")), "cycl", "topolog", "add_a", "relu_b")


@pytest.fixture
def example_inputs(tmp_path):
    def write(name, arr):
        p = tmp_path / f"{name}.npy"
        np.save(p, arr)
        return p
    return write


@pytest.fixture
def relu4d(tmp_path):
    """Relu over x [N, 3, 8, 8]: input checks without depending on heavier ops."""
    m = make_model([helper.make_node("Relu", ["x"], ["y"], name="relu")], [f32("x", ["N", 3, 8, 8])],
                   [f32("y", ["N", 3, 8, 8])])
    return save(m, tmp_path / "relu4d.onnx")


def test_input_file_missing(ortl, tmp_path, relu4d):
    assert_error(ortl("run", relu4d, "--input", f"x={tmp_path / 'nope.npy'}"), lit("nope.npy"))


def test_input_file_corrupt(ortl, tmp_path, relu4d):
    bad = tmp_path / "bad.npy"
    # a valid header announcing 1x3x8x8 floats, and 40 bytes of data
    bad.write_bytes(b"\x93NUMPY\x01\x00\x76\x00{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 8, 8), }"
                    + b" " * 40)
    assert_error(ortl("run", relu4d, "--input", f"x={bad}"), lit("bad.npy"))
    junk = tmp_path / "junk.pb"
    junk.write_bytes(b"\x08\x01\x12\xff\xff\xff\xff\x0f")
    assert_error(ortl("run", relu4d, "--input", f"x={junk}"), lit("junk.pb"))


def test_wrong_input_name(ortl, relu4d, example_inputs):
    p = example_inputs("x", np.zeros((1, 3, 8, 8), np.float32))
    assert_error(ortl("run", relu4d, "--input", f"nosuchinput={p}"), "nosuchinput")


def test_malformed_input_option(ortl, relu4d):
    assert_error(ortl("run", relu4d, "--input", "no-equals-sign"))
    assert_error(ortl("run", relu4d, "--shape", "x=1,x,3"))


@pytest.mark.parametrize("what,arr", [
    ("dtype", np.zeros((1, 3, 8, 8), np.int64)),
    ("rank", np.zeros((3, 8, 8), np.float32)),
    ("shape", np.zeros((1, 4, 8, 8), np.float32)),
    ("shape2", np.zeros((1, 3, 8, 9), np.float32)),
])
def test_wrong_input_type(ortl, relu4d, example_inputs, what, arr):
    p = example_inputs(f"wrong_{what}", arr)
    r = ortl("run", relu4d, "--input", f"x={p}")
    assert_error(r, r"\bx\b")


def test_wrong_scales_length(ortl, example_inputs):
    p = example_inputs("scales3", np.array([1, 2, 2], np.float32))
    assert_error(ortl("run", EXAMPLE, "--input", f"input={EXAMPLE_IN}", "--input", f"scales={p}"),
                 "scales", "Resize", "upscale")


@pytest.mark.parametrize("idx", [[0, 7], [-6, 1], [1 << 40, 0]])
def test_gather_index_out_of_range(ortl, tmp_path, example_inputs, idx):
    data = numpy_helper.from_array(np.arange(20, dtype=np.float32).reshape(5, 4), "data")
    m = make_model([helper.make_node("Gather", ["data", "idx"], ["y"], name="gather_node", axis=0)],
                   [i64("idx", [2])], [f32("y", [2, 4])], [data])
    p = example_inputs("idx", np.array(idx, np.int64))
    assert_error(ortl("run", save(m, tmp_path / "gather.onnx"), "--input", f"idx={p}"), "gather")


def test_impossible_reshape(ortl, tmp_path):
    shape = numpy_helper.from_array(np.array([4, 2], np.int64), "shape")
    m = make_model([helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape_node")],
                   [f32("x", [2, 3])], [f32("y", [4, 2])], [shape], check=False)
    assert_error(ortl("run", save(m, tmp_path / "reshape.onnx")), "reshape")
    shape2 = numpy_helper.from_array(np.array([-1, -1], np.int64), "shape")
    m2 = make_model([helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape_node")],
                    [f32("x", [2, 3])], [f32("y", None)], [shape2], check=False)
    assert_error(ortl("run", save(m2, tmp_path / "reshape2.onnx")), "reshape")


def test_absurd_input_dims(ortl, tmp_path):
    m = save(relu_model((1 << 31, 1 << 31)), tmp_path / "huge.onnx")
    assert_error(ortl("run", m))
    dyn = make_model([helper.make_node("Relu", ["x"], ["y"], name="relu")], [f32("x", ["N", "M"])], [f32("y", ["N", "M"])])
    p = save(dyn, tmp_path / "dyn.onnx")
    assert_error(ortl("run", p, "--shape", "x=4000000000,4000000000"))
    assert_error(ortl("run", p, "--shape", "x=-5,3"))


def test_absurd_runtime_allocation(ortl, tmp_path):
    # ConstantOfShape asked for ~1e19 elements at run time: reported, not attempted.
    shape = numpy_helper.from_array(np.array([1 << 32, 1 << 31, 4], np.int64), "shape")
    m = make_model([helper.make_node("ConstantOfShape", ["shape"], ["y"], name="cos")], [], [f32("y", None)], [shape],
                   check=False)
    assert_error(ortl("run", save(m, tmp_path / "cos.onnx")))
