// Adapts a user's CustomOp (public types only) to the internal OpKernel contract.
#include <ort_lite/custom_op.hpp>

#include "opset/registry.h"

namespace ort_lite {

namespace {
const ortl::graph::Node& as_node(const void* p) { return *static_cast<const ortl::graph::Node*>(p); }
}  // namespace

bool NodeAttributes::has(const std::string& name) const { return as_node(node_).has(name); }
int64_t NodeAttributes::get_int(const std::string& name, int64_t def) const {
  return as_node(node_).get_int(name, def);
}
float NodeAttributes::get_float(const std::string& name, float def) const {
  return as_node(node_).get_float(name, def);
}
std::string NodeAttributes::get_string(const std::string& name, const std::string& def) const {
  return as_node(node_).get_string(name, def);
}
std::vector<int64_t> NodeAttributes::get_ints(const std::string& name) const { return as_node(node_).get_ints(name); }
std::vector<float> NodeAttributes::get_floats(const std::string& name) const { return as_node(node_).get_floats(name); }
const std::string& NodeAttributes::node_name() const { return as_node(node_).name; }

namespace {

using namespace ortl;

class CustomContext final : public CustomKernelContext {
 public:
  explicit CustomContext(opset::RunContext& ctx) : ctx_(ctx) {}
  size_t num_inputs() const override { return static_cast<size_t>(ctx_.num_inputs()); }
  size_t num_outputs() const override { return static_cast<size_t>(ctx_.num_outputs()); }
  const Tensor* input(size_t i) const override { return ctx_.input(static_cast<int>(i)); }
  Tensor& output(size_t i, const std::vector<int64_t>& shape) override {
    check(i < num_outputs(), ErrorCode::kInvalidArgument, "custom op asked for output ", i, " of ", num_outputs());
    return ctx_.output(static_cast<int>(i), shape);
  }

 private:
  opset::RunContext& ctx_;
};

class CustomKernel final : public opset::OpKernel {
 public:
  CustomKernel(const CustomOp& op, const graph::Node& node) : op_(op), attrs_(&node) {}

  void infer(opset::InferContext& ctx) const override {
    std::vector<TensorType> in(ctx.num_inputs());
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      if (!ctx.has_input(i)) continue;
      const graph::TypeInfo& t = ctx.input_type(i);
      in[i].dtype = t.dtype;
      in[i].has_shape = t.has_shape;
      for (const auto& d : t.shape) in[i].shape.push_back(d.known() ? d.value : -1);
    }
    const std::vector<TensorType> out = op_.infer(in, attrs_);
    check(static_cast<int>(out.size()) >= ctx.num_outputs(), ErrorCode::kInvalidArgument, "custom op infer returned ",
          out.size(), " types for ", ctx.num_outputs(), " outputs");
    for (int i = 0; i < ctx.num_outputs(); ++i) {
      graph::TypeInfo t;
      t.dtype = out[i].dtype;
      t.has_shape = out[i].has_shape;
      for (int64_t d : out[i].shape) t.shape.push_back(d >= 0 ? graph::Dim(d) : ctx.fresh_dim());
      ctx.set_output(i, std::move(t));
    }
  }

  void run(opset::RunContext& ctx) const override {
    CustomContext c(ctx);
    op_.compute(c, attrs_);
  }

  std::string kernel_name() const override { return "custom"; }

 private:
  CustomOp op_;
  NodeAttributes attrs_;
};

}  // namespace

void register_custom_op(const CustomOp& op) {
  check(!op.op_type.empty() && op.infer && op.compute, ErrorCode::kInvalidArgument,
        "a custom op needs op_type, infer and compute");
  check(!op.domain.empty() && op.domain != "ai.onnx", ErrorCode::kInvalidArgument, "custom op '", op.op_type,
        "' needs its own domain (not the ONNX one)");
  opset::OpEntry e;
  e.domain = op.domain;
  e.op_type = op.op_type;
  e.since = op.since_version;
  e.until = 1 << 30;
  e.build = [op](const opset::BuildContext& b) -> std::unique_ptr<opset::OpKernel> {
    return std::make_unique<CustomKernel>(op, b.node);
  };
  opset::Registry::global().add(std::move(e));
}

}  // namespace ort_lite
