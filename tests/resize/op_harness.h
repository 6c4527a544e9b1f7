// A tiny stand-in for the runtime, enough to build one op from a node, infer its outputs and run
// it on tensors (used by the resize and pool op tests; the pool tests include it from here).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "opset/op.h"

namespace ortl::testing {

using graph::Attribute;
using graph::AttrType;

inline Attribute attr_s(const std::string& v) {
  Attribute a;
  a.type = AttrType::kString;
  a.s = v;
  return a;
}
inline Attribute attr_i(int64_t v) {
  Attribute a;
  a.type = AttrType::kInt;
  a.i = v;
  return a;
}
inline Attribute attr_f(float v) {
  Attribute a;
  a.type = AttrType::kFloat;
  a.f = v;
  return a;
}
inline Attribute attr_ints(std::vector<int64_t> v) {
  Attribute a;
  a.type = AttrType::kInts;
  a.ints = std::move(v);
  return a;
}
inline Attribute attr_floats(std::vector<float> v) {
  Attribute a;
  a.type = AttrType::kFloats;
  a.floats = std::move(v);
  return a;
}

class FakeInfer final : public opset::InferContext {
 public:
  FakeInfer(std::vector<graph::TypeInfo> types, std::vector<const Tensor*> values, int outputs)
      : types_(std::move(types)), values_(std::move(values)), out_(static_cast<size_t>(outputs)) {}
  int num_inputs() const override { return static_cast<int>(types_.size()); }
  int num_outputs() const override { return static_cast<int>(out_.size()); }
  bool has_input(int i) const override {
    return i >= 0 && i < num_inputs() && types_[static_cast<size_t>(i)].dtype != DType::kUndefined;
  }
  const graph::TypeInfo& input_type(int i) const override { return types_[static_cast<size_t>(i)]; }
  const Tensor* input_value(int i) const override {
    return i < static_cast<int>(values_.size()) ? values_[static_cast<size_t>(i)] : nullptr;
  }
  void set_output(int i, graph::TypeInfo t) override { out_[static_cast<size_t>(i)] = std::move(t); }
  void set_output_value(int, Tensor) override {}
  graph::Dim fresh_dim() override { return graph::Dim("unk__" + std::to_string(fresh_++)); }
  const graph::TypeInfo& out(int i) const { return out_[static_cast<size_t>(i)]; }

 private:
  std::vector<graph::TypeInfo> types_;
  std::vector<const Tensor*> values_;
  std::vector<graph::TypeInfo> out_;
  int fresh_ = 0;
};

class FakeRun final : public opset::RunContext {
 public:
  FakeRun(std::vector<const Tensor*> inputs, std::vector<DType> out_types)
      : inputs_(std::move(inputs)), types_(std::move(out_types)), outs_(types_.size()) {}
  int num_inputs() const override { return static_cast<int>(inputs_.size()); }
  int num_outputs() const override { return static_cast<int>(outs_.size()); }
  const Tensor* input(int i) const override { return inputs_[static_cast<size_t>(i)]; }
  Tensor& output(int) override { throw Error(ErrorCode::kRuntime, "FakeRun: shape-less output() not planned"); }
  Tensor& output(int i, const std::vector<int64_t>& shape) override {
    outs_[static_cast<size_t>(i)] = Tensor(types_[static_cast<size_t>(i)], shape);
    return outs_[static_cast<size_t>(i)];
  }
  void alias_output(int i, const Tensor& src, const std::vector<int64_t>& shape) override {
    outs_[static_cast<size_t>(i)] = src.reshaped(shape);
  }
  bool has_output(int i) const override { return i < num_outputs(); }
  kernels::Parallel& par() override { return kernels::serial(); }
  std::vector<Tensor>& outputs() { return outs_; }

 private:
  std::vector<const Tensor*> inputs_;
  std::vector<DType> types_;
  std::vector<Tensor> outs_;
};

// Builds the op of `node` at `opset`, infers with every input value known (nullptr entries are
// omitted optional inputs), checks the inferred shapes against the run, and returns the outputs.
inline std::vector<Tensor> run_node(opset::Builder build, const graph::Node& node, int opset,
                                    const std::vector<const Tensor*>& inputs, int outputs = 1) {
  graph::Graph g;
  const opset::BuildContext bc{node, g, opset};
  std::unique_ptr<opset::OpKernel> k = build(bc);
  std::vector<graph::TypeInfo> types;
  for (const Tensor* t : inputs) {
    types.push_back(t ? graph::TypeInfo::of(t->dtype(), graph::from_concrete(t->shape())) : graph::TypeInfo{});
  }
  FakeInfer ic(types, inputs, outputs);
  k->infer(ic);
  std::vector<DType> out_types;
  for (int i = 0; i < outputs; ++i) out_types.push_back(ic.out(i).dtype);
  FakeRun rc(inputs, out_types);
  k->run(rc);
  for (int i = 0; i < outputs; ++i) {
    const graph::TypeInfo& t = ic.out(i);
    EXPECT_TRUE(t.has_shape);
    EXPECT_TRUE(graph::all_known(t.shape)) << graph::shape_str(t.shape);
    if (graph::all_known(t.shape)) {
      EXPECT_EQ(graph::to_concrete(t.shape), rc.outputs()[static_cast<size_t>(i)].shape());
    }
  }
  return rc.outputs();
}

template <class T>
Tensor make_tensor(DType dt, std::vector<int64_t> shape, const std::vector<T>& values) {
  Tensor t(dt, std::move(shape));
  std::copy(values.begin(), values.end(), t.data_as<T>());
  return t;
}

}  // namespace ortl::testing
