// Runs one op the way the planner and executor do (build from attributes, infer with concrete
// shapes, allocate the outputs, run), without a model file or the runtime: enough to test an
// op's attribute handling, shape inference and dtype dispatch in isolation.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "graph/ir.h"
#include "opset/registry.h"

namespace ortl::testing {

inline graph::Attribute ints_attr(std::vector<int64_t> v) {
  graph::Attribute a;
  a.type = graph::AttrType::kInts;
  a.ints = std::move(v);
  return a;
}
inline graph::Attribute int_attr(int64_t v) {
  graph::Attribute a;
  a.type = graph::AttrType::kInt;
  a.i = v;
  return a;
}
inline graph::Attribute float_attr(float v) {
  graph::Attribute a;
  a.type = graph::AttrType::kFloat;
  a.f = v;
  return a;
}
inline graph::Attribute string_attr(std::string v) {
  graph::Attribute a;
  a.type = graph::AttrType::kString;
  a.s = std::move(v);
  return a;
}

class FakeInfer final : public opset::InferContext {
 public:
  FakeInfer(std::vector<graph::TypeInfo> in, int outputs) : in_(std::move(in)), out_(outputs) {}
  int num_inputs() const override { return static_cast<int>(in_.size()); }
  int num_outputs() const override { return static_cast<int>(out_.size()); }
  bool has_input(int i) const override { return i >= 0 && i < num_inputs() && in_[i].dtype != DType::kUndefined; }
  const graph::TypeInfo& input_type(int i) const override {
    static const graph::TypeInfo kNone;
    return has_input(i) ? in_[i] : kNone;
  }
  const Tensor* input_value(int) const override { return nullptr; }
  void set_output(int i, graph::TypeInfo t) override { out_.at(i) = std::move(t); }
  void set_output_value(int, Tensor) override {}
  graph::Dim fresh_dim() override { return graph::Dim("unk__" + std::to_string(symbols_++)); }
  const graph::TypeInfo& output(int i) const { return out_.at(i); }

 private:
  std::vector<graph::TypeInfo> in_;
  std::vector<graph::TypeInfo> out_;
  int symbols_ = 0;
};

class FakeRun final : public opset::RunContext {
 public:
  FakeRun(std::vector<const Tensor*> in, std::vector<Tensor> out, kernels::Parallel& par)
      : in_(std::move(in)), out_(std::move(out)), par_(par) {}
  int num_inputs() const override { return static_cast<int>(in_.size()); }
  int num_outputs() const override { return static_cast<int>(out_.size()); }
  const Tensor* input(int i) const override { return i >= 0 && i < num_inputs() ? in_[i] : nullptr; }
  Tensor& output(int i) override { return out_.at(i); }
  Tensor& output(int i, const std::vector<int64_t>& shape) override {
    Tensor& t = out_.at(i);
    if (t.shape() != shape) t = Tensor(t.dtype(), shape);
    return t;
  }
  void alias_output(int i, const Tensor& src, const std::vector<int64_t>& shape) override {
    out_.at(i) = src.reshaped(shape);
  }
  bool has_output(int i) const override { return i >= 0 && i < num_outputs(); }
  kernels::Parallel& par() override { return par_; }
  std::vector<Tensor>& outputs() { return out_; }

 private:
  std::vector<const Tensor*> in_;
  std::vector<Tensor> out_;
  kernels::Parallel& par_;
};

struct OpSpec {
  std::string op_type;
  int opset = 13;
  std::map<std::string, graph::Attribute> attrs;
};

inline std::unique_ptr<opset::OpKernel> build_op(const OpSpec& spec) {
  graph::Graph g;
  graph::Node node;
  node.op_type = spec.op_type;
  node.opset = spec.opset;
  node.attrs = spec.attrs;
  const opset::OpEntry* e = opset::Registry::global().find("", spec.op_type, spec.opset);
  if (!e) fail(ErrorCode::kNotImplemented, "no entry for ", spec.op_type, " at opset ", spec.opset);
  return e->build(opset::BuildContext{node, g, spec.opset});
}

// Infers with the inputs' concrete shapes, allocates the single output and runs the op.
inline Tensor run_op(const OpSpec& spec, const std::vector<const Tensor*>& inputs,
                     kernels::Parallel& par = kernels::serial()) {
  auto kernel = build_op(spec);
  std::vector<graph::TypeInfo> types;
  for (const Tensor* t : inputs) {
    types.push_back(t ? graph::TypeInfo::of(t->dtype(), graph::from_concrete(t->shape())) : graph::TypeInfo{});
  }
  FakeInfer ictx(types, 1);
  kernel->infer(ictx);
  const graph::TypeInfo& out = ictx.output(0);
  if (!out.has_shape || !graph::all_known(out.shape)) fail(ErrorCode::kRuntime, "output shape not inferred");
  FakeRun rctx(inputs, {Tensor(out.dtype, graph::to_concrete(out.shape))}, par);
  kernel->run(rctx);
  return rctx.outputs()[0];
}

}  // namespace ortl::testing
