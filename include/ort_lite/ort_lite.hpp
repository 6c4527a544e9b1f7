// ort-lite public C++ API.
//
//   ort_lite::SessionOptions opts;
//   opts.intra_op_threads = 2;
//   ort_lite::Session session("model.onnx", opts);
//   std::vector<float> pixels(1 * 3 * 224 * 224);
//   auto x = ort_lite::Tensor::view(ort_lite::DataType::kFloat, {1, 3, 224, 224}, pixels.data());
//   std::vector<ort_lite::Tensor> y = session.run({{session.inputs()[0].name, x}});
//
// Errors are thrown as ort_lite::Exception with an ErrorCode and a message naming the file,
// node and op involved. A session may be run from several threads at once.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ort_lite/tensor.hpp"

namespace ortl::runtime {
class Session;
}

namespace ort_lite {

// "0.1.0"
ORTL_API const char* version();

struct SessionOptions {
  int intra_op_threads = 0;    // 0: one thread per core
  int optimization_level = 2;  // 0: graph as written, 1: folding and fusions, 2: + blocked conv layout
  bool verbose = false;        // print each node's chosen kernel to stderr
};

// A graph input or output: dims are -1 where unknown, with the symbol (if any) in dim_names.
struct ValueInfo {
  std::string name;
  DataType dtype = DataType::kUndefined;
  bool has_shape = false;
  std::vector<int64_t> shape;
  std::vector<std::string> dim_names;
};

// Memory the planner laid out for one input signature.
struct PlanInfo {
  size_t arena_bytes = 0;  // one arena per run, intermediates share it by lifetime
  size_t naive_bytes = 0;  // what one buffer per intermediate would take
  int nodes = 0;
  int folded_nodes = 0;  // evaluated at plan time (shape arithmetic)
  int inplace = 0;       // outputs written over a dying input
  int views = 0;         // outputs aliasing their input (Reshape-like)
};

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

class ORTL_API Session {
 public:
  explicit Session(const std::string& model_path, const SessionOptions& options = {});
  Session(const void* model_bytes, size_t size, const SessionOptions& options = {});
  ~Session();
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;

  const std::vector<ValueInfo>& inputs() const { return inputs_; }
  const std::vector<ValueInfo>& outputs() const { return outputs_; }

  // Runs with named inputs; returns the requested outputs (all, in graph order, when empty).
  std::vector<Tensor> run(const NamedTensors& inputs, const std::vector<std::string>& output_names = {}) const;
  PlanInfo plan_info(const NamedTensors& inputs) const;

 private:
  void init();
  std::shared_ptr<ortl::runtime::Session> impl_;
  std::vector<ValueInfo> inputs_;
  std::vector<ValueInfo> outputs_;
};

}  // namespace ort_lite
