// ort_lite._ort_lite: the thin native layer under python/ort_lite/__init__.py, which shapes it
// into onnxruntime's API. Only the public C++ API is used here.
//
// Inputs: a C-contiguous, aligned numpy array of a matching dtype is viewed, not copied (the
// Python layer makes every input so first). The runtime never writes to inputs nor returns them
// as outputs, and the arrays outlive the call, so a view without an owner is safe.
// Outputs: each numpy array holds a copy of the output Tensor (a shared reference to its buffer)
// in a capsule as its base, so no output is copied either.
// Runs release the GIL: one session may run from several Python threads at once.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <ort_lite/ort_lite.hpp>
#include <string>
#include <vector>

namespace py = pybind11;
using ort_lite::DataType;
using ort_lite::Tensor;

namespace {

// The Python exception class per ErrorCode, set once by __init__.py (_set_error_classes).
PyObject* g_errors[6] = {};

void raise(const ort_lite::Exception& e) {
  const int code = static_cast<int>(e.code());
  PyObject* cls = (code >= 0 && code < 6 && g_errors[code]) ? g_errors[code] : PyExc_RuntimeError;
  PyErr_SetString(cls, e.what());
}

// ml_dtypes' name for a low-precision type (ml_dtypes holds them one a byte, as ort-lite does,
// except that its int4 / int2 keep the value's low bits where ort-lite sign-extends).
const char* ml_dtypes_name(DataType t) {
  switch (t) {
    case DataType::kFloat8E4M3FN: return "float8_e4m3fn";
    case DataType::kFloat8E4M3FNUZ: return "float8_e4m3fnuz";
    case DataType::kFloat8E5M2: return "float8_e5m2";
    case DataType::kFloat8E5M2FNUZ: return "float8_e5m2fnuz";
    case DataType::kUInt4: return "uint4";
    case DataType::kInt4: return "int4";
    case DataType::kFloat4E2M1: return "float4_e2m1fn";
    case DataType::kFloat8E8M0: return "float8_e8m0fnu";
    case DataType::kUInt2: return "uint2";
    case DataType::kInt2: return "int2";
    case DataType::kFloat6E2M3: return "float6_e2m3fn";
    case DataType::kFloat6E3M2: return "float6_e3m2fn";
    default: return nullptr;
  }
}

// The ml_dtypes module, or None when it is not installed.
py::object ml_dtypes() {
  try {
    return py::module_::import("ml_dtypes");
  } catch (const py::error_already_set&) {
    return py::none();
  }
}

bool is_signed_small_int(DataType t) { return t == DataType::kInt4 || t == DataType::kInt2; }

// numpy dtype for a runtime dtype; throws kNotImplemented when numpy has none (bfloat16, or the
// low-precision types without ml_dtypes).
py::dtype numpy_dtype(DataType t) {
  if (const char* name = ml_dtypes_name(t)) {
    const py::object ml = ml_dtypes();
    if (ml.is_none())
      throw ort_lite::Exception(ort_lite::ErrorCode::kNotImplemented,
                                std::string("tensor(") + ort_lite::dtype_name(t) + ") needs the ml_dtypes package");
    return py::dtype::from_args(ml.attr(name));
  }
  switch (t) {
    case DataType::kFloat: return py::dtype::of<float>();
    case DataType::kDouble: return py::dtype::of<double>();
    case DataType::kFloat16: return py::dtype("float16");
    case DataType::kInt8: return py::dtype::of<int8_t>();
    case DataType::kInt16: return py::dtype::of<int16_t>();
    case DataType::kInt32: return py::dtype::of<int32_t>();
    case DataType::kInt64: return py::dtype::of<int64_t>();
    case DataType::kUInt8: return py::dtype::of<uint8_t>();
    case DataType::kUInt16: return py::dtype::of<uint16_t>();
    case DataType::kUInt32: return py::dtype::of<uint32_t>();
    case DataType::kUInt64: return py::dtype::of<uint64_t>();
    case DataType::kBool: return py::dtype::of<bool>();
    default:
      throw ort_lite::Exception(ort_lite::ErrorCode::kNotImplemented,
                                std::string("no numpy dtype for tensor(") + ort_lite::dtype_name(t) + ")");
  }
}

DataType runtime_dtype(const py::dtype& d) {
  static const DataType kAll[] = {DataType::kFloat,  DataType::kDouble, DataType::kFloat16, DataType::kInt8,
                                  DataType::kInt16,  DataType::kInt32,  DataType::kInt64,   DataType::kUInt8,
                                  DataType::kUInt16, DataType::kUInt32, DataType::kUInt64,  DataType::kBool};
  for (DataType t : kAll)
    if (d.equal(numpy_dtype(t))) return t;
  if (!ml_dtypes().is_none()) {
    for (int code = static_cast<int>(DataType::kFloat8E4M3FN); code <= static_cast<int>(DataType::kFloat6E3M2); ++code)
      if (d.equal(numpy_dtype(static_cast<DataType>(code)))) return static_cast<DataType>(code);
  }
  return DataType::kUndefined;
}

std::vector<int64_t> shape_of(const py::array& a) { return std::vector<int64_t>(a.shape(), a.shape() + a.ndim()); }

// An input tensor over the array's memory (numbers), or a copy (strings: object/str/bytes arrays).
Tensor to_tensor(const std::string& name, const py::array& a) {
  const char kind = a.dtype().kind();
  if (kind == 'O' || kind == 'U' || kind == 'S') {
    Tensor t(DataType::kString, shape_of(a));
    auto* dst = t.data_as<std::string>();
    int64_t i = 0;
    for (py::handle item : py::list(a.attr("ravel")().attr("tolist")()))
      dst[i++] = py::isinstance<py::bytes>(item) ? item.cast<std::string>() : py::str(item).cast<std::string>();
    return t;
  }
  const DataType t = runtime_dtype(a.dtype());
  if (t == DataType::kUndefined)
    throw ort_lite::Exception(
        ort_lite::ErrorCode::kInvalidArgument,
        "input '" + name + "': numpy dtype " + py::str(a.dtype()).cast<std::string>() + " has no ONNX tensor type");
  // The Python layer passes C-contiguous arrays (np.require); check rather than trust.
  py::ssize_t step = static_cast<py::ssize_t>(ort_lite::dtype_size(t));
  for (py::ssize_t d = a.ndim(); d-- > 0;) {
    if (a.shape(d) > 1 && a.strides(d) != step)
      throw ort_lite::Exception(ort_lite::ErrorCode::kInvalidArgument, "input '" + name + "' is not C-contiguous");
    step *= a.shape(d);
  }
  if (is_signed_small_int(t)) {  // ml_dtypes keeps the low bits: sign-extend into a copy
    Tensor c(t, shape_of(a));
    const int shift = t == DataType::kInt4 ? 4 : 6;
    const auto* src = static_cast<const uint8_t*>(a.data());
    for (int64_t i = 0; i < c.numel(); ++i)
      c.data_as<int8_t>()[i] = static_cast<int8_t>(static_cast<int8_t>(src[i] << shift) >> shift);
    return c;
  }
  return Tensor::view(t, shape_of(a), const_cast<void*>(a.data()));
}

py::object to_numpy(const Tensor& t) {
  if (t.dtype() == DataType::kString) {
    py::list items;
    for (int64_t i = 0; i < t.numel(); ++i) items.append(py::str(t.data_as<std::string>()[i]));
    py::module_ np = py::module_::import("numpy");
    return np.attr("array")(items, py::arg("dtype") = "O").attr("reshape")(t.shape());
  }
  const py::dtype dt = numpy_dtype(t.dtype());
  // Strides from the runtime's element size, not dtype.itemsize(): older pybind11 releases
  // (Debian's 2.10) read itemsize from where NumPy 1 kept it and get garbage under NumPy 2.
  std::vector<py::ssize_t> strides(t.shape().size());
  py::ssize_t step = static_cast<py::ssize_t>(ort_lite::dtype_size(t.dtype()));
  for (size_t d = strides.size(); d-- > 0;) {
    strides[d] = step;
    step *= static_cast<py::ssize_t>(t.shape()[d]);
  }
  Tensor src = t;
  if (is_signed_small_int(t.dtype())) {  // ml_dtypes wants the low bits only: a masked copy
    src = Tensor(t.dtype(), t.shape());
    const uint8_t mask = t.dtype() == DataType::kInt4 ? 0x0f : 0x03;
    for (int64_t i = 0; i < t.numel(); ++i) src.data_as<uint8_t>()[i] = t.data_as<uint8_t>()[i] & mask;
  }
  auto* keep = new Tensor(src);
  py::capsule owner(keep, [](void* p) { delete static_cast<Tensor*>(p); });
  return py::array(dt, t.shape(), strides, keep->data(), owner);
}

py::tuple value_info(const ort_lite::ValueInfo& v) {
  return py::make_tuple(v.name, ort_lite::dtype_name(v.dtype), v.has_shape, v.shape, v.dim_names);
}

class PySession {
 public:
  PySession(ort_lite::Session s) : s_(std::move(s)) {}

  py::list inputs() const { return infos(s_.inputs()); }
  py::list outputs() const { return infos(s_.outputs()); }

  py::list run(const std::vector<std::string>& output_names,
               const std::vector<std::pair<std::string, py::array>>& feed) {
    ort_lite::NamedTensors in;
    for (const auto& [name, arr] : feed) in.emplace_back(name, to_tensor(name, arr));
    std::vector<Tensor> out;
    {
      py::gil_scoped_release nogil;
      out = s_.run(in, output_names);
    }
    py::list res;
    for (const Tensor& t : out) res.append(to_numpy(t));
    return res;
  }

 private:
  static py::list infos(const std::vector<ort_lite::ValueInfo>& vs) {
    py::list l;
    for (const auto& v : vs) l.append(value_info(v));
    return l;
  }
  ort_lite::Session s_;
};

ort_lite::SessionOptions make_options(int threads, int level, bool verbose) {
  ort_lite::SessionOptions o;
  o.intra_op_threads = threads;
  o.optimization_level = level;
  o.verbose = verbose;
  return o;
}

}  // namespace

PYBIND11_MODULE(_ort_lite, m) {
  m.doc() = "ort-lite native module; use the ort_lite package";
  m.def("version", &ort_lite::version);
  m.def("_set_error_classes", [](py::dict classes) {
    for (auto [code, cls] : classes) {
      const int c = code.cast<int>();
      if (c < 0 || c >= 6) throw py::value_error("error code out of range");
      Py_XDECREF(g_errors[c]);
      g_errors[c] = cls.inc_ref().ptr();  // kept for the life of the process
    }
  });
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const ort_lite::Exception& e) {
      raise(e);
    }
  });

  py::class_<PySession>(m, "_Session")
      .def("inputs", &PySession::inputs)
      .def("outputs", &PySession::outputs)
      .def("run", &PySession::run, py::arg("output_names"), py::arg("feed"));
  // Two functions rather than overloaded constructors: pybind11 would also take bytes as a path.
  m.def(
      "_load_path",
      [](const std::string& path, int threads, int level, bool verbose) {
        const auto o = make_options(threads, level, verbose);
        py::gil_scoped_release nogil;
        return std::make_unique<PySession>(ort_lite::Session(path, o));
      },
      py::arg("path"), py::arg("threads"), py::arg("level"), py::arg("verbose"));
  m.def(
      "_load_bytes",
      [](const py::bytes& model, int threads, int level, bool verbose) {
        const auto o = make_options(threads, level, verbose);
        char* data = nullptr;
        Py_ssize_t size = 0;
        if (PyBytes_AsStringAndSize(model.ptr(), &data, &size) != 0) throw py::error_already_set();
        py::gil_scoped_release nogil;  // `model` is an argument: it outlives the call
        return std::make_unique<PySession>(ort_lite::Session(data, static_cast<size_t>(size), o));
      },
      py::arg("model"), py::arg("threads"), py::arg("level"), py::arg("verbose"));
}
