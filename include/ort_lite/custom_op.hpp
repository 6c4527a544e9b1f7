// Registering an op that ONNX or ort-lite lacks, from user code:
//
//   ort_lite::CustomOp op;
//   op.domain = "com.example";
//   op.op_type = "Swish2";
//   op.infer = [](const std::vector<ort_lite::TensorType>& in, const ort_lite::NodeAttributes&) {
//     return std::vector<ort_lite::TensorType>{in[0]};          // same dtype and shape
//   };
//   op.compute = [](ort_lite::CustomKernelContext& ctx, const ort_lite::NodeAttributes& attrs) {
//     const ort_lite::Tensor& x = *ctx.input(0);
//     ort_lite::Tensor& y = ctx.output(0, x.shape());
//     ...
//   };
//   ort_lite::register_custom_op(op);   // before creating the sessions that use it
//
// compute() may be called from several threads at once (one session, concurrent runs).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ort_lite/tensor.hpp"

namespace ort_lite {

// A value's type as shape inference sees it: dims are -1 where unknown.
struct TensorType {
  DataType dtype = DataType::kUndefined;
  bool has_shape = true;
  std::vector<int64_t> shape;
};

// Read access to the attributes of the node being built or run.
class ORTL_API NodeAttributes {
 public:
  explicit NodeAttributes(const void* node) : node_(node) {}
  bool has(const std::string& name) const;
  int64_t get_int(const std::string& name, int64_t def = 0) const;
  float get_float(const std::string& name, float def = 0) const;
  std::string get_string(const std::string& name, const std::string& def = "") const;
  std::vector<int64_t> get_ints(const std::string& name) const;
  std::vector<float> get_floats(const std::string& name) const;
  const std::string& node_name() const;

 private:
  const void* node_;
};

class ORTL_API CustomKernelContext {
 public:
  virtual ~CustomKernelContext() = default;
  virtual size_t num_inputs() const = 0;
  virtual size_t num_outputs() const = 0;
  // nullptr for an omitted optional input.
  virtual const Tensor* input(size_t i) const = 0;
  // The output buffer, allocated by the runtime for this shape (dtype from infer).
  virtual Tensor& output(size_t i, const std::vector<int64_t>& shape) = 0;
};

struct CustomOp {
  std::string domain;  // not "" or "ai.onnx": those belong to the ONNX standard
  std::string op_type;
  int since_version = 1;
  std::function<std::vector<TensorType>(const std::vector<TensorType>& inputs, const NodeAttributes& attrs)> infer;
  std::function<void(CustomKernelContext& ctx, const NodeAttributes& attrs)> compute;
};

// Adds (or replaces) an op in the process-wide registry; throws ort_lite::Exception when the
// definition is incomplete.
ORTL_API void register_custom_op(const CustomOp& op);

}  // namespace ort_lite
