// Runs an ONNX model through the ort-lite C++ API: lists its inputs and outputs, runs it on
// inputs of ones (dynamic dims 8), prints the outputs, and shows an error being caught.
//   usage: consumer MODEL
#include <ort_lite/ort_lite.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

static std::string dims(const ort_lite::ValueInfo& v) {
  std::string s = "[";
  for (size_t d = 0; d < v.shape.size(); ++d)
    s += (d ? "," : "") + (v.shape[d] >= 0 ? std::to_string(v.shape[d]) : v.dim_names[d].empty() ? "?" : v.dim_names[d]);
  return s + "]";
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s MODEL\n", argv[0]);
    return 2;
  }
  try {
    ort_lite::SessionOptions opts;
    opts.intra_op_threads = 1;
    ort_lite::Session session(argv[1], opts);
    std::printf("ort-lite %s\n", ort_lite::version());

    // Inputs of ones (Tensor::view would wrap memory the program already has instead).
    ort_lite::NamedTensors inputs;
    for (const ort_lite::ValueInfo& in : session.inputs()) {
      std::printf("input  %s %s %s\n", in.name.c_str(), ort_lite::dtype_name(in.dtype), dims(in).c_str());
      std::vector<int64_t> shape = in.shape;
      for (int64_t& d : shape) d = d >= 0 ? d : 8;
      ort_lite::Tensor t(in.dtype, shape);  // owning: allocated and zeroed by the runtime
      if (in.dtype == ort_lite::DataType::kFloat) std::fill_n(t.data_as<float>(), t.numel(), 1.0f);
      inputs.emplace_back(in.name, t);
    }
    std::vector<ort_lite::Tensor> outputs = session.run(inputs);  // all outputs, in order
    for (size_t i = 0; i < outputs.size(); ++i) {
      const ort_lite::Tensor& y = outputs[i];
      std::string shape = "[";
      for (int d = 0; d < y.rank(); ++d) shape += (d ? "," : "") + std::to_string(y.dim(d));
      std::printf("output %s %s %s\n", session.outputs()[i].name.c_str(), ort_lite::dtype_name(y.dtype()),
                  (shape + "]").c_str());
    }

    // Errors are ort_lite::Exception (caught here across the shared library boundary).
    try {
      session.run({{"no_such_input", inputs[0].second}});
      std::printf("expected an error\n");
      return 1;
    } catch (const ort_lite::Exception& e) {
      std::printf("caught (code %d): %s\n", static_cast<int>(e.code()), e.what());
    }
  } catch (const ort_lite::Exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  std::printf("consumer ok\n");
  return 0;
}
